"""Cases for the retry exercise (see README.md for the API they check).

The functions handed to retry() are fakes that follow a script: attempt k raises the k-th
scripted exception or returns the k-th scripted value, and is recorded as a note. The
sleep handed to retry() records what it was called with instead of sleeping. So every
attempt and every sleep is a step, and a wrong answer shows the first operation where it
parts from the reference.
"""
from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["retry"]


UNPLANNED = "unplanned attempt"


def fake_sleep(t):
    """A sleep() that records its argument as a note and returns at once."""

    def fake_sleep(seconds):
        t.note("sleep() was called with", seconds)

    return fake_sleep


class Flaky:
    """A function named `name` for retry() to wrap, following the outcomes of plan()."""

    def __init__(self, t, name, show_args=False):
        self.t = t
        self.name = name
        self.show_args = show_args
        self.plan()

        def function(*args, **kwargs):
            return self.attempt(args, kwargs)

        function.__name__ = function.__qualname__ = name
        self.function = function

    def plan(self, *outcomes):
        """Script the next call: one outcome per attempt, an exception class or a value."""
        self.outcomes = list(outcomes)
        self.attempts = 0
        self.raised = []

    def attempt(self, args, kwargs):
        self.attempts += 1
        self.t.note(f"{self.name}() attempt", self.attempts)
        if self.show_args:
            self.t.note(f"{self.name} received", (args, kwargs))
        if self.attempts > len(self.outcomes):
            return UNPLANNED
        outcome = self.outcomes[self.attempts - 1]
        if isinstance(outcome, type) and issubclass(outcome, BaseException):
            error = outcome(f"{self.name}: attempt {self.attempts} failed")
            self.raised.append(error)
            raise error
        return outcome


