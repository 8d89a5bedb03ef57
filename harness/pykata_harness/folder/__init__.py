"""Folder mode: run a plain folder of unittest/pytest-style tests (docs/protocol.md).

``run_folder`` picks the runner from ``--pytest``:

- ``shim`` and ``auto``: the built-in runner, with ``pytest_shim`` as the ``pytest`` module.
  When the tests need a pytest feature it lacks, it sends ``needs_pytest`` (saying whether
  the real pytest is importable) and ``done``, and stops: under ``auto`` the grader then
  reruns the folder, in a fresh copy, with ``--pytest real``.
- ``real``: the real pytest, in this process, with a plugin that sends the same messages
  (real_pytest.py).

Either way the working directory becomes the folder and the folder goes first on
``sys.path``, as with ``python -m pytest`` run inside it; bytecode is never written.

Modules: discovery (files, module names), rewrite + assertrt (assertion rewriting),
strict (equality that does not trust user types against builtins), pytest_shim with marks,
fixtures, builtin_fixtures, monkeypatch, raises, approx; unittest_support; collect, runner,
capture, report; guard (the built-in runner's defences against the code it runs, see
docs/protocol.md, "Guarding the built-in runner"); real_pytest.
"""
import argparse
import os
import shutil
import sys
import unittest
from typing import Any, Dict, List, Optional, Tuple

from ..channel import Channel
from .outcomes import Skipped
from .report import Reporter, pytest_importable


def _prepare(root: str, env: List[str]) -> None:
    sys.dont_write_bytecode = True
    os.chdir(root)
    if root not in sys.path:
        sys.path.insert(0, root)
    for pair in env:
        name, _, value = pair.partition("=")
        os.environ[name] = value
        if name == "PYTHONPATH":
            # read by Python at start-up only: its folders go right after the rootdir,
            # where ``python -m pytest`` has them (relative ones are in the rootdir's copy)
            entries = [os.path.normpath(os.path.join(root, p))
                       for p in value.split(os.pathsep) if p]
            os.environ[name] = os.pathsep.join(entries)
            for i, entry in enumerate(entries):
                sys.path.insert(1 + i, entry)


def run_folder(args: argparse.Namespace, channel: Channel) -> int:
    """Run folder mode; returns the harness's exit code (0: the grader reads the messages)."""
    root = os.path.realpath(args.dir)
    reporter = Reporter(channel, root)
    if not os.path.isdir(root):
        reporter.collect_error(".", NotADirectoryError(f"{args.dir} is not a folder"))
        reporter.done()
        return 0
    available = pytest_importable()
    _prepare(root, list(getattr(args, "env", None) or []))
    arg = os.path.normpath(getattr(args, "arg", None) or ".")
    if arg.startswith("..") or os.path.isabs(arg) or not os.path.exists(os.path.join(root, arg)):
        arg = "."
    if args.pytest == "real":
        if not available:
            reporter.needs_pytest(None, "pytest is not installed for this Python", False)
            reporter.done()
            return 0
        from .real_pytest import run_real

        return run_real(root, reporter, arg, max(args.start, 0))
    return run_shim(root, reporter, available, arg, max(args.start, 0))


