"""Cases for the ring_buffer exercise (see README.md for the API they check)."""
import gc
import time

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["RingBuffer"]


class Lenient:
    """The learner's buffer as `t.method` sees it: its methods go through builtin_errors."""

    def __init__(self, buf):
        self._buf = buf

    def __getattr__(self, name):
        return builtin_errors(getattr(self._buf, name), ValueError, IndexError)


def new(t, capacity):
    """RingBuffer(capacity); the object is not observed, only that the call returned."""
    return t.call(f"RingBuffer({capacity!r})", builtin_errors(t.module.RingBuffer, ValueError),
                  capacity, observe=False)


def size(t, buf):
    return t.call("len(buf)", len, buf)


def items(t, buf):
    return t.call("list(buf)", list, buf)


def full(t, buf):
    return t.call("buf.full", getattr, buf, "full")


def look(t, buf):
    """len, list and full: everything the buffer shows without changing it."""
    size(t, buf)
    items(t, buf)
    full(t, buf)


# ---------------------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------------------


@case("a capacity below 1 raises ValueError", points=2)
def capacity_below_one(t):
    new(t, 0)
    new(t, -5)
    buf = new(t, 1)
    t.call("buf.capacity", getattr, buf, "capacity")


@case("a new buffer is empty and not full; buf.capacity is the capacity given")
def new_buffer(t):
    buf = new(t, 3)
    t.call("buf.capacity", getattr, buf, "capacity")
    look(t, buf)


@case("push returns None while the buffer is not full; full is True at capacity", points=2)
def push_until_full(t):
    buf = new(t, 3)
    for item in ("a", "b", "c"):
        full(t, buf)
        t.method(Lenient(buf), "push", item)
        size(t, buf)
    full(t, buf)
    items(t, buf)


@case("push on a full buffer evicts the oldest item and returns it", points=3)
def push_evicts_oldest(t):
    buf = new(t, 3)
    for item in (1, 2, 3):
        t.method(Lenient(buf), "push", item)
    t.method(Lenient(buf), "push", 4)
    look(t, buf)
    t.method(Lenient(buf), "push", 5)
    t.method(Lenient(buf), "push", 6)
    t.method(Lenient(buf), "push", 7)
    look(t, buf)
    t.call("buf.capacity", getattr, buf, "capacity")


@case("pop removes and returns the oldest item", points=3)
def pop_oldest(t):
    buf = new(t, 4)
    for item in ("first", "second", "third"):
        t.method(Lenient(buf), "push", item)
    t.method(Lenient(buf), "pop")
    look(t, buf)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "push", "fourth")
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "pop")
    look(t, buf)


@case("pop on an empty buffer raises IndexError", points=2)
def pop_empty(t):
    buf = new(t, 2)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "push", "x")
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "pop")
    size(t, buf)
    t.method(Lenient(buf), "push", "y")
    t.method(Lenient(buf), "pop")


@case("peek returns the oldest item without removing it", points=2)
def peek_oldest(t):
    buf = new(t, 3)
    t.method(Lenient(buf), "push", 10)
    t.method(Lenient(buf), "push", 20)
    t.method(Lenient(buf), "peek")
    t.method(Lenient(buf), "peek")
    look(t, buf)
    t.method(Lenient(buf), "push", 30)
    t.method(Lenient(buf), "push", 40)  # evicts 10
    t.method(Lenient(buf), "peek")
    size(t, buf)


@case("peek on an empty buffer raises IndexError")
def peek_empty(t):
    buf = new(t, 2)
    t.method(Lenient(buf), "peek")
    t.method(Lenient(buf), "push", 1)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "peek")
    size(t, buf)


@case("iteration goes from oldest to newest, also after wrapping around", points=3)
def iteration_order(t):
    buf = new(t, 4)
    for item in range(6):  # 0 and 1 are evicted
        t.method(Lenient(buf), "push", item)
    items(t, buf)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "push", 6)
    t.method(Lenient(buf), "push", 7)
    items(t, buf)
    items(t, buf)  # iterating does not consume anything
    t.call("[x for x in buf]", lambda: [x for x in buf])
    size(t, buf)


@case("full is a bool property, False again after a pop", points=2)
def full_property(t):
    buf = new(t, 2)
    full(t, buf)
    t.method(Lenient(buf), "push", "a")
    t.method(Lenient(buf), "push", "b")
    full(t, buf)
    t.method(Lenient(buf), "pop")
    full(t, buf)
    t.call("type(buf.full).__name__", lambda: type(buf.full).__name__)


@case("a buffer of capacity 1")
def capacity_one(t):
    buf = new(t, 1)
    t.method(Lenient(buf), "push", "a")
    full(t, buf)
    t.method(Lenient(buf), "push", "b")
    t.method(Lenient(buf), "peek")
    items(t, buf)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "pop")
    full(t, buf)


@case("any item may be stored, None and 0 included")
def any_items(t):
    buf = new(t, 2)
    t.method(Lenient(buf), "push", None)
    t.method(Lenient(buf), "push", 0)
    t.method(Lenient(buf), "push", (1, 2))  # evicts None, which push returns
    items(t, buf)
    t.method(Lenient(buf), "pop")
    t.method(Lenient(buf), "peek")


# ---------------------------------------------------------------------------------------
# Random sequences
# ---------------------------------------------------------------------------------------


