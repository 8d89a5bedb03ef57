"""Cases for the chunked exercise (see README.md for the API they check).

The inputs are often a `Source`: an iterator that counts the items pulled from it, so the
cases can tell when the submission pulls them. The infinite inputs stop with
`PulledTooMuch` after a large number of items, so an eager submission fails with a message
rather than running out of memory or time.
"""
import itertools

from pykata_harness import case, random_case

REQUIRED = ["chunked", "windowed"]

LIMIT = 100_000  # items an infinite source gives before it calls the submission eager


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
                "(list(), sorted(), len()...) instead of item by item"
            )
        item = next(self._items)  # StopIteration when a finite source runs out
        self.pulled += 1
        return item


def infinite():
    """itertools.count(), counting the items pulled and stopping an eager reader."""
    return Source(itertools.count())


def natural_numbers():
    """An infinite generator (not a builtin iterator): 0, 1, 2, ..., which stops an eager
    reader like `Source` does."""
    n = 0
    while True:
        if n >= LIMIT:
            raise PulledTooMuch(
                f"pulled {LIMIT:,} items from an infinite generator: it is read eagerly "
                "(list(), sorted(), len()...) instead of item by item"
            )
        yield n
        n += 1


def calling(function, *args):
    """Call function(*args) without iterating what it returns; says whether it raised a
    ValueError (a subclass of ValueError counts too). Other exceptions propagate."""
    try:
        function(*args)
    except ValueError:
        return "raised ValueError"
    return "returned without raising"


def take(iterator, count):
    """The first `count` items of `iterator`, pulled with next()."""
    return [next(iterator) for _ in range(count)]


def ahead_verdict(pulled, yielded, size):
    ahead = pulled - yielded
    if ahead <= size:
        return "at most size items ahead of what it yielded"
    return (f"{ahead} items ahead of what it yielded: more than size={size} (it must pull "
            "items only as it needs them)")


# ---------------------------------------------------------------------------------------
# chunked
# ---------------------------------------------------------------------------------------


@case("chunked: lists of `size` consecutive items, the last one shorter if the items run out",
      points=2)
def chunked_basic(t):
    chunked = t.module.chunked
    t.call("list(chunked(range(7), 3))", lambda: list(chunked(range(7), 3)))
    t.call("list(chunked('abcde', 2))", lambda: list(chunked("abcde", 2)))
    t.call("list(chunked([1, 2, 3, 4, 5], 1))", lambda: list(chunked([1, 2, 3, 4, 5], 1)))
    t.call("list(chunked([1, 2], 5))", lambda: list(chunked([1, 2], 5)))
    t.call("list(chunked(iter([10, 20, 30, 40, 50]), 4))",
           lambda: list(chunked(iter([10, 20, 30, 40, 50]), 4)))


@case("chunked: no empty list at the end when the items divide evenly")
def chunked_no_empty_tail(t):
    chunked = t.module.chunked
    t.call("list(chunked(range(6), 3))", lambda: list(chunked(range(6), 3)))
    t.call("list(chunked([7, 8], 2))", lambda: list(chunked([7, 8], 2)))
    t.call("list(chunked([7, 8], 1))", lambda: list(chunked([7, 8], 1)))


@case("chunked: an empty input gives nothing")
def chunked_empty(t):
    chunked = t.module.chunked
    t.call("list(chunked([], 3))", lambda: list(chunked([], 3)))
    t.call("list(chunked(iter(()), 1))", lambda: list(chunked(iter(()), 1)))


@case("chunked returns an iterator of lists")
def chunked_iterator_of_lists(t):
    chunked = t.module.chunked
    t.call("[type(c).__name__ for c in chunked('abcde', 2)]",
           lambda: [type(c).__name__ for c in chunked("abcde", 2)])
    chunks = t.call("chunks = chunked([1, 2, 3], 2)", chunked, [1, 2, 3], 2, observe=False)
    t.call("iter(chunks) is chunks (an iterator is its own iterator)",
           lambda: iter(chunks) is chunks)
    t.call("next(chunks)", next, chunks)
    t.call("next(chunks)", next, chunks)
    t.call("next(chunks) after the last chunk", next, chunks)


@case("chunked: items can be anything, None included")
def chunked_any_items(t):
    chunked = t.module.chunked
    t.call("list(chunked([1, None, None], 2))", lambda: list(chunked([1, None, None], 2)))
    t.call("list(chunked([None, 0, '', None], 3))",
           lambda: list(chunked([None, 0, "", None], 3)))
    t.call("list(chunked([(1, 2), [3]], 1))", lambda: list(chunked([(1, 2), [3]], 1)))


# ---------------------------------------------------------------------------------------
# windowed
# ---------------------------------------------------------------------------------------


@case("windowed: tuples of every run of `size` consecutive items, in order", points=2)
def windowed_basic(t):
    windowed = t.module.windowed
    t.call("list(windowed(range(5), 3))", lambda: list(windowed(range(5), 3)))
    t.call("list(windowed('abcd', 2))", lambda: list(windowed("abcd", 2)))
    t.call("list(windowed([1, 2, 3], 1))", lambda: list(windowed([1, 2, 3], 1)))
    t.call("list(windowed(iter([4, 5, 6, 7, 8, 9]), 4))",
           lambda: list(windowed(iter([4, 5, 6, 7, 8, 9]), 4)))
    t.call("list(windowed([None, None, 1], 2))", lambda: list(windowed([None, None, 1], 2)))


