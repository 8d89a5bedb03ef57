"""Cases for the lru_cache exercise (see README.md for the API they check)."""
import gc
import operator
import random
import time

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["LRUCache"]


def _new(t, capacity):
    """Create a cache; the object itself is not observed, only that the call returned."""
    return t.call(f"LRUCache({capacity!r})", builtin_errors(t.module.LRUCache, ValueError),
                  capacity, observe=False)


def _has(t, cache, key):
    return t.call(f"{key!r} in cache", operator.contains, cache, key)


def _len(t, cache):
    return t.call("len(cache)", len, cache)


# ---------------------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------------------


@case("a capacity below 1 is refused with ValueError")
def capacity_below_one(t):
    _new(t, 0)
    _new(t, -3)
    _new(t, 1)


@case("a new cache is empty")
def new_cache_is_empty(t):
    cache = _new(t, 2)
    _len(t, cache)
    t.method(cache, "get", "a")
    t.method(cache, "get", "a", "nothing")
    _has(t, cache, "a")
    _len(t, cache)


@case("put stores values that get returns")
def put_then_get(t):
    cache = _new(t, 2)
    t.method(cache, "put", "a", 1)
    t.method(cache, "put", "b", 2)
    _len(t, cache)
    t.method(cache, "get", "a")
    t.method(cache, "get", "b")
    _has(t, cache, "a")
    _has(t, cache, "b")


@case("the least recently used key is evicted")
def evicts_least_recently_used(t):
    cache = _new(t, 2)
    t.method(cache, "put", "a", 1)
    t.method(cache, "put", "b", 2)
    t.method(cache, "put", "c", 3)
    _len(t, cache)
    _has(t, cache, "a")
    t.method(cache, "get", "a")
    t.method(cache, "get", "b")
    t.method(cache, "get", "c")


@case("get makes a key the most recently used")
def get_refreshes(t):
    cache = _new(t, 2)
    t.method(cache, "put", "a", 1)
    t.method(cache, "put", "b", 2)
    t.method(cache, "get", "a")
    t.method(cache, "put", "c", 3)
    _has(t, cache, "b")
    _has(t, cache, "a")
    t.method(cache, "get", "a")
    t.method(cache, "get", "c")


@case("put on a present key replaces its value and makes it the most recently used")
def put_update_refreshes(t):
    cache = _new(t, 2)
    t.method(cache, "put", "u", 1)
    t.method(cache, "put", "v", 2)
    t.method(cache, "put", "u", 10)
    _len(t, cache)
    t.method(cache, "put", "w", 3)
    _has(t, cache, "v")
    t.method(cache, "get", "u")
    t.method(cache, "get", "w")
    _len(t, cache)


@case("updating a key of a full cache evicts nothing")
def update_when_full_keeps_others(t):
    cache = _new(t, 2)
    t.method(cache, "put", "x", 1)
    t.method(cache, "put", "y", 2)
    t.method(cache, "put", "y", 20)
    _has(t, cache, "x")
    _len(t, cache)
    t.method(cache, "get", "x")
    t.method(cache, "get", "y")


@case("`key in cache` does not change recency")
def contains_does_not_refresh(t):
    cache = _new(t, 2)
    t.method(cache, "put", "p", 1)
    t.method(cache, "put", "q", 2)
    _has(t, cache, "p")
    t.method(cache, "put", "r", 3)
    _has(t, cache, "p")
    _has(t, cache, "q")
    _has(t, cache, "r")


@case("a missing key returns the default and changes nothing")
def missing_key_changes_nothing(t):
    cache = _new(t, 2)
    t.method(cache, "put", "a", 1)
    t.method(cache, "put", "b", 2)
    t.method(cache, "get", "zz")
    t.method(cache, "get", "zz", 0)
    t.method(cache, "get", "zz", default="none here")
    _has(t, cache, "zz")
    _len(t, cache)
    t.method(cache, "put", "c", 3)
    _has(t, cache, "a")
    _has(t, cache, "b")
    _len(t, cache)


