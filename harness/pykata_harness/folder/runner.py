"""Running collected items and deciding their status the way pytest 9 does.

Each item goes through setup (skip/xfail marks, a fresh class instance, fixtures), call (the
test function, or the TestCase run by unittest itself) and teardown (finalizers of the nodes
the next item does not share). Status:

- setup raised: ``skip`` (pytest.skip, unittest.SkipTest, skip marks), ``xfail``
  (pytest.xfail, xfail mark whose ``raises`` matches), otherwise ``error``;
- call: ``pass``; ``xpass`` when an xfail mark expected a failure (``fail`` with
  "[XPASS(strict)]" when ``strict=True``); ``skip``; ``xfail`` (pytest.xfail, or a failure
  the xfail mark expected); otherwise ``fail``;
- a teardown failure turns ``pass``/``skip``/``xfail``/``xpass`` into ``error``
  (pytest's summary counts such a test twice: once by its call, once as an error).

Unlike pytest, a ``KeyboardInterrupt`` (or ``SystemExit``) raised while a test runs is that
test's failure (or error), never a reason to stop: the code under test could otherwise end
the run after the tests it passes. Before each result is sent the guard (guard.py) checks
the runner's world; once it found tampering, no result is sent as passed, skipped, xfailed
or xpassed (``fail_closed``).
"""
import inspect
import os
import platform
import sys
import unittest
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ..serialize import wire_text
from .capture import Capture
from .fixtures import FixtureEngine, FixtureLookupError
from .marks import Mark
from .nodes import Item, SetupState
from .outcomes import Failed, Interrupted, NeedsPytest, Skipped, XFailed
from .report import PYTEST_CATEGORY, Reporter, plugins_installed, pytest_importable
from .state import STATE
from .unittest_support import run_testcase
from .warnfilters import context as warn_context

# Statuses that count in the learner's favour (or hide a failure): never sent once the
# guard found tampering.
TRUSTED_ONLY = ("pass", "skip", "xfail", "xpass")
TAMPERED = ("not counted: pykata detected tampering with its test runner during this run "
            "(see the test 'pykata::tampering')")

ASYNC_MESSAGE = ("async def functions are not natively supported.\n"
                 "You need to install a suitable plugin for your async framework, for example:\n"
                 "  - anyio\n  - pytest-asyncio\n  - pytest-tornasync\n  - pytest-trio\n"
                 "  - pytest-twisted")


class Unsupported(Exception):
    """A test needs a pytest feature the built-in runner lacks (and pytest is not installed):
    the test errors with this message."""

    _pykata_plain = True

    def __init__(self, feature: str) -> None:
        super().__init__(f"{feature} is not supported by pykata's built-in runner: install "
                         "pytest for this Python to run this test")


class XfailInfo(NamedTuple):
    reason: str
    run: bool
    strict: bool
    raises: Any


class _NoConfig:
    def __getattr__(self, name: str) -> Any:
        raise NeedsPytest("config in a skipif/xfail condition")


def _condition(item: Item, mark: Mark, condition: Any) -> Tuple[bool, str]:
    if isinstance(condition, str):
        namespace: Dict[str, Any] = {"os": os, "sys": sys, "platform": platform,
                                     "config": _NoConfig()}
        namespace.update(getattr(inspect.unwrap(item.function), "__globals__", {}) or {})
        try:
            code = compile(condition, f"<{mark.name} condition>", "eval")
            result = bool(eval(code, namespace))
        except NeedsPytest:
            raise
        except Exception as e:
            raise Failed(f"Error evaluating {mark.name!r} condition\n    {condition}\n"
                         f"{type(e).__name__}: {e}", pytrace=False) from None
    else:
        try:
            result = bool(condition)
        except Exception as e:
            raise Failed(f"Error evaluating {mark.name!r} condition as a boolean\n"
                         f"{type(e).__name__}: {e}", pytrace=False) from None
    reason = mark.kwargs.get("reason", None)
    if reason is None:
        if isinstance(condition, str):
            reason = "condition: " + condition
        else:
            raise Failed(f"Error evaluating {mark.name!r}: you need to specify reason=STRING "
                         "when using booleans as conditions.", pytrace=False)
    return result, str(reason)


