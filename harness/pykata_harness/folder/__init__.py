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
capture, report; real_pytest.
"""
import argparse
import os
import sys
from typing import Any, Dict, List, Optional

from ..channel import Channel
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

        return run_real(root, reporter)
    return run_shim(root, reporter, available)


def run_shim(root: str, reporter: Reporter, available: bool) -> int:
    from . import discovery, pytest_shim, rewrite
    from .builtin_fixtures import builtin_defs
    from .capture import Capture
    from .collect import CollectError, Collector, ImportMismatch, import_path
    from .fixtures import FixtureEngine
    from .nodes import SessionNode
    from .outcomes import Interrupted, NeedsPytest, Skipped
    from .runner import Runner
    from .state import STATE

    from . import config as config_module

    pytest_shim.install()
    try:
        config = config_module.load(root)
    except NeedsPytest as e:
        reporter.needs_pytest(_config_file(root), e.feature, available)
        reporter.done()
        return 0
    for path in reversed(config.pythonpath):
        sys.path.insert(0, path)
    rewrite.install(root, config.python_files)
    builtins = builtin_defs()
    session = SessionNode(root)
    collector = Collector(session, builtins, config)
    capture = Capture()
    STATE.capture, STATE.root, STATE.report = capture, root, reporter
    items: List[Any] = []
    errors: List[Dict[str, Any]] = []
    skipped: List[Any] = []
    broken_dirs: List[str] = []
    norecurse = config.norecursedirs if config.norecursedirs is not None \
        else discovery.NORECURSE

    def load_conftest(folder: str) -> None:
        conftest = os.path.join(folder, "conftest.py")
        try:
            collector.load_conftest(folder)
        except NeedsPytest as e:
            raise _Needs(discovery.relative(root, conftest), e.feature) from None
        except KeyboardInterrupt:
            raise
        except BaseException as e:
            broken_dirs.append(folder)
            errors.append({"file": discovery.relative(root, conftest), "exc": e,
                           "output": capture.take()})

    capture.start()
    try:
        try:
            for anchor in discovery.anchors(root, config.testpaths):
                for folder in discovery.eager_conftest_dirs(root, anchor):
                    load_conftest(folder)
            for entry in discovery.walk(root, config.python_files, norecurse,
                                        config.testpaths):
                if any(entry.path == d or entry.path.startswith(d + os.sep)
                       for d in broken_dirs):
                    continue
                if entry.kind == "dir":
                    load_conftest(entry.path)
                    continue
                rel = discovery.relative(root, entry.path)
                try:
                    module = import_path(entry.path)
                    items.extend(collector.collect_module(entry.path, rel, module))
                    capture.take()
                except NeedsPytest as e:
                    raise _Needs(rel, e.feature) from None
                except KeyboardInterrupt:
                    raise
                except BaseException as e:
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
        except _Needs as e:
            reporter.needs_pytest(e.file, e.feature, available)
            reporter.done()
            return 0
        for error in errors:
            reporter.collect_error(error["file"], error["exc"], error["output"],
                                   error.get("message"))
        for rel, reason, output in skipped:
            reporter.test(rel, rel, 0, rel, "skip", reason, None, [], output, [])
        if not errors:
            if "unittest" in sys.modules:
                from .unittest_support import patch_unittest

                patch_unittest()
            runner = Runner(reporter, capture, FixtureEngine(builtins), config.xfail_strict,
                            config_module.subtests_quiet(config))
            try:
                runner.run(items)
            except Interrupted:
                pass
    finally:
        capture.stop()
        _cleanup(STATE.tmp_base)
    reporter.done()
    return 0


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
    from .outcomes import Skipped

    if isinstance(exc, Skipped):
        return exc.allow_module_level
    ut = sys.modules.get("unittest")
    return ut is not None and isinstance(exc, ut.SkipTest)


def _skip_reason(exc: BaseException) -> str:
    from .outcomes import Skipped

    if isinstance(exc, Skipped):
        return exc.msg or ""
    return str(exc)


def _cleanup(path: Optional[str]) -> None:
    if path:
        import shutil

        shutil.rmtree(path, ignore_errors=True)
