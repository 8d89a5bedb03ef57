"""Strict serialisation of observed values into the VALUE form of docs/protocol.md.

Only exact builtin types are kept (``type(x) is int``, never ``isinstance``); anything else,
an ``int`` subclass or an object whose ``__eq__`` always says yes included, becomes
``["refused", TYPE_NAME, why]``, which the grader never treats as equal to anything.

Nothing here calls a method that a learner's class could override: a value is inspected
only once its exact type is known to be a builtin, and the builtins and functions used are
bound when this module is imported, before any learner code runs.
"""
import json.encoder
import sys
from builtins import bool, bytes, dict, float, frozenset, int, len, list, set, str, tuple, type
from typing import Any, List

MAX_DEPTH = 50
MAX_ITEMS = 100_000

_type_name = type.__dict__["__name__"].__get__
_type_mro = type.__dict__["__mro__"].__get__
_int_repr = int.__repr__
_float_repr = float.__repr__
_bytes_hex = bytes.hex
_bytes_fromhex = bytes.fromhex
_bytes_repr = bytes.__repr__
_str_repr = str.__repr__
_dict_items = dict.items
_json_str = json.encoder.encode_basestring
_get_int_digits = getattr(sys, "get_int_max_str_digits", None)
_set_int_digits = getattr(sys, "set_int_max_str_digits", None)

# The builtin types a VALUE can hold, and how a subclass of each is described when refused.
_COMPARED = (bool, int, float, str, bytes, list, tuple, set, frozenset, dict)


class _TooLarge(Exception):
    """Raised inside a walk when a value nests too deep or holds too many items."""


def serialize(value: Any) -> List[Any]:
    """Return the VALUE of ``value``; a value too deep or too big is refused as a whole."""
    budget = [MAX_ITEMS + 1]  # the value itself plus at most MAX_ITEMS items inside it
    try:
        return _walk(value, 0, budget)
    except _TooLarge:
        return ["refused", _type_name(type(value)), "too large to compare"]


def unobserved() -> List[Any]:
    """The VALUE of a call that returned normally but whose result the case did not keep."""
    return ["unobserved"]


def _walk(x: Any, depth: int, budget: List[int]) -> List[Any]:
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    t = type(x)
    if x is None:
        return ["none"]
    if t is bool:
        return ["bool", x]
    if t is int:
        return ["int", _int_text(x)]
    if t is float:
        return ["float", _float_repr(x)]
    if t is str:
        if not x.isascii():
            try:
                x.encode("utf-8")
            except UnicodeEncodeError:
                return ["refused", "str", "a string with a lone surrogate (not valid UTF-8)"]
        return ["str", x]
    if t is bytes:
        return ["bytes", _bytes_hex(x)]
    if t is list or t is tuple or t is set or t is frozenset or t is dict:
        if depth >= MAX_DEPTH:
            raise _TooLarge
        depth += 1
        if t is dict:
            return ["dict", [[_walk(k, depth, budget), _walk(v, depth, budget)]
                             for k, v in _dict_items(x)]]
        items = [_walk(item, depth, budget) for item in x]
        if t is set or t is frozenset:
            items.sort(key=json_text)
        return [_type_name(t), items]
    return ["refused", _type_name(t), _why_refused(t)]


def _int_text(x: int) -> str:
    try:
        return _int_repr(x)
    except ValueError:
        # Python >= 3.11 limits int -> str conversions; a big int must still stay exact.
        old = _get_int_digits()
        _set_int_digits(0)
        try:
            return _int_repr(x)
        finally:
            _set_int_digits(old)


def _why_refused(t: type) -> str:
    for base in _type_mro(t):
        for builtin in _COMPARED:
            if base is builtin:
                return "a subclass of " + _type_name(builtin)
    return "not a builtin value the grader can compare"


def json_text(value: List[Any]) -> str:
    """Compact JSON text of a VALUE (nested lists of str and bool), without the json module's
    Python-level machinery that learner code could patch. Sets are sorted by this text."""
    t = type(value)
    if t is str:
        return _json_str(value)
    if t is list:
        return "[" + ",".join([json_text(item) for item in value]) + "]"
    return "true" if value is True else "false"


def render(value: List[Any]) -> str:
    """A VALUE as a Python literal, for labels (``t.method``) and messages: deterministic
    across processes (sets are already sorted), ``<TypeName>`` for a refused value."""
    tag = value[0]
    if tag == "none":
        return "None"
    if tag == "bool":
        return "True" if value[1] else "False"
    if tag == "int" or tag == "float":
        return value[1]
    if tag == "str":
        return _str_repr(value[1])
    if tag == "bytes":
        return _bytes_repr(_bytes_fromhex(value[1]))
    if tag == "list":
        return "[" + ", ".join([render(item) for item in value[1]]) + "]"
    if tag == "tuple":
        items = [render(item) for item in value[1]]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if tag == "set" or tag == "frozenset":
        inner = ", ".join([render(item) for item in value[1]])
        if tag == "set":
            return "{" + inner + "}" if inner else "set()"
        return "frozenset({" + inner + "})" if inner else "frozenset()"
    if tag == "dict":
        return "{" + ", ".join([render(k) + ": " + render(v) for k, v in value[1]]) + "}"
    if tag == "unobserved":
        return "<not observed>"
    return "<" + value[1] + ">"


def wire_text(text: str, limit: int = 0) -> str:
    """``text`` made safe to send: cut to ``limit`` characters when given (marked with an
    ellipsis), lone surrogates written as ``\\udc80`` escapes so the line stays valid UTF-8.
    A ``str`` subclass becomes a plain ``str`` first (its methods are the learner's code)."""
    if type(text) is not str:
        text = str.__str__(text) if issubclass(type(text), str) else "<not text>"
    if limit and len(text) > limit:
        text = text[:limit] + "\u2026"
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
