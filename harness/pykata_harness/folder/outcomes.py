"""The exceptions the built-in runner and its pytest shim use to end a test early.

They derive from ``BaseException`` (as pytest's do), so a test's ``except Exception`` does not
swallow them.
"""
from typing import Optional


class OutcomeException(BaseException):
    """Base of the outcomes: ``msg`` is the reason shown to the learner."""

    def __init__(self, msg: Optional[str] = None, pytrace: bool = True) -> None:
        if msg is not None and not isinstance(msg, str):
            raise TypeError(f"{type(self).__name__} expected string as 'msg' parameter, "
                            f"got {type(msg).__name__!r} instead.")
        super().__init__(msg)
        self.msg = msg
        self.pytrace = pytrace

    def __repr__(self) -> str:
        return self.msg if self.msg is not None else f"<{type(self).__name__} instance>"

    __str__ = __repr__


class Skipped(OutcomeException):
    """``pytest.skip()``: the test (or, with ``allow_module_level``, the module) is skipped."""

    def __init__(self, msg: Optional[str] = None, pytrace: bool = True,
                 allow_module_level: bool = False) -> None:
        super().__init__(msg, pytrace)
        self.allow_module_level = allow_module_level


class Failed(OutcomeException):
    """``pytest.fail()``: the test fails with this message."""


class XFailed(Failed):
    """``pytest.xfail()``: the test is an expected failure."""


class NeedsPytest(BaseException):
    """A test used a pytest feature the built-in runner does not provide."""

    def __init__(self, feature: str) -> None:
        super().__init__(feature)
        self.feature = feature

    def __str__(self) -> str:
        return (f"{self.feature} is not available without pytest: install pytest to run "
                "these tests")


class Interrupted(BaseException):
    """The run must stop (a needs_pytest situation was reported)."""
