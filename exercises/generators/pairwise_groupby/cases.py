"""Cases for the pairwise_groupby exercise (see README.md for the API they check).

Inputs are often a `Source`, an iterator that counts the items pulled from it, and keys a
`CountingKey`, a key function that counts its calls; both counts are observed. Infinite
sources stop with `PulledTooMuch` after many items, so an eager submission fails with a
message instead of running out of memory or time.
"""
import itertools

from pykata_harness import case, random_case

REQUIRED = ["pairwise", "groupby"]

LIMIT = 100_000


class PulledTooMuch(Exception):
    """Raised by an infinite source once far more items were pulled than anyone needs."""


class Source:
    """An iterator over `items` that counts the items pulled from it (`pulled`)."""

    def __init__(self, items):
        self._items = iter(items)
        self.pulled = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.pulled >= LIMIT:
            raise PulledTooMuch(
                f"pulled {LIMIT:,} items from an infinite iterator: it is read eagerly "
                "(list(), or a whole group at once) instead of item by item"
            )
        item = next(self._items)
        self.pulled += 1
        return item


class CountingKey:
    """A key function that counts its calls (`calls`)."""

    def __init__(self, function):
        self.function = function
        self.calls = 0

    def __call__(self, item):
        self.calls += 1
        return self.function(item)


def stepping(function, *args):
    """Call function(*args): 'StopIteration' if it raised StopIteration, else its result."""
    try:
        return function(*args)
    except StopIteration:
        return "StopIteration"


def next_group(t, outer, name, groups=None):
    """`key, name = next(outer)`: observes the key (or StopIteration), returns the group
    (None if there was none) and stores it in groups[name] when groups is given."""
    found = []

    def step():
        key, group = next(outer)
        found.append(group)
        return key

    t.call(f"key, {name} = next(outer); key", stepping, step)
    group = found[0] if found else None
    if groups is not None and found:
        groups[name] = group
    return group


def groups_listed(pairs):
    """[(key, list(group)) for key, group in pairs]: each group listed before the next."""
    return [(key, list(group)) for key, group in pairs]


# ---------------------------------------------------------------------------------------
# pairwise
# ---------------------------------------------------------------------------------------


@case("pairwise yields a tuple for every two successive items, in order", points=2)
def pairwise_pairs(t):
    pairwise = t.module.pairwise
    t.call("list(pairwise('abcd'))", lambda: list(pairwise("abcd")))
    t.call("[type(p).__name__ for p in pairwise('abc')]",
           lambda: [type(p).__name__ for p in pairwise("abc")])
    t.call("list(pairwise(range(5)))", lambda: list(pairwise(range(5))))
    t.call("list(pairwise(iter([None, 0, None])))", lambda: list(pairwise(iter([None, 0, None]))))
    t.call("list(pairwise([1, 2]))", lambda: list(pairwise([1, 2])))


@case("pairwise: fewer than two items give nothing")
def pairwise_short(t):
    pairwise = t.module.pairwise
    t.call("list(pairwise([]))", lambda: list(pairwise([])))
    t.call("list(pairwise([1]))", lambda: list(pairwise([1])))
    t.call("list(pairwise(iter('x')))", lambda: list(pairwise(iter("x"))))


@case("pairwise returns an iterator")
def pairwise_iterator(t):
    pairwise = t.module.pairwise
    pairs = t.call("pairs = pairwise([1, 2, 3])", pairwise, [1, 2, 3], observe=False)
    t.call("iter(pairs) is pairs", lambda: iter(pairs) is pairs)
    t.call("next(pairs)", stepping, next, pairs)
    t.call("next(pairs)", stepping, next, pairs)
    t.call("next(pairs) after the last pair", stepping, next, pairs)


def ahead_verdict(pulled, covered):
    ahead = pulled - covered
    if ahead <= 1:
        return "at most one item ahead of the pairs it yielded"
    return f"{ahead} items ahead of the pairs it yielded (at most 1 is allowed)"


@case("pairwise is lazy: an infinite input works, and it reads at most one item ahead",
      points=2)
def pairwise_lazy(t):
    pairwise = t.module.pairwise
    t.call("first 3 pairs of pairwise(itertools.count())",
           lambda: [next(it) for it in [pairwise(Source(itertools.count()))] for _ in range(3)])
    source = Source(itertools.count())
    pairs = t.call("pairs = pairwise(itertools.count())", pairwise, source, observe=False)
    t.note("items pulled by pairwise(itertools.count()) before the first next()",
           ahead_verdict(source.pulled, 0))
    for k in range(1, 5):
        t.call(f"next(pairs) number {k}", stepping, next, pairs)
        t.note(f"items pulled when pair {k} came out", ahead_verdict(source.pulled, k + 1))