@case("None, 0 and '' are values like any other")
def falsy_values(t):
    cache = _new(t, 3)
    t.method(cache, "put", "zero", 0)
    t.method(cache, "put", "none", None)
    t.method(cache, "put", "empty", "")
    t.method(cache, "get", "zero", "missing")
    t.method(cache, "get", "none", "missing")
    t.method(cache, "get", "empty", "missing")
    _has(t, cache, "none")
    _len(t, cache)
    # Used in the order zero, none, empty: a new key evicts "zero".
    t.method(cache, "put", "new", 1)
    _has(t, cache, "zero")
    _has(t, cache, "empty")


@case("a cache of capacity 1 keeps only the last key")
def capacity_one(t):
    cache = _new(t, 1)
    t.method(cache, "put", "a", 1)
    t.method(cache, "put", "b", 2)
    t.method(cache, "get", "a")
    t.method(cache, "get", "b")
    t.method(cache, "put", "b", 3)
    t.method(cache, "get", "b")
    _len(t, cache)


@case("keys can be any hashable value")
def hashable_keys(t):
    cache = _new(t, 3)
    t.method(cache, "put", (1, 2), "tuple")
    t.method(cache, "put", 3, "int")
    t.method(cache, "put", frozenset({"x"}), "frozenset")
    t.method(cache, "get", (1, 2))
    t.method(cache, "get", 3)
    t.method(cache, "get", frozenset({"x"}))
    t.method(cache, "put", 3.5, "float")
    _has(t, cache, (1, 2))
    _has(t, cache, 3)


def _fill(cache, count):
    for i in range(count):
        cache.put(i, i * i)


def _present(cache, count):
    return [k for k in range(count) if k in cache]


@case("a bigger cache keeps exactly the most recently used keys")
def bigger_cache(t):
    cache = _new(t, 100)
    t.call("put(i, i * i) for i in range(150)", _fill, cache, 150)
    _len(t, cache)
    t.call("[k for k in range(150) if k in cache]", _present, cache, 150)
    t.method(cache, "get", 60)
    t.method(cache, "get", 49)
    t.method(cache, "put", 150, 0)
    t.method(cache, "put", 151, 0)
    t.call("[k for k in range(152) if k in cache]", _present, cache, 152)


# ---------------------------------------------------------------------------------------
# Random sequences: whatever the reference does, the submission must do the same.
# ---------------------------------------------------------------------------------------


@random_case("random sequences of operations", runs=25)
def random_operations(t, rng):
    capacity = rng.randint(1, 4)
    keys = "abcdefg"[: rng.randint(capacity + 1, 7)]
    cache = _new(t, capacity)
    for _ in range(40):
        roll = rng.random()
        key = rng.choice(keys)
        if roll < 0.40:
            t.method(cache, "put", key, rng.randint(0, 99))
        elif roll < 0.60:
            t.method(cache, "get", key)
        elif roll < 0.75:
            t.method(cache, "get", key, rng.choice([None, 0, -1, "missing"]))
        elif roll < 0.90:
            _has(t, cache, key)
        else:
            _len(t, cache)
    t.call(f"[k for k in {keys!r} if k in cache]", lambda: [k for k in keys if k in cache])


# ---------------------------------------------------------------------------------------
# Complexity. Both checks record a classification, never a raw number, so a correct
# submission's observation equals the reference's exactly.
# ---------------------------------------------------------------------------------------

_BIG = 1000  # keys in the cache for the comparison count
_OPERATIONS = 1000  # operations after filling it
_FEW = 4  # comparisons per operation that still count as "a few"
_COUNT_SECONDS = 2.0  # an O(1) cache needs ~1 ms for the whole workload
_LOOK = 64  # operations between two looks at the clock

# [comparisons made, comparisons allowed]: shared by every _CountedKey, reset per workload.
_comparisons = [0, 0]


class _ComparisonBudgetSpent(Exception):
    """Raised from a key's __eq__ once the submission has compared far too often."""


