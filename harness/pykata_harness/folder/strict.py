"""Equality that does not let an always-equal object pass against a builtin value.

A plain folder's tests run beside the learner's code, so ``assert add(2, 3) == 5`` would pass
if ``add`` returned an object whose ``__eq__`` always says True. The rewritten ``==``/``!=``
of ``assert`` statements and the patched ``unittest`` equality assertions use
``strict_eq``/``strict_ne`` instead (docs/protocol.md, "Folder mode", "Strict equality"):

- when neither side is of an exact builtin type (``int``, ``float``, ``complex``, ``bool``,
  ``str``, ``bytes``, ``bytearray``, ``None``, ``list``, ``tuple``, ``dict``, ``set``,
  ``frozenset``), the comparison is Python's own (two user objects compare as their authors
  decided);
- otherwise a side whose equality is *trusted* (implemented by a type that cannot be patched,
  a builtin or C extension type such as ``int``, ``Decimal``, ``OrderedDict``, a NamedTuple's
  ``tuple``, or by a few pure-Python standard library classes checked against a snapshot
  taken before any test code ran: ``Counter``, ``UserDict``/``UserList``/``UserString``,
  ``Fraction``) compares as usual. A side with user-defined equality (a dict subclass with
  its own ``__eq__``, a sorted-list type, ...) compares with Python's own ``==`` too, but
  when that says equal, its ``__eq__`` is asked once more about a fresh object of a private
  class that nothing can know: an ``__eq__`` that claims equality with it says True to
  everything (the always-equal trick), and the comparison is false (``!=`` true), with a
  note saying why;
- containers (``list``, ``tuple``, ``dict``, ``set``, ``frozenset`` and subclasses that keep
  their equality) are compared element by element with the same rule, so
  ``[Evil()] == [5]`` is false while ``[Point(1, 2)] == [Point(1, 2)]`` still uses
  ``Point.__eq__``;
- ``pytest.approx(...)`` objects and ``unittest.mock.ANY`` compare as usual.
"""
import collections
import fractions
import numbers
import sys
from typing import Any, Dict, Optional, Tuple

_type_dict = type.__dict__["__dict__"].__get__
_type_mro = type.__dict__["__mro__"].__get__
_type_flags = type.__dict__["__flags__"].__get__
_HEAPTYPE = 1 << 9
_IMMUTABLETYPE = 1 << 8  # Python 3.10+: a heap type whose attributes cannot be set

_SCALARS = frozenset({int, float, complex, bool, str, bytes, bytearray, type(None)})
_CONTAINERS = frozenset({list, tuple, dict, set, frozenset})
EXACT_BUILTINS = _SCALARS | _CONTAINERS

_MISSING = object()
_dict_get = dict.get
_dict_items = dict.items
_dict_len = dict.__len__
_list_len = list.__len__
_list_iter = list.__iter__
_tuple_len = tuple.__len__
_tuple_iter = tuple.__iter__
_set_len = set.__len__
_set_iter = set.__iter__
_fset_len = frozenset.__len__
_fset_iter = frozenset.__iter__


# What approx() does with a number: compare it, subtract, take the absolute value.
NUMBER_METHODS = ("__eq__", "__ne__", "__sub__", "__rsub__", "__abs__", "__lt__", "__le__",
                  "__gt__", "__ge__", "__float__", "__complex__", "__bool__", "__hash__")


def _snapshot() -> Dict[Tuple[type, str], Any]:
    import _collections_abc

    classes = [collections.Counter, collections.UserDict, collections.UserList,
               collections.UserString, _collections_abc.Mapping, _collections_abc.Set]
    numbers_ = [fractions.Fraction, numbers.Rational, numbers.Real, numbers.Complex,
                numbers.Number]
    found = {}
    for cls in classes + numbers_:
        for name in (NUMBER_METHODS if cls in numbers_ else ("__eq__", "__ne__")):
            value = _type_dict(cls).get(name, _MISSING)
            if value is not _MISSING:
                found[(cls, name)] = value
    return found


_TRUSTED_PY = _snapshot()
_COMPARATORS: set = set()  # exact classes whose instances compare natively (approx)


def register_comparator(cls: type) -> None:
    """Instances of exactly ``cls`` (not subclasses) compare with their own ``__eq__``."""
    _COMPARATORS.add(cls)


def _is_comparator(x: Any) -> bool:
    if type(x) in _COMPARATORS:
        return True
    mock = sys.modules.get("unittest.mock")
    return mock is not None and x is getattr(mock, "ANY", _MISSING)


def _trusted_class(cls: type, names: Tuple[str, ...] = ("__eq__", "__ne__")) -> bool:
    """Is equality (or each of ``names``) of ``cls`` implemented by code that the learner
    cannot have changed?"""
    for name in names:
        for klass in _type_mro(cls):
            value = _type_dict(klass).get(name, _MISSING)
            if value is _MISSING:
                continue
            flags = _type_flags(klass)
            if not (flags & _HEAPTYPE) or (flags & _IMMUTABLETYPE):
                break
            if _TRUSTED_PY.get((klass, name), _MISSING) is value:
                break
            return False
    return True


def _kind(x: Any) -> Optional[str]:
    """How ``x`` compares: a container kind, "scalar", "comparator", or None (untrusted)."""
    if _is_comparator(x):
        return "comparator"
    cls = type(x)
    if not _trusted_class(cls):
        return None
    if issubclass(cls, list):
        return "list"
    if issubclass(cls, tuple):
        return "tuple"
    if issubclass(cls, dict):
        return "dict"
    if issubclass(cls, (set, frozenset)):
        return "set"
    return "scalar"


