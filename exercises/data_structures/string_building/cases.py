"""Cases for the string_building exercise (see README.md for the API they check)."""
import gc
import time

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["StringBuilder"]


def new(t):
    return t.call("StringBuilder()", t.module.StringBuilder, observe=False)


def build(t, sb):
    return t.call("build()", sb.build)


def size(t, sb):
    return t.call("len(sb)", len, sb)


def append(t, sb, piece):
    """sb.append(piece), observing whether it returned the builder itself."""
    return t.call(f"append({piece!r}) is sb",
                  builtin_errors(lambda: sb.append(piece) is sb, TypeError))


def extend(t, sb, pieces, shown=None):
    label = f"extend({shown if shown is not None else repr(pieces)}) is sb"
    return t.call(label, builtin_errors(lambda: sb.extend(pieces) is sb, TypeError))


# ---------------------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------------------


@case("a new builder builds '' and has length 0")
def new_builder(t):
    sb = new(t)
    build(t, sb)
    size(t, sb)


@case("append adds pieces at the end and returns the builder", points=3)
def append_pieces(t):
    sb = new(t)
    append(t, sb, "Hello")
    append(t, sb, ", ")
    append(t, sb, "world")
    build(t, sb)
    t.call("append('!').append('?') chains", lambda: sb.append("!").append("?") is sb)
    build(t, sb)


@case("len(sb) is the number of characters, not of pieces", points=2)
def length_in_characters(t):
    sb = new(t)
    append(t, sb, "abc")
    size(t, sb)
    append(t, sb, "")
    append(t, sb, "de")
    size(t, sb)
    append(t, sb, "\u00e9\u4e2d\U0001f600")  # three characters, more bytes
    size(t, sb)


@case("build() can be called again; appending after it carries on", points=2)
def build_repeatedly(t):
    sb = new(t)
    append(t, sb, "one ")
    build(t, sb)
    build(t, sb)
    append(t, sb, "two ")
    build(t, sb)
    size(t, sb)
    append(t, sb, "three")
    build(t, sb)


@case("append of a non-str raises TypeError at once and changes nothing", points=3)
def append_not_str(t):
    sb = new(t)
    append(t, sb, "kept")
    for bad in (42, None, b"bytes", ["list"]):
        append(t, sb, bad)
    size(t, sb)
    build(t, sb)


@case("extend appends every piece of an iterable, in order, and returns the builder",
      points=2)
def extend_pieces(t):
    sb = new(t)
    extend(t, sb, ["a", "b", "c"])
    extend(t, sb, ("d", "", "e"))
    extend(t, sb, (str(i) for i in range(5)), shown="str(i) for i in range(5)")
    extend(t, sb, [])
    build(t, sb)
    size(t, sb)


@case("extend with a non-str piece raises TypeError and appends none of its pieces",
      points=2)
def extend_not_str(t):
    sb = new(t)
    append(t, sb, "start")
    extend(t, sb, ["x", "y", 3, "z"])
    size(t, sb)
    build(t, sb)
    extend(t, sb, iter(["p", None]), shown="iter(['p', None])")
    build(t, sb)


class Name(str):
    """A str subclass: a piece like any other."""


@case("pieces may be str subclasses; build() still returns a plain str")
def str_subclasses(t):
    sb = new(t)
    t.call("append(Name('Ada')) is sb", lambda: sb.append(Name("Ada")) is sb)
    t.call("type(build()).__name__", lambda: type(sb.build()).__name__)
    build(t, sb)
    t.call("append(' Lovelace') is sb", lambda: sb.append(" Lovelace") is sb)
    t.call("type(build()).__name__", lambda: type(sb.build()).__name__)
    build(t, sb)


@random_case("random appends, extends and builds, compared with the reference", runs=30,
             points=2)
def random_operations(t, rng):
    words = ["", "a", "bc", "def", " ", "\n", "\u00e9t\u00e9", "\U0001f600", "x" * 10]
    script = []
    for _ in range(rng.randint(1, 25)):
        roll = rng.random()
        if roll < 0.45:
            script.append(("append", rng.choice(words + [7, None])))
        elif roll < 0.65:
            pieces = [rng.choice(words) for _ in range(rng.randint(0, 4))]
            if rng.random() < 0.2:
                pieces.insert(rng.randint(0, len(pieces)), 3.5)
            script.append(("extend", pieces))
        elif roll < 0.85:
            script.append(("build",))
        else:
            script.append(("len",))
    sb = new(t)
    for step in script:
        if step[0] == "append":
            append(t, sb, step[1])
        elif step[0] == "extend":
            extend(t, sb, step[1])
        elif step[0] == "build":
            build(t, sb)
        else:
            size(t, sb)
    build(t, sb)


