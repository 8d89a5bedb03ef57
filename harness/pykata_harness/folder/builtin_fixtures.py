"""The built-in fixtures of the pytest shim: tmp_path, tmpdir, capsys, monkeypatch, caplog,
pytestconfig, cache, doctest_namespace, ...

Fixtures that pytest has but this shim does not (pytester, testdir, ...) raise
``NeedsPytest`` when a test requests them: that test errors, naming the fixture.
"""
import contextlib
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, NamedTuple, Optional

from .capture import OutputBuffer
from .fixtures import FixtureDef, fixture
from .guard import harness_import
from .localpath import LocalPath
from .monkeypatch import MonkeyPatch
from .outcomes import NeedsPytest, Skipped, XFailed
from .raises import WarningsRecorder
from .saferepr import saferepr
from .state import STATE

_BIG = 16 * 1024 * 1024


class TempPathFactory:
    """``tmp_path_factory``: numbered folders in a private temporary folder."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self) -> None:
        self._counters: Dict[str, int] = {}

    def getbasetemp(self) -> Path:
        if STATE.tmp_base is None:
            STATE.tmp_base = tempfile.mkdtemp(prefix="pykata-tmp-")
        return Path(STATE.tmp_base)

    def mktemp(self, basename: str, numbered: bool = True) -> Path:
        basename = os.path.normpath(basename)
        if os.path.isabs(basename) or basename.startswith(".."):
            raise ValueError(f"{basename} is not a normalized and relative path")
        base = self.getbasetemp()
        if not numbered:
            path = base / basename
            path.mkdir()
            return path
        while True:
            number = self._counters.get(basename, 0)
            self._counters[basename] = number + 1
            path = base / f"{basename}{number}"
            try:
                path.mkdir()
                return path
            except FileExistsError:
                continue


@fixture(scope="session")
def tmp_path_factory() -> TempPathFactory:
    return TempPathFactory()


@fixture
def tmp_path(request: Any, tmp_path_factory: TempPathFactory) -> Path:
    name = re.sub(r"[\W]", "_", request.node.name)[:30]
    return tmp_path_factory.mktemp(name, numbered=True)


class TempdirFactory:
    """``tmpdir_factory``: ``tmp_path_factory`` with ``py.path``-style paths."""

    def __init__(self, factory: TempPathFactory) -> None:
        self._factory = factory

    def mktemp(self, basename: str, numbered: bool = True) -> Any:
        return LocalPath(self._factory.mktemp(basename, numbered))

    def getbasetemp(self) -> Any:
        return LocalPath(self._factory.getbasetemp())


@fixture(scope="session")
def tmpdir_factory(tmp_path_factory: TempPathFactory) -> TempdirFactory:
    return TempdirFactory(tmp_path_factory)


@fixture
def tmpdir(tmp_path: Path) -> Any:
    return LocalPath(tmp_path)


@fixture(scope="session")
def pytestconfig() -> Any:
    return harness_import("pytest_config").current()


@fixture
def cache(pytestconfig: Any) -> Any:
    return pytestconfig.cache


@fixture(scope="session")
def doctest_namespace(pytestconfig: Any) -> Dict[str, Any]:
    return pytestconfig.doctest_namespace


@fixture
def record_property() -> Any:
    return lambda name, value: None


@fixture
def record_xml_attribute() -> Any:
    return lambda name, value: None


@fixture(scope="session")
def record_testsuite_property() -> Any:
    return lambda name, value: None


class CaptureResult(NamedTuple):
    out: Any
    err: Any


class _FdCapture:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.tmp = tempfile.TemporaryFile(mode="w+b")
        self.saved = os.dup(fd)
        os.dup2(self.tmp.fileno(), fd)

    def read(self) -> str:
        self.tmp.seek(0)
        data = self.tmp.read()
        self.tmp.seek(0)
        self.tmp.truncate()
        return data.decode("utf-8", "replace")

    def close(self) -> None:
        os.dup2(self.saved, self.fd)
        os.close(self.saved)
        self.tmp.close()


class CaptureFixture:
    """``capsys``/``capfd``: ``readouterr()`` returns and forgets what was printed."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self, fd: bool = False, binary: bool = False) -> None:
        self._fd = fd
        self._binary = binary
        self._out = OutputBuffer(_BIG)
        self._err = OutputBuffer(_BIG)
        self._fds: List[_FdCapture] = []

    def _start(self) -> None:
        STATE.capture.push(self._out, self._err)
        if self._fd:
            self._fds = [_FdCapture(1), _FdCapture(2)]

    def _close(self) -> None:
        out, err = self._read()
        for capture in self._fds:
            capture.close()
        self._fds = []
        STATE.capture.pop()
        STATE.capture.test.write(out + err)

    def _read(self) -> "tuple[str, str]":
        out, err = self._out.take(), self._err.take()
        if self._fds:
            out += self._fds[0].read()
            err += self._fds[1].read()
        return out, err

    def readouterr(self) -> CaptureResult:
        out, err = self._read()
        if self._binary:
            return CaptureResult(out.encode("utf-8"), err.encode("utf-8"))
        return CaptureResult(out, err)

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        test = STATE.capture.test
        STATE.capture.push(test, test)
        try:
            yield
        finally:
            STATE.capture.pop()