# ---------------------------------------------------------------------------------------
# groupby: what it yields
# ---------------------------------------------------------------------------------------


@case("groupby groups runs of consecutive equal items (key=None)", points=2)
def groupby_runs(t):
    groupby = t.module.groupby
    t.call("[(k, list(g)) for k, g in groupby('aabbbca')]", groups_listed, groupby("aabbbca"))
    t.call("[(k, list(g)) for k, g in groupby([1, 1, 2, 1])]",
           lambda: groups_listed(groupby([1, 1, 2, 1])))
    t.call("[(k, list(g)) for k, g in groupby([None, None, 0])]",
           lambda: groups_listed(groupby([None, None, 0])))
    t.call("[(k, list(g)) for k, g in groupby('x')]", lambda: groups_listed(groupby("x")))
    t.call("[(k, list(g)) for k, g in groupby([])]", lambda: groups_listed(groupby([])))


@case("groupby yields (key, group) tuples, and each group is an iterator")
def groupby_types(t):
    groupby = t.module.groupby
    t.call("[type(p).__name__ for p in groupby('aab')]",
           lambda: [type(p).__name__ for p in groupby("aab")])
    outer = t.call("outer = groupby('aab')", groupby, "aab", observe=False)
    next_group(t, outer, "group")
    t.call("iter(outer) is outer", lambda: iter(outer) is outer)


@case("each group is an iterator over the items of its run")
def groupby_group_iterator(t):
    groupby = t.module.groupby
    outer = t.call("outer = groupby('aab')", groupby, "aab", observe=False)
    group = next_group(t, outer, "group")
    t.call("iter(group) is group", lambda: iter(group) is group)
    t.call("next(group)", stepping, next, group)
    t.call("next(group)", stepping, next, group)
    t.call("next(group) at the end of the run", stepping, next, group)
    t.call("next(group) again", stepping, next, group)


@case("groupby with key: runs of equal key(item), the key being that of the first item",
      points=2)
def groupby_key(t):
    groupby = t.module.groupby
    t.call("[(k, list(g)) for k, g in groupby([1, 3, 2, 4, 6, 5], key=lambda x: x % 2)]",
           lambda: groups_listed(groupby([1, 3, 2, 4, 6, 5], key=lambda x: x % 2)))
    t.call("[(k, list(g)) for k, g in groupby(['ant', 'ape', 'bee', 'Bat'], "
           "lambda w: w[0].lower())]",
           lambda: groups_listed(groupby(["ant", "ape", "bee", "Bat"], lambda w: w[0].lower())))
    t.call("[(k, list(g)) for k, g in groupby([1.0, 1, True, 2])]",
           lambda: groups_listed(groupby([1.0, 1, True, 2])))
    t.call("[(k, list(g)) for k, g in groupby('aAbB', key=str.upper)]",
           lambda: groups_listed(groupby("aAbB", key=str.upper)))
    t.call("[(k, list(g)) for k, g in groupby([3, 4, 5], key=lambda x: None)]",
           lambda: groups_listed(groupby([3, 4, 5], key=lambda x: None)))


