"""Building and sending the folder-mode messages (docs/protocol.md, "Folder mode")."""
import os
import sys
from types import TracebackType
from typing import Any, Dict, List, Optional

from ..loader import exception_message, exception_type_name, learner_frames
from ..serialize import wire_text
from .outcomes import Failed, Skipped

MESSAGE_LIMIT = 16 * 1024
# A status and the category pytest's summary line counts it in.
PYTEST_CATEGORY = {"pass": "passed", "fail": "failed", "error": "error", "skip": "skipped",
                   "xfail": "xfailed", "xpass": "xpassed"}
HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class FolderFiles:
    """``files`` for ``loader.learner_frames``: any file under the tested folder, shown
    relative to it, except the harness and installed packages (a virtualenv in the folder)."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._known: Dict[str, Optional[str]] = {}

    def get(self, filename: Any, default: Any = None) -> Optional[str]:
        if type(filename) is not str:
            return default
        if filename in self._known:
            found = self._known[filename]
            return found if found is not None else default
        found = None
        if os.path.isabs(filename):
            real = os.path.realpath(filename)
            if real.startswith(self.root + os.sep) and not real.startswith(HARNESS_DIR + os.sep):
                rel = os.path.relpath(real, self.root)
                if "site-packages" not in rel.split(os.sep):
                    found = rel.replace(os.sep, "/")
        self._known[filename] = found
        return found if found is not None else default

    def __contains__(self, filename: Any) -> bool:
        return self.get(filename) is not None


def summary(exc: BaseException) -> str:
    """The one-paragraph message of a failure, as pytest's short summary shows it."""
    if getattr(exc, "_pykata_explained", False):
        try:
            return wire_text(str(exc.args[0]), MESSAGE_LIMIT)
        except Exception:
            pass
    if isinstance(exc, Skipped):
        return wire_text(exc.msg or "", MESSAGE_LIMIT)
    if isinstance(exc, Failed):
        return wire_text(f"Failed: {exc.msg or ''}", MESSAGE_LIMIT)
    name = exception_type_name(type(exc))
    text = exception_message(exc)
    return f"{name}: {text}" if text else name


