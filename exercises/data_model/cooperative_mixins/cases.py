"""Cases for the cooperative_mixins exercise (see README.md for the API they check).

Besides the learner's classes, the cases build classes of their own that cooperate the same
way and record, as a note, every time their __init__ runs and which keywords reached it.
Mixed into the learner's hierarchy at various places of the MRO, they show whether each
__init__ passed the rest on (and only the rest), exactly once, in MRO order.
"""
from pykata_harness import case, random_case

REQUIRED = ["Model", "Named", "Timestamped", "Tagged", "Document"]

FIELDS = {"Named": "name", "Timestamped": "created", "Tagged": "tags", "Document": "body"}


def keywords_shown(kwargs):
    return ", ".join(f"{key}={value!r}" for key, value in kwargs.items())


def build(t, cls, shown, **kwargs):
    """cls(**kwargs), recorded; the object is not observed, only that it was made."""
    return t.call(f"{shown}({keywords_shown(kwargs)})", lambda: cls(**kwargs), observe=False)


def look(t, obj, shown, *attributes):
    for attribute in attributes:
        t.call(f"{shown}.{attribute}", getattr, obj, attribute)
    t.call(f"{shown}.describe()", lambda: obj.describe())


def probe(t, m, label, keyword=None):
    """A cooperative class built on the learner's Model: notes each run of its __init__
    (with the keywords it received), consumes `keyword` if given, and adds itself to
    describe()."""

    class Probe(m.Model):
        def __init__(self, **kwargs):
            t.note(f"{label}.__init__ ran and received", sorted(kwargs))
            if keyword is not None:
                setattr(self, keyword, kwargs.pop(keyword, "default"))
            super().__init__(**kwargs)

        def describe(self):
            return [(label, "probe")] + super().describe()

    Probe.__name__ = Probe.__qualname__ = label
    return Probe


def tail(t, label, keyword):
    """A cooperative class that is not a Model, so it comes after Model in any MRO: it is
    only reached if Model.__init__ passes the rest on too."""

    class Tail:
        def __init__(self, **kwargs):
            t.note(f"{label}.__init__ ran and received", sorted(kwargs))
            setattr(self, keyword, kwargs.pop(keyword, "default"))
            super().__init__(**kwargs)

    Tail.__name__ = Tail.__qualname__ = label
    return Tail


def compose(t, name, bases):
    """class name(*bases): pass, recorded (it fails only if the MRO cannot be built)."""
    shown = ", ".join(base.__name__ for base in bases)
    return t.call(f"class {name}({shown})", lambda: type(name, tuple(bases), {}),
                  observe=False)


# ---------------------------------------------------------------------------------------
# The classes on their own
# ---------------------------------------------------------------------------------------


@case("Model consumes nothing and passes every keyword on, so an unknown one raises "
      "TypeError", points=2)
def model(t):
    m = t.module
    obj = build(t, m.Model, "Model")
    t.call("Model().describe()", lambda: obj.describe())
    build(t, m.Model, "Model", colour="red")


@case("Named, Timestamped and Tagged each take their own keyword-only argument", points=2)
def single_mixins(t):
    m = t.module
    named = build(t, m.Named, "Named", name="ada")
    look(t, named, "Named(name='ada')", "name")
    build(t, m.Named, "Named")
    t.call("Named('ada')", lambda: m.Named("ada"), observe=False)
    build(t, m.Named, "Named", name="ada", colour="red")
    stamped = build(t, m.Timestamped, "Timestamped")
    look(t, stamped, "Timestamped()", "created")
    stamped = build(t, m.Timestamped, "Timestamped", created=1700)
    look(t, stamped, "Timestamped(created=1700)", "created")
    t.call("Timestamped(5)", lambda: m.Timestamped(5), observe=False)
    tagged = build(t, m.Tagged, "Tagged")
    look(t, tagged, "Tagged()", "tags")
    tagged = build(t, m.Tagged, "Tagged", tags=["b", "a"])
    look(t, tagged, "Tagged(tags=['b', 'a'])", "tags")
    build(t, m.Tagged, "Tagged", tags=["x"], name="ada")


@case("tags are kept as a tuple: a copy of what was given")
def tags_are_a_tuple(t):
    m = t.module
    given = ["urgent"]
    tagged = build(t, m.Tagged, "Tagged", tags=given)
    given.append("later")
    t.call("Tagged(tags=given).tags, after given.append('later')", getattr, tagged, "tags")
    tagged = t.call("Tagged(tags=(tag for tag in 'ab'))",
                    lambda: m.Tagged(tags=(tag for tag in "ab")), observe=False)
    t.call("Tagged(tags=(tag for tag in 'ab')).tags", getattr, tagged, "tags")


# ---------------------------------------------------------------------------------------
# The diamond
# ---------------------------------------------------------------------------------------


