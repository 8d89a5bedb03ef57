"""Cases for the interval_merge exercise (see README.md for the API they check)."""
import math
import random

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["merge", "insert"]


def do_merge(t, intervals, shown=None):
    label = f"merge({shown if shown is not None else repr(intervals)})"
    return t.call(label, builtin_errors(t.module.merge, ValueError), intervals)


def do_insert(t, merged, interval, copy=True):
    """insert(merged, interval); on a copy of merged unless copy=False, so that a submission
    that modifies merged fails only the case about it, not every later call."""
    given = list(merged) if copy else merged
    return t.call(f"insert({merged!r}, {interval!r})", builtin_errors(t.module.insert, ValueError),
                  given, interval)


# ---------------------------------------------------------------------------------------
# merge
# ---------------------------------------------------------------------------------------


@case("merge of nothing is []; one interval comes back as a tuple")
def merge_trivial(t):
    do_merge(t, [])
    do_merge(t, [[4, 9]])
    do_merge(t, [(4, 9)])


@case("merge joins overlapping intervals and sorts by start", points=3)
def merge_overlapping(t):
    do_merge(t, [[1, 3], [2, 6], [8, 10], [15, 18]])
    do_merge(t, [[8, 10], [1, 3], [15, 18], [2, 6]])
    do_merge(t, [(5, 9), (1, 4), (3, 6)])
    do_merge(t, [(1, 5), (1, 2), (1, 9), (1, 3)])


@case("a nested interval does not shrink the one around it", points=2)
def merge_nested(t):
    do_merge(t, [(1, 10), (2, 3)])
    do_merge(t, [(2, 3), (1, 10), (4, 6), (11, 12)])


@case("touching intervals merge: (1, 2) and (2, 3) give (1, 3)", points=3)
def merge_touching(t):
    do_merge(t, [(1, 2), (2, 3)])
    do_merge(t, [(2, 3), (1, 2), (3, 3), (4, 5)])
    do_merge(t, [(1, 2), (3, 4)])


@case("an interval may be a single point")
def merge_points(t):
    do_merge(t, [(5, 5)])
    do_merge(t, [(5, 5), (5, 5), (6, 6)])
    do_merge(t, [(1, 4), (4, 4), (2, 2), (7, 7)])


@case("merge chains intervals that only meet through others")
def merge_chain(t):
    do_merge(t, [(1, 3), (7, 9), (2, 5), (4, 8)])
    do_merge(t, [(i, i + 1) for i in range(0, 20, 2)] + [(1, 19)])


@case("merge returns tuples and a new list, and leaves its argument as it was", points=2)
def merge_new_list(t):
    given = [[8, 10], [1, 3], [2, 6]]
    result = do_merge(t, given)
    t.note("the list given to merge, afterwards", given)
    t.note("merge returned the list it was given", result is given)
    pairs = [(3, 4), (1, 2)]
    result = do_merge(t, pairs)
    t.note("the list given to merge, afterwards", pairs)
    t.note("merge returned the list it was given", result is pairs)


@case("merge accepts any iterable: a tuple, a generator")
def merge_iterables(t):
    do_merge(t, ((3, 4), (1, 3)))
    do_merge(t, ((i, i + 2) for i in (6, 0, 3, 10)),
             shown="(i, i + 2) for i in (6, 0, 3, 10)")


@case("negative numbers and floats work")
def merge_numbers(t):
    do_merge(t, [(-5, -1), (-2, 0.5), (0.75, 1.25), (1.25, 2)])


@case("an interval with start > end raises ValueError", points=2)
def merge_invalid(t):
    do_merge(t, [(3, 1)])
    do_merge(t, [(1, 2), (6, 5), (3, 4)])
    do_insert(t, [(1, 2)], (9, 8))
    do_insert(t, [], (1, 0))


# ---------------------------------------------------------------------------------------
# insert
# ---------------------------------------------------------------------------------------


@case("insert into an empty list")
def insert_empty(t):
    do_insert(t, [], (3, 4))
    do_insert(t, [], [3, 4])


@case("insert an interval that touches nothing: it goes where it belongs", points=2)
def insert_disjoint(t):
    merged = [(10, 20), (30, 40), (50, 60)]
    do_insert(t, merged, (0, 5))
    do_insert(t, merged, (22, 28))
    do_insert(t, merged, (41, 49))
    do_insert(t, merged, (70, 80))


@case("insert merges the intervals the new one overlaps", points=3)
def insert_overlapping(t):
    merged = [(1, 2), (4, 5), (7, 9), (12, 16)]
    do_insert(t, merged, (3, 8))
    do_insert(t, merged, (4, 13))
    do_insert(t, merged, (0, 100))
    do_insert(t, merged, (8, 8))
    do_insert(t, merged, (13, 14))
    do_insert(t, merged, (1, 1))


@case("insert merges intervals the new one only touches", points=3)
def insert_touching(t):
    merged = [(1, 2), (4, 5), (7, 9)]
    do_insert(t, merged, (2, 3))
    do_insert(t, merged, (3, 4))
    do_insert(t, merged, (5, 7))
    do_insert(t, merged, (9, 10))
    do_insert(t, merged, (0, 1))
    do_insert(t, merged, (2, 4))