@random_case("random sequences of operations, compared with the reference", runs=30, points=3)
def random_operations(t, rng):
    capacity = rng.randint(1, 6)
    script = []
    for index in range(50):
        roll = rng.random()
        if roll < 0.45:
            script.append(("push", index))
        elif roll < 0.7:
            script.append(("pop",))
        elif roll < 0.8:
            script.append(("peek",))
        elif roll < 0.9:
            script.append(("list",))
        else:
            script.append(("len",))
    buf = new(t, capacity)
    for step in script:
        if step[0] == "push":
            t.method(Lenient(buf), "push", step[1])
        elif step[0] in ("pop", "peek"):
            t.method(Lenient(buf), step[0])
        elif step[0] == "list":
            items(t, buf)
            full(t, buf)
        else:
            size(t, buf)


# ---------------------------------------------------------------------------------------
# O(1) push and pop: timed, as robustly as timing can be (see README.md)
#
# Moving items in memory (list.pop(0), list.insert(0, x), del items[0], items[1:]) is done
# by C code that no instrumented item can observe, so this check times push and pop on a
# full buffer of _LARGE items against a full buffer of _SMALL items, in short interleaved
# rounds, and compares the best time per operation of each size. It measures the thread's
# CPU time (time.thread_time), so time the machine gives to other processes is not counted. A correct buffer stays
# within 1.5x (measured with a load average of 12 on 2 cores); list.pop(0) on _LARGE items
# is 60-250x slower (Python 3.9 to 3.13), far over _RATIO_LIMIT. Taking the best of several
# rounds, a correct buffer fails only if every one of its large rounds ran over 6x slower
# than it should.
# ---------------------------------------------------------------------------------------

_SMALL, _LARGE = 256, 100_000
_CHUNK = 200  # operations of one kind timed in one round (at most _SMALL)
_RATIO_LIMIT = 10
_CLEARLY_FINE = 3
_MIN_ROUNDS, _MAX_ROUNDS = 5, 40
_ROUNDS_SECONDS = 1.0
_FILL_SECONDS = 3.0  # a correct buffer fills _LARGE items in ~0.1 s


def _cpu_clock():
    """This thread's CPU time: time the machine spends on other processes does not count."""
    try:
        time.thread_time()
        return time.thread_time
    except (AttributeError, OSError):  # a platform without a thread CPU clock
        return time.perf_counter


_clock = _cpu_clock()


class _TooSlowToFill(Exception):
    """Pushing the items that fill a buffer of _LARGE items took over _FILL_SECONDS."""


class _Timed:
    """A full buffer of `size` ints and two kinds of timed rounds that keep it full."""

    def __init__(self, buffer_class, size):
        self.buf = buffer_class(size)
        push, clock = self.buf.push, time.perf_counter
        deadline = clock() + _FILL_SECONDS
        for first in range(0, size, 1000):
            for i in range(first, min(first + 1000, size)):
                push(i)
            if clock() > deadline:
                raise _TooSlowToFill()

    def push_round(self):
        """Seconds per push onto the full buffer (each one evicts the oldest item)."""
        push, clock = self.buf.push, _clock
        start = clock()
        for i in range(_CHUNK):
            push(i)
        return (clock() - start) / _CHUNK

    def pop_round(self):
        """Seconds per pop of the oldest item; the buffer is refilled afterwards, untimed."""
        pop, clock = self.buf.pop, _clock
        start = clock()
        for _ in range(_CHUNK):
            pop()
        elapsed = clock() - start
        push = self.buf.push
        for i in range(_CHUNK):
            push(i)
        return elapsed / _CHUNK


def _time_ratios(buffer_class):
    """(push ratio, pop ratio): best time per operation on _LARGE items over _SMALL items."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # no collection during a round
    try:
        small = _Timed(buffer_class, _SMALL)
        large = _Timed(buffer_class, _LARGE)
        best = {}
        deadline = time.perf_counter() + _ROUNDS_SECONDS
        for rounds in range(1, _MAX_ROUNDS + 1):
            for name, timed in (("small", small), ("large", large)):  # interleaved
                for kind, seconds in (("push", timed.push_round()), ("pop", timed.pop_round())):
                    key = (name, kind)
                    best[key] = min(best.get(key, float("inf")), seconds)
            ratios = tuple(
                best[("large", kind)] / max(best[("small", kind)], 1e-9)
                for kind in ("push", "pop")
            )
            if rounds >= _MIN_ROUNDS and (
                max(ratios) < _CLEARLY_FINE or time.perf_counter() > deadline
            ):
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return ratios


@case(f"push and pop take about the same time on {_LARGE:,} items as on {_SMALL} items",
      points=3)
def constant_time(t):
    try:
        push_ratio, pop_ratio = _time_ratios(t.module.RingBuffer)
    except _TooSlowToFill:
        slow = f"pushing the first {_LARGE:,} items took over {_FILL_SECONDS:.0f} seconds"
    else:
        slow = " and ".join(
            f"{kind} is about {ratio:.0f} times slower on {_LARGE:,} items than on {_SMALL}"
            for kind, ratio in (("push", push_ratio), ("pop", pop_ratio))
            if ratio > _RATIO_LIMIT
        )
    if not slow:
        verdict = "about the same (O(1) per operation)"
    else:
        verdict = (
            f"grows with the buffer size: {slow}. Something moves every item "
            "(list.pop(0), list.insert(0, x), del items[0] or a slice such as items[1:]): "
            "O(n) per operation"
        )
    t.note(f"time per push/pop on a full buffer of {_LARGE:,} items vs {_SMALL} items",
           verdict)