def evaluate_skips(item: Item) -> None:
    for mark in item.iter_markers("skipif"):
        conditions = mark.args if "condition" not in mark.kwargs \
            else (mark.kwargs["condition"],)
        if not conditions:
            raise Skipped(str(mark.kwargs.get("reason", "")))
        for condition in conditions:
            result, reason = _condition(item, mark, condition)
            if result:
                raise Skipped(reason)
    for mark in item.iter_markers("skip"):
        if mark.args:
            reason = mark.args[0]
        else:
            reason = mark.kwargs.get("reason", "unconditional skip")
        raise Skipped(str(reason))


def evaluate_xfail(item: Item, strict_default: bool = False) -> Optional[XfailInfo]:
    for mark in item.iter_markers("xfail"):
        run = mark.kwargs.get("run", True)
        strict = mark.kwargs.get("strict", strict_default)
        raises = mark.kwargs.get("raises", None)
        conditions = mark.args if "condition" not in mark.kwargs \
            else (mark.kwargs["condition"],)
        if not conditions:
            return XfailInfo(str(mark.kwargs.get("reason", "")), run, strict, raises)
        for condition in conditions:
            result, reason = _condition(item, mark, condition)
            if result:
                return XfailInfo(reason, run, strict, raises)
    return None


def _is_skip(exc: BaseException) -> bool:
    return isinstance(exc, (Skipped, unittest.SkipTest))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, Skipped):
        return exc.msg or ""
    return str(exc)


class Outcome:
    def __init__(self, status: str, message: str = "", exc: Optional[BaseException] = None
                 ) -> None:
        self.status = status
        self.message = message
        self.exc = exc
        self.teardown: Optional[BaseException] = None  # unittest: a second problem


def fail_closed(guard: Any, status: str, message: str, outcomes: List[str]
                ) -> Tuple[str, str, List[str]]:
    """Check the runner's world (guard.py); once tampering was found, a result that would
    count in the learner's favour is sent as an error instead."""
    if guard is not None and guard.check() and status in TRUSTED_ONLY:
        own = f"{status}: {wire_text(message)}" if message else status
        return "error", f"{TAMPERED}; its own result was {own}", ["error"]
    return status, message, outcomes