@case("windowed: exactly `size` items give one window")
def windowed_exact(t):
    windowed = t.module.windowed
    t.call("list(windowed([1, 2, 3], 3))", lambda: list(windowed([1, 2, 3], 3)))
    t.call("list(windowed('x', 1))", lambda: list(windowed("x", 1)))


@case("windowed: fewer than `size` items give nothing")
def windowed_too_few(t):
    windowed = t.module.windowed
    t.call("list(windowed([1, 2], 3))", lambda: list(windowed([1, 2], 3)))
    t.call("list(windowed([], 1))", lambda: list(windowed([], 1)))
    t.call("list(windowed(iter('ab'), 5))", lambda: list(windowed(iter("ab"), 5)))


@case("windowed returns an iterator of tuples")
def windowed_iterator_of_tuples(t):
    windowed = t.module.windowed
    t.call("[type(w).__name__ for w in windowed('abcd', 2)]",
           lambda: [type(w).__name__ for w in windowed("abcd", 2)])
    windows = t.call("windows = windowed([1, 2, 3], 2)", windowed, [1, 2, 3], 2, observe=False)
    t.call("iter(windows) is windows (an iterator is its own iterator)",
           lambda: iter(windows) is windows)
    t.call("next(windows)", next, windows)
    t.call("next(windows)", next, windows)
    t.call("next(windows) after the last window", next, windows)


# ---------------------------------------------------------------------------------------
# size < 1
# ---------------------------------------------------------------------------------------


@case("both raise ValueError for size < 1 when called, before any iteration", points=2)
def size_below_one(t):
    for name in ("chunked", "windowed"):
        function = getattr(t.module, name)
        for size in (0, -1):
            source = Source([1, 2, 3])
            t.call(f"{name}(source, {size}) when called, without iterating its result",
                   calling, function, source, size)
            t.note(f"items pulled from the source by {name}(source, {size})", source.pulled)
        t.call(f"{name}([], 0) when called", calling, function, [], 0)
        t.call(f"{name}([1, 2], 1) when called", calling, function, [1, 2], 1)


# ---------------------------------------------------------------------------------------
# Laziness
# ---------------------------------------------------------------------------------------


@case("both work on infinite iterators", points=2)
def infinite_inputs(t):
    chunked, windowed = t.module.chunked, t.module.windowed
    t.call("first 3 chunks of chunked(itertools.count(), 3)",
           lambda: take(chunked(infinite(), 3), 3))
    t.call("first 3 windows of windowed(itertools.count(), 3)",
           lambda: take(windowed(infinite(), 3), 3))
    t.call("first 2 chunks of chunked(natural_numbers(), 4), an infinite generator",
           lambda: take(chunked(natural_numbers(), 4), 2))
    t.call("first 4 windows of windowed(natural_numbers(), 1), an infinite generator",
           lambda: take(windowed(natural_numbers(), 1), 4))


# The counted sources of check_pulls, by the name shown in the labels.
SOURCES = {
    "itertools.count()": infinite,
    "range(10)": lambda: Source(range(10)),
    "range(40)": lambda: Source(range(40)),
}


def check_pulls(t, name, function, shown, size, steps, window):
    """Call function(source, size) on the source called `shown` (see SOURCES), then next()
    `steps` times; after the call and after each item, note whether the source was pulled
    more than `size` items ahead of the items yielded so far (for windows: up to the last
    item of the last window)."""
    source = SOURCES[shown]()
    result = t.call(f"{name}({shown}, {size})", function, source, size, observe=False)
    if result is None:
        return
    t.note(f"items pulled by {name}({shown}, {size}) before the first next()",
           ahead_verdict(source.pulled, 0, size))
    yielded = 0
    for k in range(1, steps + 1):
        item = t.call(f"next() number {k} of {name}({shown}, {size})", next, result)
        if item is None:
            return
        yielded = (k - 1 + size) if window else yielded + len(item)
        t.note(f"items pulled when item {k} of {name}({shown}, {size}) came out",
               ahead_verdict(source.pulled, yielded, size))


@case("both never pull more than `size` items ahead of what they yield", points=2)
def pulls_only_what_is_needed(t):
    chunked, windowed = t.module.chunked, t.module.windowed
    check_pulls(t, "chunked", chunked, "itertools.count()", 3, 4, window=False)
    check_pulls(t, "chunked", chunked, "range(10)", 2, 5, window=False)
    check_pulls(t, "chunked", chunked, "range(40)", 1, 6, window=False)
    check_pulls(t, "windowed", windowed, "itertools.count()", 3, 4, window=True)
    check_pulls(t, "windowed", windowed, "range(10)", 2, 5, window=True)
    check_pulls(t, "windowed", windowed, "range(40)", 1, 6, window=True)


# ---------------------------------------------------------------------------------------
# Random inputs: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random inputs and sizes", runs=30, points=2)
def random_inputs(t, rng):
    items = [rng.choice([None, 0, 1, 2, "a", "b", (1,)]) for _ in range(rng.randint(0, 12))]
    size = rng.randint(1, 6)
    chunked, windowed = t.module.chunked, t.module.windowed
    t.call(f"list(chunked({items!r}, {size}))", lambda: list(chunked(items, size)))
    t.call(f"list(windowed({items!r}, {size}))", lambda: list(windowed(items, size)))
    t.call(f"list(chunked(iter({items!r}), {size}))", lambda: list(chunked(iter(items), size)))
    t.call(f"list(windowed(iter({items!r}), {size}))",
           lambda: list(windowed(iter(items), size)))
