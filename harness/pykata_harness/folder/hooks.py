"""The conftest.py hooks the built-in runner honours, and how it calls them.

- ``pytest_addoption(parser)`` (options keep their defaults) and ``pytest_configure(config)``
  run when the conftest.py is imported;
- ``pytest_ignore_collect(collection_path, path, config)`` and the ``collect_ignore`` /
  ``collect_ignore_glob`` lists are asked before each file and folder below the conftest;
- ``pytest_generate_tests(metafunc)`` (in a conftest.py, a test module or a test class)
  parametrizes each test function;
- ``pytest_collection_modifyitems(session, config, items)`` may reorder or drop items;
- ``pytest_runtest_setup(item)`` and ``pytest_runtest_teardown(item, nextitem)`` run around
  each test below the conftest (as the first autouse fixture);
- ``pytest_collect_file(file_path, parent)``: a custom collector. pykata asks it about each
  file; the files it claims need the real pytest (they error, alone, when it is not
  installed).

Hooks that only report (``pytest_report_header``, ``pytest_terminal_summary``, ...) are
ignored; any other hook is ignored with a notice naming it.
"""
import fnmatch
import glob
import inspect
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from .fixtures import FixtureDef
from .localpath import LocalPath
from .marks import Mark

REPORTING = {"pytest_report_header", "pytest_terminal_summary", "pytest_report_teststatus",
             "pytest_report_collectionfinish", "pytest_assertrepr_compare",
             "pytest_runtest_logreport", "pytest_runtest_logstart", "pytest_runtest_logfinish",
             "pytest_sessionstart", "pytest_sessionfinish", "pytest_unconfigure",
             "pytest_collection_finish", "pytest_itemcollected", "pytest_collectreport",
             "pytest_deselected", "pytest_warning_recorded", "pytest_keyboard_interrupt",
             "pytest_internalerror", "pytest_enter_pdb", "pytest_leave_pdb",
             "pytest_exception_interact", "pytest_load_initial_conftests",
             "pytest_plugin_registered", "pytest_cmdline_main", "pytest_cmdline_parse",
             "pytest_cmdline_preparse", "pytest_addhooks", "pytest_fixture_post_finalizer",
             "pytest_fixture_setup", "pytest_make_collect_report"}
HANDLED = {"pytest_addoption", "pytest_configure", "pytest_ignore_collect",
           "pytest_generate_tests", "pytest_collection_modifyitems", "pytest_runtest_setup",
           "pytest_runtest_teardown", "pytest_collect_file"}


def call_hook(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a hook with the arguments it names (pytest's hooks take any subset)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn(**kwargs)
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return fn(**kwargs)
    return fn(**{name: kwargs[name] for name in params if name in kwargs})


class Conftest:
    """One loaded conftest.py: its folder and the hooks it defines."""

    def __init__(self, folder: str, module: Any) -> None:
        self.folder = os.path.realpath(folder)
        self.module = module
        self.hooks: Dict[str, Callable[..., Any]] = {}
        for name, value in list(module.__dict__.items()):
            if name.startswith("pytest_") and callable(value):
                self.hooks[name] = value

    def covers(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.folder or real.startswith(self.folder + os.sep)


class Session:
    """The ``session`` a hook gets."""

    def __init__(self, config: Any, items: List[Any]) -> None:
        self.config = config
        self.items = items
        self.path = config.rootpath
        self.startpath = config.rootpath
        self.testsfailed = 0
        self.testscollected = len(items)
        self.shouldstop = False
        self.shouldfail = False


class Definition:
    """``metafunc.definition``: the function's marks."""

    def __init__(self, name: str, marks: List[Mark], func: Any) -> None:
        self.name = name
        self.own_markers = marks
        self.obj = func
        self.function = func

    def iter_markers(self, name: Optional[str] = None) -> List[Mark]:
        return [m for m in self.own_markers if name is None or m.name == name]

    def get_closest_marker(self, name: str, default: Any = None) -> Any:
        found = self.iter_markers(name)
        return found[0] if found else default


class Metafunc:
    """``pytest_generate_tests``'s argument: ``parametrize`` makes parametrize marks."""

    def __init__(self, function: Any, fixturenames: List[str], cls: Any, module: Any,
                 config: Any, marks: List[Mark], name: str) -> None:
        self.function = function
        self.fixturenames = fixturenames
        self.cls = cls
        self.module = module
        self.config = config
        self.definition = Definition(name, marks, function)
        self.made: List[Mark] = []

    def parametrize(self, argnames: Any, argvalues: Any, indirect: Any = False, ids: Any = None,
                    scope: Any = None, **kwargs: Any) -> None:
        self.made.append(Mark("parametrize", (argnames, list(argvalues)),
                              {"indirect": indirect, "ids": ids}))


def ignored(conftests: List[Conftest], path: str, config: Any) -> bool:
    """Do the conftests above ``path`` ask to leave it out of the collection?"""
    is_dir = os.path.isdir(path)
    for conftest in conftests:
        if not conftest.covers(os.path.dirname(path)):
            continue
        names = conftest.module.__dict__.get("collect_ignore") or []
        try:
            for name in names:
                if os.path.realpath(os.path.join(conftest.folder, os.fspath(name))) \
                        == os.path.realpath(path):
                    return True
            for pattern in conftest.module.__dict__.get("collect_ignore_glob") or []:
                full = os.path.join(conftest.folder, os.fspath(pattern))
                if fnmatch.fnmatch(path, full) or path in glob.glob(full):
                    return True
        except TypeError:
            pass
        hook = conftest.hooks.get("pytest_ignore_collect")
        if hook is not None:
            answer = call_hook(hook, collection_path=Path(path), path=LocalPath(path),
                               config=config)
            if answer:
                return True
    del is_dir
    return False


class CustomCollector(Exception):
    pass


class _Parent:
    """The ``parent`` a ``pytest_collect_file`` hook gets."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.session = self


def claims(conftests: List[Conftest], path: str, config: Any) -> Optional[str]:
    """The conftest whose ``pytest_collect_file`` makes a collector for ``path``."""
    for conftest in conftests:
        hook = conftest.hooks.get("pytest_collect_file")
        if hook is None or not conftest.covers(os.path.dirname(path)):
            continue
        try:
            found = call_hook(hook, file_path=Path(path), path=LocalPath(path),
                              parent=_Parent(config))
        except BaseException:
            found = True
        if found:
            return conftest.folder
    return None


def runtest_fixture(conftest: Conftest) -> Optional[FixtureDef]:
    """An autouse fixture that runs the conftest's runtest setup/teardown hooks."""
    setup = conftest.hooks.get("pytest_runtest_setup")
    teardown = conftest.hooks.get("pytest_runtest_teardown")
    if setup is None and teardown is None:
        return None

    def pykata_runtest_hooks(request: Any) -> Any:
        item = request._item
        if setup is not None:
            call_hook(setup, item=item)
        yield
        if teardown is not None:
            call_hook(teardown, item=item, nextitem=None)

    return FixtureDef(f"_pykata_runtest_hooks_{id(conftest)}", pykata_runtest_hooks,
                      "function", autouse=True)


def unhandled(conftest: Conftest) -> List[str]:
    return [name for name in conftest.hooks if name not in HANDLED and name not in REPORTING]


def param_marks(hooks: List[Tuple[str, Callable[..., Any]]], metafunc: Metafunc) -> List[Mark]:
    for _, hook in hooks:
        call_hook(hook, metafunc=metafunc)
    return metafunc.made
