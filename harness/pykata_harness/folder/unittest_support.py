"""unittest support: strict ``assertEqual``, running a TestCase method, its class fixtures.

Outcomes follow pytest 9 (``_pytest/unittest.py``): the whole ``setUp``/test/``tearDown``
sequence is the test's call, so a failing ``setUp`` or ``tearDown`` makes the test *failed*;
``setUpClass`` runs as a class-scoped fixture, so its failure is an *error* of every test of
the class; ``skipTest`` and ``@skip`` are skips, ``@expectedFailure`` gives *xfailed* or, when
the test passes, *failed* ("Unexpected success"). Each ``subTest`` is reported in
``subtests``; the test's own status (``own_status``) does not include them, its overall
``status`` does.
"""
import functools
import unittest
from typing import Any, Callable, Dict, List, Optional, Tuple

from .builtin_fixtures import subtest_description
from .fixtures import FixtureDef
from .outcomes import Failed
from .saferepr import longrepr
from .strict import Note, strict_eq

_PATCHED = "_pykata_strict"


def _compare(first: Any, second: Any, op: str) -> Dict[str, str]:
    return {"op": op, "left": longrepr(first), "right": longrepr(second)}


def _strict_equal(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def assert_equal(self: Any, first: Any, second: Any, *args: Any, **kwargs: Any) -> None:
        __tracebackhide__ = True
        try:
            original(self, first, second, *args, **kwargs)
        except self.failureException as e:
            e._pykata_compare = _compare(first, second, "==")  # type: ignore[attr-defined]
            raise
        if not strict_eq(first, second):
            note = Note.text or "the values are not equal"
            msg = args[0] if args else kwargs.get("msg")
            text = f"{longrepr(first)[:200]} != {longrepr(second)[:200]} (pykata: {note})"
            if msg is not None:
                text += f" : {msg}"
            error = self.failureException(text)
            error._pykata_compare = _compare(first, second, "==")  # type: ignore[attr-defined]
            raise error
    setattr(assert_equal, _PATCHED, True)
    return assert_equal


def _strict_not_equal(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def assert_not_equal(self: Any, first: Any, second: Any, *args: Any, **kwargs: Any) -> None:
        __tracebackhide__ = True
        if not strict_eq(first, second) and Note.text:
            return  # an untrusted type against a builtin: never equal
        try:
            original(self, first, second, *args, **kwargs)
        except self.failureException as e:
            e._pykata_compare = _compare(first, second, "!=")  # type: ignore[attr-defined]
            raise
    setattr(assert_not_equal, _PATCHED, True)
    return assert_not_equal


EQUALITY = ("assertEqual", "assertEquals", "failUnlessEqual", "assertListEqual",
            "assertTupleEqual", "assertDictEqual", "assertSetEqual", "assertSequenceEqual",
            "assertMultiLineEqual")
INEQUALITY = ("assertNotEqual", "assertNotEquals", "failIfEqual")


# The strict methods, made once per process for the methods they replace (in the embedded
# engine's zygote: once for every job): name -> (unittest's method, pykata's).
_MADE: Dict[str, Tuple[Any, Any]] = {}


def patch_unittest() -> None:
    """Make unittest's equality assertions strict (see strict.py); idempotent."""
    case = unittest.TestCase
    for names, make in ((EQUALITY, _strict_equal), (INEQUALITY, _strict_not_equal)):
        for name in names:
            original = case.__dict__.get(name)
            if original is None or getattr(original, _PATCHED, False):
                continue
            made = _MADE.get(name)
            if made is None or made[0] is not original:
                made = _MADE[name] = (original, make(original))
            setattr(case, name, made[1])


def unpatch_unittest() -> None:
    """Put unittest's own methods back (the zygote patches unittest only while the guard
    records it as every job will see it: folder.prepare_zygote)."""
    case = unittest.TestCase
    for name, (original, strict) in _MADE.items():
        if case.__dict__.get(name) is strict:
            setattr(case, name, original)


class UnitResult:
    """The ``result`` a TestCase reports to; records what pytest 9 would report."""

    failfast = False
    shouldStop = False
    buffer = False
    tb_locals = False

    def __init__(self, reporter: Any) -> None:
        self.reporter = reporter
        # The test's own outcomes in order, as pytest collects them: the first is the
        # outcome of the test's call, a second one is reported by pytest as its teardown.
        self.problems: List[Tuple[str, Any]] = []
        self.subtests: List[Dict[str, Any]] = []

    def startTest(self, test: Any) -> None:
        pass

    def stopTest(self, test: Any) -> None:
        pass

    def startTestRun(self) -> None:
        pass

    def stopTestRun(self) -> None:
        pass

    def addDuration(self, test: Any, elapsed: float) -> None:
        pass

    def addSuccess(self, test: Any) -> None:
        pass

    def _exc(self, err: Any) -> Tuple[BaseException, Any]:
        exc_type, exc, tb = err
        if exc is None:
            exc = exc_type()
        return exc, tb

    def addError(self, test: Any, err: Any) -> None:
        self.problems.append(("error", self._exc(err)))

    addFailure = addError

    def addSkip(self, test: Any, reason: str) -> None:
        if isinstance(test, unittest.case._SubTest):  # type: ignore[attr-defined]
            self.subtests.append({"name": self._subtest_name(test), "status": "skip",
                                  "message": str(reason)})
        else:
            self.problems.append(("skip", str(reason)))

    def addExpectedFailure(self, test: Any, err: Any) -> None:
        self.problems.append(("xfail", ""))

    def addUnexpectedSuccess(self, test: Any) -> None:
        self.problems.append(("unexpected", None))

    def _subtest_name(self, subtest: Any) -> str:
        sentinel = getattr(unittest.case, "_subtest_msg_sentinel", None)
        msg = None if subtest._message is sentinel else str(subtest._message)
        return subtest_description(msg, dict(subtest.params))

    def addSubTest(self, test: Any, subtest: Any, err: Any) -> None:
        name = self._subtest_name(subtest)
        if err is None:
            self.subtests.append({"name": name, "status": "pass", "message": ""})
            return
        exc, tb = self._exc(err)
        record: Dict[str, Any] = {"name": name, "status": "fail"}
        record.update(self.reporter.failure_info(exc, tb))
        self.subtests.append(record)

    def wasSuccessful(self) -> bool:
        return not self.problems


def run_testcase(testcase: Any, reporter: Any) -> UnitResult:
    """Run one test method the way unittest does, into a fresh ``UnitResult``.

    unittest lets ``KeyboardInterrupt`` through (it stops a whole run); raised by the code
    under test it is only this test's error here, and its cleanups still run."""
    result = UnitResult(reporter)
    try:
        testcase.run(result)
    except BaseException as e:
        result.problems.append(("error", (e, e.__traceback__)))
        try:
            testcase.doCleanups()
        except BaseException:
            pass
    return result


def class_fixture(cls: type) -> Optional[FixtureDef]:
    """The class-scoped fixture running setUpClass/tearDownClass (or skipping the class)."""
    if getattr(cls, "__unittest_skip__", False):
        reason = getattr(cls, "__unittest_skip_why__", "")

        def unittest_skip_fixture() -> None:
            raise unittest.SkipTest(reason)
        return FixtureDef(f"_unittest_skip_fixture_{cls.__qualname__}", unittest_skip_fixture,
                          "class", autouse=True)
    setup = getattr(cls, "setUpClass", None)
    teardown = getattr(cls, "tearDownClass", None)
    cleanup = getattr(cls, "doClassCleanups", lambda: None)

    def teardown_errors() -> None:
        infos = getattr(cls, "tearDown_exceptions", None)
        if infos:
            raise infos[0][1]

    def unittest_setup_class_fixture() -> Any:
        if setup is not None:
            try:
                setup()
            except Exception:
                cleanup()
                teardown_errors()
                raise
        yield
        try:
            if teardown is not None:
                teardown()
        finally:
            cleanup()
            teardown_errors()

    return FixtureDef(f"_unittest_setUpClass_fixture_{cls.__qualname__}",
                      unittest_setup_class_fixture, "class", autouse=True)


def unexpected_success() -> Failed:
    return Failed("Unexpected success", pytrace=False)
