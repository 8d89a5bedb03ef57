"""Cases for the vector exercise (see README.md for the API they check).

A Vector is never observed itself (it is not a builtin value): the cases observe
`tuple(v)`, `repr(v)`, `abs(v)`, booleans and the types of exceptions. A result that should
be a Vector and is not is observed as ("not a Vector", its type name).
"""
import math
import numbers

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Vector"]


def show(values):
    """How the components of a vector are written in a label: `1, 2.5`."""
    return ", ".join(repr(value) for value in values)


def make(t, *components):
    """Vector(*components), recorded as a step; the object itself is not observed."""
    return t.call(f"Vector({show(components)})", builtin_errors(t.module.Vector, ValueError),
                  *components, observe=False)


def as_observed(t, result):
    """The builtin value observed for a result that should be a Vector."""
    if isinstance(result, t.module.Vector):
        return tuple(result)
    return ("not a Vector", type(result).__name__)


def vector_result(t, label, compute):
    """Record what compute() returns, as the tuple of its components."""
    return t.call(label, builtin_errors(lambda: as_observed(t, compute()), ValueError))


def raises_type_or_attribute_error(action):
    """What `action()` did, as a string: either error type is accepted."""
    try:
        action()
    except (TypeError, AttributeError):
        return "raised TypeError or AttributeError"
    except Exception as error:  # noqa: BLE001 - reported to the learner by its type name
        return f"raised {type(error).__name__}"
    return "returned normally"


class Anything:
    """An object whose __eq__ says yes to everything: it shows whether Vector.__eq__
    returned NotImplemented (then Python asks this object, which says True) or False."""

    def __eq__(self, other):
        return True

    __hash__ = None


# ---------------------------------------------------------------------------------------
# Construction and the sequence protocol
# ---------------------------------------------------------------------------------------


@case("Vector() with no components raises ValueError")
def empty_vector(t):
    t.call("Vector()", builtin_errors(t.module.Vector, ValueError), observe=False)
    make(t, 5)


@case("the components are kept as given, in order (ints stay ints)", points=2)
def keeps_components(t):
    v = make(t, 1, 2.5, -3)
    t.call("tuple(Vector(1, 2.5, -3))", tuple, v)
    v = make(t, 7)
    t.call("tuple(Vector(7))", tuple, v)


@case("len(v), iteration (as often as you like) and v[i]", points=2)
def sequence_protocol(t):
    v = make(t, 3, -1.5, 0, 7)
    t.call("len(v)", len, v)
    t.call("list(v)", list, v)
    t.call("list(v) a second time", list, v)
    t.call("[x * 2 for x in v]", lambda: [x * 2 for x in v])
    for i in range(4):
        t.call(f"v[{i}]", lambda i=i: v[i])
    t.call("len(Vector(9))", len, make(t, 9))


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


@case("v + w and v - w work component by component and give a Vector", points=2)
def add_and_subtract(t):
    v = make(t, 1, 2, 3)
    w = make(t, 10, -20, 0.5)
    vector_result(t, "Vector(1, 2, 3) + Vector(10, -20, 0.5)", lambda: v + w)
    vector_result(t, "Vector(1, 2, 3) - Vector(10, -20, 0.5)", lambda: v - w)
    vector_result(t, "Vector(10, -20, 0.5) - Vector(1, 2, 3)", lambda: w - v)
    vector_result(t, "Vector(1, 2, 3) + Vector(1, 2, 3)", lambda: v + v)
    t.call("tuple(Vector(1, 2, 3)) afterwards: the operands are unchanged", tuple, v)
    a = make(t, 4)
    b = make(t, -4)
    vector_result(t, "Vector(4) + Vector(-4)", lambda: a + b)


@case("v @ w is the dot product", points=2)
def dot_product(t):
    v = make(t, 1, 2, 3)
    w = make(t, 4, -5, 6)
    t.call("Vector(1, 2, 3) @ Vector(4, -5, 6) is a number",
           lambda: isinstance(v @ w, numbers.Number))
    t.call("float(Vector(1, 2, 3) @ Vector(4, -5, 6))", lambda: float(v @ w))
    x = make(t, 0.5, 0.25)
    y = make(t, 2, 8)
    t.call("float(Vector(0.5, 0.25) @ Vector(2, 8))", lambda: float(x @ y))
    z = make(t, 3)
    t.call("float(Vector(3) @ Vector(3))", lambda: float(z @ z))


@case("+, - and @ raise ValueError when the lengths differ", points=2)
def length_mismatch(t):
    short = make(t, 1, 2)
    long = make(t, 1, 2, 3)
    vector_result(t, "Vector(1, 2) + Vector(1, 2, 3)", lambda: short + long)
    vector_result(t, "Vector(1, 2, 3) + Vector(1, 2)", lambda: long + short)
    vector_result(t, "Vector(1, 2) - Vector(1, 2, 3)", lambda: short - long)
    vector_result(t, "Vector(1, 2, 3) - Vector(1, 2)", lambda: long - short)
    t.call("Vector(1, 2) @ Vector(1, 2, 3)",
           builtin_errors(lambda: float(short @ long), ValueError))
    t.call("Vector(1, 2, 3) @ Vector(1, 2)",
           builtin_errors(lambda: float(long @ short), ValueError))


