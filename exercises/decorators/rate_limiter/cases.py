"""Cases for the rate_limiter exercise (see README.md for the API they check).

Every case but one drives the limiter with a fake clock that only moves when the case
moves it, and a fake sleep that moves it. All times are multiples of 1/8, so every sum and
difference is exact and the submission's floats equal the reference's bit for bit.

A call is labelled with the fake time at which the case made it, e.g. ``fetch() at t=0.5``;
the decorated functions return the fake time at which they actually started running. A
call to the fake sleep is recorded as a note just before that call's step.
"""
import time

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["rate_limit"]


class _FakeTime:
    """A clock that stands still unless moved, and a sleep that moves it."""

    def __init__(self, t, now=0.0, oversleep=0.0):
        self._t = t
        self.now = now
        self.oversleep = oversleep  # a real sleep() may end a little late
        self.sleeps = 0
        self.current = "a call"  # label of the call in progress, for the sleep notes

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps += 1
        self._t.note(f"{self.current}: sleep() was called with", seconds)
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        self.now += seconds + self.oversleep

    def at(self, when):
        """Move the clock forward to `when` (a multiple of 1/8)."""
        self.now = max(self.now, when)


def _target(fake, name, doc=None):
    """A function to decorate: returns the fake time at which it started running."""

    def target(fail=False):
        started = fake.now
        if fail:
            raise RuntimeError(f"{name} failed")
        return started

    target.__name__ = target.__qualname__ = name
    target.__doc__ = doc
    return target


def _limiter(t, fake, calls, period):
    """rate_limit(calls, period) with the fake clock and sleep; the decorator is unobserved."""
    return t.call(
        f"rate_limit({calls!r}, {period!r}, clock=clock, sleep=sleep)",
        builtin_errors(t.module.rate_limit, ValueError),
        calls,
        period,
        clock=fake.clock,
        sleep=fake.sleep,
        observe=False,
    )


def _decorate(t, decorator, function):
    return t.call(f"decorating {function.__name__}", decorator, function, observe=False)


def _call(t, fake, name, wrapped, when=None, **kwargs):
    """Move the clock to `when`, call wrapped(**kwargs), record what came back."""
    if when is not None:
        fake.at(when)
    shown = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    label = f"{name}({shown}) at t={fake.now!r}"
    fake.current = label
    return t.call(label, wrapped, **kwargs)


def _sleep_count(t, fake):
    t.note("times sleep() was called", fake.sleeps)


def _limited(t, fake, calls, period, name, doc=None):
    return _decorate(t, _limiter(t, fake, calls, period), _target(fake, name, doc))


# ---------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------


@case("calls below 1 or a period of 0 or less raise ValueError")
def bad_arguments(t):
    fake = _FakeTime(t)
    _limiter(t, fake, 0, 1.0)
    _limiter(t, fake, -2, 1.0)
    _limiter(t, fake, 1, 0.0)
    _limiter(t, fake, 1, -0.5)
    _limiter(t, fake, 1, 0.125)
    _limiter(t, fake, 5, 3)


@case("clock and sleep are keyword-only arguments")
def keyword_only(t):
    fake = _FakeTime(t)
    t.call(
        "rate_limit(2, 1.0, clock, sleep)",
        t.module.rate_limit,
        2,
        1.0,
        fake.clock,
        fake.sleep,
        observe=False,
    )


# ---------------------------------------------------------------------------------------
# The sliding window
# ---------------------------------------------------------------------------------------


@case("calls within the limit run at once and never call sleep")
def within_limit(t):
    fake = _FakeTime(t)
    tick = _limited(t, fake, 3, 1.0, "tick")
    _call(t, fake, "tick", tick, 0.0)
    _call(t, fake, "tick", tick, 0.25)
    _call(t, fake, "tick", tick, 0.5)
    _call(t, fake, "tick", tick, 1.0)  # the call at 0.0 has left the window
    _call(t, fake, "tick", tick, 5.0)
    _call(t, fake, "tick", tick, 5.0)
    _sleep_count(t, fake)


