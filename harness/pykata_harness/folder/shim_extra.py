"""More of the ``pytest`` module for the built-in runner: pytest's warning classes, the
hook decorators, ``version_tuple``, ``exit``, and stand-ins for the node classes that a
conftest.py may subclass or name in annotations (``pytest.File``, ``pytest.Item``,
``pytest.Config``...). A custom collector made from them is found through its
``pytest_collect_file`` hook (hooks.py): its files need the real pytest."""
from typing import Any, Dict

from .outcomes import NeedsPytest


class PytestWarning(UserWarning):
    pass


class PytestAssertRewriteWarning(PytestWarning):
    pass


class PytestCacheWarning(PytestWarning):
    pass


class PytestConfigWarning(PytestWarning):
    pass


class PytestCollectionWarning(PytestWarning):
    pass


class PytestDeprecationWarning(PytestWarning, DeprecationWarning):
    pass


class PytestRemovedIn9Warning(PytestDeprecationWarning):
    pass


class PytestRemovedIn10Warning(PytestDeprecationWarning):
    pass


class PytestExperimentalApiWarning(PytestWarning, FutureWarning):
    pass


class PytestReturnNotNoneWarning(PytestWarning):
    pass


class PytestUnhandledCoroutineWarning(PytestReturnNotNoneWarning):
    pass


class PytestUnknownMarkWarning(PytestWarning):
    pass


class PytestUnraisableExceptionWarning(PytestWarning):
    pass


class PytestUnhandledThreadExceptionWarning(PytestWarning):
    pass


class PytestFDWarning(PytestWarning):
    pass


class UsageError(Exception):
    pass


class Exit(BaseException):
    def __init__(self, msg: str = "unknown reason", returncode: Any = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.returncode = returncode


def exit(reason: str = "", returncode: Any = None) -> None:  # noqa: A001
    raise Exit(reason, returncode)


exit.Exception = Exit  # type: ignore[attr-defined]


def hookimpl(function: Any = None, **options: Any) -> Any:
    """``@pytest.hookimpl(...)``: the hook is called as any other."""
    if function is not None and callable(function) and not options:
        return function
    return lambda fn: fn


hookspec = hookimpl


def register_assert_rewrite(*names: str) -> None:
    """Helper modules' asserts keep Python's messages here: nothing to do."""


def freeze_includes() -> list:
    return []


class _Node:
    """Stand-in for pytest's node classes: subclassing works; making one needs pytest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise NeedsPytest(f"a custom pytest.{type(self).__name__} collector")

    @classmethod
    def from_parent(cls, parent: Any, **kwargs: Any) -> Any:
        return _Claimed(cls)


class _Claimed:
    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __bool__(self) -> bool:
        return True


def _node(name: str) -> type:
    return type(name, (_Node,), {"__module__": "pytest"})


class StashKey:
    __class_getitem__ = classmethod(lambda cls, item: cls)


class Stash(dict):
    pass


def _annotation(name: str) -> type:
    return type(name, (), {"__module__": "pytest",
                           "__class_getitem__": classmethod(lambda cls, item: cls)})


def names() -> Dict[str, Any]:
    found: Dict[str, Any] = {}
    for cls in (PytestWarning, PytestAssertRewriteWarning, PytestCacheWarning,
                PytestConfigWarning, PytestCollectionWarning, PytestDeprecationWarning,
                PytestRemovedIn9Warning, PytestRemovedIn10Warning,
                PytestExperimentalApiWarning, PytestReturnNotNoneWarning,
                PytestUnhandledCoroutineWarning, PytestUnknownMarkWarning,
                PytestUnraisableExceptionWarning, PytestUnhandledThreadExceptionWarning,
                PytestFDWarning, UsageError, StashKey, Stash):
        found[cls.__name__] = cls
    for name in ("Item", "File", "Collector", "Module", "Class", "Function", "Package",
                 "Session", "Dir", "Directory"):
        found[name] = _node(name)
    from .pytest_config import Config, Parser

    found["Config"] = Config
    found["Parser"] = Parser
    for name in ("Metafunc", "TempdirFactory", "Cache", "PytestPluginManager",
                 "OptionGroup", "CallInfo", "TestReport", "CollectReport", "RecordedHookCall",
                 "Pytester", "Testdir", "HookRecorder", "LineMatcher", "RunResult",
                 "FixtureDef", "WarningsRecorder", "DoctestItem", "ExitCode"):
        found[name] = _annotation(name)
    found.update({"hookimpl": hookimpl, "hookspec": hookspec, "exit": exit,
                  "register_assert_rewrite": register_assert_rewrite,
                  "freeze_includes": freeze_includes, "version_tuple": (9, 2, 0),
                  "__version__": "9.2.0"})
    return found

