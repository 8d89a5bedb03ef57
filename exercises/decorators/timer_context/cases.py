"""Cases for the timer_context exercise (see README.md for the API they check).

The clock handed to Timer notes every reading and returns the next of its planned times
(multiples of 1/8, exact in floating point). Blocks are written in the cases; what
happens inside them, and what leaves them, is noted step by step.
"""
import contextlib

from pykata_harness import case, random_case

REQUIRED = ["Timer", "restoring", "suppressing"]


class FakeClock:
    def __init__(self, t, *times):
        self.t = t
        self.times = list(times)
        self.reads = 0

    def __call__(self):
        self.reads += 1
        value = self.times[self.reads - 1] if self.reads <= len(self.times) else 999.0
        self.t.note("clock() read", value)
        return value


class Settings:
    """An object whose attributes the cases change with restoring()."""

    debug = False  # a class attribute: restoring puts an instance attribute over it

    def __init__(self):
        self.level = 1


class BlockError(Exception):
    """Raised by the cases' blocks."""


class SubBlockError(BlockError):
    pass


def new_timer(t, clock, label, **kwargs):
    return t.call(label, t.module.Timer, clock, observe=False, **kwargs)


def attributes(t, timer, when=""):
    suffix = f"  # {when}" if when else ""
    t.call(f"timer.elapsed{suffix}", lambda: timer.elapsed)
    t.call(f"timer.suppressed is None{suffix}", lambda: timer.suppressed is None)


def raising(error):
    def block():
        raise error

    return block


def run_with(t, label, manager_factory, body, caught=None):
    """`with manager_factory(): body()`, as one step; notes when the with-statement is
    left normally, so a swallowed exception and a propagated one differ. `caught`
    collects what propagated, for identity checks."""

    def run():
        try:
            with manager_factory():
                body()
        except BaseException as error:
            if caught is not None:
                caught.append(error)
            raise
        t.note("execution went on after the with statement", True)
        return None

    return t.call(label, run)


# ---------------------------------------------------------------------------------------
# Timer
# ---------------------------------------------------------------------------------------


@case("Timer: elapsed is end - start, with one clock reading on entry and one on exit",
      points=3)
def timer_measures(t):
    clock = FakeClock(t, 1.0, 3.5)
    timer = new_timer(t, clock, "Timer(clock)")
    t.call("timer.elapsed  # before any block", lambda: timer.elapsed)
    t.call("timer.suppressed  # before any block", lambda: timer.suppressed)
    entered = []

    def run():
        with timer as target:
            entered.append(target)
            t.note("inside the block", True)
        return None

    t.call("with timer as target: ...", run)
    t.call("target is timer", lambda: bool(entered) and entered[0] is timer)
    attributes(t, timer)


@case("Timer: creating a timer does not read the clock; elapsed is None inside the block")
def timer_reads_on_enter(t):
    clock = FakeClock(t, 0.5, 0.75)
    timer = new_timer(t, clock, "Timer(clock)")
    t.note("clock readings after Timer(clock)", clock.reads)

    def run():
        with timer:
            t.note("timer.elapsed inside the block", timer.elapsed)
        return None

    t.call("with timer: ...", run)
    attributes(t, timer)


@case("Timer: a block that raises still records elapsed, and the exception propagates "
      "unchanged", points=3)
def timer_records_on_exception(t):
    clock = FakeClock(t, 2.0, 2.625)
    timer = new_timer(t, clock, "Timer(clock)")
    error = BlockError("disk full")
    caught = []
    run_with(t, "with timer: raise BlockError", lambda: timer, raising(error), caught)
    t.note("the very exception object propagated", bool(caught) and caught[0] is error)
    attributes(t, timer)


@case("Timer: exceptions listed in suppress (subclasses too) are swallowed and kept in "
      "timer.suppressed", points=3)