class Reporter:
    def __init__(self, channel: Any, root: str) -> None:
        self.channel = channel
        self.root = os.path.realpath(root)
        self.files = FolderFiles(root)
        self.count = 0
        self.failures = 0  # tests reported failed or in error (-x / --maxfail)

    def frames(self, tb: Optional[TracebackType]) -> List[Dict[str, Any]]:
        try:
            return learner_frames(tb, self.files)  # type: ignore[arg-type]
        except Exception:
            return []

    def syntax_frame(self, exc: BaseException) -> List[Dict[str, Any]]:
        if not isinstance(exc, SyntaxError):
            return []
        shown = self.files.get(exc.filename)
        if shown is None or type(exc.lineno) is not int:
            return []
        text = exc.text.strip() if isinstance(exc.text, str) else ""
        return [{"file": shown, "line": exc.lineno, "function": "<module>",
                 "text": wire_text(text, 2000)}]

    def failure_info(self, exc: BaseException, tb: Optional[TracebackType] = None
                     ) -> Dict[str, Any]:
        """``message``, ``compare`` and ``traceback`` of a failure."""
        if tb is None:
            tb = exc.__traceback__
        compare = getattr(exc, "_pykata_compare", None)
        if not (isinstance(compare, dict) and set(compare) == {"op", "left", "right"}
                and all(type(v) is str for v in compare.values())):
            compare = None
        else:
            compare = {k: wire_text(v) for k, v in compare.items()}
        frames = self.frames(tb) + self.syntax_frame(exc)
        return {"message": summary(exc), "compare": compare, "traceback": frames}

    def send(self, message: Dict[str, Any]) -> None:
        self.channel.send(message)

    def collected(self, nodeids: List[str]) -> None:
        """The items that will run, in order: sent once, before the first ``begin``."""
        self.send(self.collected_message(nodeids))

    def collected_message(self, nodeids: List[str]) -> Dict[str, Any]:
        return {"event": "collected", "ids": [wire_text(nodeid) for nodeid in nodeids]}

    def begin(self, index: int, nodeid: str, before: Optional[Dict[str, Any]] = None) -> None:
        """Item ``index`` (of ``collected``) starts: its setup, call and teardown follow.
        ``before``: a message to send first, in the same write (``collected``)."""
        message = self.begin_message(index, nodeid)
        if before is None:
            self.send(message)
        else:
            self.channel.send_all(before, message)

    def begin_message(self, index: int, nodeid: str) -> Dict[str, Any]:
        return {"event": "begin", "index": index, "id": wire_text(nodeid)}

    def test(self, nodeid: str, file: str, line: int, name: str, status: str, message: str,
             compare: Optional[Dict[str, str]], traceback: List[Dict[str, Any]], output: str,
             subtests: List[Dict[str, Any]], pytest_outcomes: Optional[List[str]] = None,
             teardown_error: Optional[Dict[str, Any]] = None,
             then: Optional[Dict[str, Any]] = None) -> None:
        """Send a test's result; ``then``: a message to send right after it, in the same
        write (the next item's ``begin``: one wake-up of the grader per test)."""
        record: Dict[str, Any] = {
            "event": "test", "id": wire_text(nodeid), "file": file, "line": line,
            "name": wire_text(name), "status": status,
            "message": wire_text(message or "", MESSAGE_LIMIT), "compare": compare,
            "traceback": traceback, "output": wire_text(output), "subtests": [
                {k: (wire_text(v, MESSAGE_LIMIT) if type(v) is str else v)
                 for k, v in sub.items()} for sub in subtests],
            "pytest_outcomes": pytest_outcomes or [PYTEST_CATEGORY[status]]}
        if teardown_error is not None:
            record["teardown_error"] = teardown_error
        if then is None:
            self.send(record)
        else:
            self.channel.send_all(record, then)
        self.count += 1
        if status in ("fail", "error"):
            self.failures += 1

    def collect_error(self, file: str, exc: BaseException, output: str = "",
                      message: Optional[str] = None) -> None:
        info = self.failure_info(exc)
        line = None
        if isinstance(exc, SyntaxError) and type(exc.lineno) is int \
                and self.files.get(exc.filename) == file:
            line = exc.lineno
        elif info["traceback"]:
            last = [f for f in info["traceback"] if f["file"] == file]
            if last:
                line = last[-1]["line"]
        record: Dict[str, Any] = {"event": "collect_error", "file": file, "line": line,
                                  "message": wire_text(message or info["message"],
                                                       MESSAGE_LIMIT),
                                  "traceback": info["traceback"]}
        if output:
            record["output"] = wire_text(output)
        self.send(record)

    def needs_pytest(self, file: Optional[str], feature: str, available: bool) -> None:
        self.send({"event": "needs_pytest", "file": file or ".", "feature": wire_text(feature),
                   "pytest_available": available})

    def notice(self, text: str) -> None:
        """Something the grader should tell the user (options ignored, shadowed modules)."""
        self.send({"event": "notice", "text": wire_text(text, MESSAGE_LIMIT)})

    def done(self) -> None:
        self.send({"event": "done", "count": self.count})


def pytest_importable() -> bool:
    """Is the real pytest installed for this interpreter (without importing it)?"""
    import importlib.util

    saved = sys.modules.pop("pytest", None)
    try:
        return importlib.util.find_spec("pytest") is not None
    except (ImportError, ValueError):
        return False
    finally:
        if saved is not None:
            sys.modules["pytest"] = saved


def plugins_installed() -> bool:
    """Are pytest plugins installed (they may provide fixtures and async support)?"""
    try:
        from importlib import metadata

        eps = metadata.entry_points()
        if hasattr(eps, "select"):
            return bool(list(eps.select(group="pytest11")))
        return bool(eps.get("pytest11", []))  # type: ignore[attr-defined]
    except Exception:
        return False
