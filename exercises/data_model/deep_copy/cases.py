"""Cases for the deep_copy exercise (see README.md for the rules they check).

Most cases copy a structure, then walk the original and the copy side by side and record
one note per object met: whether it is a new container of the right type, the very same
shared object, or the copy already made for an object met before (shared references and
cycles). A wrong copy shows as the first object where it parts from the reference's.
"""
import collections
import copy

from pykata_harness import case, random_case

REQUIRED = ["deep_copy"]


def _holds_copied(tup):
    """Whether a tuple holds a list, dict or set, at any depth (through tuples only: a
    tuple cannot reach itself without passing through a list, dict or set)."""
    for item in tup:
        kind = type(item)
        if kind is list or kind is dict or kind is set:
            return True
        if kind is tuple and _holds_copied(item):
            return True
    return False


def _is_copied(obj):
    kind = type(obj)
    return kind is list or kind is dict or kind is set or (kind is tuple and _holds_copied(obj))


def _same_plain(original, copied):
    """A tuple holding nothing copied may be copied or not: compare it item by item."""
    if type(original) is tuple:
        return (type(copied) is tuple and len(copied) == len(original)
                and all(_same_plain(a, b) for a, b in zip(original, copied)))
    return copied is original


def _facts(original, copied, root):
    """(label, value) for every object of original, walked depth first with its copy."""
    facts = []
    seen = {}  # id(original container) -> (path, its copy)

    def walk(o, c, path):
        if _is_copied(o):
            name = type(o).__name__
            if id(o) in seen:
                first_path, first_copy = seen[id(o)]
                facts.append((f"{path} is {first_path} (the same object in the original)",
                              c is first_copy))
                return
            seen[id(o)] = (path, c)
            if c is o:
                what = f"the original {name} itself, not a copy"
            elif type(c) is not type(o):
                what = f"a {type(c).__name__}, not a new {name}"
            else:
                what = f"a new {name}"
            facts.append((path, what))
            if what != f"a new {name}":
                return
            if type(o) is list or type(o) is tuple:
                facts.append((f"len({path})", len(c)))
                for i, (oi, ci) in enumerate(zip(o, c)):
                    walk(oi, ci, f"{path}[{i}]")
            elif type(o) is dict:
                same_keys = list(c) == list(o) and all(
                    a is b for a, b in zip(o, c) if type(a) is not tuple)
                facts.append((f"the keys of {path}",
                              "the same, in the same order" if same_keys else "different"))
                if same_keys:
                    for k, ov, cv in zip(list(o), list(o.values()), list(c.values())):
                        walk(ov, cv, f"{path}[{k!r}]")
            else:
                same = len(c) == len(o) and c == o and all(
                    any(x is y for y in c) for x in o if type(x) is not tuple)
                facts.append((f"the elements of {path}",
                              "the same objects" if same else "not the same objects"))
        elif type(o) is tuple:
            facts.append((f"{path} (a tuple holding nothing to copy)",
                          "equal, holding the same objects" if _same_plain(o, c)
                          else "different"))
        else:
            facts.append((path, "the same object (shared)" if c is o
                          else "a different object: it must be shared, not copied"))

    walk(original, copied, root)
    return facts


def copy_and_check(t, shown, original):
    """deep_copy(original), then one note per object of the original."""
    copied = t.call(f"copy = deep_copy({shown})", t.module.deep_copy, original, observe=False)
    for label, value in _facts(original, copied, "copy"):
        t.note(label, value)
    return copied


class Token:
    """An object of a user's class: deep_copy must share it."""

    def __init__(self, name):
        self.name = name
        self.tags = [name]

    def __repr__(self):
        return f"Token({self.name!r})"


# ---------------------------------------------------------------------------------------
# What is copied
# ---------------------------------------------------------------------------------------


@case("numbers, strings, None, bytes and frozensets are returned as they are")
def atoms_shared(t):
    for value, shown in ((2 ** 100, "2 ** 100"), ("".join(["sh", "ared"]), "'shared'"),
                         (None, "None"), (2.5, "2.5"), (b"raw", "b'raw'"),
                         (frozenset({1, 2}), "frozenset({1, 2})"), (True, "True")):
        copy_and_check(t, shown, value)


