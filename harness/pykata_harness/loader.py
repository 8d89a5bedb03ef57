"""Loading the learner's file as a module, and describing exceptions to the learner.

``load_submission`` turns every way a file can fail to load (empty, binary, not UTF-8, a
syntax error, an exception at import, a missing name) into one ``load_error`` message of
docs/protocol.md. ``describe_exception`` and ``learner_frames`` give the type, message and
traceback frames of an exception, keeping only the frames in the learner's own files; the
other modes of the harness use them too.
"""
import builtins
import importlib.machinery
import importlib.util
import io
import linecache
import os
import sys
import tokenize
from builtins import BaseException, all, dict, int, isinstance, len, list, str, type
from types import ModuleType, TracebackType
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .serialize import wire_text

Frame = Dict[str, Any]

MESSAGE_LIMIT = 2000
FRAME_LIMIT = 50
# The module name the exercise runner gives a cases file: exception classes defined there
# are named without a module prefix, as builtins are.
CASES_MODULE = "pykata_cases"

_BUILTINS = dict(builtins.__dict__)
_exc_info = sys.exc_info
_getline = linecache.getline
_qualname = type.__dict__["__qualname__"].__get__
_type_module = type.__dict__["__module__"].__get__
_base_str = BaseException.__str__
_sources: Dict[str, List[str]] = {}  # see remember_source


class Loaded(NamedTuple):
    """The outcome of loading a submission: the module, or the ``load_error`` message."""

    module: Optional[ModuleType]
    files: Dict[str, str]  # code file name -> name shown to the learner (see learner_frames)
    error: Optional[Dict[str, Any]]


def learner_frames(tb: Optional[TracebackType], files: Mapping[str, str],
                   limit: int = FRAME_LIMIT) -> List[Frame]:
    """The FRAMEs of traceback ``tb`` that run code from one of ``files``, outermost first.

    ``files`` maps a code object's file name (what was passed to ``compile``) to the path
    shown to the learner. A frame repeated more than three times in a row (deep recursion)
    is dropped, and only the innermost ``limit`` frames are kept.
    """
    frames: List[Frame] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        shown = files.get(code.co_filename)
        if shown is not None:
            line = tb.tb_lineno
            if type(line) is not int or line < 0:
                line = 0
            frame = {"file": shown, "line": line, "function": code.co_name,
                     "text": _source_line(code.co_filename, line)}
            if not (len(frames) >= 3 and all(_same_place(f, frame) for f in frames[-3:])):
                frames.append(frame)
        tb = tb.tb_next
    return frames[-limit:]


def remember_source(filename: str, source: str) -> None:
    """Keep the text of a file compiled as ``filename``, for the ``text`` of its frames:
    learner code can change the file on disk or break ``linecache`` later."""
    _sources[filename] = _python_lines(source)


def _python_lines(source: str) -> List[str]:
    """The lines of ``source`` as Python numbers them (str.splitlines() also splits at form
    feeds and other separators, which would shift the numbers)."""
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _source_line(filename: str, line: int) -> str:
    lines = _sources.get(filename)
    if lines is not None:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
    else:
        try:  # linecache's internals are looked up at call time: learner code may break them
            text = _getline(filename, line) if line else ""
        except BaseException:
            return ""
    return wire_text(text.strip(), MESSAGE_LIMIT) if type(text) is str else ""


def _same_place(a: Frame, b: Frame) -> bool:
    return a["file"] == b["file"] and a["line"] == b["line"] and a["function"] == b["function"]


def exception_type_name(cls: type) -> str:
    """The name a raised type is reported and compared by: ``ValueError`` for a genuine
    builtin or a class of the cases file, ``module.QualName`` for any other class (so a
    learner's own class called ``ValueError`` is not taken for the builtin)."""
    name = _qualname(cls)
    module = _type_module(cls)
    if type(name) is not str:
        name = "?"
    if type(module) is not str:
        module = "?"
    if (module == "builtins" and _BUILTINS.get(name) is cls) or module == CASES_MODULE:
        return name
    return module + "." + name


def exception_message(exc: BaseException) -> str:
    """``str(exc)``, guarded: a learner's ``__str__`` may raise or return a non-string."""
    try:
        text = str(exc)
        if type(text) is not str:
            raise TypeError("__str__ returned a non-string")
    except BaseException:
        try:
            text = _base_str(exc)
        except BaseException:
            text = "<the exception's message could not be read>"
    return wire_text(text, MESSAGE_LIMIT)


