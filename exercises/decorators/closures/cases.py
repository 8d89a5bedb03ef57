"""Cases for the closures exercise (see README.md for the API they check)."""
from pykata_harness import case, random_case

REQUIRED = ["make_counter", "make_multipliers"]


def counter(t, name, *args, **kwargs):
    shown = [repr(arg) for arg in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return t.call(f"{name} = make_counter({', '.join(shown)})", t.module.make_counter,
                  *args, observe=False, **kwargs)


def tick(t, function, name, *args, **kwargs):
    shown = [repr(arg) for arg in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return t.call(f"{name}({', '.join(shown)})", function, *args, **kwargs)


# ---------------------------------------------------------------------------------------
# make_counter
# ---------------------------------------------------------------------------------------


@case("a counter returns 1, 2, 3, ... from start=0", points=2)
def counts(t):
    c = counter(t, "c")
    tick(t, c, "c")
    tick(t, c, "c")
    tick(t, c, "c")


@case("make_counter(start) counts on from start")
def start(t):
    c = counter(t, "c", 10)
    tick(t, c, "c")
    tick(t, c, "c")
    d = counter(t, "d", start=-3)
    tick(t, d, "d")


@case("counter(step) adds step (1 by default) and returns the new count")
def step(t):
    c = counter(t, "c")
    tick(t, c, "c", 5)
    tick(t, c, "c")
    tick(t, c, "c", -2)
    tick(t, c, "c", step=10)
    tick(t, c, "c", 0)


@case("each counter has its own count", points=2)
def independent(t):
    a = counter(t, "a")
    b = counter(t, "b")
    tick(t, a, "a")
    tick(t, a, "a")
    tick(t, b, "b")
    tick(t, a, "a")
    c = counter(t, "c", 100)
    tick(t, c, "c")
    tick(t, b, "b")
    d = counter(t, "d")
    tick(t, d, "d")


# ---------------------------------------------------------------------------------------
# make_multipliers
# ---------------------------------------------------------------------------------------


def multipliers(t, n, name="ms"):
    return t.call(f"{name} = make_multipliers({n})", t.module.make_multipliers, n,
                  observe=False)


@case("make_multipliers(n) returns a list of n functions")
def multipliers_list(t):
    ms = multipliers(t, 4)
    t.call("type(ms).__name__", lambda: type(ms).__name__)
    t.call("len(ms)", len, ms)
    t.call("len(make_multipliers(0))", lambda: len(t.module.make_multipliers(0)))
    t.call("len(make_multipliers(1))", lambda: len(t.module.make_multipliers(1)))


@case("the i-th function multiplies its argument by i (no late binding)", points=3)
def multiplies_by_index(t):
    ms = multipliers(t, 4)
    t.call("[m(10) for m in ms]", lambda: [m(10) for m in ms])
    t.call("ms[0](7)", lambda: ms[0](7))
    t.call("ms[1](7)", lambda: ms[1](7))
    t.call("ms[3]('ab')", lambda: ms[3]("ab"))
    t.call("ms[2]([1])", lambda: ms[2]([1]))
    t.call("ms[3](0.5)", lambda: ms[3](0.5))
    one = multipliers(t, 1, "one")
    t.call("one[0](5)", lambda: one[0](5))


@case("lists of multipliers do not affect each other")
def multipliers_independent(t):
    small = multipliers(t, 2, "small")
    big = multipliers(t, 6, "big")
    t.call("[m(3) for m in small]", lambda: [m(3) for m in small])
    t.call("[m(3) for m in big]", lambda: [m(3) for m in big])
    t.call("[m(3) for m in make_multipliers(3)]",
           lambda: [m(3) for m in t.module.make_multipliers(3)])
    t.call("[m(3) for m in small] again", lambda: [m(3) for m in small])


# ---------------------------------------------------------------------------------------
# Random scripts: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random counters and steps", runs=25, points=2)
def random_counters(t, rng):
    script = []
    made = 0
    for _ in range(rng.randint(3, 15)):
        if made == 0 or rng.random() < 0.2:
            script.append(("new", made, rng.choice([None, 0, 5, -10, 100])))
            made += 1
        else:
            script.append(("tick", rng.randrange(made), rng.choice([None, 1, 2, -1, 7])))
    counters = []
    for action, k, value in script:
        if action == "new":
            if value is None:
                counters.append(counter(t, f"c{k}"))
            else:
                counters.append(counter(t, f"c{k}", value))
        elif value is None:
            tick(t, counters[k], f"c{k}")
        else:
            tick(t, counters[k], f"c{k}", value)


@random_case("random multipliers and arguments", runs=20)
def random_multipliers(t, rng):
    n = rng.randint(0, 8)
    arguments = [rng.randint(-20, 20) for _ in range(n)]
    ms = multipliers(t, n)
    t.call(f"[m(x) for m, x in zip(ms, {arguments!r})]",
           lambda: [m(x) for m, x in zip(ms, arguments)])
