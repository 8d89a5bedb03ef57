"""Cases for the plugin_registry exercise (see README.md for the API they check).

The cases define plugin classes of their own (that is when __init_subclass__ runs), each
case with names no other case uses, since Plugin.registry is shared by the whole run.
They observe which of their names are in Plugin.registry, in order, whether each maps to
the class itself, and what instances return or raise.
"""
import itertools

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Plugin", "create"]


_serial = itertools.count()  # unique names for the random runs (the same in both runs)


def define(t, label, build):
    """Run build() (a class statement); the class is not observed, only that it worked."""
    return t.call(label, builtin_errors(build, ValueError), observe=False)


def registered(t, names):
    """The names among `names` that Plugin.registry holds, in the registry's order."""
    wanted = list(names)
    t.call(f"[name for name in Plugin.registry if name in {wanted!r}]",
           lambda: [name for name in t.module.Plugin.registry if name in wanted])


def maps_to(t, name, cls, shown):
    t.call(f"Plugin.registry[{name!r}] is {shown}",
           lambda: t.module.Plugin.registry[name] is cls)


def run_created(t, name, text, *args, **kwargs):
    shown = ", ".join([repr(name)] + [repr(arg) for arg in args] +
                      [f"{key}={value!r}" for key, value in kwargs.items()])
    return t.call(f"create({shown}).run({text!r})",
                  builtin_errors(lambda: t.module.create(name, *args, **kwargs).run(text),
                                 KeyError))


def upper_plugin(m, name):
    class Upper(m.Plugin, key=name):
        def run(self, text):
            return text.upper()

    return Upper


# ---------------------------------------------------------------------------------------
# The abstract base class
# ---------------------------------------------------------------------------------------


@case("Plugin itself is abstract: Plugin() raises TypeError")
def plugin_is_abstract(t):
    t.call("Plugin()", t.module.Plugin, observe=False)


@case("a plugin without run() can be defined, but not instantiated (TypeError)", points=2)
def incomplete_plugin(t):
    m = t.module

    def build():
        class Draft(m.Plugin):
            def describe(self):
                return "a draft"

        return Draft

    Draft = define(t, "class Draft(Plugin): no run()", build)
    t.call("Draft()", lambda: Draft(), observe=False)

    def build_named():
        class Sketch(m.Plugin, key="sketch"):
            def describe(self):
                return "a sketch"

        return Sketch

    Sketch = define(t, 'class Sketch(Plugin, key="sketch"): no run()', build_named)
    t.call("Sketch()", lambda: Sketch(), observe=False)

    def build_complete():
        class Finished(Draft, key="finished"):
            def run(self, text):
                return text + "!"

        return Finished

    define(t, 'class Finished(Draft, key="finished"): run() adds "!"', build_complete)
    run_created(t, "finished", "done")


# ---------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------


@case("a subclass defined with key=... is registered under that key at once", points=2)
def registration(t):
    m = t.module
    Upper = define(t, 'class Upper(Plugin, key="upper"): run() returns text.upper()',
                   lambda: upper_plugin(m, "upper"))
    registered(t, ["upper"])
    maps_to(t, "upper", Upper, "Upper")

    def build():
        class Reverse(m.Plugin, key="reverse"):
            def run(self, text):
                return text[::-1]

        return Reverse

    Reverse = define(t, 'class Reverse(Plugin, key="reverse"): run() reverses', build)
    registered(t, ["upper", "reverse"])
    maps_to(t, "reverse", Reverse, "Reverse")


@case("Plugin.registry keeps the plugins in the order they were defined")
def definition_order(t):
    m = t.module
    names = ["zeta", "alpha", "mu"]
    for name in names:
        define(t, f'class Upper(Plugin, key="{name}")', lambda name=name: upper_plugin(m, name))
    registered(t, sorted(names))


@case("a subclass without a key is not registered", points=2)
def unnamed_subclasses(t):
    m = t.module

    def build_base():
        class TextPlugin(m.Plugin):
            def run(self, text):
                return self.transform(text)

        return TextPlugin

    TextPlugin = define(t, "class TextPlugin(Plugin): run() calls self.transform()",
                        build_base)
    t.call("'TextPlugin' in Plugin.registry", lambda: "TextPlugin" in m.Plugin.registry)
    t.call("TextPlugin in Plugin.registry.values()",
           lambda: TextPlugin in list(m.Plugin.registry.values()))

    def build_child():
        class Title(TextPlugin, key="title"):
            def transform(self, text):
                return text.title()

        return Title

    Title = define(t, 'class Title(TextPlugin, key="title")', build_child)
    registered(t, ["title", "TextPlugin"])
    maps_to(t, "title", Title, "Title")
    run_created(t, "title", "hello world")


