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


def _prepare(root: str) -> None:
    sys.dont_write_bytecode = True
    os.chdir(root)
    if root not in sys.path:
        sys.path.insert(0, root)


def run_folder(args: argparse.Namespace, channel: Channel) -> int:
    """Run folder mode; returns the harness's exit code (0: the grader reads the messages)."""
    root = os.path.realpath(args.dir)
    reporter = Reporter(channel, root)
    if not os.path.isdir(root):
        reporter.collect_error(".", NotADirectoryError(f"{args.dir} is not a folder"))
        reporter.done()
        return 0
    available = pytest_importable()
    _prepare(root)
    if args.pytest == "real":
        if not available:
            reporter.needs_pytest(None, "pytest is not installed for this Python", False)
            reporter.done()
            return 0
        from .real_pytest import run_real

        return run_real(root, reporter, max(args.start, 0))
    return run_shim(root, reporter, available, max(args.start, 0))


def run_shim(root: str, reporter: Reporter, available: bool, start: int = 0) -> int:
    """The built-in runner. ``start``: the index of the first item to run (``--from``: the
    grader restarts a run after the item a limit stopped); the modules skipped at import were
    reported by the first run, so a later one leaves them out."""
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

    shim = pytest_shim.install()
    refuse_internals = sys.meta_path[0]
    patch_unittest()
    try:
        config = config_module.load(root)
    except NeedsPytest as e:
        reporter.needs_pytest(_config_file(root), e.feature, available)
        reporter.done()
        return 0
    for path in reversed(config.pythonpath):
        sys.path.insert(0, path)
    finder = rewrite.install(root, config.python_files)
    builtins = builtin_defs()
    session = SessionNode(root)
    collector = Collector(session, builtins, config)
    capture = Capture()
    STATE.capture, STATE.root, STATE.report = capture, root, reporter
    runner = Runner(reporter, capture, FixtureEngine(builtins), config.xfail_strict,
                    config_module.subtests_quiet(config))
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
    entries = list(discovery.walk(root, config.python_files, norecurse, config.testpaths))
    finder.preload([os.path.join(e.path, "conftest.py") for e in entries if e.kind == "dir"]
                   + [os.path.join(folder, "conftest.py") for folder in eager]
                   + [e.path for e in entries if e.kind == "file"])

    # Guard the runner's world from here on (guard.py), then take the harness out of
    # sys.modules.
    guard = Guard()
    runner.guard = guard
    guard.snapshot(shim, pytest_shim.LAZY, unittest, [
        (reporter, "the reporter", ("count",)), (reporter.channel, "the results channel", ()),
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
            raise _Needs(discovery.relative(root, conftest), e.feature) from None
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
                if entry.kind == "dir":
                    load_conftest(entry.path)
                    continue
                rel = discovery.relative(root, entry.path)
                guard.phase = f"while {rel} was imported"
                found = None
                try:
                    module = import_path(entry.path)
                    found = collector.collect_module(entry.path, rel, module)
                    capture.take()
                except NeedsPytest as e:
                    raise _Needs(rel, e.feature) from None
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
        except _Needs as e:
            reporter.needs_pytest(e.file, e.feature, available)
            reporter.done()
            return 0
        guard.phase = "after the tests were collected"
        for error in errors:
            reporter.collect_error(error["file"], error["exc"], error["output"],
                                   error.get("message"))
        for rel, reason, output in (skipped if start == 0 else []):
            with guard.critical():
                status, reason, outcomes = fail_closed(guard, "skip", reason, ["skipped"])
                reporter.test(rel, rel, 0, rel, status, reason, None, [], output, [],
                              outcomes)
        if not errors:
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
