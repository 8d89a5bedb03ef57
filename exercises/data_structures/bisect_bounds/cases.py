"""Cases for the bisect_bounds exercise (see README.md for the API they check)."""
import ast
import bisect as _real_bisect
import collections.abc
import math
import operator
import random
import sys
import types

import _bisect as _real_c_bisect

from pykata_harness import case, random_case

REQUIRED = ["lower_bound", "upper_bound"]


def _neg(value):
    return -value


_NEG = "neg"  # the name a key function is shown by in labels
_KEYS = {"len": len, _NEG: _neg, "str.lower": str.lower, "pair[0]": operator.itemgetter(0)}


def _shown_key(key):
    for name, function in _KEYS.items():
        if function is key:
            return name
    return repr(key)


def bound(t, name, seq, x, shown=None, **kwargs):
    """Call lower_bound or upper_bound, labelled as the call a learner would type."""
    args = [shown if shown is not None else repr(seq), repr(x)]
    args += [f"{k}={_shown_key(v)}" for k, v in kwargs.items()]
    return t.call(f"{name}({', '.join(args)})", getattr(t.module, name), seq, x, **kwargs)


def both(t, seq, x, shown=None, **kwargs):
    bound(t, "lower_bound", seq, x, shown, **kwargs)
    bound(t, "upper_bound", seq, x, shown, **kwargs)


# ---------------------------------------------------------------------------------------
# What they return
# ---------------------------------------------------------------------------------------


@case("an element present once: lower_bound is its index, upper_bound the next one", points=2)
def present_once(t):
    seq = [10, 20, 30, 40, 50]
    for x in (10, 30, 50):
        both(t, seq, x)


@case("an absent x between elements: both give the index where it would go", points=2)
def absent_between(t):
    seq = [10, 20, 30, 40, 50]
    for x in (15, 35, 49):
        both(t, seq, x)


@case("x below every element gives 0, x above every element gives len(seq)", points=2)
def beyond_the_ends(t):
    seq = [3, 5, 8]
    both(t, seq, -100)
    both(t, seq, 2)
    both(t, seq, 9)
    both(t, seq, 10**9)


@case("duplicates: lower_bound is before all equal elements, upper_bound after them", points=3)
def duplicates(t):
    seq = [1, 2, 2, 2, 3, 3, 7]
    for x in (2, 3, 1, 7):
        both(t, seq, x)
    same = [4] * 9
    for x in (4, 3, 5):
        both(t, same, x)


@case("an empty sequence gives 0")
def empty(t):
    both(t, [], 5)
    both(t, (), "a")


@case("a sequence of one element")
def single(t):
    for x in (0, 1, 2):
        both(t, [1], x)


@case("floats, negative numbers and strings compare as usual")
def other_values(t):
    both(t, [-5.5, -1.0, 0.0, 0.25, 3.5], 0.0)
    both(t, [-5.5, -1.0, 0.0, 0.25, 3.5], -2)
    both(t, ["apple", "banana", "banana", "cherry"], "banana")
    both(t, ["apple", "banana", "banana", "cherry"], "blueberry")


class Shelf(collections.abc.Sequence):
    """A read-only sequence that is neither a list nor a tuple; slicing gives a Shelf."""

    def __init__(self, items):
        self._items = list(items)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Shelf(self._items[index])
        return self._items[index]


@case("any sequence works: a tuple, a range, a Sequence that is not a list")
def any_sequence(t):
    both(t, (1, 3, 3, 9), 3)
    both(t, range(0, 100, 5), 35)
    both(t, range(0, 100, 5), 36)
    both(t, Shelf([2, 4, 4, 4, 8]), 4, shown="Shelf([2, 4, 4, 4, 8])")
    both(t, Shelf([2, 4, 4, 4, 8]), 5, shown="Shelf([2, 4, 4, 4, 8])")


@case("the sequence is not modified")
def not_modified(t):
    seq = [1, 4, 4, 9]
    both(t, seq, 4)
    t.note("seq afterwards", seq)


# ---------------------------------------------------------------------------------------
# key
# ---------------------------------------------------------------------------------------


