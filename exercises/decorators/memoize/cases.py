"""Cases for the memoize exercise (see README.md for the API they check).

The functions handed to memoize() note every time they really run, with their arguments,
so a call answered from the cache (no note) and a call that runs the function (a note)
differ by a step. Hit and miss counts are observed only where the README pins them: with
maxsize above 0, and no unhashable argument or exception among the calls counted.
"""
import functools
import sys

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["memoize"]


def show_args(args, kwargs):
    shown = [repr(arg) for arg in args] + [f"{key}={value!r}" for key, value in kwargs.items()]
    return ", ".join(shown)


def traced(t, name, compute, doc=None):
    """A function called `name` that notes each run and returns compute(*args, **kwargs)."""

    def function(*args, **kwargs):
        t.note(f"{name} ran with", show_args(args, kwargs))
        return compute(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


def configure(t, *args, **kwargs):
    """memoize(*args, **kwargs): the decorator it returns (not observed, it is an object)."""
    return t.call(f"memoize({show_args(args, kwargs)})", t.module.memoize, *args,
                  observe=False, **kwargs)


def decorate(t, decorator, function, label=None):
    label = label or f"decorating {function.__name__}"
    return t.call(label, decorator, function, observe=False)


def call(t, wrapper, name, *args, **kwargs):
    return t.call(f"{name}({show_args(args, kwargs)})", wrapper, *args, **kwargs)


def info(t, wrapper, name):
    """cache_info() as a plain tuple of its four counts."""
    return t.call(f"tuple({name}.cache_info())", lambda: tuple(wrapper.cache_info()))


def currsize(t, wrapper, name):
    return t.call(f"{name}.cache_info().currsize", lambda: wrapper.cache_info().currsize)


def square(t, **options):
    """A memoized `square`, made with memoize(**options)."""
    decorator = configure(t, **options)
    return decorate(t, decorator, traced(t, "square", lambda n: n * n))


# ---------------------------------------------------------------------------------------
# Building the decorator
# ---------------------------------------------------------------------------------------


@case("memoize(...) returns a decorator, with its arguments by position or by keyword",
      points=2)
def factory_forms(t):
    for args, kwargs in [((), {}), ((2,), {}), ((2, True), {}), ((), {"maxsize": 3}),
                         ((), {"typed": True}), ((None,), {"typed": False})]:
        decorator = configure(t, *args, **kwargs)
        wrapper = decorate(t, decorator, traced(t, "double", lambda n: 2 * n))
        call(t, wrapper, "double", 21)
        call(t, wrapper, "double", 21)
        t.call("double.cache_info().maxsize", lambda: wrapper.cache_info().maxsize)


@case("a bare @memoize works, with maxsize=128", points=2)
def bare_decorator(t):
    wrapper = t.call("memoize(cube)  # bare @memoize", t.module.memoize,
                     traced(t, "cube", lambda n: n ** 3), observe=False)
    call(t, wrapper, "cube", 3)
    call(t, wrapper, "cube", 3)
    call(t, wrapper, "cube", 4)
    info(t, wrapper, "cube")


@case("a repeated call returns the stored result without running the function",
      points=2)
def repeated_calls_hit(t):
    wrapper = square(t)
    call(t, wrapper, "square", 9)
    call(t, wrapper, "square", 9)
    call(t, wrapper, "square", 9)
    call(t, wrapper, "square", 5)
    call(t, wrapper, "square", 9)
    info(t, wrapper, "square")


# ---------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------


@case("equal positional arguments share one entry: 2 and 2.0, equal tuples", points=2)
def equal_positional_arguments(t):
    wrapper = square(t)
    call(t, wrapper, "square", 2)
    call(t, wrapper, "square", 2.0)
    currsize(t, wrapper, "square")
    describe = traced(t, "describe", lambda pair: f"{pair[0]}-{pair[1]}")
    described = decorate(t, configure(t, 8), describe)
    call(t, described, "describe", (1, 2))
    call(t, described, "describe", tuple([1, 2]))
    call(t, described, "describe", (1.0, 2))
    info(t, described, "describe")


@case("equal keyword arguments share one entry, in any order", points=3)
def keyword_order(t):
    box = traced(t, "box", lambda w, *, h, d: f"{w}x{h}x{d}")
    wrapper = decorate(t, configure(t, 8), box)
    call(t, wrapper, "box", 1, h=2, d=3)
    call(t, wrapper, "box", 1, d=3, h=2)
    call(t, wrapper, "box", 1, h=2, d=3)
    call(t, wrapper, "box", 1, h=2, d=4)
    info(t, wrapper, "box")


@case("different arguments never share an entry: positional and keyword stay apart",
      points=2)
def different_arguments(t):
    def echo(*args, **kwargs):
        return show_args(args, kwargs)

    wrapper = decorate(t, configure(t, 16), traced(t, "echo", echo))
    call(t, wrapper, "echo", ("b", 2))
    call(t, wrapper, "echo", b=2)
    call(t, wrapper, "echo", ("b", 2), b=2)
    call(t, wrapper, "echo")
    call(t, wrapper, "echo", None)
    call(t, wrapper, "echo", 1, 2)
    call(t, wrapper, "echo", (1, 2))
    call(t, wrapper, "echo", "1")
    call(t, wrapper, "echo", 1)
    call(t, wrapper, "echo", b=2)
    info(t, wrapper, "echo")


@case("typed=True keeps 3 and 3.0 apart, as positional and as keyword arguments",
      points=2)
def typed_keys(t):
    wrapper = square(t, typed=True)
    call(t, wrapper, "square", 3)
    call(t, wrapper, "square", 3.0)
    call(t, wrapper, "square", 3)
    call(t, wrapper, "square", 3.0)
    info(t, wrapper, "square")
    scale = traced(t, "scale", lambda *, by: f"x{by!r}")
    wrapper = decorate(t, configure(t, typed=True), scale)
    call(t, wrapper, "scale", by=3)
    call(t, wrapper, "scale", by=3.0)
    call(t, wrapper, "scale", by=3)
    info(t, wrapper, "scale")
    untyped = decorate(t, configure(t, typed=False), scale)
    call(t, untyped, "scale", by=3)
    call(t, untyped, "scale", by=3.0)
    info(t, untyped, "scale")


# ---------------------------------------------------------------------------------------
# Eviction
# ---------------------------------------------------------------------------------------


@case("beyond maxsize the least recently used entry is evicted (a hit is a use)",
      points=3)
def lru_eviction(t):
    wrapper = square(t, maxsize=2)
    call(t, wrapper, "square", 1)
    call(t, wrapper, "square", 2)
    call(t, wrapper, "square", 1)  # 1 is now the most recently used
    call(t, wrapper, "square", 3)  # evicts 2
    currsize(t, wrapper, "square")
    call(t, wrapper, "square", 1)
    call(t, wrapper, "square", 3)
    call(t, wrapper, "square", 2)  # runs again; evicts 1
    call(t, wrapper, "square", 3)
    call(t, wrapper, "square", 1)
    info(t, wrapper, "square")


@case("maxsize=1 keeps only the last entry")
def maxsize_one(t):
    wrapper = square(t, maxsize=1)
    for n in (4, 4, 5, 4, 4):
        call(t, wrapper, "square", n)
    info(t, wrapper, "square")


def run_range(wrapper, start, stop):
    for n in range(start, stop):
        wrapper(n)


@case("the default maxsize is 128: the 129th entry evicts the oldest")
def default_maxsize(t):
    quiet = []
    wrapper = decorate(t, configure(t), lambda n: quiet.append(n) or n,
                       "decorating quiet")
    t.call("quiet(n) for n in range(129)", run_range, wrapper, 0, 129)
    t.call("quiet ran for", lambda: len(quiet))
    info(t, wrapper, "quiet")
    t.call("quiet(0)  # evicted", wrapper, 0)
    t.call("quiet(2)  # still stored", wrapper, 2)
    t.call("quiet ran for", lambda: len(quiet))
    info(t, wrapper, "quiet")


@case("maxsize=None never evicts", points=2)
def unbounded(t):
    quiet = []
    wrapper = decorate(t, configure(t, maxsize=None), lambda n: quiet.append(n) or -n,
                       "decorating quiet")
    t.call("quiet(n) for n in range(500)", run_range, wrapper, 0, 500)
    t.call("quiet(n) for n in range(500), again", run_range, wrapper, 0, 500)
    t.call("quiet ran for", lambda: len(quiet))
    info(t, wrapper, "quiet")
    t.call("quiet(0)", wrapper, 0)


@case("maxsize=0 stores nothing: every call runs the function", points=2)
def maxsize_zero(t):
    wrapper = square(t, maxsize=0)
    call(t, wrapper, "square", 7)
    call(t, wrapper, "square", 7)
    call(t, wrapper, "square", 7)
    currsize(t, wrapper, "square")
    t.call("square.cache_info().maxsize", lambda: wrapper.cache_info().maxsize)


# ---------------------------------------------------------------------------------------
# Unhashable arguments and exceptions
# ---------------------------------------------------------------------------------------


@case("an unhashable argument raises TypeError without calling the function", points=3)
def unhashable(t):
    for options in ({}, {"maxsize": None}, {"maxsize": 2, "typed": True}):
        total = traced(t, "total", lambda *args, **kwargs: len(args) + len(kwargs))
        wrapper = decorate(t, configure(t, **options), total)
        lenient = builtin_errors(wrapper, TypeError)
        call(t, lenient, "total", [1, 2])
        call(t, lenient, "total", 1, {"a": 1})
        call(t, lenient, "total", 1, extra={2})
        call(t, wrapper, "total", 1, 2)
        currsize(t, wrapper, "total")


@case("an exception is never cached: the next call runs the function again", points=3)
def exceptions_not_cached(t):
    attempts = []

    def fetch(url):
        attempts.append(url)
        if len(attempts) <= 2:
            raise ConnectionError(f"attempt {len(attempts)} failed")
        return f"<page {url}>"

    for options in ({}, {"maxsize": None}):
        attempts.clear()
        wrapper = decorate(t, configure(t, **options), traced(t, "fetch", fetch))
        call(t, wrapper, "fetch", "a.org")
        currsize(t, wrapper, "fetch")
        call(t, wrapper, "fetch", "a.org")
        currsize(t, wrapper, "fetch")
        call(t, wrapper, "fetch", "a.org")
        call(t, wrapper, "fetch", "a.org")
        currsize(t, wrapper, "fetch")


# ---------------------------------------------------------------------------------------
# The wrapper
# ---------------------------------------------------------------------------------------


@case("the wrapper keeps __name__, __doc__ and __wrapped__", points=2)
def metadata(t):
    def greet(name):
        """Return a greeting for name."""
        return f"hello {name}"

    for label, make in [("memoize(maxsize=4)", lambda: t.module.memoize(maxsize=4)(greet)),
                        ("memoize (bare)", lambda: t.module.memoize(greet))]:
        wrapper = t.call(f"{label} applied to greet", make, observe=False)
        t.call("greet.__name__", getattr, wrapper, "__name__")
        t.call("greet.__doc__", getattr, wrapper, "__doc__")
        t.call("greet.__wrapped__ is the original greet", lambda: wrapper.__wrapped__ is greet)
        t.call("greet('Ada')", wrapper, "Ada")


@case("cache_info() is a named tuple (hits, misses, maxsize, currsize)", points=2)
def cache_info_fields(t):
    wrapper = square(t, maxsize=3)
    for n in (1, 2, 1, 1, 3, 4, 2):
        call(t, wrapper, "square", n)
    t.call("isinstance(square.cache_info(), tuple)",
           lambda: isinstance(wrapper.cache_info(), tuple))
    info(t, wrapper, "square")
    for field in ("hits", "misses", "maxsize", "currsize"):
        t.call(f"square.cache_info().{field}", lambda: getattr(wrapper.cache_info(), field))
    t.call("hits, misses, maxsize, currsize = square.cache_info()",
           lambda: [value for value in wrapper.cache_info()])


@case("cache_clear() empties the cache and resets all four counts but maxsize", points=2)
def cache_clear_resets(t):
    wrapper = square(t, maxsize=5)
    for n in (1, 2, 1):
        call(t, wrapper, "square", n)
    t.method(wrapper, "cache_clear", observe=False)
    info(t, wrapper, "square")
    call(t, wrapper, "square", 1)
    call(t, wrapper, "square", 1)
    info(t, wrapper, "square")
    unbounded = square(t, maxsize=None)
    call(t, unbounded, "square", 6)
    t.method(unbounded, "cache_clear", observe=False)
    info(t, unbounded, "square")


@case("each decorated function has its own cache, even with one decorator", points=2)
def separate_caches(t):
    cached = configure(t, 4)
    square_fn = decorate(t, cached, traced(t, "square", lambda n: n * n))
    cube_fn = decorate(t, cached, traced(t, "cube", lambda n: n ** 3))
    call(t, square_fn, "square", 2)
    call(t, cube_fn, "cube", 2)
    call(t, square_fn, "square", 2)
    call(t, cube_fn, "cube", 2)
    info(t, square_fn, "square")
    info(t, cube_fn, "cube")


# ---------------------------------------------------------------------------------------
# Without functools.lru_cache / functools.cache
# ---------------------------------------------------------------------------------------


def _lru_wrapper_inside(obj):
    """Whether obj is a functools.lru_cache wrapper, or holds one in its closure, its
    __wrapped__ or its attributes (one level down)."""
    kind = getattr(functools, "_lru_cache_wrapper", None)
    if kind is None:
        return False
    candidates = [obj, getattr(obj, "__wrapped__", None)]
    for cell in getattr(obj, "__closure__", None) or ():
        try:
            candidates.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    candidates.extend(getattr(obj, "__dict__", {}).values())
    return any(isinstance(candidate, kind) for candidate in candidates)


class _Watch:
    """Replaces functools.lru_cache and functools.cache, and the learner's module's names
    bound to them, by wrappers that note a call coming from the learner's module; restore()
    puts the originals back."""

    def __init__(self, module):
        self.module_globals = vars(module)
        self.called = []
        self.replaced = []  # (namespace dict, name, original)
        for name in ("lru_cache", "cache"):
            original = getattr(functools, name, None)
            if original is None:
                continue
            watcher = self._watcher(name, original)
            self._replace(vars(functools), name, watcher)
            for key, value in list(self.module_globals.items()):
                if value is original:
                    self._replace(self.module_globals, key, watcher)

    def _watcher(self, name, original):
        def watcher(*args, **kwargs):
            if sys._getframe(1).f_globals is self.module_globals:
                self.called.append(name)
            return original(*args, **kwargs)

        return watcher

    def _replace(self, namespace, key, value):
        self.replaced.append((namespace, key, namespace[key]))
        namespace[key] = value

    def restore(self):
        for namespace, key, original in reversed(self.replaced):
            namespace[key] = original


@case("memoize is written without functools.lru_cache or functools.cache", points=2)
def no_lru_cache(t):
    watch = _Watch(t.module)
    try:
        wrappers = []
        for make in (lambda: t.module.memoize(square_of), lambda: t.module.memoize()(square_of),
                     lambda: t.module.memoize(maxsize=None)(square_of),
                     lambda: t.module.memoize(3, True)(square_of)):
            wrapper = make()
            wrappers.append(wrapper)
            wrapper(2)
            wrapper(2)
            wrapper.cache_info()
    finally:
        watch.restore()
    t.note("functools.lru_cache or functools.cache called by memoize.py",
           sorted(set(watch.called)))
    t.note("a functools.lru_cache wrapper returned by memoize (or inside what it returned)",
           any(_lru_wrapper_inside(wrapper) for wrapper in wrappers))


def square_of(n):
    return n * n


# ---------------------------------------------------------------------------------------
# Random call sequences: whatever the reference does, the submission must do the same.
# ---------------------------------------------------------------------------------------

VALUES = [1, 2, 2.0, 3, "a", (1, 2)]


@random_case("random calls, maxsize and typed, with cache_info() and cache_clear()",
             runs=30, points=3)
def random_calls(t, rng):
    maxsize = rng.choice([1, 2, 3, 4, 8, None])
    typed = rng.random() < 0.5
    script = []
    for _ in range(40):
        roll = rng.random()
        if roll < 0.85:
            x = rng.choice(VALUES)
            keywords = [("y", rng.choice(VALUES)), ("z", rng.choice([0, 0.0, 1]))]
            rng.shuffle(keywords)
            script.append(("call", x, dict(keywords)))
        elif roll < 0.95:
            script.append(("info",))
        else:
            script.append(("clear",))

    def combine(x, *, y, z):
        return f"{x!r}/{y!r}/{z!r}"

    wrapper = decorate(t, configure(t, maxsize=maxsize, typed=typed),
                       traced(t, "combine", combine))
    for step in script:
        if step[0] == "call":
            call(t, wrapper, "combine", step[1], **step[2])
        elif step[0] == "info":
            info(t, wrapper, "combine")
        else:
            t.method(wrapper, "cache_clear", observe=False)
    info(t, wrapper, "combine")
