"""Run-time support of rewritten ``assert`` statements (see rewrite.py).

A rewritten assert stores every sub-expression it evaluates in a temporary and, when the
assertion fails, calls ``failure(tree, has_msg, msg)`` with an explanation tree made of
tuples whose second item is always the sub-expression's value (``NOTSET`` when the
expression was not evaluated because of short-circuiting):

    ("val", value)                          any other expression
    ("name", value, "x")                    a name
    ("attr", value, base, "attr")           base.attr
    ("call", value, func, (arg, ...), (("kw" | None, node), ...))
    ("star", value, node) / ("dstar", value, node)     *args / **kwargs in a call
    ("bin", value, "+", left, right)        a binary operation
    ("un", value, "not ", operand)          a unary operation
    ("bool", value, "and", (node, ...))     a boolean operation
    ("chain", value, (("cmp", result, "==", left, right), ...))   a comparison chain

The result is an ``AssertionError`` whose message reads like pytest's ("assert 4 == 5" and
"+  where 4 = add(2, 2)" lines) with ``_pykata_compare`` set for a failed comparison.
"""
import types
from typing import Any, List, Optional, Tuple

from .saferepr import longrepr, saferepr
from .strict import Note, _deep_eq, strict_eq, strict_ne

eq = strict_eq
ne = strict_ne


class _NotSet:
    def __repr__(self) -> str:
        return "<not evaluated>"


NOTSET = _NotSet()

Where = Tuple[str, list]


def _shows_name(value: Any) -> bool:
    return isinstance(value, (types.ModuleType, type, types.FunctionType,
                              types.BuiltinFunctionType, types.MethodType,
                              types.BuiltinMethodType))


def _render(node: tuple) -> Tuple[str, List[Where]]:
    kind, value = node[0], node[1]
    if kind == "name":
        return (node[2] if _shows_name(value) else saferepr(value)), []
    if kind == "attr":
        base, wheres = _render(node[2])
        expr = f"{base}.{node[3]}"
        if _shows_name(value):
            return expr, wheres
        text = saferepr(value)
        return text, [(f"{text} = {expr}", wheres)]
    if kind == "call":
        func, wheres = _render(node[2])
        parts = []
        inner: List[Where] = list(wheres)
        for arg in node[3]:
            text, more = _render(arg)
            parts.append(text)
            inner.extend(more)
        for key, arg in node[4]:
            text, more = _render(arg)
            parts.append(f"{key}={text}" if key is not None else text)
            inner.extend(more)
        shown = saferepr(value)
        return shown, [(f"{shown} = {func}({', '.join(parts)})", inner)]
    if kind == "star":
        text, wheres = _render(node[2])
        return "*" + text, wheres
    if kind == "dstar":
        text, wheres = _render(node[2])
        return "**" + text, wheres
    if kind == "bin":
        left, lw = _render(node[3])
        right, rw = _render(node[4])
        return f"({left} {node[2]} {right})", lw + rw
    if kind == "un":
        text, wheres = _render(node[3])
        return f"{node[2]}{text}", wheres
    if kind == "bool":
        texts, wheres = [], []
        for operand in node[3]:
            if operand[1] is NOTSET:
                break
            text, more = _render(operand)
            texts.append(text)
            wheres.extend(more)
        return "(" + f" {node[2]} ".join(texts) + ")", wheres
    if kind == "chain":
        link = _failed_link(node)
        left, lw = _render(link[3])
        right, rw = _render(link[4])
        return f"{left} {link[2]} {right}", lw + rw
    return saferepr(value), []


def _failed_link(chain: tuple) -> tuple:
    links = chain[2]
    last = links[0]
    for link in links:
        if link[1] is NOTSET:
            break
        last = link
    return last


def _where_lines(wheres: List[Where], depth: int = 0) -> List[str]:
    lines = []
    for text, inner in wheres:
        lines.append(" +  " + "  " * depth + "where " + text)
        lines.extend(_where_lines(inner, depth + 1))
    return lines


def _details(op: str, left: Any, right: Any) -> List[str]:
    """pytest-like hints for a failed ``==`` of two containers or strings."""
    if op != "==":
        return []
    try:
        if type(left) is dict and type(right) is dict:
            lines = []
            same = [k for k in left if k in right and _deep_eq(left[k], right[k], True)]
            if same:
                lines.append(f"Omitting {len(same)} identical items")
            differ = [k for k in left if k in right and k not in same]
            if differ:
                lines.append("Differing items:")
                lines.extend(f"{saferepr({k: left[k]})} != {saferepr({k: right[k]})}"
                             for k in differ[:10])
            for side, this, that in (("Left", left, right), ("Right", right, left)):
                extra = [k for k in this if k not in that]
                if extra:
                    lines.append(f"{side} contains {len(extra)} more item"
                                 f"{'s' if len(extra) > 1 else ''}:")
                    lines.append(saferepr({k: this[k] for k in extra[:10]}))
            return lines
        if type(left) in (list, tuple) and type(left) is type(right):
            for i, (a, b) in enumerate(zip(left, right)):
                if not _deep_eq(a, b, True):
                    return [f"At index {i} diff: {saferepr(a)} != {saferepr(b)}"]
            if len(left) != len(right):
                longer, side = (left, "Left") if len(left) > len(right) else (right, "Right")
                extra = len(longer) - min(len(left), len(right))
                first = longer[min(len(left), len(right))]
                return [f"{side} contains {extra} more item{'s' if extra > 1 else ''}, "
                        f"first extra item: {saferepr(first)}"]
        if type(left) in (set, frozenset) and type(right) in (set, frozenset):
            lines = []
            for side, this, that in (("left", left, right), ("right", right, left)):
                extra = [x for x in this if x not in that]
                if extra:
                    lines.append(f"Extra items in the {side} set:")
                    lines.extend(saferepr(x) for x in extra[:10])
            return lines
        if type(left) is str and type(right) is str and ("\n" in left or "\n" in right):
            return ["Strings differ (see the diff)"]
    except Exception:
        return []
    return []


def explain(tree: tuple) -> Tuple[str, Optional[dict]]:
    """The message of a failed assert and its ``compare`` record (or None)."""
    text, wheres = _render(tree)
    lines = ["assert " + text] + _where_lines(wheres)
    compare = None
    if tree[0] == "chain":
        link = _failed_link(tree)
        op, left, right = link[2], link[3][1], link[4][1]
        compare = {"op": op, "left": longrepr(left), "right": longrepr(right)}
        lines.extend(_details(op, left, right))
        if op in ("==", "!=") and Note.text:
            lines.append("pykata: " + Note.text)
    return "\n".join(lines), compare


def failure(tree: tuple, has_msg: bool, msg: Any) -> AssertionError:
    """The AssertionError a rewritten assert raises."""
    try:
        text, compare = explain(tree)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # never let the explanation hide the failure
        text, compare = f"assert <the explanation failed: {type(e).__name__}>", None
    if has_msg:
        try:
            shown = msg if isinstance(msg, str) else saferepr(msg)
        except BaseException:
            shown = "<the assert message could not be shown>"
        text = f"{shown}\n{text}"
    error = AssertionError(text)
    error._pykata_compare = compare  # type: ignore[attr-defined]
    error._pykata_explained = True  # type: ignore[attr-defined]
    Note.text = None
    return error
