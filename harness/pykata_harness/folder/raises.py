"""``pytest.raises``, ``pytest.warns``, ``pytest.deprecated_call`` and their result objects."""
import re
import warnings
from typing import Any, Callable, List, Optional, Tuple, Type, Union

from .outcomes import Failed, NeedsPytest

ExpectedType = Union[Type[BaseException], Tuple[Type[BaseException], ...]]


def _check_types(expected: Any, what: str = "exception") -> None:
    items = expected if isinstance(expected, tuple) else (expected,)
    if not items:
        raise ValueError(f"Expected an {what} type or a tuple of {what} types, but got "
                         f"{expected!r}.")
    base = BaseException if what == "exception" else Warning
    for item in items:
        if not (isinstance(item, type) and issubclass(item, base)):
            raise TypeError(f"expected {what} must be a {base.__name__} type, not "
                            f"{type(item).__name__}")


def _text_of(exc: BaseException) -> str:
    text = str(exc)
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list) and notes:
        text = "\n".join([text] + [str(n) for n in notes])
    return text


def _match(pattern: Any, text: str) -> None:
    if re.search(pattern, text) is None:
        shown = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
        extra = "\n Did you mean to `re.escape()` the regex?" if shown == text else ""
        raise AssertionError(f"Regex pattern did not match.\n  Expected regex: {shown!r}\n"
                             f"  Actual message: {text!r}{extra}")


class ExceptionInfo:
    """What ``pytest.raises`` caught: ``value``, ``type``, ``tb``, ``match()``."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self) -> None:
        self._value: Optional[BaseException] = None

    def _fill(self, value: BaseException) -> None:
        self._value = value

    def _get(self) -> BaseException:
        if self._value is None:
            raise AssertionError(".value can only be used after the context manager exits")
        return self._value

    @property
    def value(self) -> BaseException:
        return self._get()

    @property
    def type(self) -> Type[BaseException]:
        return type(self._get())

    @property
    def typename(self) -> str:
        return type(self._get()).__name__

    @property
    def tb(self) -> Any:
        return self._get().__traceback__

    def exconly(self, tryshort: bool = False) -> str:
        value = self._get()
        text = str(value)
        return f"{type(value).__name__}: {text}" if text else type(value).__name__

    def errisinstance(self, exc: ExpectedType) -> bool:
        return isinstance(self._get(), exc)

    def match(self, regexp: Any) -> bool:
        _match(regexp, _text_of(self._get()))
        return True

    def group_contains(self, *args: Any, **kwargs: Any) -> bool:
        raise NeedsPytest("ExceptionInfo.group_contains")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NeedsPytest(f"ExceptionInfo.{name}")

    def __repr__(self) -> str:
        if self._value is None:
            return "<ExceptionInfo for raises contextmanager>"
        return f"<ExceptionInfo {self.exconly()!r} tblen=?>"


class RaisesContext:
    def __init__(self, expected: ExpectedType, match: Any, check: Any) -> None:
        self.expected = expected
        self.match_expr = match
        self.check = check
        self.excinfo = ExceptionInfo()

    def __enter__(self) -> ExceptionInfo:
        return self.excinfo

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        __tracebackhide__ = True
        if exc_type is None:
            raise Failed(f"DID NOT RAISE {_describe(self.expected)}")
        if exc is None:
            exc = exc_type()
        if not isinstance(exc, self.expected):
            return False
        self.excinfo._fill(exc.with_traceback(tb) if tb is not None else exc)
        if self.match_expr is not None:
            _match(self.match_expr, _text_of(exc))
        if self.check is not None and not self.check(exc):
            return False
        return True


def _describe(expected: ExpectedType) -> str:
    if isinstance(expected, tuple):
        return "any of (" + ", ".join(repr(e) for e in expected) + ")" if len(expected) > 1 \
            else repr(expected[0])
    return repr(expected)


def raises(expected_exception: Any = None, *args: Any, match: Any = None, check: Any = None,
           **kwargs: Any) -> Any:
    """``pytest.raises(Exc[, match=])`` as a context manager, or ``raises(Exc, f, *a)``."""
    __tracebackhide__ = True
    if expected_exception is None:
        raise NeedsPytest("pytest.raises() without an exception type")
    _check_types(expected_exception)
    if not args:
        if kwargs:
            raise TypeError(f"Unexpected keyword arguments passed to pytest.raises: "
                            f"{', '.join(sorted(kwargs))}")
        return RaisesContext(expected_exception, match, check)
    func = args[0]
    if not callable(func):
        raise TypeError(f"{func!r} object (type: {type(func)}) must be callable")
    context = RaisesContext(expected_exception, match, check)
    with context:
        func(*args[1:], **kwargs)
    return context.excinfo


class WarningsRecorder(warnings.catch_warnings):
    """A list of the warnings recorded while active (``recwarn``, ``pytest.warns``)."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self) -> None:
        super().__init__(record=True)
        self._list: List[warnings.WarningMessage] = []
        self._entered = False

    @property
    def list(self) -> List[warnings.WarningMessage]:
        return self._list

    def __getitem__(self, i: int) -> warnings.WarningMessage:
        return self._list[i]

    def __iter__(self) -> Any:
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    def pop(self, cls: Type[Warning] = Warning) -> warnings.WarningMessage:
        best = None
        for i, w in enumerate(self._list):
            if w.category == cls:
                return self._list.pop(i)
            if issubclass(w.category, cls) and (best is None or not issubclass(
                    w.category, self._list[best].category)):
                best = i
        if best is not None:
            return self._list.pop(best)
        raise AssertionError(f"{cls!r} not found in warning list")

    def clear(self) -> None:
        self._list[:] = []

    def __enter__(self) -> "WarningsRecorder":  # type: ignore[override]
        recorded = super().__enter__()
        assert recorded is not None
        self._list = recorded
        self._entered = True
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)


