"""Cases for the slotted exercise (see README.md for the API they check).

Objects are observed through builtin values: a class's own __slots__ (as a tuple), whether
an instance has a __dict__, attribute values, as_dict(), and the types of exceptions.
"""
import weakref

from pykata_harness import case, random_case

REQUIRED = ["Slotted", "Point", "Point3D", "Node", "Loose"]


def make(t, name, *args):
    cls = getattr(t.module, name)
    return t.call(f"{name}({', '.join(map(repr, args))})", lambda: cls(*args), observe=False)


def own_slots(t, name):
    t.call(f"{name}.__slots__, as a tuple",
           lambda: tuple(vars(getattr(t.module, name))["__slots__"]))


def has_dict(t, obj, shown):
    t.call(f"hasattr({shown}, '__dict__')", hasattr, obj, "__dict__")


def set_attr(t, obj, shown, attribute, value):
    t.call(f"{shown}.{attribute} = {value!r}", setattr, obj, attribute, value, observe=False)


def get_attr(t, obj, shown, attribute):
    t.call(f"{shown}.{attribute}", getattr, obj, attribute)


def as_dict(t, obj, shown):
    """as_dict() as a list of pairs, so that the order is compared too."""
    t.call(f"list({shown}.as_dict().items())", lambda: list(obj.as_dict().items()))


def weak(t, obj, shown):
    t.call(f"weakref.ref({shown})() is {shown}", lambda: weakref.ref(obj)() is obj)


# ---------------------------------------------------------------------------------------
# __slots__ and no __dict__
# ---------------------------------------------------------------------------------------


@case("Slotted declares __slots__ = (): its instances have no __dict__")
def slotted_base(t):
    own_slots(t, "Slotted")
    obj = make(t, "Slotted")
    has_dict(t, obj, "Slotted()")
    as_dict(t, obj, "Slotted()")


@case("Point declares __slots__ ('x', 'y'), so its instances have no __dict__", points=2)
def point_slots(t):
    own_slots(t, "Point")
    p = make(t, "Point", 1, 2)
    has_dict(t, p, "Point(1, 2)")
    t.call("vars(Point(1, 2))", vars, p, observe=False)
    t.call("issubclass(Point, Slotted)", lambda: issubclass(t.module.Point, t.module.Slotted))


@case("x and y can be read, assigned and deleted; a deleted or unset slot raises "
      "AttributeError", points=2)
def point_attributes(t):
    p = make(t, "Point", 1, 2)
    get_attr(t, p, "p", "x")
    get_attr(t, p, "p", "y")
    set_attr(t, p, "p", "x", 10)
    get_attr(t, p, "p", "x")
    t.call("del p.y", delattr, p, "y", observe=False)
    get_attr(t, p, "p", "y")
    as_dict(t, p, "p")
    d = make(t, "Point")
    get_attr(t, d, "Point()", "x")
    get_attr(t, d, "Point()", "y")
    bare = t.call("Point.__new__(Point)", lambda: t.module.Point.__new__(t.module.Point),
                  observe=False)
    get_attr(t, bare, "Point.__new__(Point)", "x")


@case("assigning an attribute that is not a slot raises AttributeError", points=2)
def undeclared_attributes(t):
    p = make(t, "Point", 1, 2)
    set_attr(t, p, "Point(1, 2)", "z", 3)
    set_attr(t, p, "Point(1, 2)", "colour", "red")
    q = make(t, "Point3D", 1, 2, 3)
    set_attr(t, q, "Point3D(1, 2, 3)", "w", 4)
    n = make(t, "Node", 1)
    set_attr(t, n, "Node(1)", "prev", None)
    s = make(t, "Slotted")
    set_attr(t, s, "Slotted()", "anything", 0)


@case("Point3D adds only 'z' to its __slots__, and has no __dict__ either", points=2)
def point3d(t):
    own_slots(t, "Point3D")
    q = make(t, "Point3D", 1, 2, 3)
    has_dict(t, q, "Point3D(1, 2, 3)")
    for attribute in "xyz":
        get_attr(t, q, "q", attribute)
    d = make(t, "Point3D")
    t.call("(q.x, q.y, q.z) of Point3D()", lambda: (d.x, d.y, d.z))
    t.call("issubclass(Point3D, Point)", lambda: issubclass(t.module.Point3D, t.module.Point))


# ---------------------------------------------------------------------------------------
# Weak references
# ---------------------------------------------------------------------------------------


@case("without a '__weakref__' slot, weakref.ref() raises TypeError", points=2)
def no_weak_references(t):
    p = make(t, "Point", 1, 2)
    t.call("weakref.ref(Point(1, 2))", weakref.ref, p, observe=False)
    q = make(t, "Point3D", 1, 2, 3)
    t.call("weakref.ref(Point3D(1, 2, 3))", weakref.ref, q, observe=False)