@case("groupby calls key exactly once per item")
def groupby_key_once(t):
    groupby = t.module.groupby
    key = CountingKey(lambda x: x // 10)
    items = [1, 2, 15, 17, 18, 3, 40]
    t.call("[(k, list(g)) for k, g in groupby([1, 2, 15, 17, 18, 3, 40], key)]",
           groups_listed, groupby(items, key))
    t.note("calls of key", key.calls)
    key = CountingKey(lambda x: x // 10)
    t.call("[k for k, g in groupby([1, 2, 15, 17, 18, 3, 40], key)] (groups unused)",
           lambda: [k for k, g in groupby(items, key)])
    t.note("calls of key", key.calls)


# ---------------------------------------------------------------------------------------
# groupby: the groups share the input
# ---------------------------------------------------------------------------------------


@case("advancing the outer iterator skips what is left of the current group", points=2)
def groupby_skips(t):
    groupby = t.module.groupby
    t.call("[k for k, g in groupby('aaabccdd')]", lambda: [k for k, g in groupby("aaabccdd")])
    outer = t.call("outer = groupby('aaabb')", groupby, "aaabb", observe=False)
    a_group = next_group(t, outer, "a_group")
    t.call("next(a_group)", stepping, next, a_group)
    b_group = next_group(t, outer, "b_group")
    t.call("list(b_group)", list, b_group)


@case("advancing the outer iterator ends the groups handed out before", points=2)
def groupby_invalidates(t):
    groupby = t.module.groupby
    outer = t.call("outer = groupby('abaa')", groupby, "abaa", observe=False)
    a1 = next_group(t, outer, "a1")
    next_group(t, outer, "b")
    a2 = next_group(t, outer, "a2")
    t.call("list(a1), an 'a' group ended by next(outer)", list, a1)
    t.call("list(a2)", list, a2)
    outer = t.call("outer = groupby('aaabbc')", groupby, "aaabbc", observe=False)
    g1 = next_group(t, outer, "g1")
    t.call("next(g1)", stepping, next, g1)
    g2 = next_group(t, outer, "g2")
    t.call("list(g1) after next(outer)", list, g1)
    t.call("next(g2)", stepping, next, g2)
    g3 = next_group(t, outer, "g3")
    t.call("list(g2) after next(outer)", list, g2)
    t.call("next(outer) at the end", stepping, next, outer)
    t.call("list(g3) after next(outer) raised StopIteration", list, g3)
    t.call("[list(g) for k, g in list(groupby('aabbb'))]",
           lambda: [list(g) for k, g in list(groupby("aabbb"))])


@case("groupby pulls an item only when it must look at it", points=2)
def groupby_pulls(t):
    groupby = t.module.groupby
    source = Source("aabccc")
    outer = t.call("outer = groupby(source of 'aabccc')", groupby, source, observe=False)
    t.note("items pulled", source.pulled)
    groups = {}

    def outer_next(name):
        next_group(t, outer, name, groups)
        t.note("items pulled", source.pulled)

    def group_next(name):
        t.call(f"next({name})", lambda: stepping(next, groups.get(name)))
        t.note("items pulled", source.pulled)

    outer_next("g1")
    group_next("g1")
    group_next("g1")
    group_next("g1")
    outer_next("g2")
    outer_next("g3")
    group_next("g3")
    group_next("g3")
    outer_next("g4")


@case("groupby is lazy: infinite inputs and infinite groups work", points=2)
def groupby_infinite(t):
    groupby = t.module.groupby
    endless = Source(itertools.repeat("x"))
    t.call("first 4 items of the first group of groupby(itertools.repeat('x'))",
           lambda: list(itertools.islice(next(groupby(endless))[1], 4)))
    t.note("items pulled", endless.pulled)
    source = Source(itertools.count())
    t.call("first 3 keys of groupby(itertools.count(), key=lambda n: n // 3)",
           lambda: [next(outer)[0] for outer in [groupby(source, key=lambda n: n // 3)]
                    for _ in range(3)])
    t.note("items pulled", source.pulled)


# ---------------------------------------------------------------------------------------
# Random scripts: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

KEYS = {
    "None": None,
    "str.lower": str.lower,
    "lambda c: c in 'ab'": lambda c: c in "ab",
}


@random_case("random inputs and orders of next() on groupby and its groups", runs=40,
             points=3)
def random_groupby(t, rng):
    text = "".join(rng.choice("aAbBc") for _ in range(rng.randint(0, 10)))
    key_name = rng.choice(sorted(KEYS))
    script = [(rng.choice(["outer", "outer", "next", "next", "list"]), rng.randrange(4))
              for _ in range(rng.randint(1, 16))]
    groupby = t.module.groupby
    source = Source(text)
    function = KEYS[key_name]
    key = None if function is None else CountingKey(function)
    if key is None:
        outer = t.call(f"outer = groupby({text!r})", groupby, source, observe=False)
    else:
        outer = t.call(f"outer = groupby({text!r}, key={key_name})", groupby, source, key,
                       observe=False)
    groups = {}
    for action, k in script:
        if action == "outer":
            next_group(t, outer, f"g{len(groups)}", groups)
        elif groups:
            name = f"g{k % len(groups)}"
            group = groups[name]
            if action == "next":
                t.call(f"next({name})", stepping, next, group)
            else:
                t.call(f"list({name})", list, group)
        t.note("items pulled", source.pulled)
        if key is not None:
            t.note("calls of key", key.calls)


@random_case("random inputs for pairwise", runs=20)
def random_pairwise(t, rng):
    items = [rng.randint(0, 9) for _ in range(rng.randint(0, 8))]
    t.call(f"list(pairwise({items!r}))", lambda: list(t.module.pairwise(items)))