@case("v * k and k * v scale by a number", points=2)
def scaling(t):
    v = make(t, 1, -2, 0.5)
    vector_result(t, "Vector(1, -2, 0.5) * 2", lambda: v * 2)
    vector_result(t, "Vector(1, -2, 0.5) * 0.5", lambda: v * 0.5)
    vector_result(t, "Vector(1, -2, 0.5) * -1", lambda: v * -1)
    vector_result(t, "Vector(1, -2, 0.5) * 0", lambda: v * 0)
    w = make(t, 1, 2)
    vector_result(t, "3 * Vector(1, 2)", lambda: 3 * w)
    vector_result(t, "0.25 * Vector(1, 2)", lambda: 0.25 * w)
    t.call("tuple(Vector(1, 2)) afterwards: the operand is unchanged", tuple, w)


@case("-v negates every component")
def negation(t):
    v = make(t, 1, -2, 0.5, 0)
    vector_result(t, "-Vector(1, -2, 0.5, 0)", lambda: -v)
    t.call("tuple(Vector(1, -2, 0.5, 0)) afterwards", tuple, v)
    w = make(t, -7)
    vector_result(t, "-Vector(-7)", lambda: -w)


@case("abs(v) is the Euclidean norm, as a float", points=2)
def euclidean_norm(t):
    for components in [(3, 4), (1, 2, 2), (-6,), (2, 3, 6), (0, 0), (1.5, 2), (-12, 16, 21)]:
        v = make(t, *components)
        t.call(f"abs(Vector({show(components)}))", abs, v)


@case("bool(v) is False only for the zero vector")
def truth(t):
    for components in [(0, 0), (0.0,), (0, -0.0, 0), (0, 0.5), (-1,), (3, 4)]:
        v = make(t, *components)
        t.call(f"bool(Vector({show(components)}))", bool, v)


@case("bool(v) is True for a vector that is not zero even when its norm underflows to 0.0")
def truth_of_tiny(t):
    v = make(t, 1e-200)
    t.call("bool(Vector(1e-200))", bool, v)
    w = make(t, 0, -1e-300)
    t.call("bool(Vector(0, -1e-300))", bool, w)


# ---------------------------------------------------------------------------------------
# Equality and hashing
# ---------------------------------------------------------------------------------------


@case("v == w is True when w is a Vector with equal components", points=2)
def equality(t):
    pairs = [((1, 2), (1, 2)), ((1, 2), (1.0, 2.0)), ((1, 2), (2, 1)), ((1, 2), (1, 2, 0)),
             ((0.5,), (0.5,)), ((1, 2, 3), (1, 2))]
    for left, right in pairs:
        v, w = make(t, *left), make(t, *right)
        t.call(f"Vector({show(left)}) == Vector({show(right)})", lambda v=v, w=w: v == w)
        t.call(f"Vector({show(left)}) != Vector({show(right)})", lambda v=v, w=w: v != w)


@case("against anything but a Vector, __eq__ returns NotImplemented", points=2)
def equality_with_others(t):
    # What `v == (1, 2)` gives is not pinned: a tuple subclass whose __eq__ declines lets
    # tuple's own == answer True. So only __eq__'s own answer, and comparisons where the
    # other side declines too, are observed.
    v = make(t, 1, 2)
    for other in [(1, 2), [1, 2], "Vector(1, 2)", None, 3]:
        t.call(f"Vector(1, 2).__eq__({other!r}) is NotImplemented",
               lambda other=other: v.__eq__(other) is NotImplemented)
    t.call("Vector(1, 2) == [1, 2]", lambda: v == [1, 2])
    one = make(t, 1)
    t.call("Vector(1) == 1", lambda: one == 1)
    # NotImplemented (not False) lets the other operand decide.
    t.call("Vector(1, 2) == other, where other.__eq__ always says True",
           lambda: v == Anything())


@case("hash agrees with ==: equal vectors have equal hashes", points=2)
def hashing(t):
    v = make(t, 1, 2)
    w = make(t, 1.0, 2.0)
    u = make(t, 2, 1)
    t.call("hash(Vector(1, 2)) == hash(Vector(1.0, 2.0))", lambda: hash(v) == hash(w))
    t.call("hash(Vector(1, 2)) == hash(Vector(1, 2)) for two separate vectors",
           lambda: hash(v) == hash(t.module.Vector(1, 2)))
    t.call("Vector(1.0, 2.0) in {Vector(1, 2)}", lambda: w in {v})
    t.call("len({Vector(1, 2), Vector(1.0, 2.0), Vector(2, 1)})", lambda: len({v, w, u}))
    t.call("{Vector(1, 2): 'a'}[Vector(1.0, 2.0)]", lambda: {v: "a"}[w])