@case("Document runs every __init__ of the diamond, each taking its own keyword", points=3)
def document(t):
    m = t.module
    doc = build(t, m.Document, "Document", name="memo", created=5, tags=["x"], body="hi")
    look(t, doc, "doc", "name", "created", "tags", "body")
    doc = build(t, m.Document, "Document", name="memo")
    look(t, doc, "Document(name='memo')", "name", "created", "tags", "body")
    build(t, m.Document, "Document", body="no name")
    build(t, m.Document, "Document", name="memo", colour="red")
    t.call("Document('memo')", lambda: m.Document("memo"), observe=False)


@case("each __init__ runs exactly once, in MRO order, passing on only what it did not take",
      points=3)
def runs_once_in_mro_order(t):
    m = t.module
    first = probe(t, m, "First")
    last = probe(t, m, "Last")
    traced = compose(t, "Traced", [first, m.Document, last])
    doc = build(t, traced, "Traced", name="memo", created=5, tags=["x"], body="hi")
    look(t, doc, "traced", "name", "created", "tags", "body")


@case("another team's cooperative mixins can sit anywhere in the MRO", points=3)
def foreign_mixins(t):
    m = t.module
    coloured = probe(t, m, "Coloured", keyword="colour")
    audited = probe(t, m, "Audited")
    mixed = compose(t, "Mixed", [m.Named, coloured, m.Tagged, audited, m.Timestamped])
    obj = build(t, mixed, "Mixed", name="n", colour="red", tags=["t"], created=3)
    look(t, obj, "mixed", "name", "colour", "tags", "created")
    obj = build(t, mixed, "Mixed", name="n")
    look(t, obj, "Mixed(name='n')", "name", "colour", "tags", "created")
    build(t, mixed, "Mixed", name="n", size=2)


@case("Model passes the rest on too, so a class after it in the MRO still runs", points=2)
def model_passes_on(t):
    m = t.module
    last = tail(t, "Storage", "path")
    stored = compose(t, "Stored", [m.Named, last])
    obj = build(t, stored, "Stored", name="n", path="/tmp/x")
    t.call("stored.path", getattr, obj, "path")
    t.call("stored.name", getattr, obj, "name")
    build(t, stored, "Stored", name="n", path="/tmp/x", colour="red")


@case("describe() lists (field, value) pairs in MRO order, through every class")
def describe_in_mro_order(t):
    m = t.module
    marker = probe(t, m, "Marker")
    marked = compose(t, "Marked", [m.Tagged, marker, m.Named])
    obj = build(t, marked, "Marked", name="n", tags=["a", "b"])
    look(t, obj, "marked")


# ---------------------------------------------------------------------------------------
# Random compositions: the seed changes on every grading run
# ---------------------------------------------------------------------------------------

VALUES = {"name": ["ada", "bob", ""], "created": [0, 7, 1999], "tags": [[], ["x"], ("p", "q")],
          "body": ["", "text"], "colour": ["red", "blue"], "path": ["/a", "/b"]}


@random_case("random class compositions and keywords, compared with the reference",
             runs=30, points=3)
def random_compositions(t, rng):
    # Draw the whole script first: nothing drawn may depend on what the submission does.
    learner = ["Named", "Timestamped", "Tagged"]
    if rng.random() < 0.3:
        learner = ["Document"]
    else:
        learner = rng.sample(learner, rng.randint(1, 3))
    probes = rng.sample(["P1", "P2", "Coloured"], rng.randint(0, 2))
    order = learner + probes
    rng.shuffle(order)
    with_tail = rng.random() < 0.4
    constructions = []
    for _ in range(rng.randint(1, 3)):
        keywords = {}
        for cls in order:
            fields = {"Document": ["name", "created", "tags", "body"], "Named": ["name"],
                      "Timestamped": ["created"], "Tagged": ["tags"],
                      "Coloured": ["colour"]}.get(cls, [])
            for field in fields:
                if field == "name" and rng.random() < 0.9 or rng.random() < 0.6:
                    keywords[field] = rng.choice(VALUES[field])
        if with_tail and rng.random() < 0.8:
            keywords["path"] = rng.choice(VALUES["path"])
        if rng.random() < 0.15:
            keywords["unknown"] = 1
        items = list(keywords.items())
        rng.shuffle(items)
        constructions.append(dict(items))

    m = t.module
    available = {name: getattr(m, name) for name in ["Named", "Timestamped", "Tagged",
                                                     "Document"]}
    available["P1"] = probe(t, m, "P1")
    available["P2"] = probe(t, m, "P2")
    available["Coloured"] = probe(t, m, "Coloured", keyword="colour")
    bases = [available[name] for name in order]
    if with_tail:
        bases.append(tail(t, "Storage", "path"))
    composed = compose(t, "Composed", bases)
    attributes = sorted({field for name in order for field in
                         {"Document": ["name", "created", "tags", "body"], "Named": ["name"],
                          "Timestamped": ["created"], "Tagged": ["tags"],
                          "Coloured": ["colour"]}.get(name, [])} |
                        ({"path"} if with_tail else set()))
    for keywords in constructions:
        obj = build(t, composed, "Composed", **keywords)
        if obj is not None:
            look(t, obj, "composed", *attributes)
