"""Cases for the ttl_cache exercise (see README.md for the API they check).

Every cache gets a fake clock: a function returning a time the case sets, unrelated to the
real clock. Times are multiples of 1/8, so that `t + ttl` is exact however it is computed.
"""
import operator
import time

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["TTLCache"]


class FakeClock:
    """clock() returns `now`, which only the case moves."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def new(t, ttl, clock):
    """TTLCache(ttl, clock=clock); the object is not observed, only that the call returned."""
    return t.call(f"TTLCache({ttl!r}, clock=clock)",
                  builtin_errors(t.module.TTLCache, ValueError), ttl, clock=clock,
                  observe=False)


def at(t, clock, now):
    """Move the fake clock, as a step that shows in the "after ..." part of a failure."""

    def move():
        clock.now = now

    t.call(f"clock moves to {now!r}", move)


def has(t, cache, key):
    return t.call(f"{key!r} in cache", operator.contains, cache, key)


def size(t, cache):
    return t.call("len(cache)", len, cache)


# ---------------------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------------------


@case("ttl <= 0 raises ValueError", points=2)
def ttl_not_positive(t):
    clock = FakeClock(0.0)
    new(t, 0, clock)
    new(t, -1.5, clock)
    new(t, 0.0, clock)
    cache = new(t, 0.125, clock)
    t.method(cache, "set", "k", "v")
    t.method(cache, "get", "k")


@case("clock is keyword-only")
def clock_keyword_only(t):
    clock = FakeClock(0.0)
    cache = new(t, 2, clock)
    t.method(cache, "set", "k", 1)
    t.method(cache, "get", "k")
    t.call("TTLCache(2, clock)", t.module.TTLCache, 2, clock, observe=False)


@case("the default clock works (time.monotonic)")
def default_clock(t):
    cache = t.call("TTLCache(3600)", t.module.TTLCache, 3600, observe=False)
    t.method(cache, "set", "k", "v")
    t.method(cache, "get", "k")
    has(t, cache, "k")
    size(t, cache)
    t.method(cache, "purge")


# ---------------------------------------------------------------------------------------
# Life and death of an entry
# ---------------------------------------------------------------------------------------


@case("set stores a value that get returns; a missing key gives the default")
def set_then_get(t):
    clock = FakeClock(1000.0)
    cache = new(t, 5, clock)
    t.method(cache, "set", "a", 1)
    t.method(cache, "set", ("x", 2), [1, 2])
    t.method(cache, "get", "a")
    t.method(cache, "get", ("x", 2))
    t.method(cache, "get", "missing")
    t.method(cache, "get", "missing", "fallback")
    t.method(cache, "get", "missing", default=0)
    has(t, cache, "a")
    has(t, cache, "missing")
    size(t, cache)


@case("an entry set at t is alive while clock() < t + ttl, and expired at t + ttl", points=3)
def alive_until_deadline(t):
    clock = FakeClock(10.0)
    cache = new(t, 2.5, clock)
    t.method(cache, "set", "job", "running")
    at(t, clock, 12.375)
    t.method(cache, "get", "job")
    has(t, cache, "job")
    size(t, cache)
    at(t, clock, 12.5)
    t.method(cache, "get", "job")
    t.method(cache, "get", "job", "expired")
    has(t, cache, "job")
    size(t, cache)


@case("`in` is true for live entries only")
def contains_live_only(t):
    clock = FakeClock(0.0)
    cache = new(t, 1, clock)
    t.method(cache, "set", "p", "x")
    at(t, clock, 0.5)
    t.method(cache, "set", "q", "y")
    at(t, clock, 1.0)
    has(t, cache, "p")
    has(t, cache, "q")
    at(t, clock, 1.5)
    has(t, cache, "q")


@case("len(cache) counts live entries only", points=2)
def len_live_only(t):
    clock = FakeClock(0.0)
    cache = new(t, 4, clock)
    for i, when in enumerate([0.0, 1.0, 2.0, 3.0]):
        at(t, clock, when)
        t.method(cache, "set", f"k{i}", i)
    size(t, cache)
    at(t, clock, 4.0)
    size(t, cache)
    at(t, clock, 6.125)
    size(t, cache)
    at(t, clock, 100.0)
    size(t, cache)


@case("setting a key again replaces its value and restarts its time", points=3)
def set_again_restarts(t):
    clock = FakeClock(50.0)
    cache = new(t, 2, clock)
    t.method(cache, "set", "s", "old")
    at(t, clock, 51.5)
    t.method(cache, "set", "s", "new")
    at(t, clock, 53.0)  # 3 seconds after the first set, 1.5 after the second
    t.method(cache, "get", "s")
    has(t, cache, "s")
    size(t, cache)
    at(t, clock, 53.5)
    t.method(cache, "get", "s")


@case("setting an expired key again brings it back with the new value")
def set_after_expiry(t):
    clock = FakeClock(0.0)
    cache = new(t, 1, clock)
    t.method(cache, "set", "e", 1)
    at(t, clock, 3.0)
    t.method(cache, "set", "e", 2)
    t.method(cache, "get", "e")
    has(t, cache, "e")
    size(t, cache)
    at(t, clock, 3.875)
    t.method(cache, "get", "e")


@case("None, 0 and '' are values like any other")
def falsy_values(t):
    clock = FakeClock(0.0)
    cache = new(t, 1, clock)
    t.method(cache, "set", "none", None)
    t.method(cache, "set", "zero", 0)
    t.method(cache, "set", "empty", "")
    t.method(cache, "get", "none", "missing")
    t.method(cache, "get", "zero", "missing")
    t.method(cache, "get", "empty", "missing")
    has(t, cache, "none")
    size(t, cache)


# ---------------------------------------------------------------------------------------
# purge
# ---------------------------------------------------------------------------------------


@case("purge() removes the expired entries and returns how many it removed", points=3)
def purge_counts(t):
    clock = FakeClock(0.0)
    cache = new(t, 2, clock)
    t.method(cache, "set", "a", 1)
    t.method(cache, "set", "b", 2)
    at(t, clock, 1.0)
    t.method(cache, "set", "c", 3)
    t.method(cache, "purge")  # nothing expired yet
    at(t, clock, 2.0)  # a and b expire now, c is alive until 3.0
    t.method(cache, "purge")
    t.method(cache, "purge")  # nothing left to remove
    size(t, cache)
    has(t, cache, "c")
    at(t, clock, 10.0)
    t.method(cache, "purge")
    size(t, cache)
    t.method(cache, "set", "a", 4)  # a purged key can be set again
    t.method(cache, "get", "a")


@case("purge() on an empty cache returns 0")
def purge_empty(t):
    cache = new(t, 1, FakeClock(0.0))
    t.method(cache, "purge")


@case("purge() still counts entries that expired unseen while len() and set() ran", points=2)
def purge_counts_after_len_and_set(t):
    clock = FakeClock(0.0)
    cache = new(t, 1, clock)
    t.method(cache, "set", "x", 1)
    t.method(cache, "set", "y", 2)
    at(t, clock, 5.0)
    size(t, cache)
    t.method(cache, "set", "z", 3)
    size(t, cache)
    t.method(cache, "purge")
    size(t, cache)


@case("after get or `in` met an expired entry, purge() removes what is left")
def purge_after_lookups(t):
    # Whether get and `in` dropped the entries they met is free: purge's count is not
    # observed here, only what the cache holds afterwards.
    clock = FakeClock(0.0)
    cache = new(t, 1, clock)
    t.method(cache, "set", "x", 1)
    t.method(cache, "set", "y", 2)
    at(t, clock, 1.0)
    t.method(cache, "get", "x")
    has(t, cache, "y")
    t.call("purge()", cache.purge, observe=False)
    size(t, cache)
    t.method(cache, "purge")
    has(t, cache, "x")


# ---------------------------------------------------------------------------------------
# The clock
# ---------------------------------------------------------------------------------------

_TIME_FUNCTIONS = ("time", "monotonic", "perf_counter", "time_ns", "monotonic_ns",
                   "perf_counter_ns")


class TimeWatch:
    """Replaces the time module's clocks; records the ones read while `inside` is set."""

    def __init__(self):
        self.read = []
        self.inside = False
        self.saved = {}

    def __enter__(self):
        for name in _TIME_FUNCTIONS:
            real = getattr(time, name)
            self.saved[name] = real
            setattr(time, name, self._watched(name, real))
        return self

    def __exit__(self, *exc):
        for name, real in self.saved.items():
            setattr(time, name, real)

    def _watched(self, name, real):
        def watched():
            if self.inside:
                self.read.append(f"time.{name}()")
            return real()

        return watched

    def run(self, function, *args):
        self.inside = True
        try:
            return function(*args)
        finally:
            self.inside = False