# ---------------------------------------------------------------------------------------
# repr and immutability
# ---------------------------------------------------------------------------------------


@case("repr(v) is Vector(1, 2.5): the components' reprs, separated by ', '", points=2)
def representation(t):
    for components in [(1, 2.5), (-3,), (0.1, -0.0, 100000000000000000000), (0, 0)]:
        v = make(t, *components)
        t.call(f"repr(Vector({show(components)}))", repr, v)


@case("eval(repr(v)) gives back an equal vector")
def eval_round_trip(t):
    for components in [(1, 2.5), (-3,), (0.1, 7, -0.125)]:
        v = make(t, *components)
        namespace = {"Vector": t.module.Vector}
        again = t.call(f"eval(repr(Vector({show(components)})))",
                       lambda v=v: eval(repr(v), namespace), observe=False)  # noqa: S307
        t.call(f"eval(repr(Vector({show(components)}))) == Vector({show(components)})",
               lambda v=v, again=again: again == v)
        vector_result(t, f"tuple(eval(repr(Vector({show(components)}))))", lambda a=again: a)


@case("vectors are immutable: assigning an item or a new attribute raises", points=2)
def immutability(t):
    v = make(t, 1, 2)

    def set_item():
        v[0] = 9

    def set_attribute():
        v.colour = "red"

    t.call("v[0] = 9", raises_type_or_attribute_error, set_item)
    t.call("v.colour = 'red'", raises_type_or_attribute_error, set_attribute)
    t.call("tuple(v) afterwards", tuple, v)


# ---------------------------------------------------------------------------------------
# Random operations: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


def draw_component(rng):
    if rng.random() < 0.5:
        return rng.randint(-9, 9)
    return rng.randint(-32, 32) / 8  # multiples of 1/8: sums and products are exact


def draw_vector(rng, size):
    return tuple(draw_component(rng) for _ in range(size))


def norm_is_right(t, v, components):
    """abs(v) is a float close to the norm the case computes itself (the exact last bit
    depends on how the sum is rounded, which the README leaves free)."""
    result = abs(v)
    expected = math.sqrt(sum(c * c for c in components))
    return type(result) is float and math.isclose(result, expected, rel_tol=1e-12,
                                                   abs_tol=1e-300)


@random_case("random vectors and operations, compared with the reference", runs=30, points=3)
def random_operations(t, rng):
    # Draw the whole script first: nothing drawn may depend on what the submission does.
    size = rng.randint(1, 4)
    script = []
    for _ in range(12):
        kind = rng.choice(["+", "-", "@", "*", "rmul", "neg", "abs", "bool", "==", "hash",
                           "repr", "len"])
        left = draw_vector(rng, size)
        other_size = size if rng.random() < 0.8 else rng.randint(1, 4)
        right = draw_vector(rng, other_size)
        if kind in ("==", "hash") and rng.random() < 0.6:
            right = tuple(float(c) if rng.random() < 0.5 else c for c in left)
        if kind == "bool" and rng.random() < 0.4:
            left = tuple(0 if rng.random() < 0.5 else 0.0 for _ in left)
        scale = rng.choice([0, 1, -1, 2, 3, 0.5, -0.25])
        script.append((kind, left, right, scale))

    for kind, left, right, scale in script:
        v = make(t, *left)
        ls, rs = f"Vector({show(left)})", f"Vector({show(right)})"
        if kind in ("+", "-", "@", "==", "hash"):
            w = make(t, *right)
        if kind == "+":
            vector_result(t, f"{ls} + {rs}", lambda: v + w)
        elif kind == "-":
            vector_result(t, f"{ls} - {rs}", lambda: v - w)
        elif kind == "@":
            t.call(f"float({ls} @ {rs})", builtin_errors(lambda: float(v @ w), ValueError))
        elif kind == "*":
            vector_result(t, f"{ls} * {scale!r}", lambda: v * scale)
        elif kind == "rmul":
            vector_result(t, f"{scale!r} * {ls}", lambda: scale * v)
        elif kind == "neg":
            vector_result(t, f"-{ls}", lambda: -v)
        elif kind == "abs":
            t.call(f"abs({ls}) is the norm, as a float", norm_is_right, t, v, left)
        elif kind == "bool":
            t.call(f"bool({ls})", bool, v)
        elif kind == "==":
            t.call(f"{ls} == {rs}", lambda: v == w)
        elif kind == "hash":
            t.call(f"{ls} == {rs} and hash({ls}) == hash({rs})",
                   lambda: (v == w, v != w, hash(v) == hash(w) if v == w else None))
        elif kind == "repr":
            t.call(f"repr({ls})", repr, v)
        else:
            t.call(f"len({ls})", len, v)
        t.call(f"tuple({ls}) afterwards", tuple, v)
