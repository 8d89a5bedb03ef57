"""Cases for the running_average exercise (see README.md for the API they check).

An average within a relative 1e-9 of the exact one is observed as the exact one, so a
correct average computed another way (an incremental mean, a sum of floats...) is never
told apart from the reference's; types are compared exactly (a float is not an int).
"""
import math
from fractions import Fraction

from pykata_harness import case, random_case

REQUIRED = ["running_average", "coroutine"]


# The numbers sent so far to each generator the cases drive, by generator name.
SENT = {}


def shown(value, name):
    """The answer as observed. A float within a relative 1e-9 of the exact average of the
    numbers sent to generator `name` is shown as that exact average (so any correct way
    of computing it is seen as the same value); anything else is shown as it is."""
    sent = SENT.get(name)
    if type(value) is float and sent and math.isfinite(value):
        exact = sum(map(Fraction, sent)) / len(sent)
        if abs(Fraction(value) - exact) <= Fraction(1, 10**9) * max(1, abs(exact)):
            return float(exact)
    return value


def send(t, gen, value, name="avg"):
    if value is not None:
        SENT.setdefault(name, []).append(value)
    return t.call(f"{name}.send({value!r})", lambda: shown(gen.send(value), name))


def advance(t, gen, name="avg"):
    return t.call(f"next({name})", lambda: shown(next(gen), name))


def created(t, label, function, *args, name="avg"):
    """Create a generator called `name` (a fresh one: nothing sent to it yet)."""
    SENT[name] = []
    return t.call(label, function, *args, observe=False)


def primed_by_hand(t, name="avg"):
    gen = created(t, f"{name} = running_average()", t.module.running_average, name=name)
    advance(t, gen, name)
    return gen


# ---------------------------------------------------------------------------------------
# running_average, primed with next()
# ---------------------------------------------------------------------------------------


@case("running_average(): next() primes it and returns None")
def priming(t):
    avg = created(t, "avg = running_average()", t.module.running_average)
    advance(t, avg)


@case("each send() yields the average of all values sent so far, as a float", points=3)
def averages(t):
    avg = primed_by_hand(t)
    send(t, avg, 10)
    send(t, avg, 20)
    send(t, avg, 60)
    send(t, avg, -10)
    send(t, avg, 2.5)
    send(t, avg, 0)
    send(t, avg, 1)


@case("an average that is a whole number is still a float")
def whole_numbers_are_floats(t):
    avg = primed_by_hand(t)
    send(t, avg, 4)
    send(t, avg, 6)
    send(t, avg, 5)
    t.call("type(avg.send(5)).__name__", lambda: type(avg.send(5)).__name__)


@case("next() (sending None) adds nothing and yields the current average")
def none_adds_nothing(t):
    avg = primed_by_hand(t)
    advance(t, avg)
    send(t, avg, None)
    send(t, avg, 3)
    advance(t, avg)
    send(t, avg, None)
    send(t, avg, 6)
    advance(t, avg)
    send(t, avg, 0)


@case("two running averages are independent")
def independent(t):
    first = primed_by_hand(t, "first")
    second = primed_by_hand(t, "second")
    send(t, first, 100, "first")
    send(t, second, 1, "second")
    send(t, first, 50, "first")
    send(t, second, 2, "second")
    third = primed_by_hand(t, "third")
    send(t, third, 7, "third")


@case("it is a generator: close() ends it, and send() then raises StopIteration")
def close_ends_it(t):
    avg = primed_by_hand(t)
    send(t, avg, 8)
    t.call("avg.close()", lambda: avg.close())
    send(t, avg, 1)


# ---------------------------------------------------------------------------------------
# The coroutine decorator
# ---------------------------------------------------------------------------------------


@case("coroutine(running_average)() is primed: send() works at once", points=2)
def decorated_running_average(t):
    averager = t.call("averager = coroutine(running_average)", t.module.coroutine,
                      t.module.running_average, observe=False)
    avg = created(t, "avg = averager()", averager)
    send(t, avg, 1)
    send(t, avg, 2)
    advance(t, avg)
    other = created(t, "other = averager()", averager, name="other")
    send(t, other, 9, "other")


def recording_echo(t):
    """A generator function that records every step of its life as a note."""

    def echo(prefix, *, suffix=""):
        """Yield each received value between prefix and suffix."""
        t.note("echo() started with", [prefix, suffix])
        received = "ready"
        while True:
            received = yield f"{prefix}{received}{suffix}"
            t.note("echo() received", received)

    return echo


@case("@coroutine primes the generator exactly once and returns it", points=2)
def decorator_primes_once(t):
    echo = recording_echo(t)
    primed_echo = t.call("@coroutine on echo(prefix, *, suffix='')", t.module.coroutine, echo,
                         observe=False)
    gen = t.call("gen = echo('> ', suffix='!')", primed_echo, "> ", suffix="!", observe=False)
    t.call("gen.send('hi')", lambda: gen.send("hi"))
    t.call("gen.send('there')", lambda: gen.send("there"))
    t.call("next(gen)", lambda: next(gen))
    again = t.call("again = echo('# ')", primed_echo, "# ", observe=False)
    t.call("again.send(1)", lambda: again.send(1))


@case("@coroutine keeps __name__, __doc__ and __wrapped__")
def decorator_metadata(t):
    echo = recording_echo(t)
    primed_echo = t.call("@coroutine on echo", t.module.coroutine, echo, observe=False)
    t.call("echo.__name__", lambda: primed_echo.__name__)
    t.call("echo.__doc__", lambda: primed_echo.__doc__)
    t.call("echo.__wrapped__ is the original echo", lambda: primed_echo.__wrapped__ is echo)


# ---------------------------------------------------------------------------------------
# Random sequences: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random sequences of values", runs=30, points=2)
def random_sequences(t, rng):
    decorated = rng.random() < 0.5
    steps = []
    for _ in range(rng.randint(1, 25)):
        roll = rng.random()
        if roll < 0.1:
            steps.append(None)
        elif roll < 0.6:
            steps.append(rng.randint(-50, 100))
        else:
            steps.append(rng.randint(-400, 800) / 8)  # exact in binary floating point
    if decorated:
        averager = t.call("averager = coroutine(running_average)", t.module.coroutine,
                          t.module.running_average, observe=False)
        avg = created(t, "avg = averager()", averager)
    else:
        avg = primed_by_hand(t)
    for value in steps:
        if value is None:
            advance(t, avg)
        else:
            send(t, avg, value)