@case("the clock is read through the clock given, never the time module directly", points=2)
def clock_only(t):
    clock = FakeClock(1_000_000.0)
    with TimeWatch() as watch:
        cache = None

        def run(label, function):
            result = t.call(label, watch.run, function, observe=label != "TTLCache(1, clock=clock)")
            t.note(f"time module clocks read by {label}", sorted(set(watch.read)))
            del watch.read[:]
            return result

        cache = run("TTLCache(1, clock=clock)", lambda: t.module.TTLCache(1, clock=clock))
        run("set('k', 'v')", lambda: cache.set("k", "v"))
        run("get('k')", lambda: cache.get("k"))
        run("'k' in cache", lambda: "k" in cache)
        run("len(cache)", lambda: len(cache))
        at(t, clock, 1_000_001.0)
        run("purge()", lambda: cache.purge())
        run("get('k')", lambda: cache.get("k"))


# ---------------------------------------------------------------------------------------
# Random sequences, with a model that knows when purge()'s count is pinned
# ---------------------------------------------------------------------------------------


class Model:
    """Tracks which expired entries were looked up (get or in) after they expired: while
    one of them is unpurged, purge()'s count depends on a free choice and is not observed."""

    def __init__(self, ttl):
        self.ttl = ttl
        self.set_at = {}
        self.seen_expired = set()

    def expired(self, key, now):
        return key in self.set_at and not now < self.set_at[key] + self.ttl

    def set(self, key, now):
        self.set_at[key] = now
        self.seen_expired.discard(key)

    def look(self, key, now):
        if self.expired(key, now):
            self.seen_expired.add(key)

    def purge_is_pinned(self, now):
        gone = [key for key in self.set_at if self.expired(key, now)]
        pinned = not any(key in self.seen_expired for key in gone)
        for key in gone:
            del self.set_at[key]
            self.seen_expired.discard(key)
        return pinned