def timer_suppresses(t):
    clock = FakeClock(t, 1.0, 1.5, 2.0, 2.125, 3.0, 3.25)
    timer = new_timer(t, clock, "Timer(clock, suppress=(BlockError, KeyError))",
                      suppress=(BlockError, KeyError))
    error = KeyError("k")
    run_with(t, "with timer: raise KeyError", lambda: timer, raising(error))
    t.call("timer.suppressed is the KeyError raised", lambda: timer.suppressed is error)
    t.call("timer.elapsed", lambda: timer.elapsed)
    sub = SubBlockError("a subclass")
    run_with(t, "with timer: raise SubBlockError", lambda: timer, raising(sub))
    t.call("timer.suppressed is the SubBlockError raised", lambda: timer.suppressed is sub)
    caught = []
    other = ValueError("not listed")
    run_with(t, "with timer: raise ValueError", lambda: timer, raising(other), caught)
    t.note("the very ValueError propagated", bool(caught) and caught[0] is other)
    attributes(t, timer, "after the ValueError")


@case("Timer: KeyboardInterrupt is swallowed only when listed; nothing is by default")
def timer_base_exceptions(t):
    clock = FakeClock(t, 0.0, 0.125, 1.0, 1.125)
    timer = new_timer(t, clock, "Timer(clock, suppress=(KeyboardInterrupt,))",
                      suppress=(KeyboardInterrupt,))
    run_with(t, "with timer: raise KeyboardInterrupt", lambda: timer,
             raising(KeyboardInterrupt()))
    plain = new_timer(t, clock, "Timer(clock)")
    run_with(t, "with timer: raise KeyError", lambda: plain, raising(KeyError("x")))
    t.call("timer.suppressed is None", lambda: plain.suppressed is None)


@case("Timer: a timer used again measures each block afresh", points=2)
def timer_reused(t):
    clock = FakeClock(t, 1.0, 2.0, 10.0, 10.125, 20.0, 23.0)
    timer = new_timer(t, clock, "Timer(clock, suppress=(BlockError,))",
                      suppress=(BlockError,))
    run_with(t, "with timer: raise BlockError", lambda: timer, raising(BlockError("x")))
    attributes(t, timer, "block 1")
    run_with(t, "with timer: note elapsed and suppressed", lambda: timer,
             lambda: t.note("inside block 2: (elapsed, suppressed is None)",
                            (timer.elapsed, timer.suppressed is None)))
    attributes(t, timer, "block 2")
    run_with(t, "with timer: pass", lambda: timer, lambda: None)
    attributes(t, timer, "block 3")


@case("Timer: a block left by return or break is timed too")
def timer_return_and_break(t):
    clock = FakeClock(t, 4.0, 4.5, 6.0, 7.25)
    timer = new_timer(t, clock, "Timer(clock)")

    def early():
        with timer:
            return "early"

    t.call("a function returning from inside the block", early)
    t.call("timer.elapsed", lambda: timer.elapsed)

    def loop():
        for step in range(5):
            with timer:
                if step == 0:
                    break
        return step

    t.call("a loop breaking out of the block", loop)
    t.call("timer.elapsed", lambda: timer.elapsed)


@case("Timer: the default clock is time.perf_counter")
def timer_default_clock(t):
    timer = t.call("Timer()", t.module.Timer, observe=False)

    def run():
        with timer:
            sum(range(1000))
        return type(timer.elapsed).__name__, timer.elapsed >= 0

    t.call("with Timer(): ...; (type of elapsed, elapsed >= 0)", run)


@case("Timer: suppress is keyword-only")
def timer_keyword_only(t):
    clock = FakeClock(t)
    t.call("Timer(clock, (KeyError,))", t.module.Timer, clock, (KeyError,), observe=False)


# ---------------------------------------------------------------------------------------
# restoring
# ---------------------------------------------------------------------------------------


@case("restoring: the attribute has the new value inside the block and the old one after",
      points=2)
def restoring_normal(t):
    settings = Settings()

    def body():
        t.note("settings.level inside", settings.level)

    run_with(t, "with restoring(settings, 'level', 5)",
             lambda: t.module.restoring(settings, "level", 5), body)
    t.call("settings.level after", lambda: settings.level)


