"""The ``pytest`` module tests see when pytest itself is not used.

It provides what learners' test folders commonly use (see ``NAMES``). Any other attribute
raises ``NeedsPytest`` naming the feature (``pytest.register_assert_rewrite``), which makes
the runner report ``needs_pytest`` and stop; importing ``_pytest`` or a ``pytest.*``
submodule does the same.
"""
import importlib
import importlib.abc
import sys
import types
import warnings
from typing import Any, Optional

from . import approx as _approx
from . import builtin_fixtures as _builtins
from . import fixtures as _fixtures
from . import marks as _marks
from . import monkeypatch as _monkeypatch
from . import raises as _raises
from .guard import harness_import
from .outcomes import Failed, NeedsPytest, Skipped, XFailed

SHIM_VERSION = "0+pykata"


def skip(reason: str = "", *, allow_module_level: bool = False, msg: Optional[str] = None
         ) -> None:
    """``pytest.skip(reason)``."""
    __tracebackhide__ = True
    raise Skipped(msg if msg is not None else reason, allow_module_level=allow_module_level)


def fail(reason: str = "", pytrace: bool = True, msg: Optional[str] = None) -> None:
    """``pytest.fail(reason)``."""
    __tracebackhide__ = True
    raise Failed(msg if msg is not None else reason, pytrace=pytrace)


def xfail(reason: str = "") -> None:
    """``pytest.xfail(reason)``: the test is an expected failure from here."""
    __tracebackhide__ = True
    raise XFailed(reason)


skip.Exception = Skipped  # type: ignore[attr-defined]
fail.Exception = Failed  # type: ignore[attr-defined]
xfail.Exception = XFailed  # type: ignore[attr-defined]


def _version_tuple(text: str) -> tuple:
    parts = []
    for piece in str(text).replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def importorskip(modname: str, minversion: Optional[str] = None,
                 reason: Optional[str] = None, *, exc_type: Any = None) -> Any:
    """``pytest.importorskip``: the module, or skip the test (or the whole module)."""
    __tracebackhide__ = True
    compile(modname, "", "eval")  # a valid dotted name, as pytest checks
    catch = exc_type if exc_type is not None else ModuleNotFoundError
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            module = importlib.import_module(modname)
        except catch as exc:
            if reason is None:
                reason = f"could not import {modname!r}: {exc}"
            raise Skipped(reason, allow_module_level=True) from None
    if minversion is None:
        return module
    version = getattr(module, "__version__", None)
    if version is None or _version_tuple(version) < _version_tuple(minversion):
        raise Skipped(f"module {modname!r} has __version__ {version!r}, required is: "
                      f"{minversion!r}", allow_module_level=True)
    return module


NAMES = {
    "approx": _approx.approx,
    "raises": _raises.raises,
    "warns": _raises.warns,
    "deprecated_call": _raises.deprecated_call,
    "mark": _marks.MarkGenerator(),
    "param": _marks.param,
    "fixture": _fixtures.fixture,
    "skip": skip,
    "fail": fail,
    "xfail": xfail,
    "importorskip": importorskip,
    "MonkeyPatch": _monkeypatch.MonkeyPatch,
    "CaptureFixture": _builtins.CaptureFixture,
    "TempPathFactory": _builtins.TempPathFactory,
    "FixtureRequest": _fixtures.FixtureRequest,
    "ExceptionInfo": _raises.ExceptionInfo,
    "WarningsRecorder": _raises.WarningsRecorder,
    "Mark": _marks.Mark,
    "MarkDecorator": _marks.MarkDecorator,
    "MarkGenerator": _marks.MarkGenerator,
    "Subtests": _builtins.Subtests,
}


LAZY = {"LogCaptureFixture": "logcapture"}  # name -> module of this package


class ShimModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name in LAZY:
            value = getattr(harness_import(LAZY[name]), name)
            setattr(self, name, value)
            return value
        if name.startswith("__") and name != "__version__":
            raise AttributeError(name)
        raise NeedsPytest(f"pytest.{name}")

    def __dir__(self) -> list:
        return sorted(set(NAMES) | set(LAZY))


def make_module() -> ShimModule:
    from .shim_extra import names

    module = ShimModule("pytest", "pykata's stand-in for pytest (see pykata's docs)")
    module.__dict__.update(names())
    module.__dict__.update(NAMES)
    module.__file__ = __file__
    module.__all__ = sorted(set(NAMES) | set(LAZY))
    return module


class _RefusePytestInternals(importlib.abc.MetaPathFinder):
    """``import _pytest...`` or ``import pytest.something`` needs the real pytest."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname == "_pytest" or fullname.startswith("_pytest.") \
                or fullname.startswith("pytest."):
            raise NeedsPytest(f"import {fullname}")
        return None


def install() -> ShimModule:
    """Put the shim in ``sys.modules['pytest']`` (before any test module is imported)."""
    module = make_module()
    sys.modules["pytest"] = module
    sys.meta_path.insert(0, _RefusePytestInternals())
    return module
