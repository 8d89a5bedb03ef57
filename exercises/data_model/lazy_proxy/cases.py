"""Cases for the lazy_proxy exercise (see README.md for the API they check).

Factories note every call, so when the target is built (and how often) is compared step
by step with the reference. Targets are Records defined here, with a stable repr; the
case keeps its own reference to each target it built, to check what setting and deleting
through the proxy did to it.
"""
import copy

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["LazyProxy"]


class Record:
    """A target with plain attributes, a method, and the special methods the proxy
    forwards. Some attribute names (factory, target, loaded, load) are the ones a proxy
    is tempted to use for itself."""

    def __init__(self, label, items=()):
        self.label = label
        self.items = list(items)
        self.factory = f"{label}'s own factory attribute"
        self.target = f"{label}'s own target attribute"
        self.loaded = f"{label}'s own loaded attribute"

    def load(self):
        return f"{self.label}.load() of the target"

    def describe(self):
        return f"{self.label} with {len(self.items)} items"

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __contains__(self, item):
        return item in self.items

    def __getitem__(self, index):
        return self.items[index]

    def __str__(self):
        return f"record {self.label}"

    def __repr__(self):
        return f"Record({self.label!r})"


class Factory:
    """A factory that notes each call and returns make(); the first `failures` calls
    raise ConnectionError instead."""

    def __init__(self, t, name, make, failures=0):
        self.t = t
        self.name = name
        self.make = make
        self.failures = failures
        self.calls = 0
        self.built = []

    def __call__(self):
        self.calls += 1
        self.t.note(f"{self.name}() called, call number", self.calls)
        if self.calls <= self.failures:
            raise ConnectionError(f"{self.name}: attempt {self.calls} failed")
        target = self.make()
        self.built.append(target)
        return target


def proxy_of(t, factory, label=None):
    return t.call(label or f"proxy = LazyProxy({factory.name})", t.module.LazyProxy, factory,
                  observe=False)


def record_factory(t, name="open_record", label="orders", items=(3, 1, 2), failures=0):
    return Factory(t, name, lambda: Record(label, items), failures)


def read(t, proxy, name):
    return t.call(f"proxy.{name}", lambda: getattr(proxy, name))


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