class _CountedKey(int):
    """An int key whose == and != count their calls.

    Its hash is the int's own, so distinct keys have distinct hashes and a dict never needs
    __eq__; an int subclass is also cheap to create (no __init__ in Python)."""

    __slots__ = ()
    __hash__ = int.__hash__

    def __eq__(self, other):
        counter = _comparisons
        counter[0] += 1
        if counter[0] > counter[1]:
            # Far past "a few per operation": stop a quadratic submission quickly.
            raise _ComparisonBudgetSpent()
        return int.__eq__(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self):
        return f"Key({int(self)})"


def _count_comparisons(cache_class):
    """Fill a cache of _BIG counted keys, run _OPERATIONS mixed operations on it.

    Stops early once the comparisons exceed what "a few" per operation allows for the
    whole workload, or after _COUNT_SECONDS (a submission slow for other reasons must
    not run into the time limit here). Returns (comparisons, operations done)."""
    total = _BIG + _OPERATIONS
    _comparisons[:] = [0, _FEW * total]
    keys = [_CountedKey(i) for i in range(total)]
    rng = random.Random(20240601)
    clock = time.perf_counter
    deadline = clock() + _COUNT_SECONDS
    done = 0
    try:
        cache = cache_class(_BIG)
        put = cache.put
        for key in keys[:_BIG]:
            put(key, 0)
            done += 1
            if done % _LOOK == 0 and clock() > deadline:
                return _comparisons[0], done
        inserted = _BIG
        get, draw = cache.get, rng.random
        for _ in range(_OPERATIONS):
            roll = draw()
            # Mostly keys still in the cache, among the newer half: a hit is what a list
            # has to search for, and far from its start.
            recent = keys[inserted - 1 - int(draw() * (_BIG // 2))]
            if roll < 0.5:
                get(recent)
            elif roll < 0.6:
                get(keys[int(draw() * inserted)])
            elif roll < 0.7:
                keys[int(draw() * inserted)] in cache  # noqa: B015 (the test is the point)
            elif roll < 0.8:
                put(recent, 1)
            else:
                put(keys[inserted], 1)
                inserted += 1
            done += 1
            if done % _LOOK == 0 and clock() > deadline:
                break
    except _ComparisonBudgetSpent:
        pass
    return _comparisons[0], done


@case("get, put and `in` compare keys O(1) times, not once per cached key")
def constant_comparisons(t):
    comparisons, done = _count_comparisons(t.module.LRUCache)
    if comparisons <= _FEW * done:
        verdict = "at most a few"
    else:
        verdict = (
            f"grows with the cache size: {comparisons:,} key comparisons within the "
            f"first {done:,} operations. Something searches the keys one by one "
            "(`key in a_list`, list.remove(), list.index()): O(n) per operation, too slow "
            "for a big cache"
        )
    t.note(
        f"key comparisons per operation on a cache of {_BIG:,} keys "
        f"({_BIG + _OPERATIONS:,} operations)",
        verdict,
    )


# The timing check is the backstop for scans that compare no keys (min() over last-used
# times, a rebuilt list): it times puts and gets on a full cache of _LARGE keys and of
# _SMALL keys, in short interleaved rounds, and compares the best time per operation of
# each size. It must stay cheap and never fail a correct cache on a busy machine. A correct
# cache stays within ~1.5x (under 3x with a parallel build running), so the rounds stop as
# soon as both ratios are under _CLEARLY_FINE; a scan of every entry makes put 40-60x
# slower on _LARGE keys (Python 3.9 to 3.13), far over _RATIO_LIMIT. Being the best of
# several rounds, a ratio is only wrong when the machine slowed down *every* round of one
# size: a correct cache fails only if all its large rounds ran over 6x slower than they
# should, a scan passes only if all its small rounds (up to _MAX_ROUNDS) ran over 4x slower.
_SMALL, _LARGE = 16, 2000
_RATIO_LIMIT = 10  # over this, the large cache is "slower", whatever the noise
_CLEARLY_FINE = 3  # under this after _MIN_ROUNDS, no need for more rounds
_CHUNK = 50  # operations of one kind timed in one round
_MIN_ROUNDS, _MAX_ROUNDS = 3, 40
_ROUNDS_SECONDS = 1.0  # rounds after _MIN_ROUNDS stop here (a slow submission, a busy machine)
_FILL_SECONDS = 2.0  # an O(1) cache takes ~1 ms to put 2,000 keys


class _TooSlowToFill(Exception):
    """Putting the keys that fill a cache of _LARGE keys took over _FILL_SECONDS."""


class _Timed:
    """A full cache of `size` int keys and two kinds of timed rounds that keep it full."""

    def __init__(self, cache_class, size):
        self.size = size
        self.cache = cache_class(size)
        put, clock = self.cache.put, time.perf_counter
        deadline = clock() + _FILL_SECONDS
        for first in range(0, size, 100):
            for i in range(first, min(first + 100, size)):
                put(i, i)
            if clock() > deadline:
                raise _TooSlowToFill()
        self.next_key = size

    def put_round(self):
        """Seconds per put of a new key (each one evicts the least recently used key)."""
        put, first = self.cache.put, self.next_key
        keys = range(first, first + _CHUNK)
        clock = time.perf_counter
        start = clock()
        for key in keys:
            put(key, key)
        elapsed = clock() - start
        self.next_key = first + _CHUNK
        return elapsed / _CHUNK

    def get_round(self):
        """Seconds per get of a key put recently (so still cached, wherever it sits)."""
        get, newest, quarter = self.cache.get, self.next_key - 1, self.size // 4
        recent = [newest - (j * 7919) % quarter for j in range(_CHUNK)]
        clock = time.perf_counter
        start = clock()
        for key in recent:
            get(key)
        return (clock() - start) / _CHUNK


def _time_ratios(cache_class):
    """(put ratio, get ratio): best time per operation on _LARGE keys over that on _SMALL."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # no collection during a round (and no gc.collect(): it costs milliseconds)
    try:
        small = _Timed(cache_class, _SMALL)
        large = _Timed(cache_class, _LARGE)
        best = {}
        deadline = time.perf_counter() + _ROUNDS_SECONDS
        for rounds in range(1, _MAX_ROUNDS + 1):
            for name, timed in (("small", small), ("large", large)):  # interleaved
                for kind, seconds in (("put", timed.put_round()), ("get", timed.get_round())):
                    key = (name, kind)
                    best[key] = min(best.get(key, float("inf")), seconds)
            ratios = tuple(
                best[("large", kind)] / max(best[("small", kind)], 1e-9)
                for kind in ("put", "get")
            )
            if rounds >= _MIN_ROUNDS and (
                max(ratios) < _CLEARLY_FINE or time.perf_counter() > deadline
            ):
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return ratios


@case(f"get and put take about the same time on {_LARGE:,} keys as on {_SMALL} keys")
def constant_time(t):
    try:
        put_ratio, get_ratio = _time_ratios(t.module.LRUCache)
    except _TooSlowToFill:
        slow = f"putting the first {_LARGE:,} keys took over {_FILL_SECONDS:.0f} seconds"
    else:
        slow = " and ".join(
            f"{kind} is about {ratio:.0f} times slower on {_LARGE:,} keys than on {_SMALL}"
            for kind, ratio in (("put", put_ratio), ("get", get_ratio))
            if ratio > _RATIO_LIMIT
        )
    if not slow:
        verdict = "about the same (O(1) per operation)"
    else:
        verdict = (
            f"grows with the cache size: {slow}. Something walks the entries one by one "
            "(a list of keys, or min() over last-used times to find the key to evict): "
            "O(n) per operation, too slow for a big cache"
        )
    t.note(f"time per get/put on a cache of {_LARGE:,} keys vs {_SMALL} keys", verdict)