@case("a list becomes a new list of the same items", points=2)
def flat_list(t):
    copy_and_check(t, "[1, 'two', 3.0, None]", [1, "two", 3.0, None])
    copy_and_check(t, "[]", [])


@case("nested lists and dicts are all copied", points=3)
def nested(t):
    original = {"name": "ada", "langs": ["en", "fr"], "meta": {"tags": [["a"], ["b"]]}}
    copy_and_check(t, "{'name': 'ada', 'langs': ['en', 'fr'], 'meta': {'tags': [['a'], ['b']]}}",
                   original)
    copy_and_check(t, "[[1, [2, [3, []]]], {}]", [[1, [2, [3, []]]], {}])


@case("changing the copy leaves the original as it was", points=2)
def independent(t):
    original = {"xs": [1, 2], "d": {"k": [3]}}
    copied = t.call("copy = deep_copy({'xs': [1, 2], 'd': {'k': [3]}})", t.module.deep_copy,
                    original, observe=False)

    def change():
        copied["xs"].append(99)
        copied["d"]["k"][0] = -1
        copied["new"] = True
        return copied

    t.call("copy['xs'].append(99); copy['d']['k'][0] = -1; copy['new'] = True; copy", change)
    t.note("the original afterwards", original)


@case("a dict keeps its keys (the same objects, in order) and copies its values", points=2)
def dict_keys(t):
    key = ("point", 1)
    copy_and_check(t, "{'b': [1], 'a': [2], ('point', 1): [3], 7: 'seven'}",
                   {"b": [1], "a": [2], key: [3], 7: "seven"})


@case("a set becomes a new set of the same elements")
def sets(t):
    copy_and_check(t, "{1, 'a', (2, 3), frozenset({4})}", {1, "a", (2, 3), frozenset({4})})
    copy_and_check(t, "[set(), {5}]", [set(), {5}])


@case("a tuple holding a list becomes a new tuple with a copy of the list", points=2)
def tuples(t):
    copy_and_check(t, "([1, 2], 'x')", ([1, 2], "x"))
    copy_and_check(t, "(1, ('a', [2]))", (1, ("a", [2])))
    copy_and_check(t, "[(1, 2), ('a', ('b',))]", [(1, 2), ("a", ("b",))])


@case("objects of other classes, subclasses of list and dict included, are shared", points=2)
def others_shared(t):
    token = Token("t1")
    ordered = collections.OrderedDict(a=[1])
    counts = collections.defaultdict(list, {"k": [2]})
    Pair = collections.namedtuple("Pair", "left right")
    pair = Pair([1], [2])
    copy_and_check(t, "[Token('t1'), OrderedDict(a=[1]), defaultdict(list, k=[2]), "
                      "Pair(left=[1], right=[2]), len]",
                   [token, ordered, counts, pair, len])
    copy_and_check(t, "Token('t1')", token)


# ---------------------------------------------------------------------------------------
# Shared references and cycles
# ---------------------------------------------------------------------------------------


@case("a list referred to twice is copied once: the copy shares it too", points=3)
def shared_list(t):
    inner = [1, 2]
    copy_and_check(t, "[inner, inner] with inner = [1, 2]", [inner, inner])
    copy_and_check(t, "{'a': inner, 'b': [inner], 'c': (inner,)}",
                   {"a": inner, "b": [inner], "c": (inner,)})


@case("a shared dict, set and tuple are copied once too", points=2)
def shared_others(t):
    d = {"k": 1}
    s = {1, 2}
    tup = ([0],)
    copy_and_check(t, "[d, s, tup, d, s, tup] with d = {'k': 1}, s = {1, 2}, tup = ([0],)",
                   [d, s, tup, d, s, tup])


@case("a list that contains itself is copied as a list that contains itself", points=3)
def self_cycle(t):
    loop = [1]
    loop.append(loop)
    copy_and_check(t, "loop with loop = [1, loop]", loop)
    node = {"name": "root"}
    node["self"] = node
    copy_and_check(t, "node with node = {'name': 'root', 'self': node}", node)