@case("restoring: the old value comes back when the block raises, and the exception "
      "propagates unchanged", points=3)
def restoring_on_exception(t):
    settings = Settings()
    error = BlockError("boom")
    caught = []

    def body():
        t.note("settings.level inside", settings.level)
        raise error

    run_with(t, "with restoring(settings, 'level', 9): raise BlockError",
             lambda: t.module.restoring(settings, "level", 9), body, caught)
    t.note("the very exception object propagated", bool(caught) and caught[0] is error)
    t.call("settings.level after", lambda: settings.level)


@case("restoring: an attribute that did not exist is deleted afterwards", points=2)
def restoring_missing(t):
    settings = Settings()

    def body():
        t.note("settings.verbose inside", settings.verbose)

    run_with(t, "with restoring(settings, 'verbose', 3)",
             lambda: t.module.restoring(settings, "verbose", 3), body)
    t.call("hasattr(settings, 'verbose') after", lambda: hasattr(settings, "verbose"))
    run_with(t, "with restoring(settings, 'verbose', 4): raise BlockError",
             lambda: t.module.restoring(settings, "verbose", 4), raising(BlockError("x")))
    t.call("hasattr(settings, 'verbose') after", lambda: hasattr(settings, "verbose"))
    # A class attribute seen through the instance: the instance goes back to seeing it.
    run_with(t, "with restoring(settings, 'debug', True)",
             lambda: t.module.restoring(settings, "debug", True),
             lambda: t.note("settings.debug inside", settings.debug))
    t.call("settings.debug after", lambda: settings.debug)


@case("restoring: None, 0 and '' are old values like any other")
def restoring_falsy(t):
    settings = Settings()
    for old in (None, 0, ""):
        settings.level = old
        run_with(t, f"with restoring(settings, 'level', 7)  # old value {old!r}",
                 lambda: t.module.restoring(settings, "level", 7),
                 lambda: t.note("settings.level inside", settings.level))
        t.call("settings.level after", lambda: settings.level)
        t.call("'level' in vars(settings)", lambda: "level" in vars(settings))


@case("restoring: nested blocks on the same attribute unwind in order")
def restoring_nested(t):
    settings = Settings()

    def run():
        with t.module.restoring(settings, "level", 2):
            t.note("level in the outer block", settings.level)
            try:
                with t.module.restoring(settings, "level", 3):
                    t.note("level in the inner block", settings.level)
                    raise BlockError("inner")
            except BlockError:
                pass
            t.note("level back in the outer block", settings.level)
        return settings.level

    t.call("nested restoring(settings, 'level', ...) blocks", run)


# ---------------------------------------------------------------------------------------
# suppressing
# ---------------------------------------------------------------------------------------


@case("suppressing: the listed exceptions (subclasses too) are swallowed", points=3)
def suppressing_listed(t):
    run_with(t, "with suppressing(KeyError): raise KeyError",
             lambda: t.module.suppressing(KeyError), raising(KeyError("k")))
    run_with(t, "with suppressing(ValueError, BlockError): raise SubBlockError",
             lambda: t.module.suppressing(ValueError, BlockError),
             raising(SubBlockError("sub")))
    run_with(t, "with suppressing(LookupError): raise IndexError",
             lambda: t.module.suppressing(LookupError), raising(IndexError(3)))
    run_with(t, "with suppressing(KeyError): pass",
             lambda: t.module.suppressing(KeyError), lambda: None)


@case("suppressing: other exceptions propagate unchanged; suppressing() swallows nothing",
      points=3)
def suppressing_others(t):
    error = ValueError("bad")
    caught = []
    run_with(t, "with suppressing(KeyError): raise ValueError",
             lambda: t.module.suppressing(KeyError), raising(error), caught)
    t.note("the very exception object propagated", bool(caught) and caught[0] is error)
    run_with(t, "with suppressing(): raise KeyError", lambda: t.module.suppressing(),
             raising(KeyError("k")))
    run_with(t, "with suppressing(KeyError): raise LookupError",
             lambda: t.module.suppressing(KeyError), raising(LookupError("parent")))