@case("a call over the limit sleeps exactly until the oldest call leaves the window")
def waits_for_oldest(t):
    fake = _FakeTime(t)
    fetch = _limited(t, fake, 2, 1.0, "fetch")
    _call(t, fake, "fetch", fetch, 0.0)
    _call(t, fake, "fetch", fetch, 0.25)
    _call(t, fake, "fetch", fetch, 0.5)  # waits 0.5: the start at 0.0 leaves at 1.0
    _call(t, fake, "fetch", fetch)  # at 1.0: the window holds 0.25 and 1.0
    _call(t, fake, "fetch", fetch, 3.0)
    _call(t, fake, "fetch", fetch, 3.125)
    _call(t, fake, "fetch", fetch, 3.875)  # waits 0.125
    _sleep_count(t, fake)


@case("a call that started exactly `period` ago is out of the window")
def exact_boundary(t):
    fake = _FakeTime(t)
    ping = _limited(t, fake, 1, 1.0, "ping")
    _call(t, fake, "ping", ping, 0.0)
    _call(t, fake, "ping", ping, 1.0)
    _call(t, fake, "ping", ping, 1.875)
    _call(t, fake, "ping", ping, 3.0)
    pong = _limited(t, fake, 2, 0.5, "pong")
    _call(t, fake, "pong", pong, 3.0)
    _call(t, fake, "pong", pong, 3.25)
    _call(t, fake, "pong", pong, 3.5)
    _call(t, fake, "pong", pong, 3.5)
    _sleep_count(t, fake)


@case("each decorated function has its own window")
def independent_windows(t):
    fake = _FakeTime(t)
    limiter = _limiter(t, fake, 1, 1.0)
    read = _decorate(t, limiter, _target(fake, "read"))
    write = _decorate(t, limiter, _target(fake, "write"))
    other = _limited(t, fake, 1, 1.0, "other")
    _call(t, fake, "read", read, 0.0)
    _call(t, fake, "write", write, 0.0)
    _call(t, fake, "other", other, 0.0)
    _call(t, fake, "read", read, 0.5)
    _call(t, fake, "write", write, 1.5)
    _call(t, fake, "other", other, 1.5)
    _sleep_count(t, fake)


@case("after sleeping, the call starts when clock() says, not when it was meant to wake")
def start_read_after_sleep(t):
    fake = _FakeTime(t, oversleep=0.125)
    job = _limited(t, fake, 1, 1.0, "job")
    _call(t, fake, "job", job, 0.0)
    _call(t, fake, "job", job, 0.5)  # sleeps 0.5, wakes at 1.125
    _call(t, fake, "job", job)  # at 1.125: must wait for the start at 1.125
    _call(t, fake, "job", job, 4.0)
    _sleep_count(t, fake)


@case("a call counts from when it starts, not from when it returns")
def start_not_end(t):
    fake = _FakeTime(t)

    def slow():
        started = fake.now
        fake.now += 0.5  # the call takes half a second
        return started

    limited_slow = _decorate(t, _limiter(t, fake, 1, 1.0), slow)
    _call(t, fake, "slow", limited_slow, 0.0)
    _call(t, fake, "slow", limited_slow, 1.0)
    _call(t, fake, "slow", limited_slow, 2.25)
    _sleep_count(t, fake)


# ---------------------------------------------------------------------------------------
# The wrapper
# ---------------------------------------------------------------------------------------


@case("arguments, return values and exceptions pass through the wrapper")
def pass_through(t):
    fake = _FakeTime(t)

    def echo(*args, **kwargs):
        return (args, kwargs)

    def nothing():
        return None

    def broken(key):
        raise KeyError(key)

    limiter = _limiter(t, fake, 10, 1.0)
    echo_limited = _decorate(t, limiter, echo)
    t.call("echo(1, 'two', three=[3])", echo_limited, 1, "two", three=[3])
    t.call("echo()", echo_limited)
    t.call("nothing()", _decorate(t, limiter, nothing))
    t.call("broken('k')", _decorate(t, limiter, broken), "k")