class Note:
    """Why the last strict comparison was false although Python's might have been true."""

    text: Optional[str] = None


class _Sentinel:
    """Objects that nothing outside this module can know: an ``__eq__`` that says a value
    equals one of them says so of everything."""

    __slots__ = ()

    def __eq__(self, other: Any) -> bool:
        return self is other

    def __ne__(self, other: Any) -> bool:
        return self is not other

    __hash__ = object.__hash__


def _claims_everything(x: Any) -> bool:
    """Does ``x``'s own ``__eq__`` say it equals a fresh, unrelated object?"""
    try:
        result = type(x).__eq__(x, _Sentinel())
    except Exception:
        return False
    if result is NotImplemented:
        return False
    try:
        return bool(result)
    except Exception:
        return True


def _checked_eq(a: Any, b: Any) -> bool:
    """Python's ``a == b`` where one side's equality is user-defined, refused when that side
    claims equality with everything."""
    if not bool(a == b):
        return False
    for x in (a, b):
        if _kind(x) is None and _claims_everything(x):
            name = type(x).__qualname__
            Note.text = (f"{name}.__eq__ also says a {name} equals an unrelated new object, "
                         f"so it says so of everything (the always-equal trick): pykata does "
                         f"not count this comparison as equal (see 'Strict equality' in "
                         f"pykata's docs)")
            return False
    return True


def _comparator_eq(a: Any, b: Any) -> Optional[bool]:
    """``approx(...)``/``ANY`` against anything: the comparator decides (``a == b`` would
    let a user object on the left decide first). None when neither side is one."""
    if _is_comparator(b):
        return bool(type(b).__eq__(b, a))
    if _is_comparator(a):
        return bool(type(a).__eq__(a, b))
    return None


def strict_eq(a: Any, b: Any) -> Any:
    """``a == b`` under the rule of this module (Python's own result when it applies)."""
    if type(a) not in EXACT_BUILTINS and type(b) not in EXACT_BUILTINS:
        decided = _comparator_eq(a, b)
        return a == b if decided is None else decided
    Note.text = None
    return _deep_eq(a, b, False)


def strict_ne(a: Any, b: Any) -> Any:
    """``a != b`` under the rule of this module."""
    if type(a) not in EXACT_BUILTINS and type(b) not in EXACT_BUILTINS:
        decided = _comparator_eq(a, b)
        return a != b if decided is None else not decided
    Note.text = None
    return not _deep_eq(a, b, False)


def trusted_number(x: Any) -> bool:
    """May ``approx`` do arithmetic with ``x``: a number whose comparison and arithmetic
    the learner cannot have changed (builtins, ``Decimal``, numpy scalars, ``Fraction``,
    and subclasses that override none of it)?"""
    cls = type(x)
    if cls is int or cls is float or cls is complex or cls is bool:
        return True
    return _trusted_class(cls, NUMBER_METHODS)


def _deep_eq(a: Any, b: Any, nested: bool) -> bool:
    if nested and a is b:
        return True  # as list/dict equality does for their items (so [nan] == [nan])
    ta, tb = type(a), type(b)
    if ta is tb and ta in _SCALARS:
        return a == b
    if ta not in EXACT_BUILTINS and tb not in EXACT_BUILTINS:
        return bool(a == b)  # two user objects inside containers: their own business
    ka, kb = _kind(a), _kind(b)
    if ka is None or kb is None:
        return _checked_eq(a, b)
    if ka == "comparator" or kb == "comparator":
        return bool(_comparator_eq(a, b))
    if ka != kb or ka == "scalar":
        return bool(a == b)
    if ka == "list":
        if _list_len(a) != _list_len(b):
            return False
        return all(_deep_eq(x, y, True) for x, y in zip(_list_iter(a), _list_iter(b)))
    if ka == "tuple":
        if _tuple_len(a) != _tuple_len(b):
            return False
        return all(_deep_eq(x, y, True) for x, y in zip(_tuple_iter(a), _tuple_iter(b)))
    if ka == "dict":
        return _dict_eq(a, b)
    return _set_eq(a, b)


def _lookup_safe(x: Any) -> bool:
    """Can ``x`` be looked up in a dict or set without running untrusted ``__eq__``?"""
    t = type(x)
    if t in _SCALARS:
        return True
    if t is tuple or t is frozenset:
        return all(_lookup_safe(y) for y in x)
    return _kind(x) == "scalar"


def _dict_eq(a: dict, b: dict) -> bool:
    if _dict_len(a) != _dict_len(b):
        return False
    if all(_lookup_safe(k) for k in a) and all(_lookup_safe(k) for k in b):
        for key, value in _dict_items(a):
            other = _dict_get(b, key, _MISSING)
            if other is _MISSING or not _deep_eq(value, other, True):
                return False
        return True
    rest = list(_dict_items(b))
    for key, value in _dict_items(a):
        for i, (key2, value2) in enumerate(rest):
            if _deep_eq(key, key2, True) and _deep_eq(value, value2, True):
                del rest[i]
                break
        else:
            return False
    return True


def _set_items(s: Any) -> list:
    return list(_set_iter(s) if issubclass(type(s), set) else _fset_iter(s))


def _set_eq(a: Any, b: Any) -> bool:
    xs, ys = _set_items(a), _set_items(b)
    if len(xs) != len(ys):
        return False
    if all(_lookup_safe(x) for x in xs) and all(_lookup_safe(y) for y in ys):
        return bool(frozenset(xs) == frozenset(ys))
    rest = ys
    for x in xs:
        for i, y in enumerate(rest):
            if _deep_eq(x, y, True):
                del rest[i]
                break
        else:
            return False
    return True