@case("suppressing: BaseException subclasses such as KeyboardInterrupt can be listed")
def suppressing_base(t):
    run_with(t, "with suppressing(KeyboardInterrupt): raise KeyboardInterrupt",
             lambda: t.module.suppressing(KeyboardInterrupt), raising(KeyboardInterrupt()))
    run_with(t, "with suppressing(Exception): raise KeyboardInterrupt",
             lambda: t.module.suppressing(Exception), raising(KeyboardInterrupt()))
    run_with(t, "with suppressing(SystemExit): raise SystemExit",
             lambda: t.module.suppressing(SystemExit), raising(SystemExit(2)))


@case("suppressing is written by hand, not contextlib.suppress")
def suppressing_by_hand(t):
    def kind():
        manager = t.module.suppressing(KeyError)
        return isinstance(manager, contextlib.suppress)

    t.call("suppressing(KeyError) is a contextlib.suppress", kind)


@case("the three together: restoring inside suppressing inside a Timer")
def together(t):
    clock = FakeClock(t, 8.0, 8.375)
    timer = new_timer(t, clock, "Timer(clock)")
    settings = Settings()

    def run():
        with timer:
            with t.module.suppressing(BlockError):
                with t.module.restoring(settings, "level", 4):
                    t.note("settings.level inside", settings.level)
                    raise BlockError("stop")
            t.note("settings.level after suppressing", settings.level)
        return timer.elapsed

    t.call("with timer: with suppressing(BlockError): with restoring(...): raise", run)


# ---------------------------------------------------------------------------------------
# Random blocks
# ---------------------------------------------------------------------------------------

ERRORS = [None, None, KeyError, ValueError, BlockError, SubBlockError, IndexError]
SUPPRESS = [(), (KeyError,), (BlockError,), (LookupError, ValueError), (Exception,)]


@random_case("random blocks: timers, restoring and suppressing, raising or not", runs=30,
             points=3)
def random_blocks(t, rng):
    times = [0.0]
    for _ in range(24):
        times.append(times[-1] + rng.randint(0, 16) / 8)
    suppress = rng.choice(SUPPRESS)
    plan = []
    for _ in range(6):
        plan.append((rng.choice(["timer", "restoring", "suppressing", "timer+restoring"]),
                     rng.choice(ERRORS), rng.choice(SUPPRESS), rng.randint(0, 9),
                     rng.random() < 0.3))
    clock = FakeClock(t, *times[1:])
    names = ", ".join(kind.__name__ for kind in suppress)
    timer = new_timer(t, clock, f"Timer(clock, suppress=({names}))", suppress=suppress)
    settings = Settings()
    for kind, error, listed, value, fresh_attribute in plan:
        name = "extra" if fresh_attribute else "level"
        body = (lambda: None) if error is None else raising(error("random"))
        raised = "pass" if error is None else f"raise {error.__name__}"
        if kind == "timer":
            run_with(t, f"with timer: {raised}", lambda: timer, body)
            attributes(t, timer)
        elif kind == "restoring":
            run_with(t, f"with restoring(settings, {name!r}, {value}): {raised}",
                     lambda: t.module.restoring(settings, name, value), body)
        elif kind == "suppressing":
            shown = ", ".join(k.__name__ for k in listed)
            run_with(t, f"with suppressing({shown}): {raised}",
                     lambda: t.module.suppressing(*listed), body)
        else:
            run_with(t, f"with timer, restoring(settings, {name!r}, {value}): {raised}",
                     lambda: _both(timer, t.module.restoring(settings, name, value)), body)
            attributes(t, timer)
        t.call("vars(settings)", lambda: dict(vars(settings)))


@contextlib.contextmanager
def _both(first, second):
    with first, second:
        yield