class Runner:
    def __init__(self, reporter: Reporter, capture: Capture, engine: FixtureEngine,
                 xfail_strict: bool = False, subtests_quiet: bool = True,
                 guard: Any = None) -> None:
        self.xfail_strict = xfail_strict
        self.subtests_quiet = subtests_quiet
        self.reporter = reporter
        self.capture = capture
        self.engine = engine
        self.guard = guard
        self._stop = Interrupted()  # the one Interrupted that stops the run (_needs)
        self._plugins: Optional[bool] = None
        self.rerun = True  # needs_pytest stops the run (the real pytest reruns it)
        self.maxfail = 0  # -x / --maxfail: stop after this many failures and errors
        self.filters: Any = None  # warnfilters.Filters

    def plugins(self) -> bool:
        if self._plugins is None:
            self._plugins = plugins_installed()
        return self._plugins

    def run(self, items: Tuple[Item, ...], start: int = 0) -> None:
        """Run the items from index ``start`` on, each announced by a ``begin`` message:
        the first one's sent with ``collected``, each later one's with the result before it
        (stops only after a ``needs_pytest``: ``Interrupted``)."""
        guard = self.guard  # kept here: this frame outlives any change to the runner
        stop = self._stop
        state = SetupState()
        reporter = self.reporter
        if start < len(items):
            reporter.begin(start, items[start].nodeid,
                           reporter.collected_message([item.nodeid for item in items]))
        else:
            reporter.collected([item.nodeid for item in items])
        for index in range(start, len(items)):
            item = items[index]
            nextitem = items[index + 1] if index + 1 < len(items) else None
            then = reporter.begin_message(index + 1, nextitem.nodeid) \
                if nextitem is not None else None
            try:
                with warn_context(self.filters, item):
                    self.run_item(item, nextitem, state, guard, then)
            except Interrupted as e:
                if e is not stop:
                    raise  # not the runner's own: the run ends without its record
                return
            if self.maxfail and self.reporter.failures >= self.maxfail:
                return

    def _needs(self, item: Item, exc: NeedsPytest) -> BaseException:
        """With the real pytest to rerun the folder: report and stop. Without: the test
        errors, naming the feature (the other tests still run)."""
        if not self.rerun:
            return Unsupported(exc.feature)
        self.reporter.needs_pytest(item.rel, exc.feature, pytest_importable())
        raise self._stop

    def run_item(self, item: Item, nextitem: Optional[Item], state: SetupState,
                 guard: Any = None, then: Optional[Dict[str, Any]] = None) -> None:
        """Run one item and send its result (with ``then``, the next item's ``begin``,
        in the same write)."""
        if guard is not None:
            guard.phase = f"while {item.nodeid} ran"
            guard.check_item(item)
        STATE.item = item
        self.capture.reset()
        self.capture.install()
        setup_exc: Optional[BaseException] = None
        xfail: Optional[XfailInfo] = None
        outcome: Optional[Outcome] = None
        try:
            state.prepare(item)
            evaluate_skips(item)
            xfail = evaluate_xfail(item, self.xfail_strict)
            if xfail is not None and not xfail.run:
                raise XFailed("[NOTRUN] " + xfail.reason)
            self.setup(item)
        except NeedsPytest as e:
            setup_exc = self._needs(item, e)
        except FixtureLookupError as e:
            setup_exc = e
            e._pykata_plain = True  # type: ignore[attr-defined]
        except BaseException as e:
            setup_exc = e
        if setup_exc is None:
            try:
                if xfail is None:
                    xfail = evaluate_xfail(item, self.xfail_strict)
                outcome = self.call(item, xfail)
            except NeedsPytest as e:
                outcome = Outcome("error", "", self._needs(item, e))
        errors = [self._needs(item, error) if isinstance(error, NeedsPytest) else error
                  for error in state.teardown_exact(nextitem)]
        self.capture.install()
        output = self.capture.take()
        if setup_exc is not None:
            outcome = self.setup_outcome(setup_exc, xfail)
        assert outcome is not None
        info: Dict[str, Any] = {"message": outcome.message, "compare": None, "traceback": []}
        if outcome.exc is not None and outcome.status in ("fail", "error"):
            info = self.reporter.failure_info(outcome.exc)
            if getattr(outcome.exc, "_pykata_plain", False):
                info["message"] = str(outcome.exc)
            if outcome.message:
                info["message"] = outcome.message
        own = outcome.status
        if outcome.teardown is not None:
            errors = [outcome.teardown] + errors
        status = own
        teardown_error = None
        if errors:
            teardown_error = self.reporter.failure_info(errors[0])
            teardown_error.pop("compare", None)
            if status in ("pass", "skip", "xfail", "xpass"):
                status = "error"
                info = dict(teardown_error, compare=None)
                info["message"] = "error in teardown: " + info["message"]
        subtests = item.subtests
        failed = sum(1 for s in subtests if s["status"] == "fail")
        if failed:
            if getattr(item, "_fixture_subtests", False) and own == "pass":
                own = "fail"  # pytest 9: the test "contains N failed subtests"
            if status in ("pass", "skip", "xpass"):
                status = "fail"
                if not info["message"]:
                    info["message"] = f"{failed} subtest{'s' if failed > 1 else ''} failed"
        outcomes = [PYTEST_CATEGORY[own]]
        # pytest 9 counts failed subtests, and skipped and xfailed ones when not at
        # verbosity 0 (passed ones go to "subtests passed", not counted here); the test
        # itself counts by its own outcome.
        counted = ("fail",) if self.subtests_quiet else ("fail", "skip", "xfail")
        outcomes += [PYTEST_CATEGORY[s["status"]] for s in subtests if s["status"] in counted]
        if errors:
            outcomes.append("error")
        nodeid, rel, line, short_name = item.nodeid, item.rel, item.line, item.short_name
        message, compare, traceback = info["message"], info["compare"], info["traceback"]
        with _critical(guard):
            status, message, outcomes = fail_closed(guard, status, message, outcomes)
            if self.maxfail and status in ("fail", "error") \
                    and self.reporter.failures + 1 >= self.maxfail:
                then = None  # -x / --maxfail: the run stops here, no next test begins
            self.reporter.test(nodeid, rel, line, short_name, status, message, compare,
                               traceback, output, subtests, outcomes, teardown_error, then)
        item.funcargs.clear()  # let the test's objects go, as pytest does
        item.instance = None
        item.subtests = []

    def setup(self, item: Item) -> None:
        if item.cls is not None:
            if item.kind == "unittest":
                item.instance = item.cls(item.originalname)
            else:
                item.instance = item.cls()
        for name in item.fixturenames:
            if name in item.funcargs:
                continue
            value, _ = self.engine.get(item, name, None, "function")
            item.funcargs[name] = value

    def setup_outcome(self, exc: BaseException, xfail: Optional[XfailInfo]) -> Outcome:
        if _is_skip(exc):
            return Outcome("skip", _reason(exc))
        if isinstance(exc, XFailed):
            return Outcome("xfail", exc.msg or "")
        if xfail is not None and (xfail.raises is None or isinstance(exc, xfail.raises)):
            return Outcome("xfail", xfail.reason)
        return Outcome("error", "", exc)

    def call_failed(self, exc: BaseException, xfail: Optional[XfailInfo]) -> Outcome:
        if _is_skip(exc):
            return Outcome("skip", _reason(exc))
        if isinstance(exc, XFailed):
            return Outcome("xfail", exc.msg or "")
        if xfail is not None and (xfail.raises is None or isinstance(exc, xfail.raises)):
            return Outcome("xfail", xfail.reason)
        return Outcome("fail", "", exc)

    def call_passed(self, xfail: Optional[XfailInfo]) -> Outcome:
        if xfail is not None:
            if xfail.strict:
                return Outcome("fail", "[XPASS(strict)] " + xfail.reason)
            return Outcome("xpass", xfail.reason)
        return Outcome("pass")

    def call(self, item: Item, xfail: Optional[XfailInfo]) -> Outcome:
        if item.kind == "unittest":
            return self.call_unittest(item, xfail)
        if item.instance is not None:
            target = getattr(item.instance, item.originalname)
        else:
            target = item.function
        try:
            if inspect.iscoroutinefunction(inspect.unwrap(target)) \
                    or inspect.isasyncgenfunction(inspect.unwrap(target)):
                if self.plugins():
                    raise NeedsPytest("async test functions")
                raise Failed(ASYNC_MESSAGE, pytrace=False)
            kwargs = {name: item.funcargs[name] for name in item.argnames
                      if name in item.funcargs}
            result = target(**kwargs)
            if hasattr(result, "__await__") or hasattr(result, "__aiter__"):
                if hasattr(result, "close"):
                    try:
                        result.close()
                    except Exception:
                        pass
                raise Failed(ASYNC_MESSAGE, pytrace=False)
        except NeedsPytest:
            raise
        except BaseException as e:  # KeyboardInterrupt and SystemExit included
            return self.call_failed(e, xfail)
        return self.call_passed(xfail)

    def call_unittest(self, item: Item, xfail: Optional[XfailInfo]) -> Outcome:
        result = run_testcase(item.instance, self.reporter)
        item.subtests.extend(result.subtests)
        for kind, value in result.problems:
            if kind == "error" and isinstance(value[0], NeedsPytest):
                raise value[0]
        if not result.problems:
            return self.call_passed(xfail)
        outcome = self._unittest_outcome(result.problems[0], xfail)
        if len(result.problems) > 1 and result.problems[1][0] == "error":
            outcome.teardown = result.problems[1][1][0]
        return outcome

    def _unittest_outcome(self, problem: Tuple[str, Any], xfail: Optional[XfailInfo]
                          ) -> Outcome:
        kind, value = problem
        if kind == "error":
            return self.call_failed(value[0], xfail)
        if kind == "skip":
            return Outcome("skip", value)
        if kind == "xfail":
            return Outcome("xfail", value)
        return self.call_failed(Failed("Unexpected success", pytrace=False), None)


class _NoGuard:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def _critical(guard: Any) -> Any:
    return guard.critical() if guard is not None else _NoGuard()