@case("key is applied to the elements, not to x", points=3)
def key_on_elements(t):
    words = ["a", "to", "the", "this", "there", "other"]
    for x in (3, 5, 0, 7):
        both(t, words, x, key=len)
    pairs = [(1, "one"), (2, "two"), (2, "deux"), (5, "five")]
    for x in (2, 3, 6):
        both(t, pairs, x, key=operator.itemgetter(0))


@case("key can change the order: a sequence sorted by key, not by value")
def key_changes_order(t):
    descending = [9, 7, 7, 4, 1]  # sorted by -value
    for x in (-7, -5, -10, 0):
        both(t, descending, x, key=_neg)
    mixed = ["Apple", "banana", "Banana", "cherry"]  # sorted by lower case
    both(t, mixed, "banana", key=str.lower)


@case("key=None is the same as no key")
def key_none(t):
    both(t, [1, 2, 2, 3], 2, key=None)


@case("key is keyword-only: a third positional argument raises TypeError")
def key_keyword_only(t):
    t.call("lower_bound([1, 2, 3], 2, key=None)", t.module.lower_bound, [1, 2, 3], 2, key=None)
    t.call("lower_bound([1, 2, 3], 2, None)", t.module.lower_bound, [1, 2, 3], 2, None)
    t.call("upper_bound([1, 2, 3], 2, None)", t.module.upper_bound, [1, 2, 3], 2, None)


# ---------------------------------------------------------------------------------------
# O(log n) comparisons
# ---------------------------------------------------------------------------------------

# [comparisons made, comparisons allowed before the search is stopped]
_comparisons = [0, 0]


class _BudgetSpent(BaseException):
    """Raised from a comparison once a search has compared far more than log n times."""


def _count():
    _comparisons[0] += 1
    if _comparisons[0] > _comparisons[1]:
        raise _BudgetSpent()


class Item:
    """A value whose six comparison operators count their calls."""

    __slots__ = ("value",)
    __hash__ = None

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        _count()
        return self.value < other.value

    def __le__(self, other):
        _count()
        return self.value <= other.value

    def __gt__(self, other):
        _count()
        return self.value > other.value

    def __ge__(self, other):
        _count()
        return self.value >= other.value

    def __eq__(self, other):
        _count()
        return self.value == other.value

    def __ne__(self, other):
        _count()
        return self.value != other.value

    def __repr__(self):
        return f"Item({self.value!r})"


def _allowed(n):
    return 3 * math.ceil(math.log2(n + 1)) + 3


def _worst_search(module, seq, xs, key, stop):
    """The most comparisons any one search of xs made, with the search that made them.

    A search is stopped after `stop` comparisons (so a linear scan of 100,000 elements
    stays quick); it then counts as stop + 1."""
    worst = (-1, "")
    kwargs = {} if key is None else {"key": key}
    for x in xs:
        for name in ("lower_bound", "upper_bound"):
            _comparisons[:] = [0, stop]
            try:
                getattr(module, name)(seq, x, **kwargs)
            except _BudgetSpent:
                pass
            if _comparisons[0] > worst[0]:
                worst = (_comparisons[0], f"{name} of {x.value!r}")
    return worst


def _check_comparisons(t, what, seq, xs, key=None):
    n = len(seq)
    allowed = _allowed(n)

    def verdict():
        count, search = _worst_search(t.module, seq, xs, key, stop=20 * allowed)
        if count <= allowed:
            return f"at most {allowed}"
        at_least = "at least " if count > 20 * allowed else ""
        return (f"{at_least}{count:,} (in {search}), more than {allowed}: the comparisons "
                "grow with n "
                "rather than with log n (a linear scan, or walking over equal elements)")

    t.call(f"most comparisons in one search, {what} (n = {n:,})", verdict)


def _queries(rng, low, high, count):
    return [Item(rng.randint(low, high)) for _ in range(count)]


@case("O(log n) comparisons on distinct elements (n = 1,000 and 100,000)", points=3)
def log_comparisons_distinct(t):
    rng = random.Random(12)
    for n in (1000, 100_000):
        seq = [Item(2 * i) for i in range(n)]
        xs = [Item(-1), Item(0), Item(2 * n - 2), Item(2 * n)] + _queries(rng, -1, 2 * n, 40)
        _check_comparisons(t, "on distinct elements", seq, xs)


