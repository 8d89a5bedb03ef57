"""Cases for the frozen_records exercise (see README.md for the API they check).

Records are observed through builtin values: their fields as a tuple, repr(), the results
of comparisons, hashes compared with each other, and the types of exceptions (a frozen
dataclass raises dataclasses.FrozenInstanceError).
"""
import dataclasses
import operator

from pykata_harness import case, random_case, builtin_errors

REQUIRED = ["Version", "Task", "Bug"]


def shown_args(args, kwargs=None):
    parts = [repr(arg) for arg in args]
    parts += [f"{key}={value!r}" for key, value in (kwargs or {}).items()]
    return ", ".join(parts)


def version(t, *parts):
    return t.call(f"Version({shown_args(parts)})",
                  builtin_errors(lambda: t.module.Version(*parts), ValueError), observe=False)


def parts_of(v):
    return (v.major, v.minor, v.patch)


def look_version(t, v, shown):
    t.call(f"({shown}.major, {shown}.minor, {shown}.patch)", lambda: parts_of(v))


def field_names(t, name):
    t.call(f"[f.name for f in dataclasses.fields({name})]",
           lambda: [f.name for f in dataclasses.fields(getattr(t.module, name))])


def task_fields(obj):
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


# ---------------------------------------------------------------------------------------
# Version: a frozen, ordered dataclass
# ---------------------------------------------------------------------------------------


@case("Version is a dataclass with fields major, minor=0, patch=0", points=2)
def version_fields(t):
    t.call("dataclasses.is_dataclass(Version)",
           lambda: dataclasses.is_dataclass(t.module.Version))
    field_names(t, "Version")
    for parts in [(1, 2, 3), (4,), (0, 7)]:
        v = version(t, *parts)
        look_version(t, v, f"Version({shown_args(parts)})")
        t.call(f"repr(Version({shown_args(parts)}))", repr, v)
    v = t.call("Version(2, patch=5)", lambda: t.module.Version(2, patch=5), observe=False)
    look_version(t, v, "Version(2, patch=5)")


@case("Version compares equal by its fields", points=1)
def version_equality(t):
    pairs = [((1,), (1, 0, 0)), ((1, 2), (1, 2, 0)), ((1, 2, 3), (1, 2, 4)), ((2,), (1, 2))]
    for left, right in pairs:
        a, b = version(t, *left), version(t, *right)
        label = f"Version({shown_args(left)}) == Version({shown_args(right)})"
        t.call(label, lambda a=a, b=b: a == b)


@case("Version is frozen: assigning or deleting a field raises FrozenInstanceError",
      points=2)
def version_is_frozen(t):
    v = version(t, 1, 2, 3)
    t.call("v.major = 9", setattr, v, "major", 9, observe=False)
    t.call("del v.minor", delattr, v, "minor", observe=False)
    t.call("v.label = 'beta'", setattr, v, "label", "beta", observe=False)
    look_version(t, v, "v")


@case("Version is hashable, and equal versions hash alike")
def version_is_hashable(t):
    a, b, c = version(t, 1, 2), version(t, 1, 2, 0), version(t, 2)
    t.call("hash(Version(1, 2)) == hash(Version(1, 2, 0))", lambda: hash(a) == hash(b))
    t.call("len({Version(1, 2), Version(1, 2, 0), Version(2)})", lambda: len({a, b, c}))
    t.call("{Version(1, 2): 'stable'}[Version(1, 2, 0)]", lambda: {a: "stable"}[b])


@case("Version orders by (major, minor, patch), as numbers", points=2)
def version_ordering(t):
    pairs = [((1, 2, 3), (1, 10, 0)), ((2,), (1, 99, 99)), ((1, 2), (1, 2, 0)),
             ((0, 9), (0, 10)), ((3, 0, 1), (3, 0, 0))]
    for left, right in pairs:
        a, b = version(t, *left), version(t, *right)
        shown = f"Version({shown_args(left)}) {{}} Version({shown_args(right)})"
        for symbol, op in [("<", operator.lt), ("<=", operator.le), (">", operator.gt),
                           (">=", operator.ge)]:
            t.call(shown.format(symbol), lambda a=a, b=b, op=op: op(a, b))
    versions = [version(t, *parts) for parts in [(1, 10), (1, 2, 3), (0, 1), (1, 2), (10,)]]
    t.call("sorted([Version(1, 10), Version(1, 2, 3), Version(0, 1), Version(1, 2), "
           "Version(10)])", lambda: [parts_of(v) for v in sorted(versions)])