# ---------------------------------------------------------------------------------------
# Linear time, 1: characters copied by +
# ---------------------------------------------------------------------------------------

_copied = [0]


class Piece(str):
    """A str whose + (on either side, so += too) counts the characters it copies."""

    __slots__ = ()

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        result = str.__add__(str(self), other)
        _copied[0] += len(result)
        return result

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        result = str.__add__(other, str(self))
        _copied[0] += len(result)
        return result


_COUNTED_PIECES = 2000
_PIECE_LENGTH = 10


@case(f"appending {_COUNTED_PIECES:,} pieces and building copies O(n) characters with +",
      points=3)
def copies_with_plus(t):
    total = _COUNTED_PIECES * _PIECE_LENGTH
    allowed = 4 * total
    pieces = [Piece(format(i, f"0{_PIECE_LENGTH}d")) for i in range(_COUNTED_PIECES)]

    def verdict():
        _copied[0] = 0
        sb = t.module.StringBuilder()
        for piece in pieces:
            sb.append(piece)
        text = sb.build()
        if text != "".join(pieces):
            return "build() did not return the pieces joined in order"
        if _copied[0] <= allowed:
            return f"at most 4 times the {total:,} characters of the result"
        return (f"{_copied[0]:,} characters, {_copied[0] / total:.0f} times the {total:,} "
                "characters of the result: the text is rebuilt with + or += piece by "
                "piece, copying everything built so far each time (O(n²)); collect the "
                "pieces and join them once")

    t.call(f"characters copied by + while building from {_COUNTED_PIECES:,} pieces", verdict)


# ---------------------------------------------------------------------------------------
# Linear time, 2: growth of the CPU time between n and 10 n pieces
#
# CPU time of this thread (time.thread_time), not wall-clock time: a busy machine that
# preempts the process does not count. Measured with a load average of 8 to 9 on 2 cores:
# list-and-join, io.StringIO and compacting builders took 7.8 to 12.7 times as long for
# 10 n pieces, rebuilding the text on every append 145 to 650 times; the limit is 40.
# Each size's time is the best of several rounds, interleaved.
# ---------------------------------------------------------------------------------------

_N = 1000
_LENGTH = 24
_GROWTH_LIMIT = 40
_CLEARLY_FINE = 20
_MIN_ROUNDS, _MAX_ROUNDS = 3, 9
_ROUNDS_SECONDS = 4.0  # wall-clock budget for the rounds after the first _MIN_ROUNDS


def _cpu_clock():
    try:
        time.thread_time()
        return time.thread_time
    except (AttributeError, OSError):  # a platform without a thread CPU clock
        return time.perf_counter


def _job_seconds(builder_class, pieces, clock):
    start = clock()
    sb = builder_class()
    append = sb.append
    for piece in pieces:
        append(piece)
    sb.build()
    return clock() - start


def _growth(builder_class):
    clock = _cpu_clock()
    small = ["a" * _LENGTH] * _N
    large = ["b" * _LENGTH] * (10 * _N)
    best = {}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        deadline = time.perf_counter() + _ROUNDS_SECONDS
        for rounds in range(1, _MAX_ROUNDS + 1):
            for name, pieces in (("small", small), ("large", large)):
                seconds = _job_seconds(builder_class, pieces, clock)
                best[name] = min(best.get(name, float("inf")), seconds)
            growth = best["large"] / max(best["small"], 1e-9)
            if rounds >= _MIN_ROUNDS and (
                growth < _CLEARLY_FINE or time.perf_counter() > deadline
            ):
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return growth


@case(f"{10 * _N:,} pieces take about 10 times as long as {_N:,}, not 100 times", points=3)
def linear_growth(t):
    def verdict():
        growth = _growth(t.module.StringBuilder)
        if growth <= _GROWTH_LIMIT:
            return f"at most {_GROWTH_LIMIT} times as long (linear)"
        return (f"about {growth:.0f} times as long, over {_GROWTH_LIMIT}: the time grows "
                "like n², so every append copies the text built so far (+=, or joining "
                "the text with the new piece); collect the pieces and join them once")

    t.call(f"CPU time for {10 * _N:,} pieces against {_N:,} pieces", verdict)