def describe_exception(exc: BaseException, tb: Optional[TracebackType],
                       files: Mapping[str, str]) -> Dict[str, Any]:
    """``{"type", "message", "traceback"}`` for an exception, frames in ``files`` only."""
    return {"type": exception_type_name(type(exc)), "message": exception_message(exc),
            "traceback": learner_frames(tb, files)}


def describe_current_exception(files: Mapping[str, str]) -> Dict[str, Any]:
    """``describe_exception`` of the exception being handled (call it in an ``except``)."""
    _, exc, tb = _exc_info()
    return describe_exception(exc, tb, files)


def load_submission(path: str, module_name: str, required: Sequence[str]) -> Loaded:
    """Load the file at ``path`` as module ``module_name`` (registered in ``sys.modules``)
    and check that it defines every name in ``required``."""
    shown = os.path.basename(path)
    code_name = os.path.abspath(path)
    files = {code_name: shown}

    def failed(kind: str, message: str, **known: Any) -> Loaded:
        error: Dict[str, Any] = {"event": "load_error", "kind": kind,
                                 "message": wire_text(message, MESSAGE_LIMIT), "file": shown}
        error.update({k: v for k, v in known.items() if v is not None})
        return Loaded(None, files, error)

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as e:
        return failed("import", f"{shown} could not be read: {e.strerror}")
    if not data.strip():
        return failed("empty", f"{shown} is empty: write your solution in it.")
    if b"\0" in data:
        return failed("binary", f"{shown} is not Python source: it is a binary file "
                                "(it contains NUL bytes).")
    source, bad = _decode(data, shown)
    if bad is not None:
        return failed("encoding", bad[0], line=bad[1])

    remember_source(code_name, source)
    try:
        code = compile(source, code_name, "exec", dont_inherit=True)
    except SyntaxError as e:
        return failed("syntax", _syntax_message(e, shown), **_syntax_place(e, source))
    except (RecursionError, MemoryError, ValueError, OverflowError) as e:
        return failed("syntax", f"{shown} could not be compiled: {exception_message(e)}")

    spec = importlib.util.spec_from_file_location(
        module_name, code_name, loader=importlib.machinery.SourceFileLoader(module_name, code_name))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.modules.pop(module_name, None)
        info = describe_current_exception(files)
        where = info["traceback"][-1] if info["traceback"] else {}
        return failed("import", f"{shown} raised {info['type']} while it was being loaded: "
                                f"{info['message']}",
                      line=where.get("line"), text=where.get("text"),
                      traceback=info["traceback"])

    namespace = ModuleType.__dict__["__dict__"].__get__(module)
    missing = [name for name in required if name not in namespace]
    if missing:
        message = f"{shown} does not define {_join(missing)}"
        lookalikes = [have for name in missing for have in namespace
                      if type(have) is str and have != name and have.lower() == name.lower()]
        if lookalikes:
            message += f" (it defines {_join(lookalikes)}: names are case-sensitive)"
        return failed("missing", message + ".")
    return Loaded(module, files, None)


def _decode(data: bytes, shown: str) -> Tuple[str, Optional[Tuple[str, Optional[int]]]]:
    """The source text, or ("", (message, line)) when it cannot be decoded."""
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        return data.decode(encoding), None
    except (SyntaxError, UnicodeDecodeError, LookupError) as e:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            return "", (f"{shown} is not UTF-8 text: line {line} holds a byte (0x"
                        f"{data[bad.start]:02x}) that UTF-8 does not allow. Save the file "
                        "as UTF-8.", line)
        return "", (f"{shown} cannot be decoded: {exception_message(e)}", None)


def _syntax_message(e: SyntaxError, shown: str) -> str:
    what = "an indentation error" if isinstance(e, IndentationError) else "a syntax error"
    where = f" on line {e.lineno}" if type(e.lineno) is int else ""
    return f"{shown} has {what}{where}: {e.msg}"


def _syntax_place(e: SyntaxError, source: str) -> Dict[str, Any]:
    line = e.lineno if type(e.lineno) is int else None
    text = e.text
    if type(text) is not str and line is not None:
        lines = _python_lines(source)
        text = lines[line - 1] if 0 < line <= len(lines) else None
    if type(text) is str:
        text = wire_text(text.rstrip("\r\n"), MESSAGE_LIMIT)
    return {"line": line, "column": e.offset if type(e.offset) is int else None, "text": text}


def _join(names: List[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]