@case("a Version is not ordered against a tuple: TypeError")
def version_against_tuple(t):
    v = version(t, 1, 2, 3)
    t.call("Version(1, 2, 3) < (2, 0, 0)", lambda: v < (2, 0, 0))
    t.call("Version(1, 2, 3) == (1, 2, 3)", lambda: v == (1, 2, 3))


@case("a negative part raises ValueError")
def version_negative(t):
    version(t, -1)
    version(t, 1, -2)
    version(t, 1, 0, -3)
    v = version(t, 0, 0, 0)
    look_version(t, v, "Version(0, 0, 0)")


@case("bump(part) returns a new Version, resetting the parts after it", points=2)
def version_bump(t):
    v = version(t, 1, 2, 3)
    for part in ["major", "minor", "patch"]:
        t.call(f"Version(1, 2, 3).bump({part!r})", lambda part=part: parts_of(v.bump(part)))
        t.call(f"Version(1, 2, 3).bump({part!r}) is a Version",
               lambda part=part: isinstance(v.bump(part), t.module.Version))
    look_version(t, v, "v, after the bumps")
    t.call("Version(1, 2, 3).bump('build')", builtin_errors(lambda: v.bump("build"), ValueError),
           observe=False)
    t.call("Version(0, 9, 9).bump('minor').bump('patch')",
           lambda: parts_of(t.module.Version(0, 9, 9).bump("minor").bump("patch")))


# ---------------------------------------------------------------------------------------
# Task: a mutable dataclass with a default factory
# ---------------------------------------------------------------------------------------


def task(t, cls_name, *args, **kwargs):
    cls = getattr(t.module, cls_name)
    return t.call(f"{cls_name}({shown_args(args, kwargs)})", lambda: cls(*args, **kwargs),
                  observe=False)


@case("Task is a dataclass: title, priority=3, tags=[], done=False", points=2)
def task_fields_and_defaults(t):
    t.call("dataclasses.is_dataclass(Task)", lambda: dataclasses.is_dataclass(t.module.Task))
    field_names(t, "Task")
    a = task(t, "Task", "write docs")
    t.call("the fields of Task('write docs')", lambda: task_fields(a))
    t.call("repr(Task('write docs'))", repr, a)
    b = task(t, "Task", "ship", 1, ["release"], True)
    t.call("the fields of Task('ship', 1, ['release'], True)", lambda: task_fields(b))
    task(t, "Task")


@case("each Task gets a new tags list (default_factory)", points=2)
def task_tags_not_shared(t):
    a = task(t, "Task", "a")
    b = task(t, "Task", "b")
    t.call("a.tags.append('x')", lambda: a.tags.append("x"))
    t.call("b.tags", lambda: b.tags)
    t.call("a.tags is not b.tags", lambda: a.tags is not b.tags)
    c = task(t, "Task", "c")
    t.call("Task('c').tags, made afterwards", lambda: c.tags)


@case("a Task is mutable, compares by its fields, and is not hashable")
def task_mutable(t):
    a = task(t, "Task", "a")
    t.call("task.done = True", setattr, a, "done", True, observe=False)
    t.call("task.done", lambda: a.done)
    b = task(t, "Task", "a", done=True)
    t.call("task == Task('a', done=True)", lambda: a == b)
    t.call("task == Task('a')", lambda: a == t.module.Task("a"))
    t.call("hash(task)", hash, a, observe=False)


# ---------------------------------------------------------------------------------------
# Bug(Task): field order under inheritance
# ---------------------------------------------------------------------------------------


@case("Bug adds severity=2 after Task's fields and redefines priority's default as 1",
      points=3)