@case("a subclass of a registered plugin registers under its own key; the parent stays")
def subclass_of_plugin(t):
    m = t.module

    def build():
        class Shout(m.Plugin, key="shout"):
            def run(self, text):
                return text.upper() + "!"

        class Whisper(Shout, key="whisper"):
            def run(self, text):
                return text.lower() + "..."

        return Shout, Whisper

    classes = define(t, 'class Shout(Plugin, key="shout"); class Whisper(Shout, '
                        'key="whisper")', build)
    registered(t, ["shout", "whisper"])
    if classes is not None:
        maps_to(t, "shout", classes[0], "Shout")
        maps_to(t, "whisper", classes[1], "Whisper")
    run_created(t, "shout", "Hi")
    run_created(t, "whisper", "Hi")


@case("a key already taken raises ValueError when the class is defined; the first stays",
      points=2)
def duplicate_names(t):
    m = t.module
    First = define(t, 'class Upper(Plugin, key="dup")', lambda: upper_plugin(m, "dup"))

    def build():
        class Other(m.Plugin, key="dup"):
            def run(self, text):
                return "other"

        return Other

    define(t, 'class Other(Plugin, key="dup") again', build)
    maps_to(t, "dup", First, "the first class, Upper")
    run_created(t, "dup", "abc")
    registered(t, ["dup"])


@case("other class keywords are passed on with super().__init_subclass__(**kwargs)",
      points=2)
def cooperative_init_subclass(t):
    m = t.module

    class Tagged:
        """Another base class with an __init_subclass__ of its own."""

        def __init_subclass__(cls, tag="none", **kwargs):
            super().__init_subclass__(**kwargs)
            cls.tag = tag

    def build():
        class Exclaim(m.Plugin, Tagged, key="exclaim", tag="loud"):
            def run(self, text):
                return text + "!"

        return Exclaim

    Exclaim = define(t, 'class Exclaim(Plugin, Tagged, key="exclaim", tag="loud") with '
                        'Tagged.__init_subclass__(cls, tag="none", **kwargs)', build)
    t.call("Exclaim.tag", lambda: Exclaim.tag)
    registered(t, ["exclaim"])
    run_created(t, "exclaim", "hey")


# ---------------------------------------------------------------------------------------
# create()
# ---------------------------------------------------------------------------------------


@case("create(name, *args, **kwargs) makes an instance of the registered plugin", points=2)
def create_instances(t):
    m = t.module

    def build():
        class Repeat(m.Plugin, key="repeat"):
            def __init__(self, times=2, sep=""):
                self.times = times
                self.sep = sep

            def run(self, text):
                return self.sep.join([text] * self.times)

        return Repeat

    Repeat = define(t, 'class Repeat(Plugin, key="repeat"): __init__(self, times=2, sep="")',
                    build)
    t.call("isinstance(create('repeat'), Repeat)",
           lambda: isinstance(m.create("repeat"), Repeat))
    t.call("create('repeat') is not create('repeat')",
           lambda: m.create("repeat") is not m.create("repeat"))
    run_created(t, "repeat", "ab")
    run_created(t, "repeat", "ab", 3)
    run_created(t, "repeat", "ab", 3, sep="-")
    run_created(t, "repeat", "ab", sep="+")


@case("create() of an unknown key raises KeyError")
def create_unknown(t):
    t.call("create('no-such-plugin')", builtin_errors(t.module.create, KeyError),
           "no-such-plugin", observe=False)


# ---------------------------------------------------------------------------------------
# Random sequences: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

TRANSFORMS = {
    "upper": str.upper,
    "lower": str.lower,
    "reverse": lambda text: text[::-1],
    "double": lambda text: text * 2,
}


@random_case("random plugin definitions and creations, compared with the reference",
             runs=25, points=3)
def random_definitions(t, rng):
    prefix = f"p{next(_serial)}"
    # Draw the whole script first: nothing drawn may depend on what the submission does.
    script = []
    for index in range(rng.randint(3, 8)):
        roll = rng.random()
        transform = rng.choice(sorted(TRANSFORMS))
        if roll < 0.7:
            script.append(("define", f"{prefix}-{rng.randint(0, 3)}", transform, index))
        elif roll < 0.85:
            script.append(("define", None, transform, index))  # an unnamed subclass
        else:
            script.append(("create", f"{prefix}-{rng.randint(0, 4)}", None, index))
    words = [rng.choice(["Ab", "xyz", "Hello", ""]) for _ in script]

    m = t.module
    names = [f"{prefix}-{k}" for k in range(5)]
    for (kind, name, transform, index), word in zip(script, words):
        if kind == "define":
            function = TRANSFORMS[transform]

            def build(name=name, function=function):
                keywords = {} if name is None else {"key": name}

                class Generated(m.Plugin, **keywords):
                    def run(self, text):
                        return function(text)

                return Generated

            shown = "" if name is None else f', key="{name}"'
            define(t, f"class P{index}(Plugin{shown}): run() is {transform}", build)
        else:
            run_created(t, name, word)
    registered(t, names)
    for name in names:
        run_created(t, name, "Mixed Case")