@case("O(log n) comparisons when many elements are equal", points=3)
def log_comparisons_duplicates(t):
    n = 1000
    _check_comparisons(t, "all elements equal", [Item(7)] * n, [Item(7), Item(6), Item(8)])
    runs = [Item(i // 100) for i in range(100 * 100)]  # 100 runs of 100 equal elements
    rng = random.Random(13)
    _check_comparisons(t, "runs of 100 equal elements", runs, _queries(rng, -1, 100, 30))


@case("O(log n) comparisons with a key", points=2)
def log_comparisons_key(t):
    rng = random.Random(14)
    pairs = [(Item(i // 3), i) for i in range(30_000)]
    xs = [Item(-1), Item(10_000)] + _queries(rng, 0, 10_000, 30)
    _check_comparisons(t, "key=pair[0], runs of 3 equal keys", pairs, xs,
                       key=operator.itemgetter(0))


# ---------------------------------------------------------------------------------------
# Without bisect
# ---------------------------------------------------------------------------------------

_BISECT_MODULES = ("bisect", "_bisect")
_IMPORTERS = ("__import__", "import_module")


def _imports_in_source(path):
    """Where the file at path imports bisect or _bisect, as 'line N: ...' strings."""
    with open(path, "rb") as handle:
        tree = ast.parse(handle.read())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _BISECT_MODULES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] in _BISECT_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", None)
            first = node.args[0]
            if (name in _IMPORTERS and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)
                    and first.value.split(".")[0] in _BISECT_MODULES):
                found.append(f"line {node.lineno}: {name}({first.value!r})")
    return found


def _bisect_objects():
    """id() of the bisect modules and of every function in them."""
    ids = {}
    for module in (_real_bisect, _real_c_bisect):
        ids[id(module)] = module.__name__
        for name, value in vars(module).items():
            if not name.startswith("__") and callable(value):
                ids.setdefault(id(value), f"{module.__name__}.{name}")
    return ids


def _tripwire(name, real, used):
    """A stand-in for module `name` that records every attribute taken from it."""
    module = types.ModuleType(name)

    def __getattr__(attribute):
        used.append(f"{name}.{attribute}")
        return getattr(real, attribute)

    module.__getattr__ = __getattr__
    return module


@case("the module does not import or use bisect", points=3)
def no_bisect(t):
    module = t.module
    problems = []
    path = getattr(module, "__file__", None)
    if isinstance(path, str):
        try:
            problems += _imports_in_source(path)
        except (OSError, SyntaxError, ValueError):
            pass
    forbidden = _bisect_objects()
    for name, value in list(vars(module).items()):
        if id(value) in forbidden:
            problems.append(f"global {name} is {forbidden[id(value)]}")
    used = []
    saved = {name: sys.modules.get(name) for name in _BISECT_MODULES}
    sys.modules["bisect"] = _tripwire("bisect", _real_bisect, used)
    sys.modules["_bisect"] = _tripwire("_bisect", _real_c_bisect, used)
    try:
        for x in (0, 2, 5):
            both(t, [1, 2, 2, 4], x)
        both(t, ["b", "aa", "ccc"], 2, key=len)
    finally:
        for name, real in saved.items():
            if real is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = real
    problems += [f"it used {what} while running" for what in sorted(set(used))]
    t.note("does the module import or use bisect?",
           "no" if not problems else "yes: " + "; ".join(problems))


# ---------------------------------------------------------------------------------------
# Random sorted sequences
# ---------------------------------------------------------------------------------------


@random_case("random sorted sequences with duplicates, compared with the reference", runs=30,
             points=3)
def random_sequences(t, rng):
    size = rng.randint(0, 25)
    spread = rng.randint(1, 12)
    seq = sorted(rng.randint(0, spread) for _ in range(size))
    kind = rng.choice(["plain", "plain", "tuple", "neg", "pairs"])
    xs = [rng.randint(-2, spread + 2) for _ in range(6)]
    if kind == "plain":
        for x in xs:
            both(t, seq, x)
    elif kind == "tuple":
        for x in xs:
            both(t, tuple(seq), x)
    elif kind == "neg":
        descending = seq[::-1]
        for x in xs:
            both(t, descending, -x, key=_neg)
    else:
        pairs = [(value, index) for index, value in enumerate(seq)]
        for x in xs:
            both(t, pairs, x, key=operator.itemgetter(0))
