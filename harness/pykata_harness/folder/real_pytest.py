"""``--pytest real``: run the real pytest in this process with a plugin that reports.

``pytest.main(["--rootdir", DIR, "-p", "no:cacheprovider", "-p", "no:pastebin"],
plugins=[Plugin])`` with DIR as the working directory: pytest's terminal output goes to ``os.devnull`` (stdout belongs to
the learner's code) and nothing is cached in the folder. The plugin sends one ``test`` message per
item when its teardown report arrives, with the same status mapping as the built-in runner
(runner.py) and ``pytest_outcomes`` taken from pytest's own ``pytest_report_teststatus``, ``collect_error`` for each failed collector and a ``test`` with status ``skip``
for a module skipped at import. pytest's own assertion rewriting is used: its messages are
pytest's, ``compare`` comes from the ``pytest_assertrepr_compare`` hook, and the strict
equality of strict.py applies only to unittest's equality assertions (patched before the
tests run).
"""
import os
import sys
from typing import Any, Dict, List, Optional, Tuple

from .report import PYTEST_CATEGORY, Reporter
from .saferepr import longrepr


def _strip(prefix: str, text: str) -> str:
    return text[len(prefix):] if text.startswith(prefix) else text


class Plugin:
    def __init__(self, reporter: Reporter, root: str) -> None:
        self.reporter = reporter
        self.root = root
        self.phases: Dict[str, Dict[str, Any]] = {}
        self.excinfo: Dict[Tuple[str, str], Tuple[BaseException, Any]] = {}
        self.subtests: Dict[str, List[Dict[str, Any]]] = {}
        self.compare: Optional[Dict[str, str]] = None
        self.locations: Dict[str, Tuple[str, int]] = {}
        self.categories: Dict[str, Dict[str, List[str]]] = {}
        self.config: Any = None
        self.start = 0  # --from: the index of the first item to run
        self.index: Dict[str, int] = {}

    # -- hooks -------------------------------------------------------------------------
    def pytest_configure(self, config: Any) -> None:
        self.config = config

    def _category(self, report: Any) -> str:
        """The category pytest's summary line counts ``report`` in ("" for none)."""
        try:
            result = self.config.hook.pytest_report_teststatus(report=report,
                                                               config=self.config)
            category = result[0] if result else ""
        except Exception:
            category = report.outcome if report.when == "call" or report.failed else ""
        return category if category in PYTEST_CATEGORY.values() else ""

    def pytest_assertrepr_compare(self, config: Any, op: str, left: Any, right: Any) -> None:
        self.compare = {"op": op, "left": longrepr(left), "right": longrepr(right)}
        return None

    def collected(self, items: Any) -> None:
        """Report the items in their final order, then keep those from ``start`` on."""
        ids = [item.nodeid for item in items]
        self.index = {nodeid: index for index, nodeid in enumerate(ids)}
        self.reporter.collected(ids)
        if self.start:
            items[:] = items[self.start:]

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.reporter.begin(self.index.get(nodeid, -1), nodeid)
        try:
            path, line, _ = location
            self.locations[nodeid] = (str(path).replace(os.sep, "/"),
                                      (line + 1) if isinstance(line, int) else 0)
        except Exception:
            pass

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self.reporter.send({"event": "collect_error", "file": report.nodeid or ".",
                                "line": None, "message": report.longreprtext[-16000:],
                                "traceback": []})
        elif report.skipped and report.nodeid and not self.start:
            reason = ""
            longrepr_ = report.longrepr
            if isinstance(longrepr_, tuple) and len(longrepr_) == 3:
                reason = _strip("Skipped: ", str(longrepr_[2]))
            self.reporter.test(report.nodeid, report.nodeid.split("::")[0], 0, report.nodeid,
                               "skip", reason, None, [], "", [])

    def pytest_runtest_logreport(self, report: Any) -> None:
        nodeid = report.nodeid
        category = self._category(report)
        table = self.categories.setdefault(nodeid, {"own": [], "subtests": [], "teardown": []})
        if type(report).__name__ == "SubtestReport":
            if category:
                table["subtests"].append(category)
            self._subtest(report)
            return
        if category:
            table["teardown" if report.when == "teardown" else "own"].append(category)
        phases = self.phases.setdefault(nodeid, {})
        phases[report.when] = report
        if report.when == "call":
            phases["compare"] = self.compare
        if report.when == "teardown":
            self._finish(nodeid, phases)
            del self.phases[nodeid]

    def _subtest(self, report: Any) -> None:
        try:
            name = report._sub_test_description()
        except Exception:
            name = "(<subtest>)"
        if hasattr(report, "wasxfail") and report.skipped:
            status = "xfail"
        else:
            status = {"passed": "pass", "failed": "fail", "skipped": "skip"}.get(
                report.outcome, "fail")
        record: Dict[str, Any] = {"name": name, "status": status, "message": ""}
        if status == "fail":
            exc = self.excinfo.get((report.nodeid, "subtest"))
            if exc is not None:
                record.update(self.reporter.failure_info(exc[0], exc[1]))
            else:
                record["message"] = report.longreprtext[-16000:]
        elif status == "skip":
            if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
                record["message"] = _strip("Skipped: ", str(report.longrepr[2]))
        self.subtests.setdefault(report.nodeid, []).append(record)

    def _finish(self, nodeid: str, phases: Dict[str, Any]) -> None:
        setup, call, teardown = phases.get("setup"), phases.get("call"), phases.get("teardown")
        status, message, failed_phase = "pass", "", None
        if setup is not None and setup.failed:
            status, failed_phase = "error", "setup"
        elif setup is not None and setup.skipped:
            status = "xfail" if hasattr(setup, "wasxfail") else "skip"
            message = setup.wasxfail if status == "xfail" else self._skip_reason(setup)
        elif call is not None:
            if call.passed:
                status = "xpass" if hasattr(call, "wasxfail") else "pass"
                message = call.wasxfail if status == "xpass" else ""
            elif call.skipped:
                status = "xfail" if hasattr(call, "wasxfail") else "skip"
                message = call.wasxfail if status == "xfail" else self._skip_reason(call)
            else:
                status, failed_phase = "fail", "call"
        info: Dict[str, Any] = {"message": message, "compare": None, "traceback": []}
        if failed_phase is not None:
            info = self._failure(nodeid, failed_phase, phases[failed_phase])
            if failed_phase == "call":
                info["compare"] = phases.get("compare") if info.get("is_assert") else None
        info.pop("is_assert", None)
        own = status
        teardown_error = None
        if teardown is not None and teardown.failed:
            teardown_error = self._failure(nodeid, "teardown", teardown)
            teardown_error.pop("is_assert", None)
            teardown_error.pop("compare", None)
            if status in ("pass", "skip", "xfail", "xpass"):
                status = "error"
                info = dict(teardown_error, compare=None)
                info["message"] = "error in teardown: " + info["message"]
        subtests = self.subtests.pop(nodeid, [])
        failed = sum(1 for s in subtests if s["status"] == "fail")
        if failed and status in ("pass", "skip", "xpass"):
            status = "fail"
            if not info["message"]:
                info["message"] = f"{failed} subtest{'s' if failed > 1 else ''} failed"
        table = self.categories.pop(nodeid, {"own": [], "subtests": [], "teardown": []})
        outcomes = (table["own"] or [PYTEST_CATEGORY[own]]) + table["subtests"] \
            + table["teardown"]
        path, line = self.locations.get(nodeid, (nodeid.split("::")[0], 0))
        output = "".join(content for title, content in (teardown or setup or call).sections
                         if title.startswith("Captured stdout")
                         or title.startswith("Captured stderr"))
        name = nodeid.split("::", 1)[1] if "::" in nodeid else nodeid
        self.reporter.test(nodeid, nodeid.split("::")[0], line, name, status, info["message"],
                           info["compare"], info["traceback"], output[:64 * 1024], subtests,
                           outcomes, teardown_error)
        self.compare = None
        for when in ("setup", "call", "teardown", "subtest"):
            self.excinfo.pop((nodeid, when), None)

    def _skip_reason(self, report: Any) -> str:
        if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
            return _strip("Skipped: ", str(report.longrepr[2]))
        return ""

    def _failure(self, nodeid: str, when: str, report: Any) -> Dict[str, Any]:
        exc = self.excinfo.get((nodeid, when))
        if exc is None:
            text = report.longreprtext
            try:
                text = report.longrepr.reprcrash.message
            except Exception:
                pass
            return {"message": text[-16000:], "compare": None, "traceback": [],
                    "is_assert": False}
        info = self.reporter.failure_info(exc[0], exc[1])
        value = exc[0]
        if isinstance(value, AssertionError):
            text = str(value)
            if text.startswith("assert ") or "\nassert " in text:
                info["message"] = text[:16000]
            info["is_assert"] = True
        else:
            info["is_assert"] = False
        try:
            import _pytest.outcomes as outcomes

            if isinstance(value, outcomes.Failed):
                info["message"] = f"Failed: {value.msg}"
        except Exception:
            pass
        return info