def show(value):
    """How an argument of retry() is written in a step label."""
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, tuple):
        items = [show(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if callable(value):
        return value.__name__
    return repr(value)


def decorate(t, flaky, *args, **kwargs):
    """retry(*args, **kwargs) applied to flaky's function; both steps are recorded."""
    shown = [show(arg) for arg in args] + [f"{key}={show(value)}" for key, value in kwargs.items()]
    decorator = t.call(f"retry({', '.join(shown)})", t.module.retry, *args, observe=False,
                       **kwargs)
    return t.call(f"decorating {flaky.name}", decorator, flaky.function, observe=False)


def call(t, flaky, wrapped, *args, **kwargs):
    """Call the decorated function; when it raises, also note whether it raised the very
    exception object that the last attempt raised."""
    shown = [repr(arg) for arg in args] + [f"{key}={value!r}" for key, value in kwargs.items()]
    label = f"{flaky.name}({', '.join(shown)})"
    caught = []

    def run():
        try:
            return wrapped(*args, **kwargs)
        except BaseException as error:
            caught.append(error)
            raise

    result = t.call(label, run)
    if caught:
        last = flaky.raised[-1] if flaky.raised else None
        t.note(f"{label} re-raised the exception object of its last attempt", caught[0] is last)
    return result


# ---------------------------------------------------------------------------------------
# Attempts, sleeps and the result
# ---------------------------------------------------------------------------------------


@case("a first attempt that succeeds returns its result, with no sleep")
def first_attempt_succeeds(t):
    flaky = Flaky(t, "load")
    wrapped = decorate(t, flaky, 3, (ValueError,), delay=0.5, sleep=fake_sleep(t))
    flaky.plan("data")
    call(t, flaky, wrapped)


@case("a failing attempt is retried after a sleep, and the first success is returned")
def retries_until_success(t):
    flaky = Flaky(t, "fetch")
    wrapped = decorate(t, flaky, 3, (ConnectionError,), delay=0.5, backoff=2.0,
                       sleep=fake_sleep(t))
    flaky.plan(ConnectionError, ConnectionError, "page")
    call(t, flaky, wrapped)
    flaky.plan(ConnectionError, "page 2", ConnectionError)
    call(t, flaky, wrapped)


@case("after `times` failed attempts the last exception is re-raised, with no final sleep")
def gives_up(t):
    flaky = Flaky(t, "download")
    wrapped = decorate(t, flaky, 4, (TimeoutError,), delay=0.25, backoff=2.0,
                       sleep=fake_sleep(t))
    flaky.plan(TimeoutError, TimeoutError, TimeoutError, TimeoutError, "too late")
    call(t, flaky, wrapped)


@case("times=1 makes a single attempt and never sleeps")
def single_attempt(t):
    flaky = Flaky(t, "ping")
    wrapped = decorate(t, flaky, 1, (OSError,), delay=1.0, sleep=fake_sleep(t))
    flaky.plan(OSError, "pong")
    call(t, flaky, wrapped)
    flaky.plan("pong")
    call(t, flaky, wrapped)


# ---------------------------------------------------------------------------------------
# Which exceptions are retried
# ---------------------------------------------------------------------------------------


@case("an exception not in `exceptions` propagates at once, without a retry")
def other_exceptions_propagate(t):
    flaky = Flaky(t, "parse")
    wrapped = decorate(t, flaky, 5, (ValueError,), delay=0.125, sleep=fake_sleep(t))
    flaky.plan(KeyError, "parsed")
    call(t, flaky, wrapped)
    flaky.plan(ValueError, TypeError, "parsed")
    call(t, flaky, wrapped)


@case("subclasses of a listed exception are retried too")
def subclasses_are_retried(t):
    flaky = Flaky(t, "lookup")
    wrapped = decorate(t, flaky, 3, (LookupError,), delay=0.5, backoff=1.0,
                       sleep=fake_sleep(t))
    flaky.plan(KeyError, IndexError, 42)
    call(t, flaky, wrapped)


@case("`exceptions` may be a single exception class")
def single_exception_class(t):
    flaky = Flaky(t, "connect")
    wrapped = decorate(t, flaky, 3, ConnectionError, delay=0.0, sleep=fake_sleep(t))
    flaky.plan(ConnectionError, "socket")
    call(t, flaky, wrapped)
    flaky.plan(ValueError, "socket")
    call(t, flaky, wrapped)


@case("by default any Exception is retried, but not KeyboardInterrupt or SystemExit")
def default_exceptions(t):
    flaky = Flaky(t, "job")
    wrapped = decorate(t, flaky, 3, delay=0.5, sleep=fake_sleep(t))
    flaky.plan(RuntimeError, ZeroDivisionError, "finished")
    call(t, flaky, wrapped)
    flaky.plan(KeyboardInterrupt, "finished")
    call(t, flaky, wrapped)
    flaky.plan(SystemExit, "finished")
    call(t, flaky, wrapped)


# ---------------------------------------------------------------------------------------
# Delays
# ---------------------------------------------------------------------------------------


@case("the delay is multiplied by `backoff` before each further retry")
def backoff_grows_the_delay(t):
    poll = Flaky(t, "poll")
    wrapped = decorate(t, poll, 5, (RuntimeError,), delay=0.125, backoff=2.0,
                       sleep=fake_sleep(t))
    poll.plan(RuntimeError, RuntimeError, RuntimeError, RuntimeError, "ready")
    call(t, poll, wrapped)
    drain = Flaky(t, "drain")
    wrapped = decorate(t, drain, 4, (RuntimeError,), delay=2.0, backoff=0.5,
                       sleep=fake_sleep(t))
    drain.plan(RuntimeError, RuntimeError, RuntimeError, RuntimeError)
    call(t, drain, wrapped)


@case("the defaults: times=3, delay=0.0, backoff=2.0, sleep=time.sleep")
def defaults(t):
    flaky = Flaky(t, "flaky")
    wrapped = decorate(t, flaky, sleep=fake_sleep(t))
    flaky.plan(RuntimeError, RuntimeError, RuntimeError, "never")
    call(t, flaky, wrapped)
    spaced = Flaky(t, "spaced")
    wrapped = decorate(t, spaced, delay=0.5, sleep=fake_sleep(t))
    spaced.plan(RuntimeError, RuntimeError, RuntimeError, "never")
    call(t, spaced, wrapped)
    # The real time.sleep, with the default delay of 0.0: returns at once.
    real = Flaky(t, "real")
    wrapped = decorate(t, real)
    real.plan(ValueError, ValueError, "slept for real")
    call(t, real, wrapped)


# ---------------------------------------------------------------------------------------
# The decorated function
# ---------------------------------------------------------------------------------------


@case("each call of the decorated function gets a fresh set of attempts")
def fresh_budget_per_call(t):
    flaky = Flaky(t, "send")
    wrapped = decorate(t, flaky, 2, (ValueError,), delay=0.5, sleep=fake_sleep(t))
    flaky.plan(ValueError, "sent a")
    call(t, flaky, wrapped)
    flaky.plan(ValueError, "sent b")
    call(t, flaky, wrapped)
    flaky.plan(ValueError, ValueError, "never")
    call(t, flaky, wrapped)
    flaky.plan("sent c")
    call(t, flaky, wrapped)


@case("arguments are passed to every attempt")
def arguments_pass_through(t):
    flaky = Flaky(t, "add", show_args=True)
    wrapped = decorate(t, flaky, 3, (ValueError,), sleep=fake_sleep(t))
    flaky.plan(ValueError, 7)
    call(t, flaky, wrapped, 1, 2, scale=3)
    flaky.plan(8)
    call(t, flaky, wrapped, "x", key=None)


@case("the decorated function keeps __name__, __doc__ and __wrapped__")
def keeps_metadata(t):
    def greet(name):
        """Return a greeting for name."""
        return f"hello {name}"

    decorator = t.call("retry(times=2)", t.module.retry, times=2, observe=False)
    wrapped = t.call("decorating greet", decorator, greet, observe=False)
    t.call("greet.__name__", getattr, wrapped, "__name__")
    t.call("greet.__doc__", getattr, wrapped, "__doc__")
    t.call("greet.__wrapped__ is the original greet", lambda: wrapped.__wrapped__ is greet)
    t.call("greet('Ada')", wrapped, "Ada")


# ---------------------------------------------------------------------------------------
# The arguments of retry()
# ---------------------------------------------------------------------------------------


@case("times below 1 raises ValueError as soon as retry() is called")
def times_below_one(t):
    t.call("retry(0)", builtin_errors(t.module.retry, ValueError), 0, observe=False)
    t.call("retry(times=-2)", builtin_errors(t.module.retry, ValueError), times=-2,
           observe=False)
    t.call("retry(1)", t.module.retry, 1, observe=False)


@case("delay, backoff and sleep are keyword-only")
def keyword_only(t):
    t.call("retry(3, (ValueError,), 0.5)", t.module.retry, 3, (ValueError,), 0.5,
           observe=False)
    t.call("retry(3, (ValueError,), delay=0.5)", t.module.retry, 3, (ValueError,), delay=0.5,
           observe=False)


# ---------------------------------------------------------------------------------------
# Random patterns: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

# (exceptions given to retry(), exceptions it must retry, exceptions it must let through)
EXCEPTION_SETS = [
    ((ValueError,), [ValueError], [TypeError, KeyError]),
    ((LookupError,), [KeyError, IndexError, LookupError], [ValueError]),
    ((ConnectionError, TimeoutError),
     [ConnectionError, ConnectionResetError, TimeoutError], [OSError]),
    (ArithmeticError, [ZeroDivisionError, OverflowError], [RuntimeError]),
    ((Exception,), [RuntimeError, ValueError], [KeyboardInterrupt]),
]


@random_case("random failure patterns, delays and backoffs", runs=30, points=3)
def random_patterns(t, rng):
    # Draw everything first: what is drawn must not depend on what the submission does.
    times = rng.randint(1, 5)
    exceptions, retried, not_retried = rng.choice(EXCEPTION_SETS)
    delay = rng.randint(0, 16) / 8  # multiples of 1/8: every product below is exact
    backoff = rng.choice([0.5, 1.0, 2.0])
    plans = []
    for _ in range(rng.randint(1, 3)):
        plan = []
        for _ in range(times + 1):
            roll = rng.random()
            if roll < 0.3:
                plan.append(rng.randint(0, 99))
            elif roll < 0.85:
                plan.append(rng.choice(retried))
            else:
                plan.append(rng.choice(not_retried))
        plans.append(plan)

    flaky = Flaky(t, "task")
    wrapped = decorate(t, flaky, times, exceptions, delay=delay, backoff=backoff,
                       sleep=fake_sleep(t))
    for plan in plans:
        flaky.plan(*plan)
        call(t, flaky, wrapped)