@case("insert returns a new list and leaves merged as it was", points=2)
def insert_new_list(t):
    merged = [(1, 2), (4, 5), (7, 9)]
    result = do_insert(t, merged, (3, 3), copy=False)
    t.note("merged afterwards", merged)
    t.note("insert returned merged itself", result is merged)
    merged = [(1, 2), (4, 5), (7, 9)]
    result = do_insert(t, merged, (4, 7), copy=False)
    t.note("merged afterwards", merged)
    t.note("insert returned merged itself", result is merged)


# ---------------------------------------------------------------------------------------
# Random intervals
# ---------------------------------------------------------------------------------------


@random_case("random intervals to merge, compared with the reference", runs=30, points=2)
def random_merge(t, rng):
    count = rng.randint(0, 12)
    intervals = []
    for _ in range(count):
        start = rng.randint(0, 40)
        pair = [start, start + rng.choice([0, 0, 1, 2, 3, 5, 8])]
        intervals.append(pair if rng.random() < 0.5 else tuple(pair))
    do_merge(t, intervals)


def _random_merged(rng, count, spread):
    """A sorted list of intervals none of which overlap or touch."""
    merged, position = [], rng.randint(-5, 5)
    for _ in range(count):
        start = position + rng.randint(1, spread)
        end = start + rng.randint(0, spread)
        merged.append((start, end))
        position = end + 1
    return merged


@random_case("random inserts into merged lists, compared with the reference", runs=40,
             points=3)
def random_insert(t, rng):
    merged = _random_merged(rng, rng.randint(0, 8), 4)
    low = merged[0][0] - 3 if merged else 0
    high = merged[-1][1] + 3 if merged else 10
    for _ in range(3):
        start = rng.randint(low, high)
        do_insert(t, merged, (start, start + rng.choice([0, 1, 2, 4, 8, 16])))


# ---------------------------------------------------------------------------------------
# Counting comparisons
# ---------------------------------------------------------------------------------------

# [comparisons made, comparisons allowed before the work is stopped, counting on?]
_state = [0, 0, False]


class _Spent(BaseException):
    """Raised from a comparison once far more were made than allowed."""


def _count():
    if _state[2]:
        _state[0] += 1
        if _state[0] > _state[1]:
            raise _Spent()


class End(int):
    """An interval end whose six comparison operators count their calls."""

    __slots__ = ()
    __hash__ = int.__hash__

    def __lt__(self, other):
        _count()
        return int.__lt__(self, other)

    def __le__(self, other):
        _count()
        return int.__le__(self, other)

    def __gt__(self, other):
        _count()
        return int.__gt__(self, other)

    def __ge__(self, other):
        _count()
        return int.__ge__(self, other)

    def __eq__(self, other):
        _count()
        return int.__eq__(self, other)

    def __ne__(self, other):
        _count()
        return int.__ne__(self, other)

    def __repr__(self):
        return repr(int(self))


def _counted(function, *args, stop):
    """(comparisons made by function(*args), whether it was stopped)."""
    _state[:] = [0, stop, True]
    try:
        function(*args)
    except _Spent:
        return _state[0], True
    finally:
        _state[2] = False
    return _state[0], False


def _insert_limit(n, k):
    return 10 * math.ceil(math.log2(n + 1)) + 6 * (k + 2)


@case("insert makes O(log n + k) comparisons on 10,000 merged intervals", points=3)
def insert_comparisons(t):
    n = 10_000
    merged = [(End(10 * i), End(10 * i + 5)) for i in range(n)]
    rng = random.Random(2024)
    # (new interval, k): disjoint ones (k = 0) and ones covering 1 to 5 intervals
    queries = [((End(-3), End(-2)), 0), ((End(10 * n), End(10 * n + 1)), 0)]
    for _ in range(30):
        i = rng.randrange(n)
        queries.append(((End(10 * i + 6), End(10 * i + 8)), 0))
        span = rng.randint(1, 5)
        j = rng.randrange(n - span)
        queries.append(((End(10 * j + 1), End(10 * (j + span - 1) + 2)), span))

    def verdict():
        for interval, k in queries:
            limit = _insert_limit(n, k)
            count, stopped = _counted(t.module.insert, merged, interval, stop=20 * limit)
            if count > limit:
                made = f"at least {count:,}" if stopped else f"{count:,}"
                return (f"{made} for insert(merged, {interval!r}) with k = {k}, more than "
                        f"{limit}: O(n) (a scan, or merging everything again), "
                        "not O(log n + k)")
        return "within 10 * ceil(log2(n + 1)) + 6 * (k + 2) for every insert"

    t.call("comparisons made by insert on 10,000 intervals", verdict)


@case("merge makes O(n log n) comparisons on 2,000 intervals", points=2)
def merge_comparisons(t):
    n = 2000
    rng = random.Random(7)
    starts = rng.sample(range(0, 20 * n, 5), n)  # distinct, mostly not overlapping
    intervals = [(End(s), End(s + rng.choice([1, 2, 3, 7]))) for s in starts]
    limit = 6 * n * math.ceil(math.log2(n + 1))

    def verdict():
        count, stopped = _counted(t.module.merge, intervals, stop=4 * limit)
        if count > limit:
            made = f"at least {count:,}" if stopped else f"{count:,}"
            return (f"{made}, more than {limit:,}: O(n²), every interval compared with "
                    "every other one; sort them first")
        return "within 6 * n * ceil(log2(n + 1))"

    t.call("comparisons made by merge of 2,000 intervals", verdict)