def _capture_fixture(fd: bool, binary: bool) -> Iterator[CaptureFixture]:
    active = getattr(STATE.item, "_capture_fixture", None)
    if active is not None:
        raise NeedsPytest("two capture fixtures (capsys and capfd) in one test")
    capture = CaptureFixture(fd=fd, binary=binary)
    capture._start()
    STATE.item._capture_fixture = capture
    try:
        yield capture
    finally:
        STATE.item._capture_fixture = None
        capture._close()


@fixture
def capsys() -> Iterator[CaptureFixture]:
    yield from _capture_fixture(False, False)


@fixture
def capsysbinary() -> Iterator[CaptureFixture]:
    yield from _capture_fixture(False, True)


@fixture
def capfd() -> Iterator[CaptureFixture]:
    yield from _capture_fixture(True, False)


@fixture
def capfdbinary() -> Iterator[CaptureFixture]:
    yield from _capture_fixture(True, True)


@fixture
def monkeypatch() -> Iterator[MonkeyPatch]:
    patch = MonkeyPatch()
    yield patch
    patch.undo()


@fixture
def recwarn() -> Iterator[WarningsRecorder]:
    recorder = WarningsRecorder()
    with recorder:
        yield recorder


@fixture
def caplog() -> Iterator[Any]:
    capture = harness_import("logcapture").LogCaptureFixture()
    capture._start()
    try:
        yield capture
    finally:
        capture._finalize()


def subtest_description(msg: Any, kwargs: Dict[str, Any]) -> str:
    """pytest's name of a subtest: ``[msg] (i=3, name='x')``."""
    parts = []
    if msg is not None:
        parts.append(f"[{msg}]")
    if kwargs:
        parts.append("(" + ", ".join(f"{k}={saferepr(v)}" for k, v in kwargs.items()) + ")")
    return " ".join(parts) or "(<subtest>)"


class _SubTestContext:
    def __init__(self, item: Any, msg: Any, kwargs: Dict[str, Any]) -> None:
        self.item = item
        self.msg = msg
        self.kwargs = kwargs

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        name = subtest_description(self.msg, self.kwargs)
        if exc is None and exc_type is not None:
            exc = exc_type()
        if exc is None:
            self.item.subtests.append({"name": name, "status": "pass", "message": ""})
            return False
        if isinstance(exc, (NeedsPytest, KeyboardInterrupt, SystemExit)):
            return False
        ut = sys.modules.get("unittest")
        if isinstance(exc, Skipped) or (ut is not None and isinstance(exc, ut.SkipTest)):
            record = {"name": name, "status": "skip", "message": str(exc)}
        elif isinstance(exc, XFailed):
            record = {"name": name, "status": "xfail", "message": str(exc)}
        else:
            record = {"name": name, "status": "fail"}
            record.update(STATE.report.failure_info(exc, tb))
        self.item.subtests.append(record)
        return True


class Subtests:
    """``subtests`` (pytest 9): ``with subtests.test(msg, **params): ...``."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self, item: Any) -> None:
        self._item = item

    def test(self, msg: Optional[str] = None, **kwargs: Any) -> _SubTestContext:
        return _SubTestContext(self._item, msg, kwargs)


@fixture
def subtests() -> Subtests:
    STATE.item._fixture_subtests = True
    return Subtests(STATE.item)


def _needs(name: str) -> Any:
    def needs_pytest() -> None:
        raise NeedsPytest(f"the {name} fixture")
    needs_pytest.__name__ = name
    return fixture(needs_pytest)


_UNSUPPORTED = ("testdir", "pytester", "capteesys", "monkeypatch_session")


# The built-in fixtures and their arguments, read once (at import: in the embedded engine's
# zygote) rather than by every run.
_BUILTINS = tuple(
    (ff, tuple(FixtureDef.from_function(ff).argnames))
    for ff in (tmp_path_factory, tmp_path, capsys, capsysbinary, capfd, capfdbinary,
               monkeypatch, recwarn, caplog, subtests, tmpdir_factory, tmpdir, pytestconfig,
               cache, doctest_namespace, record_property, record_xml_attribute,
               record_testsuite_property, *map(_needs, _UNSUPPORTED)))


def builtin_defs() -> Dict[str, FixtureDef]:
    found = {}
    for ff, argnames in _BUILTINS:
        fdef = FixtureDef.from_function(ff, argnames=argnames)
        found[fdef.name] = fdef
    return found