def run_shim(root: str, reporter: Reporter, available: bool, arg: str = ".",
             start: int = 0) -> int:
    """The built-in runner. ``arg``: the folder to collect, relative to the rootdir.
    ``start``: the index of the first item to run (``--from``: the grader restarts a run
    after the item a limit stopped); the modules skipped at import were reported by the
    first run, so a later one leaves them out."""
    from . import assertrt, discovery, pytest_shim, rewrite, strict
    from .builtin_fixtures import builtin_defs
    from .capture import Capture
    from .collect import CollectError, Collector, ImportMismatch, import_path
    from .fixtures import FixtureEngine
    from .guard import Guard
    from .nodes import SessionNode
    from .outcomes import NeedsPytest
    from .runner import Runner, fail_closed
    from .state import STATE
    from .unittest_support import patch_unittest

    from . import config as config_module

    from . import doctests, hooks, marks, pytest_config, warnfilters
    from . import select as selection

    shim = pytest_shim.install()
    refuse_internals = sys.meta_path[0]
    patch_unittest()
    config = config_module.load(root)
    from .hooks import Session, call_hook  # noqa: F401  (for _modify_items, once hidden)

    if config.errors:
        # pytest itself refuses to run such a folder
        for text in config.errors:
            reporter.collect_error(config.file or ".", ValueError(text), "", text)
        reporter.done()
        return 0
    if arg != ".":
        config.testpaths = [arg]  # ``pytest tests/``: what is given, not testpaths
    for path in reversed(config.pythonpath):
        sys.path.insert(0, path)
    pytest_config.CONFIG = pytest_config.Config(config)
    if config.strict_markers:
        marks.REGISTRY.names = set(config.markers)
    notices: List[str] = []
    local_names = _local_names(root)
    finder = rewrite.install(root, config.python_files)
    builtins = builtin_defs()
    session = SessionNode(root)
    collector = Collector(session, builtins, config)
    capture = Capture()
    STATE.capture, STATE.root, STATE.report = capture, root, reporter
    collector.pytest_config = pytest_config.CONFIG
    if config.import_mode == "importlib":
        collector.unique_imports = (root, finder)
    runner = Runner(reporter, capture, FixtureEngine(builtins), config.xfail_strict,
                    config_module.subtests_quiet(config))
    runner.rerun = available
    runner.maxfail = config.maxfail
    ini_filters = [f for f in config.filterwarnings if _filter_ok(f, notices)]
    runner.filters = warnfilters.Filters(ini_filters, [])
    items: List[Any] = []
    errors: List[Dict[str, Any]] = []
    skipped: List[Any] = []
    broken_dirs: List[str] = []
    norecurse = config.norecursedirs if config.norecursedirs is not None \
        else discovery.NORECURSE

    # What will be collected, and its source, is read before any code of the folder runs:
    # the code under test cannot add, drop or rewrite a test file on disk before it is
    # collected.
    eager = [folder for anchor in discovery.anchors(root, config.testpaths)
             for folder in discovery.eager_conftest_dirs(root, anchor)]
    doctest_globs = config.doctest_glob or ["test*.txt"]
    patterns = list(config.python_files) + doctest_globs \
        + (["*.py"] if config.doctest_modules else [])
    entries = list(discovery.walk(root, patterns, norecurse, config.testpaths))
    finder.preload([os.path.join(e.path, "conftest.py") for e in entries if e.kind == "dir"]
                   + [os.path.join(folder, "conftest.py") for folder in eager]
                   + [e.path for e in entries if e.kind == "file"
                      and rewrite.is_test_file_name(os.path.basename(e.path),
                                                    config.python_files)])
    doctest_collector = doctests.DoctestCollector(session, collector, config)

    # Guard the runner's world from here on (guard.py), then take the harness out of
    # sys.modules.
    guard = Guard()
    runner.guard = guard
    guard.snapshot(shim, pytest_shim.LAZY, unittest, [
        (reporter, "the reporter", ("count", "failures")), (reporter.channel, "the results channel", ()),
        (runner, "the runner", ("_plugins",)), (runner.engine, "the fixture engine",
                                                 ("plugins_installed",)),
        (STATE, "the runner's state", ("item", "tmp_base")),
        (collector, "the collector", ("_module_marks",)),
        (finder, "pykata's import hook", ("_busy",))], (finder, refuse_internals),
        _class_state())
    guard.watch_loaded(finder.loaded, rewrite.RUNTIME, assertrt)
    guard.install_hook()
    guard.hide()

    def load_conftest(folder: str) -> None:
        conftest = os.path.join(folder, "conftest.py")
        guard.phase = f"while {discovery.relative(root, conftest)} was imported"
        try:
            if not collector.load_conftest(folder):
                return  # no conftest.py (or one already loaded): no code of the folder ran
        except NeedsPytest as e:
            if available:
                raise _Needs(discovery.relative(root, conftest), e.feature) from None
            broken_dirs.append(folder)
            errors.append({"file": discovery.relative(root, conftest), "exc": e,
                           "output": capture.take(), "message": _unsupported(e.feature), "unsupported": True})
        except BaseException as e:
            broken_dirs.append(folder)
            errors.append({"file": discovery.relative(root, conftest), "exc": e,
                           "output": capture.take()})
        guard.check()

    capture.start()
    try:
        try:
            for folder in eager:
                load_conftest(folder)
            for entry in entries:
                if any(entry.path == d or entry.path.startswith(d + os.sep)
                       for d in broken_dirs):
                    continue
                rel = discovery.relative(root, entry.path)
                if (config.ignore or config.ignore_glob) and entry.path != root and \
                        selection.ignored_path(entry.path, root, config.ignore,
                                               config.ignore_glob):
                    broken_dirs.append(entry.path)
                    continue
                if collector.hooks and entry.path != root:
                    guard.phase = f"while the conftest hooks were asked about {rel}"
                    try:
                        leave_out = hooks.ignored(collector.hooks, entry.path,
                                                  pytest_config.CONFIG)
                    except NeedsPytest as e:
                        if available:
                            raise _Needs(rel, e.feature) from None
                        leave_out = False
                    except BaseException as e:
                        errors.append({"file": rel, "exc": e, "output": capture.take()})
                        leave_out = True
                    guard.check()
                    if leave_out:
                        broken_dirs.append(entry.path)
                        continue
                if entry.kind == "dir":
                    load_conftest(entry.path)
                    continue
                guard.phase = f"while {rel} was imported"
                found = None
                name = os.path.basename(entry.path)
                is_test = rewrite.is_test_file_name(name, config.python_files)
                try:
                    if not is_test:
                        if name.endswith(".py"):
                            if name in ("conftest.py", "setup.py", "__main__.py"):
                                continue
                            found = doctest_collector.module_items(
                                entry.path, rel, import_path(entry.path, collector.unique_imports))
                        else:
                            found = doctest_collector.text_items(entry.path, rel)
                        capture.take()
                    elif collector.hooks and hooks.claims(collector.hooks, entry.path,
                                                        pytest_config.CONFIG):
                        raise NeedsPytest("a custom collector (pytest_collect_file)")
                    else:
                        with warnfilters.context(runner.filters, None):
                            module = import_path(entry.path, collector.unique_imports)
                            found = collector.collect_module(entry.path, rel, module)
                        if config.doctest_modules:
                            found = doctest_collector.module_items(entry.path, rel, module) \
                                + found
                        capture.take()
                except NeedsPytest as e:
                    if available:
                        raise _Needs(rel, e.feature) from None
                    errors.append({"file": rel, "exc": e, "output": capture.take(),
                                   "message": _unsupported(e.feature), "unsupported": True})
                except BaseException as e:  # KeyboardInterrupt too: the code's, not ours
                    output = capture.take()
                    if _module_skip(e):
                        skipped.append((rel, _skip_reason(e), output))
                    elif isinstance(e, Skipped):
                        errors.append({"file": rel, "exc": e, "output": output, "message": (
                            "Using pytest.skip outside of a test will skip the entire module. "
                            "If that's your intention, pass `allow_module_level=True`. If you "
                            "want to skip a specific test or an entire class, use the "
                            "@pytest.mark.skip or @pytest.mark.skipif decorators.")})
                    elif isinstance(e, (CollectError, ImportMismatch)):
                        errors.append({"file": rel, "exc": e, "output": output,
                                       "message": str(e)})
                    else:
                        errors.append({"file": rel, "exc": e, "output": output})
                guard.check()
                if found is not None:
                    guard.protect_items(found)
                    items.extend(found)
            if any("pytest_collect_file" in c.hooks for c in collector.hooks):
                # a custom collector: the other files it claims need the real pytest
                seen = {e.path for e in entries}
                guard.phase = "while a pytest_collect_file hook was asked about the files"
                for entry in discovery.walk(root, ["*"], norecurse, config.testpaths):
                    if entry.kind != "file" or entry.path in seen \
                            or entry.path.endswith((".py", ".pyc")):
                        continue
                    rel = discovery.relative(root, entry.path)
                    try:
                        claimed = hooks.claims(collector.hooks, entry.path,
                                               pytest_config.CONFIG)
                    except BaseException:
                        claimed = None
                    if claimed:
                        if available:
                            raise _Needs(rel, "a custom collector (pytest_collect_file)")
                        feature = "a custom collector (pytest_collect_file)"
                        errors.append({"file": rel, "exc": NeedsPytest(feature),
                                       "output": capture.take(),
                                       "message": _unsupported(feature), "unsupported": True})
                guard.check()
        except _Needs as e:
            reporter.needs_pytest(e.file, e.feature, available)
            reporter.done()
            return 0
        guard.phase = "while the conftest hooks changed the collected tests"
        items = _modify_items(collector, items, errors, capture)
        if config.deselect or config.markexpr or config.keyword:
            items = selection.select(items, config.deselect, config.markexpr, config.keyword)
        guard.check()
        guard.phase = "after the tests were collected"
        notices.extend(collector.notices)
        notices.extend(_shadowed(root, local_names))
        if config.ignored or notices:
            reporter.notice(_notice(config, notices))
        for error in errors:
            reporter.collect_error(error["file"], error["exc"], error["output"],
                                   error.get("message"))
        for rel, reason, output in (skipped if start == 0 else []):
            with guard.critical():
                status, reason, outcomes = fail_closed(guard, "skip", reason, ["skipped"])
                reporter.test(rel, rel, 0, rel, status, reason, None, [], output, [],
                              outcomes)
        if not any(not error.get("unsupported") for error in errors):
            runner.run(tuple(items), start)
        guard.phase = "after the last test"
        with guard.critical():
            if guard.check():
                reporter.test(TAMPERING_ID, ".", 0, TAMPERING_ID, "error", TAMPERING_MESSAGE
                              + "\n- ".join([""] + guard.notes[:50]), None, [], "", [],
                              ["error"])
    finally:
        capture.stop()
        _cleanup(STATE.tmp_base)
    reporter.done()
    return 0