def bug_fields(t):
    t.call("dataclasses.is_dataclass(Bug)", lambda: dataclasses.is_dataclass(t.module.Bug))
    field_names(t, "Bug")
    a = task(t, "Bug", "crash")
    t.call("the fields of Bug('crash')", lambda: task_fields(a))
    t.call("repr(Bug('crash'))", repr, a)
    b = task(t, "Bug", "crash", 5, ["ui"], True, 4)
    t.call("the fields of Bug('crash', 5, ['ui'], True, 4)", lambda: task_fields(b))
    c = task(t, "Bug", "typo", severity=0)
    t.call("the fields of Bug('typo', severity=0)", lambda: task_fields(c))
    t.call("Bug('crash').tags is not Bug('typo').tags", lambda: a.tags is not c.tags)


@case("a Bug is a Task, but never equal to a Task")
def bug_is_a_task(t):
    a = task(t, "Bug", "crash", 3)
    b = task(t, "Task", "crash", 3)
    t.call("isinstance(Bug('crash', 3), Task)", lambda: isinstance(a, t.module.Task))
    t.call("Bug('crash', 3, severity=2) == Task('crash', 3)", lambda: a == b)


# ---------------------------------------------------------------------------------------
# Random operations: the seed changes on every grading run
# ---------------------------------------------------------------------------------------


@random_case("random versions compared, sorted, deduplicated and bumped", runs=30, points=3)
def random_versions(t, rng):
    # Draw everything first: nothing drawn may depend on what the submission does.
    drawn = [tuple(rng.randint(0, 12) for _ in range(rng.randint(1, 3))) for _ in range(6)]
    bumps = [(rng.randrange(6), rng.choice(["major", "minor", "patch"])) for _ in range(4)]
    pairs = [(rng.randrange(6), rng.randrange(6), rng.choice(["<", "<=", "==", ">", ">="]))
             for _ in range(6)]
    versions = [version(t, *parts) for parts in drawn]
    ops = {"<": operator.lt, "<=": operator.le, "==": operator.eq, ">": operator.gt,
           ">=": operator.ge}
    for i, j, symbol in pairs:
        label = f"Version({shown_args(drawn[i])}) {symbol} Version({shown_args(drawn[j])})"
        t.call(label, lambda i=i, j=j, symbol=symbol: ops[symbol](versions[i], versions[j]))
    t.call("sorted(the versions)", lambda: [parts_of(v) for v in sorted(versions)])
    t.call("max(the versions)", lambda: parts_of(max(versions)))
    t.call("len(set(the versions))", lambda: len(set(versions)))
    for i, part in bumps:
        t.call(f"Version({shown_args(drawn[i])}).bump({part!r})",
               lambda i=i, part=part: parts_of(versions[i].bump(part)))
    t.call("the versions, after the bumps", lambda: [parts_of(v) for v in versions])


@random_case("random tasks and bugs, positional and keyword", runs=20, points=2)
def random_tasks(t, rng):
    script = []
    for _ in range(rng.randint(2, 5)):
        cls_name = rng.choice(["Task", "Bug"])
        names = ["title", "priority", "tags", "done"] + (["severity"] if cls_name == "Bug"
                                                          else [])
        values = {"title": rng.choice(["a", "fix", ""]), "priority": rng.randint(0, 5),
                  "tags": rng.choice([["x"], [], ["p", "q"]]), "done": rng.random() < 0.5,
                  "severity": rng.randint(0, 4)}
        positional = rng.randint(1, len(names))
        args = [values[name] for name in names[:positional]]
        kwargs = {name: values[name] for name in names[positional:] if rng.random() < 0.5}
        script.append((cls_name, args, kwargs))
    made = []
    for cls_name, args, kwargs in script:
        obj = task(t, cls_name, *args, **kwargs)
        if obj is not None:
            t.call(f"the fields of {cls_name}({shown_args(args, kwargs)})",
                   lambda obj=obj: task_fields(obj))
            made.append((cls_name, args, kwargs, obj))
    for k in range(1, len(made)):
        (n1, a1, k1, o1), (n2, a2, k2, o2) = made[k - 1], made[k]
        t.call(f"{n1}({shown_args(a1, k1)}) == {n2}({shown_args(a2, k2)})",
               lambda o1=o1, o2=o2: o1 == o2)
