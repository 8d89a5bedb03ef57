"""Cases for the singleton exercise (see README.md for the API they check).

Each case defines its own classes (so every case starts with no instance), whose
__new__ and __init__ note every run. A call is observed as the number of the distinct
object it returned (object 1 is the first object any call of the case returned, object 2
the next new one...) and that object's type name: so "the same instance" and "a new
instance" are builtin values the grader can compare.
"""
from pykata_harness import case, random_case

REQUIRED = ["Singleton", "SingletonMeta"]


class Objects:
    """Numbers the distinct objects returned in a case, by identity."""

    def __init__(self):
        self.seen = []

    def number(self, obj):
        for index, known in enumerate(self.seen):
            if known is obj:
                return index + 1
        self.seen.append(obj)
        return len(self.seen)


def make(t, objects, cls, label, *args, **kwargs):
    """Call cls(*args, **kwargs); observe (object number, type name)."""

    def create():
        obj = cls(*args, **kwargs)
        return f"object {objects.number(obj)}", type(obj).__name__

    return t.call(label, create)


def noisy_init(t, name):
    """An __init__ that notes its arguments and stores them."""

    def __init__(self, *args, **kwargs):
        t.note(f"{name}.__init__ ran with", [list(args), kwargs])
        self.args = args

    return __init__


def define(t, label, build):
    """Run a class statement (in `build`), recorded as a step; returns the class."""
    return t.call(label, build, observe=False)


def singleton_class(t, name, base, init=True):
    namespace = {"__init__": noisy_init(t, name)} if init else {}
    return define(t, f"class {name}({base.__name__})", lambda: type(name, (base,), namespace))


def meta_class(t, name, bases=(), init=True, new=False):
    namespace = {"__init__": noisy_init(t, name)} if init else {}
    if new:
        def __new__(cls, *args, **kwargs):
            t.note(f"{name}.__new__ ran for", cls.__name__)
            return super(holder[0], cls).__new__(cls)

        namespace["__new__"] = __new__
    holder = []

    def build():
        cls = t.module.SingletonMeta(name, tuple(bases) or (object,), namespace)
        holder.append(cls)
        return cls

    shown = ", ".join([base.__name__ for base in bases] + ["metaclass=SingletonMeta"])
    return define(t, f"class {name}({shown})", build)


# ---------------------------------------------------------------------------------------
# Singleton, the base class
# ---------------------------------------------------------------------------------------


@case("Singleton: every call returns the same instance of the class", points=3)
def base_same_instance(t):
    objects = Objects()
    config = singleton_class(t, "Config", t.module.Singleton, init=False)
    make(t, objects, config, "Config()")
    make(t, objects, config, "Config()")
    make(t, objects, config, "Config()")


@case("Singleton: __init__ runs on every call, with that call's arguments", points=3)
def base_init_every_call(t):
    objects = Objects()
    config = singleton_class(t, "Config", t.module.Singleton)
    make(t, objects, config, "Config('a.toml')", "a.toml")
    make(t, objects, config, "Config('b.toml', debug=True)", "b.toml", debug=True)
    t.call("Config().args", lambda: config().args)


@case("Singleton: the call's arguments go to __init__ only (object.__new__ takes none)",
      points=2)
def base_arguments(t):
    objects = Objects()
    point = singleton_class(t, "Point", t.module.Singleton)
    make(t, objects, point, "Point(1, 2)", 1, 2)
    make(t, objects, point, "Point(x=3)", x=3)


@case("Singleton: a subclass gets its own instance, whichever class is called first",
      points=3)
def base_subclasses(t):
    objects = Objects()
    config = singleton_class(t, "Config", t.module.Singleton)
    dev = singleton_class(t, "DevConfig", config)
    make(t, objects, config, "Config()")
    make(t, objects, dev, "DevConfig()")
    make(t, objects, config, "Config()")
    make(t, objects, dev, "DevConfig()")
    objects = Objects()
    config = singleton_class(t, "Config", t.module.Singleton)
    dev = singleton_class(t, "DevConfig", config)
    test = singleton_class(t, "TestConfig", dev)
    make(t, objects, test, "TestConfig()")
    make(t, objects, dev, "DevConfig()")
    make(t, objects, config, "Config()")
    make(t, objects, test, "TestConfig()")


@case("Singleton: unrelated classes never share an instance", points=2)
def base_unrelated(t):
    objects = Objects()
    config = singleton_class(t, "Config", t.module.Singleton, init=False)
    cache = singleton_class(t, "Cache", t.module.Singleton, init=False)
    make(t, objects, config, "Config()")
    make(t, objects, cache, "Cache()")
    make(t, objects, config, "Config()")
    make(t, objects, cache, "Cache()")


# ---------------------------------------------------------------------------------------
# SingletonMeta, the metaclass
# ---------------------------------------------------------------------------------------