@random_case("random operations on a moving clock, compared with the reference", runs=30,
             points=3)
def random_operations(t, rng):
    ttl = rng.choice([0.25, 1, 1.5, 2.0, 3])
    start = rng.choice([0.0, 1_000.0, 1_000_000.0])
    keys = "abcde"[: rng.randint(1, 5)]
    # Draw the whole script first: it must not depend on what the submission does.
    script = []
    now = start
    for _ in range(40):
        roll = rng.random()
        if roll < 0.2:
            now += rng.randint(1, 12) / 8
            script.append(("tick", now))
        elif roll < 0.45:
            script.append(("set", rng.choice(keys), rng.choice([0, 1, None, "v", 42])))
        elif roll < 0.6:
            script.append(("get", rng.choice(keys)))
        elif roll < 0.75:
            script.append(("in", rng.choice(keys)))
        elif roll < 0.87:
            script.append(("len",))
        else:
            script.append(("purge",))

    clock = FakeClock(start)
    cache = new(t, ttl, clock)
    model = Model(ttl)
    for step in script:
        kind = step[0]
        if kind == "tick":
            at(t, clock, step[1])
        elif kind == "set":
            t.method(cache, "set", step[1], step[2])
            model.set(step[1], clock.now)
        elif kind == "get":
            model.look(step[1], clock.now)
            t.method(cache, "get", step[1], "absent")
        elif kind == "in":
            model.look(step[1], clock.now)
            has(t, cache, step[1])
        elif kind == "len":
            size(t, cache)
        elif model.purge_is_pinned(clock.now):
            t.method(cache, "purge")
        else:
            t.call("purge() (its count is free: an expired entry was looked up)",
                   cache.purge, observe=False)
    t.call(f"[k for k in {keys!r} if k in cache]", lambda: [k for k in keys if k in cache])