@case("Node declares ('value', 'next', '__weakref__'): weak references work, still no "
      "__dict__", points=2)
def node(t):
    own_slots(t, "Node")
    first = make(t, "Node", 1)
    second = t.call("Node(2, first)", lambda: t.module.Node(2, first), observe=False)
    has_dict(t, second, "Node(2, first)")
    t.call("Node(2, first).next.value", lambda: second.next.value)
    get_attr(t, first, "Node(1)", "next")
    weak(t, first, "Node(1)")
    try:
        alive = weakref.ref(first)
    except TypeError:  # already reported by the step above
        alive = None
    del first, second
    t.note("a weakref to Node(1) is dead once nothing else refers to it",
           alive is not None and alive() is None)


# ---------------------------------------------------------------------------------------
# What a class without __slots__ brings back
# ---------------------------------------------------------------------------------------


@case("Loose declares no __slots__: its instances have a __dict__ again", points=2)
def loose(t):
    loose_obj = make(t, "Loose", 1, 2)
    has_dict(t, loose_obj, "Loose(1, 2)")
    set_attr(t, loose_obj, "loose", "colour", "red")
    get_attr(t, loose_obj, "loose", "colour")
    t.call("vars(loose)", lambda: dict(vars(loose_obj)))
    as_dict(t, loose_obj, "loose")
    t.call("issubclass(Loose, Point)", lambda: issubclass(t.module.Loose, t.module.Point))
    t.call("'__slots__' in vars(Loose)", lambda: "__slots__" in vars(t.module.Loose))


# ---------------------------------------------------------------------------------------
# as_dict()
# ---------------------------------------------------------------------------------------


@case("as_dict() gathers the slots of every class, bases first, in declaration order",
      points=2)
def as_dict_order(t):
    q = make(t, "Point3D", 1, 2, 3)
    as_dict(t, q, "Point3D(1, 2, 3)")
    p = make(t, "Point", 5, 6)
    as_dict(t, p, "Point(5, 6)")
    n = make(t, "Node", "v")
    as_dict(t, n, "Node('v')")
    m = t.module

    def build():
        class Labelled(m.Point3D):
            __slots__ = ("label", "note")

        return Labelled

    labelled = t.call("class Labelled(Point3D): __slots__ = ('label', 'note')", build,
                      observe=False)
    obj = t.call("Labelled(7, 8, 9)", lambda: labelled(7, 8, 9), observe=False)
    set_attr(t, obj, "labelled", "note", "n")
    as_dict(t, obj, "labelled")


@case("as_dict() skips slots that are not set")
def as_dict_unset(t):
    bare = t.call("Point3D.__new__(Point3D)",
                  lambda: t.module.Point3D.__new__(t.module.Point3D), observe=False)
    as_dict(t, bare, "Point3D.__new__(Point3D)")
    set_attr(t, bare, "bare", "y", 4)
    as_dict(t, bare, "bare")
    q = make(t, "Point3D", 1, 2, 3)
    t.call("del q.x", delattr, q, "x", observe=False)
    as_dict(t, q, "q")


# ---------------------------------------------------------------------------------------
# Random subclasses: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

BASE_SLOTS = {"Slotted": [], "Point": ["x", "y"], "Point3D": ["x", "y", "z"],
              "Node": ["value", "next"]}
MAKE_ARGS = {"Slotted": (), "Point": (1, 2), "Point3D": (1, 2, 3), "Node": ("v",)}


@random_case("random slotted subclasses, assignments and deletions", runs=30, points=3)
def random_subclasses(t, rng):
    # Draw the whole script first: nothing drawn may depend on what the submission does.
    base = rng.choice(sorted(BASE_SLOTS))
    new_slots = rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))
    known = BASE_SLOTS[base] + new_slots
    script = []
    for _ in range(rng.randint(4, 10)):
        roll = rng.random()
        name = rng.choice(known + ["other"]) if known else "other"
        if roll < 0.5:
            script.append(("set", name, rng.randint(0, 9)))
        elif roll < 0.7:
            script.append(("get", name, None))
        elif roll < 0.8:
            script.append(("del", name, None))
        else:
            script.append(("as_dict", None, None))

    cls = getattr(t.module, base)
    sub = t.call(f"class Sub({base}): __slots__ = {tuple(new_slots)!r}",
                 lambda: type("Sub", (cls,), {"__slots__": tuple(new_slots)}), observe=False)
    args = MAKE_ARGS[base]
    obj = t.call(f"Sub({', '.join(map(repr, args))})", lambda: sub(*args), observe=False)
    has_dict(t, obj, "sub")
    for kind, name, value in script:
        if kind == "set":
            set_attr(t, obj, "sub", name, value)
        elif kind == "get":
            get_attr(t, obj, "sub", name)
        elif kind == "del":
            t.call(f"del sub.{name}", delattr, obj, name, observe=False)
        else:
            as_dict(t, obj, "sub")
    as_dict(t, obj, "sub")