@case("LazyProxy(factory) does not call the factory", points=2)
def creation_is_lazy(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    t.note("factory calls after LazyProxy(open_record)", factory.calls)
    t.call("repr(proxy)", repr, proxy)


@case("the first attribute read calls the factory once; later reads reuse the target",
      points=3)
def first_read_loads_once(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    read(t, proxy, "label")
    read(t, proxy, "label")
    t.call("proxy.describe()", lambda: proxy.describe())
    t.call("proxy.items", lambda: proxy.items)
    t.call("proxy.describe.__self__ is the target",
           lambda: proxy.describe.__self__ is factory.built[0])
    t.note("factory calls in all", factory.calls)


@case("a missing attribute raises the target's AttributeError")
def missing_attribute(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    read(t, proxy, "colour")
    read(t, proxy, "label")


@case("names a proxy might use for itself (factory, target, loaded, load) are the "
      "target's", points=2)
def tempting_names(t):
    factory = record_factory(t, label="books")
    proxy = proxy_of(t, factory)
    for name in ("factory", "target", "loaded"):
        read(t, proxy, name)
    t.call("proxy.load()", lambda: proxy.load())


@case("setting and deleting attributes act on the target (and load it)", points=3)
def set_and_delete(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    t.call("proxy.level = 3", setattr, proxy, "level", 3)
    t.call("target.level", lambda: factory.built[0].level)
    read(t, proxy, "level")
    t.call("proxy.label = 'renamed'", setattr, proxy, "label", "renamed")
    t.call("target.label", lambda: factory.built[0].label)
    t.call("del proxy.level", delattr, proxy, "level")
    t.call("hasattr(target, 'level')", lambda: hasattr(factory.built[0], "level"))
    t.call("del proxy.level  # again", delattr, proxy, "level")
    t.note("factory calls in all", factory.calls)
    factory = record_factory(t, "open_other")
    proxy = proxy_of(t, factory)
    t.call("del proxy.items  # the first use", delattr, proxy, "items")
    t.call("hasattr(target, 'items')", lambda: hasattr(factory.built[0], "items"))


@case("a falsy target (0, '', [], None) is loaded only once", points=3)
def falsy_targets(t):
    zero = Factory(t, "zero", lambda: 0)
    proxy = proxy_of(t, zero)
    t.call("proxy.bit_length()", lambda: proxy.bit_length())
    t.call("proxy.real", lambda: proxy.real)
    empty = Factory(t, "empty_text", lambda: "")
    proxy = proxy_of(t, empty)
    t.call("proxy.upper()", lambda: proxy.upper())
    t.call("proxy.isdigit()", lambda: proxy.isdigit())
    nothing = Factory(t, "nothing", lambda: None)
    proxy = proxy_of(t, nothing)
    t.call("str(proxy)", str, proxy)
    t.call("str(proxy)", str, proxy)
    shelf = Factory(t, "empty_list", lambda: [])
    proxy = proxy_of(t, shelf)
    t.call("proxy.append(1)", lambda: proxy.append(1))
    t.call("len(proxy)", len, proxy)
    t.call("proxy.count(1)", lambda: proxy.count(1))


@case("a failing factory propagates its exception, and the next use tries again",
      points=3)
def failing_factory(t):
    factory = record_factory(t, "connect", failures=2)
    proxy = proxy_of(t, factory)
    read(t, proxy, "label")
    t.call("len(proxy)", len, proxy)
    t.call("repr(proxy)", repr, proxy)
    read(t, proxy, "label")
    read(t, proxy, "label")
    t.call("repr(proxy)", repr, proxy)


# ---------------------------------------------------------------------------------------
# Special operations and repr
# ---------------------------------------------------------------------------------------


@case("len, iter, in, [] and str load the target and act on it", points=3)
def special_operations(t):
    operations = [
        ("len(proxy)", len),
        ("list(proxy)", list),
        ("2 in proxy", lambda proxy: 2 in proxy),
        ("proxy[0]", lambda proxy: proxy[0]),
        ("str(proxy)", str),
        ("[x for x in proxy]", lambda proxy: [x for x in proxy]),
    ]
    for label, operation in operations:
        factory = record_factory(t)
        proxy = proxy_of(t, factory)
        t.call(f"{label}  # the first use", operation, proxy)
        t.call(label, operation, proxy)
        t.call("7 in proxy", lambda: 7 in proxy)
        t.call("proxy[5]", lambda: proxy[5])
        t.note("factory calls", factory.calls)


@case("repr(proxy) never loads the target", points=2)
def repr_does_not_load(t):
    factory = record_factory(t, label="cart")
    proxy = proxy_of(t, factory)
    t.call("repr(proxy)", repr, proxy)
    t.call("repr(proxy)", repr, proxy)
    t.note("factory calls", factory.calls)
    read(t, proxy, "label")
    t.call("repr(proxy)", repr, proxy)


# ---------------------------------------------------------------------------------------
# Probes, copies and recursion
# ---------------------------------------------------------------------------------------


@case("a dunder name the class does not define raises AttributeError without loading",
      points=3)
def dunder_probes(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    for name in ("__fspath__", "__html__", "__json__"):
        t.call(f"hasattr(proxy, {name!r})", hasattr, proxy, name)
        t.call(f"proxy.{name}", builtin_errors(getattr, AttributeError), proxy, name)
    t.note("factory calls", factory.calls)
    t.call("repr(proxy)", repr, proxy)


@case("a proxy made without __init__ raises AttributeError, never RecursionError",
      points=3)
def uninitialised(t):
    bare = t.call("bare = LazyProxy.__new__(LazyProxy)", lambda: t.module.LazyProxy.__new__(
        t.module.LazyProxy), observe=False)
    for name in ("label", "anything", "value"):
        t.call(f"bare.{name}", builtin_errors(getattr, AttributeError), bare, name)
    t.call("hasattr(bare, 'label')", hasattr, bare, "label")


@case("copy.copy(proxy) works and does not call the factory", points=2)
def copying(t):
    factory = record_factory(t)
    proxy = proxy_of(t, factory)
    duplicate = t.call("copy.copy(proxy)", copy.copy, proxy, observe=False)
    t.call("type(copy.copy(proxy)).__name__", lambda: type(duplicate).__name__)
    t.note("factory calls", factory.calls)
    read(t, proxy, "label")
    t.call("copy.copy(proxy)  # once loaded", copy.copy, proxy, observe=False)
    t.note("factory calls", factory.calls)


@case("each proxy has its own factory and target")
def separate_proxies(t):
    first = record_factory(t, "open_orders", label="orders", items=[1])
    second = record_factory(t, "open_users", label="users", items=[1, 2, 3])
    a = proxy_of(t, first, "a = LazyProxy(open_orders)")
    b = proxy_of(t, second, "b = LazyProxy(open_users)")
    t.call("b.label", lambda: b.label)
    t.call("a.label", lambda: a.label)
    t.call("len(a), len(b)", lambda: (len(a), len(b)))
    t.call("repr(a), repr(b)", lambda: (repr(a), repr(b)))


# ---------------------------------------------------------------------------------------
# Random uses
# ---------------------------------------------------------------------------------------

OPERATIONS = ["read label", "read items", "read missing", "describe", "set level",
              "read level", "delete level", "len", "list", "in", "index", "str", "repr",
              "probe"]


@random_case("random sequences of uses, with factories that fail at first", runs=30,
             points=3)
def random_uses(t, rng):
    failures = rng.choice([0, 0, 1, 2])
    items = [rng.randint(0, 9) for _ in range(rng.randint(0, 5))]
    plan = [(rng.choice(OPERATIONS), rng.randint(0, 9)) for _ in range(14)]
    factory = record_factory(t, "build", label="r", items=items, failures=failures)
    proxy = proxy_of(t, factory)
    for operation, number in plan:
        if operation == "read label":
            read(t, proxy, "label")
        elif operation == "read items":
            read(t, proxy, "items")
        elif operation == "read missing":
            read(t, proxy, "missing")
        elif operation == "describe":
            t.call("proxy.describe()", lambda: proxy.describe())
        elif operation == "set level":
            t.call(f"proxy.level = {number}", setattr, proxy, "level", number)
        elif operation == "read level":
            read(t, proxy, "level")
        elif operation == "delete level":
            t.call("del proxy.level", delattr, proxy, "level")
        elif operation == "len":
            t.call("len(proxy)", len, proxy)
        elif operation == "list":
            t.call("list(proxy)", list, proxy)
        elif operation == "in":
            t.call(f"{number} in proxy", lambda: number in proxy)
        elif operation == "index":
            t.call(f"proxy[{number % 4}]", lambda: proxy[number % 4])
        elif operation == "str":
            t.call("str(proxy)", str, proxy)
        elif operation == "repr":
            t.call("repr(proxy)", repr, proxy)
        else:
            t.call("hasattr(proxy, '__fspath__')", hasattr, proxy, "__fspath__")