def _wrappers(plugin: Plugin) -> Any:
    """Hook wrappers (they need pytest's decorator, so they are made after importing it)."""
    import pytest

    class Wrappers:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item: Any, call: Any) -> Any:
            excinfo = getattr(call, "excinfo", None)
            if excinfo is not None:
                entry = (excinfo.value, excinfo.tb)
                plugin.excinfo[(item.nodeid, call.when)] = entry
                # A subtest's report is made in the middle of the call phase: the latest
                # exception is the one a SubtestReport that follows describes.
                plugin.excinfo[(item.nodeid, "subtest")] = entry
            yield

        @pytest.hookimpl(trylast=True)
        def pytest_collection_modifyitems(self, session: Any, config: Any, items: Any) -> None:
            plugin.collected(items)

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_setup(self, item: Any) -> Any:
            plugin.compare = None
            yield

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_call(self, item: Any) -> Any:
            plugin.compare = None
            yield

    return Wrappers()


def run_real(root: str, reporter: Reporter, arg: str = ".", start: int = 0) -> int:
    import unittest  # noqa: F401  (patched before pytest imports the tests)

    from .unittest_support import patch_unittest

    patch_unittest()
    import pytest

    plugin = Plugin(reporter, root)
    plugin.start = start
    # No path argument for the rootdir itself: pytest collects the working directory or
    # testpaths, as ``python -m pytest`` run there does; else the folder given.
    args = ["--rootdir", root, "-p", "no:cacheprovider", "-p", "no:pastebin"]
    if arg != ".":
        args.append(os.path.join(root, arg))
    saved = sys.stdout
    code: object = None
    try:
        with open(os.devnull, "w") as sink:
            sys.stdout = sink
            try:
                code = pytest.main(args, plugins=[plugin, _wrappers(plugin)])
            finally:
                sys.stdout = saved
    except SystemExit as e:
        code = e.code
    # 0 passed, 1 failed, 2 interrupted (collection errors), 5 no tests: all reported.
    if int(code) in (3, 4):  # type: ignore[call-overload]
        reporter.send({"event": "collect_error", "file": ".", "line": None,
                       "message": f"pytest could not run the tests (exit code {int(code)}: "
                                  f"{'internal error' if int(code) == 3 else 'usage error'})",
                       "traceback": []})
    reporter.done()
    return 0