class WarningsChecker(WarningsRecorder):
    def __init__(self, expected: Any, match: Any) -> None:
        super().__init__()
        _check_types(expected, "warning")
        self.expected = expected
        self.match_expr = match

    def _matches(self, w: warnings.WarningMessage) -> bool:
        return issubclass(w.category, self.expected) and (
            self.match_expr is None or re.search(self.match_expr, str(w.message)) is not None)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:  # type: ignore[override]
        __tracebackhide__ = True
        super().__exit__(exc_type, exc, tb)
        if exc_type is not None:
            return
        if not any(issubclass(w.category, self.expected) for w in self):
            raise Failed(f"DID NOT WARN. No warnings of type {_describe(self.expected)} were "
                         f"emitted.\n Emitted warnings: {[w.message for w in self]}.")
        if not any(self._matches(w) for w in self):
            raise Failed(f"DID NOT WARN. No warnings of type {_describe(self.expected)} "
                         f"matching the regex were emitted.\n Regex: {self.match_expr}\n "
                         f"Emitted warnings: {[w.message for w in self]}.")
        for w in self:
            if not self._matches(w):
                warnings.warn_explicit(message=w.message, category=w.category,
                                       filename=w.filename, lineno=w.lineno,
                                       module=w.__module__, source=w.source)


def warns(expected_warning: Any = Warning, *args: Any, match: Any = None,
          **kwargs: Any) -> Any:
    """``pytest.warns(Warning[, match=])`` as a context manager, or ``warns(W, f, *a)``."""
    __tracebackhide__ = True
    if not args:
        if kwargs:
            raise TypeError(f"Unexpected keyword arguments passed to pytest.warns: "
                            f"{', '.join(sorted(kwargs))}")
        return WarningsChecker(expected_warning, match)
    func: Callable[..., Any] = args[0]
    if not callable(func):
        raise TypeError(f"{func!r} object (type: {type(func)}) must be callable")
    with WarningsChecker(expected_warning, match):
        return func(*args[1:], **kwargs)


def deprecated_call(*args: Any, **kwargs: Any) -> Any:
    """``pytest.deprecated_call()``."""
    __tracebackhide__ = True
    if args:
        return warns((DeprecationWarning, PendingDeprecationWarning, FutureWarning), *args,
                     **kwargs)
    return warns((DeprecationWarning, PendingDeprecationWarning, FutureWarning), **kwargs)