@case("a call that raises still counts against the limit")
def failed_calls_count(t):
    fake = _FakeTime(t)
    flaky = _limited(t, fake, 2, 1.0, "flaky")
    _call(t, fake, "flaky", flaky, 0.0, fail=True)
    _call(t, fake, "flaky", flaky, 0.25)
    _call(t, fake, "flaky", flaky, 0.5)  # the failed call at 0.0 is still in the window
    _call(t, fake, "flaky", flaky, 2.0, fail=True)
    _call(t, fake, "flaky", flaky, 2.0, fail=True)
    _call(t, fake, "flaky", flaky, 2.0)
    _sleep_count(t, fake)


@case("the wrapper keeps __name__ and __doc__ and sets __wrapped__")
def metadata(t):
    fake = _FakeTime(t)
    original = _target(fake, "fetch_page", "Fetch one page of results.")
    wrapped = _decorate(t, _limiter(t, fake, 1, 1.0), original)
    t.call("fetch_page.__name__", getattr, wrapped, "__name__")
    t.call("fetch_page.__doc__", getattr, wrapped, "__doc__")
    t.call(
        "fetch_page.__wrapped__ is the original function",
        lambda: getattr(wrapped, "__wrapped__") is original,
    )


_REAL_PERIOD = 0.005  # the real-clock case waits about this long


def _tick(seconds):
    """Which interval [k * _REAL_PERIOD, (k + 1) * _REAL_PERIOD) of the clock holds `seconds`."""
    return int(seconds // _REAL_PERIOD)


@case("by default it waits on the real clock with time.sleep")
def real_clock(t):
    # The only case with the real defaults (time.monotonic, time.sleep): the third call of
    # rate_limit(2, period) must really wait. It is kept short (it waits one period) and
    # free of tolerances, so that a loaded machine can only make it take longer, never
    # fail a correct limiter: that one starts the third call at least `period` after the
    # first one started, itself no earlier than `before`, so the third call's reading of
    # time.monotonic() falls in a later tick (an interval [k * period, (k + 1) * period) of
    # the clock) than `before`. A fixed-window limiter (windows aligned to the ticks, a
    # wrong answer the fake-clock cases catch) always passes too, as do the other mutants,
    # so their grades never depend on when they ran. A default sleep that does not wait
    # fails, unless the few microseconds of the three calls happen to straddle a tick.
    period = _REAL_PERIOD
    decorator = t.call(f"rate_limit(2, {period})", t.module.rate_limit, 2, period, observe=False)

    def stamp():
        return time.monotonic()

    limited = t.call("decorating stamp", decorator, stamp, observe=False)
    before = time.monotonic()
    t.call("stamp()", limited, observe=False)
    t.call("stamp()", limited, observe=False)
    third = t.call("stamp()", limited, observe=False)
    waited = type(third) is float and _tick(third) > _tick(before)
    t.note(f"the third call waited for the first to leave the {period} s window", waited)


# ---------------------------------------------------------------------------------------
# Random sequences: whatever the reference does, the submission must do the same.
# ---------------------------------------------------------------------------------------


@random_case("random sequences of calls", runs=25)
def random_calls(t, rng):
    fake = _FakeTime(t, oversleep=rng.choice([0.0, 0.0, 0.125, 0.5]))
    calls = rng.randint(1, 4)
    period = rng.randint(1, 16) / 8
    if rng.random() < 0.5:
        limiter = _limiter(t, fake, calls, period)
        functions = {name: _decorate(t, limiter, _target(fake, name)) for name in "fg"}
    else:
        functions = {"f": _limited(t, fake, calls, period, "f")}
        functions["g"] = _limited(t, fake, rng.randint(1, 4), rng.randint(1, 16) / 8, "g")
    for _ in range(30):
        fake.at(fake.now + rng.randint(0, 6) / 8)
        name = rng.choice("fg")
        if rng.random() < 0.1:
            _call(t, fake, name, functions[name], fail=True)
        else:
            _call(t, fake, name, functions[name])
    _sleep_count(t, fake)
