"""Cases for the flatten exercise (see README.md for the API they check).

Leaves that are not builtin values (objects of the classes below) are shown by name, as
`<name>`, after checking they are the very objects that went in. The infinite generators
stop with `PulledTooMuch` after many items, so an eager submission fails with a message
instead of running out of memory or time.
"""
import itertools

from pykata_harness import case, random_case

REQUIRED = ["flatten"]

LIMIT = 100_000  # items an infinite generator gives before it calls the reader eager


class PulledTooMuch(Exception):
    """Raised by an infinite generator once far more items were pulled than anyone needs."""


def infinite(start=0):
    """An infinite generator of start, start + 1, ... that stops an eager reader."""
    for pulled, n in enumerate(itertools.count(start)):
        if pulled >= LIMIT:
            raise PulledTooMuch(
                f"pulled {LIMIT:,} items from an infinite generator: something reads a "
                "nested iterable whole (list(), tuple(), reversed(list(...))...) instead of "
                "item by item"
            )
        yield n


class Named:
    """A leaf that is no builtin value: it has no __iter__ and no __getitem__."""

    def __init__(self, name):
        self.name = name


class OnlyGetitem(Named):
    """An object with __getitem__ but no __iter__. iter() would accept it (the old sequence
    protocol gives 'x', 'y'), but it is not an iterable in flatten's sense: a leaf."""

    def __getitem__(self, index):
        if index < 2:
            return "xy"[index]
        raise IndexError(index)


class Tree:
    """A user-defined iterable: __iter__ returns an iterator over its children."""

    def __init__(self, *children):
        self.children = children

    def __iter__(self):
        return iter(self.children)


def show(items):
    """The items as builtin values: an object of a class above becomes '<its name>'."""
    return [f"<{item.name}>" if isinstance(item, Named) else item for item in items]


def leaves(iterable):
    """list(flatten(iterable)) with the objects of the cases shown by name."""
    return show(FLATTEN[0](iterable))


FLATTEN = [None]  # the submission's flatten, set by each case (see `setup`)


def setup(t):
    FLATTEN[0] = t.module.flatten
    return t.module.flatten


def take(iterator, count):
    return [next(iterator) for _ in range(count)]


# ---------------------------------------------------------------------------------------
# Order and the iterator
# ---------------------------------------------------------------------------------------


@case("the leaves come depth first, left to right", points=2)
def depth_first(t):
    setup(t)
    t.call("list(flatten([1, [2, [3, 4], 5], [[6]], 7]))",
           leaves, [1, [2, [3, 4], 5], [[6]], 7])
    t.call("list(flatten([[[[1]]], 2, [[3], 4], (5, (6,))]))",
           leaves, [[[[1]]], 2, [[3], 4], (5, (6,))])
    t.call("list(flatten(['a', ['b', ['c']], 'd']))", leaves, ["a", ["b", ["c"]], "d"])


@case("flatten returns an iterator")
def returns_iterator(t):
    flatten = setup(t)
    it = t.call("it = flatten([1, [2]])", flatten, [1, [2]], observe=False)
    t.call("iter(it) is it (an iterator is its own iterator)", lambda: iter(it) is it)
    t.call("next(it)", next, it)
    t.call("next(it)", next, it)
    t.call("next(it) after the last leaf", next, it)


@case("empty iterables, however nested, give nothing")
def empty_iterables(t):
    setup(t)
    t.call("list(flatten([]))", leaves, [])
    t.call("list(flatten([[], [[]], (), [(), [[], []]]]))", leaves, [[], [[]], (), [(), [[], []]]])
    t.call("list(flatten([[], 1, [[]], 2]))", leaves, [[], 1, [[]], 2])


# ---------------------------------------------------------------------------------------
# What is a leaf
# ---------------------------------------------------------------------------------------


@case("str and bytes are leaves, never split", points=2)
def strings_are_leaves(t):
    setup(t)
    t.call("list(flatten(['ab', ['cd', 'e']]))", leaves, ["ab", ["cd", "e"]])
    t.call("list(flatten([b'xy', [b'z']]))", leaves, [b"xy", [b"z"]])
    t.call("list(flatten(['', 'a', [''], [b'']]))", leaves, ["", "a", [""], [b""]])
    t.call("list(flatten(('one', b'two', ['three'])))", leaves, ("one", b"two", ["three"]))


@case("lists, tuples, sets, ranges and generators are flattened", points=2)
def iterables_are_flattened(t):
    setup(t)
    t.call("list(flatten([(1, 2), {3}, range(4, 6), frozenset({6})]))",
           leaves, [(1, 2), {3}, range(4, 6), frozenset({6})])
    t.call("list(flatten([(x * 10 for x in [1, 2]), [range(3)]]))",
           leaves, [(x * 10 for x in [1, 2]), [range(3)]])
    t.call("list(flatten((n for n in [[1, 2], 'ab', (3,)])))",
           leaves, (n for n in [[1, 2], "ab", (3,)]))


@case("dicts are flattened into their keys")
def dicts_give_keys(t):
    setup(t)
    t.call("list(flatten([{'a': 1, 'b': [2, 3]}, 4]))", leaves, [{"a": 1, "b": [2, 3]}, 4])
    t.call("list(flatten([{(5, 6): 'x'}]))", leaves, [{(5, 6): "x"}])
    t.call("list(flatten({'k': 'v'}))", leaves, {"k": "v"})
    t.call("list(flatten([{}, {'only': {'inner': 1}}]))", leaves, [{}, {"only": {"inner": 1}}])