def _local_names(root: str) -> List[Tuple[str, str]]:
    """(top-level module name, its path) of the packages and modules of the rootdir and of
    its ``src`` folder: what a test means when it imports them."""
    found = []
    for folder in (root, os.path.join(root, "src")):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".py") and name[:-3].isidentifier() and name != "conftest.py" \
                    and name != "setup.py":
                found.append((name[:-3], path))
            elif name.isidentifier() and os.path.isfile(os.path.join(path, "__init__.py")):
                found.append((name, path))
    return found


def _shadowed(root: str, local: List[Tuple[str, str]]) -> List[str]:
    """The folder's modules that the tests imported from elsewhere (an installed copy)."""
    notes = []
    modules = sys.modules
    for name, path in local:
        module = modules.get(name)
        file = getattr(module, "__file__", None) if module is not None else None
        if type(file) is not str:
            continue
        real = os.path.realpath(file)
        if real == root or real.startswith(root + os.sep):
            continue
        notes.append(f"the tests imported {name} from {file}, not from the graded folder's "
                     f"{os.path.relpath(path, root)} (an installed copy shadows it; pytest's "
                     "pythonpath setting or --env PYTHONPATH=... puts the folder's first)")
    return notes


def _unsupported(feature: str) -> str:
    return (f"{feature} is not supported by pykata's built-in runner: install pytest for this "
            "Python to run the tests of this file")