@case("objects that refer to each other keep referring to each other's copies", points=2)
def mutual_cycle(t):
    a, b = ["a"], ["b"]
    a.append(b)
    b.append(a)
    copy_and_check(t, "a with a = ['a', b] and b = ['b', a]", a)
    parent = {"children": []}
    child = {"parent": parent}
    parent["children"].append(child)
    copy_and_check(t, "parent with parent = {'children': [{'parent': parent}]}", parent)


@case("a cycle through a tuple works (a = []; t = (a,); a.append(t))", points=2)
def tuple_cycle(t):
    a = []
    tup = (a, "x")
    a.append(tup)
    copy_and_check(t, "a with a = [(a, 'x')]", a)
    copy_and_check(t, "tup with tup = (a, 'x') and a = [tup]", tup)
    inner = []
    outer = (inner,)
    wrapper = (outer, "w")
    inner.append(wrapper)
    copy_and_check(t, "outer with outer = (inner,), inner = [(outer, 'w')]", outer)


@case("nesting 150 levels deep works")
def deep_nesting(t):
    nested = []
    for _ in range(150):
        nested = [nested]
    copied = t.call("copy = deep_copy([[[...]]]) 150 levels deep", t.module.deep_copy, nested,
                    observe=False)

    def depth_and_fresh():
        depth, o, c = 0, nested, copied
        while type(o) is list and o:
            if type(c) is not list or c is o or len(c) != 1:
                return f"level {depth} is not a new one-item list"
            o, c, depth = o[0], c[0], depth + 1
        return f"{depth} levels, all new lists"

    t.call("the levels of copy", depth_and_fresh)


# ---------------------------------------------------------------------------------------
# Without copy.deepcopy
# ---------------------------------------------------------------------------------------


@case("deep_copy does not use copy.deepcopy", points=2)
def no_deepcopy(t):
    module = t.module
    real = copy.deepcopy
    calls = []

    def recording_deepcopy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    copy.deepcopy = recording_deepcopy
    try:
        copy_and_check(t, "{'a': [1, {2}], 'b': ([3],)}", {"a": [1, {2}], "b": ([3],)})
    finally:
        copy.deepcopy = real
    holders = sorted(name for name, value in vars(module).items() if value is real)
    problems = [f"global {name} is copy.deepcopy" for name in holders]
    if calls:
        problems.append(f"copy.deepcopy was called {len(calls)} time(s)")
    t.note("does deep_copy use copy.deepcopy?",
           "no" if not problems else "yes: " + "; ".join(problems))


# ---------------------------------------------------------------------------------------
# Random structures with sharing and cycles
# ---------------------------------------------------------------------------------------

_TOKENS = [Token(name) for name in ("red", "green", "blue")]


def _random_structure(rng):
    """A random graph of lists, dicts, sets and tuples, with shared parts and cycles."""
    atoms = [0, 1, -7, "s", "text", None, 2.5, b"b", True, frozenset({1})] + _TOKENS
    mutables = [[] if rng.random() < 0.6 else {} for _ in range(rng.randint(1, 5))]
    nodes = list(mutables)
    for _ in range(rng.randint(0, 3)):  # tuples can only refer to what exists already
        size = rng.randint(0, 3)
        nodes.append(tuple(rng.choice(nodes + atoms) for _ in range(size)))
    for _ in range(rng.randint(0, 2)):
        nodes.append({rng.choice([1, 2, "x", (1, "t")]) for _ in range(rng.randint(0, 3))})
    for container in mutables:  # now fill the lists and dicts: any node, itself included
        for i in range(rng.randint(0, 4)):
            item = rng.choice(nodes) if rng.random() < 0.5 else rng.choice(atoms)
            if type(container) is list:
                container.append(item)
            else:
                container[rng.choice(["k", "v", 3, (0, "key")])] = item
    return rng.choice(mutables + nodes)


@random_case("random structures with shared parts and cycles, compared with the reference",
             runs=40, points=3)
def random_structures(t, rng):
    root = _random_structure(rng)
    copy_and_check(t, "a random structure", root)