@case("any object with __iter__ is flattened")
def objects_with_iter(t):
    setup(t)
    t.call("list(flatten([Tree(1, [2, Tree('x')]), 3]))",
           leaves, [Tree(1, [2, Tree("x")]), 3])
    t.call("list(flatten([iter([1, [2]]), {'a': 1}.values()]))",
           leaves, [iter([1, [2]]), {"a": 1}.values()])
    t.call("list(flatten(Tree(Tree(), Tree(Tree(4)))))", leaves, Tree(Tree(), Tree(Tree(4))))


@case("everything else is a leaf: numbers, None, other objects")
def other_leaves(t):
    setup(t)
    t.call("list(flatten([None, 1.5, True, 0, [None, -2]]))",
           leaves, [None, 1.5, True, 0, [None, -2]])
    plain = Named("plain object")
    t.call("list(flatten([plain object, [plain object]]))", leaves, [plain, [plain]])
    t.call("the leaves are the very objects given",
           lambda: [leaf is plain for leaf in FLATTEN[0]([plain, [plain]])])


@case("an object that has only __getitem__ is a leaf", points=2)
def getitem_is_a_leaf(t):
    setup(t)
    odd = OnlyGetitem("only-__getitem__ object")
    t.call("list(flatten([1, only-__getitem__ object, [only-__getitem__ object]]))",
           leaves, [1, odd, [odd]])
    t.call("the leaf is the very object given",
           lambda: [leaf is odd for leaf in FLATTEN[0]([odd])])


@case("a leaf given at the top gives that one leaf", points=2)
def leaf_at_top(t):
    setup(t)
    t.call("list(flatten('ab'))", leaves, "ab")
    t.call("list(flatten(5))", leaves, 5)
    t.call("list(flatten(b'xyz'))", leaves, b"xyz")
    t.call("list(flatten(''))", leaves, "")
    t.call("list(flatten(None))", leaves, None)
    t.call("list(flatten(only-__getitem__ object))", leaves, OnlyGetitem("only-__getitem__ object"))


# ---------------------------------------------------------------------------------------
# Laziness and depth
# ---------------------------------------------------------------------------------------


@case("lazy: a nested infinite generator works", points=2)
def nested_infinite(t):
    flatten = setup(t)
    t.call("first 5 leaves of flatten([0, infinite(1), 99])",
           lambda: take(flatten([0, infinite(1), 99]), 5))
    t.call("first 3 leaves of flatten([[['x', infinite(10)]]])",
           lambda: take(flatten([[["x", infinite(10)]]]), 3))
    t.call("first 4 leaves of flatten([[1, 2], (infinite(n) for n in [100, 200])])",
           lambda: take(flatten([[1, 2], (infinite(n) for n in [100, 200])]), 4))
    t.call("first 3 leaves of flatten(infinite(7))", lambda: take(flatten(infinite(7)), 3))


DEPTH = 10_000


def deep_single():
    nested = [1]
    for _ in range(DEPTH - 1):
        nested = [nested]
    return nested


def deep_staircase():
    """[0, [1, [2, ... [9999]]]]: one leaf on every level."""
    nested = [DEPTH - 1]
    for n in range(DEPTH - 2, -1, -1):
        nested = [n, nested]
    return nested


def deep_mixed():
    """10,000 levels of lists, tuples and generators, a leaf in the innermost one."""
    nested = ("leaf",)
    for level in range(DEPTH - 1):
        if level % 3 == 0:
            nested = [nested]
        elif level % 3 == 1:
            nested = (nested,)
        else:
            nested = (x for x in [nested])
    return nested


@case("nesting 10,000 levels deep works (no recursion limit)", points=2)
def deep_nesting(t):
    setup(t)
    single, staircase, mixed = deep_single(), deep_staircase(), deep_mixed()
    t.call("list(flatten([[[...[1]...]]])) with 10,000 levels", leaves, single)
    t.call("list(flatten([0, [1, [2, ... [9999]]]])) == list(range(10000))",
           lambda: leaves(staircase) == list(range(DEPTH)))
    t.call("list(flatten(10,000 levels of lists, tuples and generators around 'leaf')))",
           leaves, mixed)


# ---------------------------------------------------------------------------------------
# Random nestings: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


def random_nesting(rng, depth):
    """A random nested structure of lists, tuples and ranges of ints and strings, and its
    description as Python source (which builds the same structure)."""
    roll = rng.random()
    if depth == 0 or roll < 0.35:
        leaf = rng.choice([0, 1, 2, 3, -1, "a", "bc", "", b"d", None, 2.5])
        return leaf, repr(leaf)
    if roll < 0.42:
        start = rng.randint(0, 3)
        stop = start + rng.randint(0, 3)
        return range(start, stop), f"range({start}, {stop})"
    children = [random_nesting(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    values = [value for value, _ in children]
    texts = [text for _, text in children]
    if roll < 0.8:
        return values, "[" + ", ".join(texts) + "]"
    return tuple(values), "(" + ", ".join(texts) + ("," if len(texts) == 1 else "") + ")"


@random_case("random nestings of lists, tuples, ranges, strings and numbers", runs=30, points=2)
def random_nestings(t, rng):
    setup(t)
    nested, text = random_nesting(rng, rng.randint(1, 5))
    t.call(f"list(flatten({text}))", leaves, nested)