@case("SingletonMeta: the first call creates the instance, later calls return it",
      points=3)
def meta_same_instance(t):
    objects = Objects()
    database = meta_class(t, "Database", new=True)
    make(t, objects, database, "Database('sqlite://main')", "sqlite://main")
    make(t, objects, database, "Database('sqlite://main')", "sqlite://main")
    make(t, objects, database, "Database()")


@case("SingletonMeta: later calls run neither __new__ nor __init__, and ignore their "
      "arguments", points=3)
def meta_runs_once(t):
    objects = Objects()
    database = meta_class(t, "Database", new=True)
    make(t, objects, database, "Database('a', pool=2)", "a", pool=2)
    make(t, objects, database, "Database('b', pool=5)", "b", pool=5)
    make(t, objects, database, "Database(1, 2, 3)", 1, 2, 3)
    t.call("Database().args", lambda: database().args)


@case("SingletonMeta: when the first call raises, no instance is kept", points=2)
def meta_failed_first_call(t):
    objects = Objects()
    attempts = []

    def __init__(self, url):
        attempts.append(url)
        t.note("Database.__init__ ran with", url)
        if url.startswith("bad"):
            raise ConnectionError(f"cannot reach {url}")
        self.url = url

    database = define(t, "class Database(metaclass=SingletonMeta)",
                      lambda: t.module.SingletonMeta("Database", (), {"__init__": __init__}))
    make(t, objects, database, "Database('bad://host')", "bad://host")
    make(t, objects, database, "Database('good://host')", "good://host")
    make(t, objects, database, "Database('bad://again')", "bad://again")
    t.call("Database().url", lambda: database().url)


@case("SingletonMeta: a subclass gets its own instance, whichever class is called first",
      points=3)
def meta_subclasses(t):
    objects = Objects()
    database = meta_class(t, "Database")
    replica = meta_class(t, "Replica", (database,))
    make(t, objects, database, "Database('main')", "main")
    make(t, objects, replica, "Replica('copy')", "copy")
    make(t, objects, database, "Database('x')", "x")
    make(t, objects, replica, "Replica('y')", "y")
    objects = Objects()
    database = meta_class(t, "Database")
    replica = meta_class(t, "Replica", (database,))
    backup = meta_class(t, "Backup", (replica,))
    make(t, objects, backup, "Backup('tape')", "tape")
    make(t, objects, replica, "Replica('copy')", "copy")
    make(t, objects, database, "Database('main')", "main")
    make(t, objects, backup, "Backup('disk')", "disk")


@case("SingletonMeta: unrelated classes never share an instance", points=2)
def meta_unrelated(t):
    objects = Objects()
    database = meta_class(t, "Database")
    cache = meta_class(t, "Cache")
    make(t, objects, database, "Database('db')", "db")
    make(t, objects, cache, "Cache('mem')", "mem")
    make(t, objects, database, "Database('db')", "db")
    make(t, objects, cache, "Cache('mem')", "mem")


@case("SingletonMeta: the class otherwise behaves normally")
def meta_normal_class(t):
    def __init__(self, url):
        self.url = url

    def describe(self):
        return f"{type(self).__name__} at {self.url}"

    namespace = {"__init__": __init__, "describe": describe, "driver": "sqlite",
                 "host": property(lambda self: self.url.split("://")[1])}
    database = define(t, "class Database(metaclass=SingletonMeta)",
                      lambda: t.module.SingletonMeta("Database", (), namespace))
    t.call("Database.driver", lambda: database.driver)
    t.call("Database('sqlite://main').describe()", lambda: database("sqlite://main").describe())
    t.call("Database().host", lambda: database().host)
    t.call("isinstance(Database(), Database)", lambda: isinstance(database(), database))
    t.call("type(Database).__name__", lambda: type(database).__name__)


# ---------------------------------------------------------------------------------------
# Random orders of calls over a small hierarchy
# ---------------------------------------------------------------------------------------


@random_case("random calls over a hierarchy of singleton classes, both ways", runs=30,
             points=3)
def random_hierarchy(t, rng):
    way = rng.choice(["Singleton", "SingletonMeta"])
    # Each class: (name, index of its parent in this list, or None for a root).
    shapes = [("A", None), ("B", 0), ("C", 1), ("D", 0), ("E", None)]
    shapes = shapes[: rng.randint(2, 5)]
    calls = [(rng.randrange(len(shapes)), rng.randint(0, 9)) for _ in range(15)]
    objects = Objects()
    classes = []
    for name, parent in shapes:
        if way == "Singleton":
            base = t.module.Singleton if parent is None else classes[parent]
            classes.append(singleton_class(t, name, base))
        else:
            bases = () if parent is None else (classes[parent],)
            classes.append(meta_class(t, name, bases, new=rng.random() < 0.5))
    for index, argument in calls:
        name = shapes[index][0]
        make(t, objects, classes[index], f"{name}({argument})", argument)
