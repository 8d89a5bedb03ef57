"""``pytest.approx``: numbers, sequences and mappings of numbers, with ``rel``/``abs``.

The compared value never decides: its equality is checked as strict.py does, and the
tolerance arithmetic is done only with numbers whose arithmetic the learner cannot have
changed (``trusted_number``), so an object "equal to everything" is not approximately equal
to anything either."""
import math
from collections.abc import Mapping
from decimal import Decimal
from numbers import Complex
from typing import Any, Optional

from .outcomes import NeedsPytest
from .strict import register_comparator, strict_eq, trusted_number


class ApproxBase:
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, expected: Any, rel: Optional[float] = None, abs: Optional[float] = None,
                 nan_ok: bool = False) -> None:
        self.expected = expected
        self.rel = rel
        self.abs = abs
        self.nan_ok = nan_ok

    def _scalar(self, value: Any) -> "ApproxScalar":
        if isinstance(value, Decimal):
            return ApproxDecimal(value, self.rel, self.abs, self.nan_ok)
        return ApproxScalar(value, self.rel, self.abs, self.nan_ok)

    def __ne__(self, actual: Any) -> bool:
        return not self.__eq__(actual)

    def __bool__(self) -> bool:
        raise AssertionError("approx() is not supported in a boolean context.\n"
                             "Did you mean: `assert a == approx(b)`?")

    __class_getitem__ = classmethod(lambda cls, item: cls)


class ApproxScalar(ApproxBase):
    DEFAULT_ABSOLUTE_TOLERANCE: Any = 1e-12
    DEFAULT_RELATIVE_TOLERANCE: Any = 1e-6

    def __repr__(self) -> str:
        if not isinstance(self.expected, (Complex, Decimal)) or isinstance(self.expected, bool):
            return str(self.expected)
        try:
            if math.isinf(abs(self.expected)):
                return str(self.expected)
            return f"{self.expected} ± {self.tolerance:.1e}"
        except (ValueError, TypeError):
            return f"{self.expected} ± ???"

    def __eq__(self, actual: Any) -> bool:
        if isinstance(self.expected, bool) and not isinstance(actual, bool):
            return False
        if strict_eq(actual, self.expected):
            return True
        if not (isinstance(self.expected, (Complex, Decimal))
                and isinstance(actual, (Complex, Decimal))):
            return False
        if not trusted_number(actual):
            return False  # its arithmetic may lie (see strict.py)
        if isinstance(self.expected, bool) or isinstance(actual, bool):
            return False
        if math.isnan(abs(self.expected)):
            return self.nan_ok and math.isnan(abs(actual))
        if math.isinf(abs(self.expected)):
            return False
        return bool(abs(self.expected - actual) <= self.tolerance)

    @property
    def tolerance(self) -> Any:
        absolute = self.DEFAULT_ABSOLUTE_TOLERANCE if self.abs is None else self.abs
        if absolute < 0:
            raise ValueError(f"absolute tolerance can't be negative: {absolute}")
        if math.isnan(absolute):
            raise ValueError("absolute tolerance can't be NaN.")
        if self.rel is None and self.abs is not None:
            return absolute
        rel = self.DEFAULT_RELATIVE_TOLERANCE if self.rel is None else self.rel
        relative = rel * abs(self.expected)
        if relative < 0:
            raise ValueError(f"relative tolerance can't be negative: {relative}")
        if math.isnan(relative):
            raise ValueError("relative tolerance can't be NaN.")
        return max(relative, absolute)


class ApproxDecimal(ApproxScalar):
    DEFAULT_ABSOLUTE_TOLERANCE = Decimal("1e-12")
    DEFAULT_RELATIVE_TOLERANCE = Decimal("1e-6")


class ApproxSequence(ApproxBase):
    def __repr__(self) -> str:
        items = [repr(self._scalar(x)) for x in self.expected]
        if isinstance(self.expected, tuple):
            return f"approx(({', '.join(items)}{',' if len(items) == 1 else ''}))"
        return f"approx([{', '.join(items)}])"

    def __eq__(self, actual: Any) -> bool:
        if not isinstance(actual, type(self.expected)):
            return False
        try:
            if len(actual) != len(self.expected):
                return False
        except TypeError:
            return False
        return all(self._scalar(x).__eq__(a) for a, x in zip(actual, self.expected))


class ApproxMapping(ApproxBase):
    def __repr__(self) -> str:
        items = ", ".join(f"{k!r}: {self._scalar(v)!r}" for k, v in self.expected.items())
        return f"approx({{{items}}})"

    def __eq__(self, actual: Any) -> bool:
        try:
            if set(actual.keys()) != set(self.expected.keys()):
                return False
        except AttributeError:
            return False
        return all(self._scalar(v).__eq__(actual[k]) for k, v in self.expected.items())


def approx(expected: Any, rel: Optional[float] = None, abs: Optional[float] = None,
           nan_ok: bool = False) -> ApproxBase:
    """``pytest.approx``."""
    if isinstance(expected, (Decimal,)):
        return ApproxDecimal(expected, rel, abs, nan_ok)
    if isinstance(expected, Mapping):
        for value in expected.values():
            if isinstance(value, (Mapping, list, tuple)):
                raise TypeError("pytest.approx() does not support nested dictionaries: "
                                f"key={value!r}")
        return ApproxMapping(expected, rel, abs, nan_ok)
    if type(expected).__module__.split(".")[0] == "numpy":
        raise NeedsPytest("pytest.approx with numpy values")
    if isinstance(expected, (list, tuple)):
        for value in expected:
            if isinstance(value, (Mapping, list, tuple)):
                raise TypeError("pytest.approx() does not support nested data structures: "
                                f"{value!r}")
        return ApproxSequence(expected, rel, abs, nan_ok)
    return ApproxScalar(expected, rel, abs, nan_ok)


for _cls in (ApproxScalar, ApproxDecimal, ApproxSequence, ApproxMapping):
    register_comparator(_cls)