def _filter_ok(text: str, notices: List[str]) -> bool:
    from .outcomes import Failed
    from .warnfilters import parse

    try:
        parse(text, False)
        return True
    except Failed as e:
        notices.append(f"the warning filter {text!r} ({e.msg})")
        return False


def _modify_items(collector: Any, items: List[Any], errors: List[Dict[str, Any]],
                  capture: Any) -> List[Any]:
    """Run the conftests' ``pytest_collection_modifyitems`` hooks on the collected items."""
    from .hooks import Session, call_hook  # imported before the harness was hidden
    from .outcomes import NeedsPytest

    found = [c for c in collector.hooks if "pytest_collection_modifyitems" in c.hooks]
    if not found:
        return items
    config = collector.pytest_config
    items = list(items)
    for conftest in reversed(found):
        try:
            call_hook(conftest.hooks["pytest_collection_modifyitems"],
                      session=Session(config, items), config=config, items=items)
        except NeedsPytest as e:
            collector.notices.append(f"{e.feature} in pytest_collection_modifyitems")
        except BaseException as e:
            errors.append({"file": "conftest.py", "exc": e, "output": capture.take()})
    return items


def _notice(config: Any, notices: List[str]) -> str:
    lines = []
    if config.ignored:
        lines.append(f"pykata's built-in runner ignores these options of {config.file}, which "
                     "do not change test outcomes or are not supported: "
                     + ", ".join(config.ignored))
    if notices:
        lines.append("pykata's built-in runner ignores: " + "; ".join(notices))
    return "\n".join(lines)


def prepare_zygote() -> None:
    """Run once in the embedded engine's zygote (``main.zygote_warmup``), before any job:
    the default discovery patterns compiled (fnmatch caches them), then, last, the guard's
    record of what is the same for every job (guard.prepare), taken with unittest patched
    as every job patches it (with the same strict methods, made now), then unpatched: the
    zygote's own unittest stays unittest's."""
    import fnmatch

    from .discovery import NORECURSE
    from .guard import prepare
    from .rewrite import TEST_PATTERNS
    from .unittest_support import patch_unittest, unpatch_unittest

    for pattern in TEST_PATTERNS + NORECURSE:
        fnmatch.fnmatch("x", pattern)
    patch_unittest()
    try:
        prepare(unittest, _class_state())
    finally:
        unpatch_unittest()


def _class_state() -> List[Tuple[type, str]]:
    """The runner's class attributes that change as it runs (the guard lets them)."""
    from .strict import Note

    return [(Note, "text")]


TAMPERING_ID = "pykata::tampering"
TAMPERING_MESSAGE = ("pykata detected tampering with its test runner during this run. It put "
                     "back what it found; no test reported after the first of these counts "
                     "as passed, skipped or expected to fail:")


def _config_file(root: str) -> str:
    from . import config as config_module

    try:
        return config_module.read_settings(root)[0] or "."
    except BaseException:
        return "."


class _Needs(Exception):
    def __init__(self, file: Optional[str], feature: str) -> None:
        super().__init__(feature)
        self.file = file
        self.feature = feature


def _module_skip(exc: BaseException) -> bool:
    if isinstance(exc, Skipped):
        return exc.allow_module_level
    return isinstance(exc, unittest.SkipTest)


def _skip_reason(exc: BaseException) -> str:
    if isinstance(exc, Skipped):
        return exc.msg or ""
    return str(exc)


def _cleanup(path: Optional[str]) -> None:
    if path:
        shutil.rmtree(path, ignore_errors=True)
