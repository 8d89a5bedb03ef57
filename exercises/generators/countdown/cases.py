"""Cases for the countdown exercise (see README.md for the API they check)."""
import operator

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Countdown"]


def new(t, start, name="countdown"):
    return t.call(f"{name} = Countdown({start!r})", builtin_errors(t.module.Countdown, ValueError),
                  start, observe=False)


def make_iter(t, iterable, name, of="countdown"):
    return t.call(f"{name} = iter({of})", iter, iterable, observe=False)


def is_stop_iteration(function, *args):
    """Call function(*args): 'raised StopIteration' if it did, else what it returned."""
    try:
        return function(*args)
    except StopIteration:
        return "raised StopIteration"


# ---------------------------------------------------------------------------------------
# The Countdown
# ---------------------------------------------------------------------------------------


@case("iterating Countdown(n) gives n, n - 1, ..., 1", points=2)
def counts_down(t):
    countdown = new(t, 3)
    t.call("list(countdown)", list, countdown)
    t.call("list(Countdown(1))", lambda: list(t.module.Countdown(1)))
    t.call("list(Countdown(10))", lambda: list(t.module.Countdown(10)))
    t.call("[n * n for n in Countdown(4)]", lambda: [n * n for n in t.module.Countdown(4)])


@case("Countdown(0) gives nothing")
def zero(t):
    countdown = new(t, 0)
    t.call("list(countdown)", list, countdown)
    t.call("list(countdown) again", list, countdown)


@case("a negative start raises ValueError when the Countdown is created")
def negative(t):
    new(t, -1)
    new(t, -10)
    new(t, 0)


@case("the Countdown is reusable: iterating it again starts again", points=2)
def reusable(t):
    countdown = new(t, 3)
    t.call("list(countdown)", list, countdown)
    t.call("list(countdown) the second time", list, countdown)
    t.call("sum(countdown)", sum, countdown)
    t.call("max(countdown)", max, countdown)
    t.call("2 in countdown", operator.contains, countdown, 2)
    t.call("list(countdown) once more", list, countdown)


@case("iter(countdown) returns a fresh iterator every time", points=2)
def fresh_iterators(t):
    countdown = new(t, 3)
    first = make_iter(t, countdown, "first")
    second = make_iter(t, countdown, "second")
    t.call("first is second", lambda: first is second)
    t.call("first is countdown", lambda: first is countdown)
    t.call("next(first)", next, first)
    t.call("next(first)", next, first)
    t.call("next(second)", next, second)
    third = make_iter(t, countdown, "third")
    t.call("next(third)", next, third)
    t.call("next(first)", next, first)
    t.call("list(second)", list, second)
    t.call("list(third)", list, third)


@case("two loops over one Countdown at the same time do not disturb each other", points=2)
def simultaneous_loops(t):
    countdown = new(t, 3)
    t.call("list(zip(countdown, countdown))", lambda: list(zip(countdown, countdown)))
    t.call("[(a, b) for a in countdown for b in countdown]",
           lambda: [(a, b) for a in countdown for b in countdown])
    t.call("list(countdown)", list, countdown)


@case("the Countdown is not an iterator itself: next(countdown) raises TypeError")
def not_an_iterator(t):
    countdown = new(t, 2)
    t.call("next(countdown)", next, countdown)
    t.call("list(countdown)", list, countdown)


# ---------------------------------------------------------------------------------------
# Its iterator
# ---------------------------------------------------------------------------------------


@case("the iterator is its own iterator: iter(it) is it")
def iterator_is_its_own_iterator(t):
    countdown = new(t, 3)
    it = make_iter(t, countdown, "it")
    t.call("iter(it) is it", lambda: iter(it) is it)
    t.call("next(it)", next, it)
    t.call("list(iter(it))", lambda: list(iter(it)))


@case("a loop over a half-used iterator goes on where it was")
def half_used(t):
    countdown = new(t, 5)
    it = make_iter(t, countdown, "it")
    t.call("next(it)", next, it)
    t.call("next(it)", next, it)
    t.call("[n for n in it]", lambda: [n for n in it])


@case("the iterator is one-shot: once exhausted it stays exhausted", points=2)
def one_shot(t):
    countdown = new(t, 2)
    it = make_iter(t, countdown, "it")
    t.call("list(it)", list, it)
    t.call("list(it) the second time", list, it)
    t.call("next(it) after it was exhausted", is_stop_iteration, next, it)
    t.call("next(it) once more", is_stop_iteration, next, it)
    t.call("list(countdown), a new iteration", list, countdown)
    t.call("next(it) after a new iteration of countdown", is_stop_iteration, next, it)
    empty = t.call("empty = iter(Countdown(0))", lambda: iter(t.module.Countdown(0)),
                   observe=False)
    t.call("next(empty)", is_stop_iteration, next, empty)
    t.call("next(empty) again", is_stop_iteration, next, empty)


# ---------------------------------------------------------------------------------------
# Random scripts: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random mixes of iterators over one Countdown", runs=30, points=2)
def random_scripts(t, rng):
    start = rng.randint(0, 6)
    script = []
    made = 0
    for _ in range(rng.randint(5, 20)):
        roll = rng.random()
        if made == 0 or roll < 0.2:
            script.append(("iter", made))
            made += 1
        elif roll < 0.75:
            script.append(("next", rng.randrange(made)))
        elif roll < 0.9:
            script.append(("list", rng.randrange(made)))
        else:
            script.append(("whole", None))
    countdown = new(t, start)
    iterators = []
    for action, k in script:
        if action == "iter":
            iterators.append(make_iter(t, countdown, f"it{k}"))
        elif action == "next":
            t.call(f"next(it{k})", is_stop_iteration, next, iterators[k])
        elif action == "list":
            t.call(f"list(it{k})", list, iterators[k])
        else:
            t.call("list(countdown)", list, countdown)
