# expect: expected Traced(name='memo', created=5, tags=['x'], body='hi') to return normally next, but got Last.__init__ ran and received []
# why: has Document call each parent's __init__ by name, while those parents already call super(): every class after Named runs several times.
"""Reference solution of the cooperative_mixins exercise: super() all the way down."""


class Model:
    """The root of the hierarchy. It consumes no keyword: whatever is left reaches
    object.__init__, which raises TypeError for any keyword at all."""

    def __init__(self, **kwargs):
        # Not the end of the chain: in a class like X(Named, Other), another cooperative
        # class may come after Model in the MRO, so Model passes the rest on as well.
        super().__init__(**kwargs)

    def describe(self):
        """(field, value) pairs, one per class that has a field, in MRO order."""
        return []


class Named(Model):
    def __init__(self, *, name, **kwargs):
        # Take our keyword out, pass everything else on. super() is the *next class in
        # the MRO of type(self)*, not necessarily Model: in Document it is Timestamped.
        self.name = name
        super().__init__(**kwargs)

    def describe(self):
        return [("name", self.name)] + super().describe()


class Timestamped(Model):
    def __init__(self, *, created=0, **kwargs):
        self.created = created
        super().__init__(**kwargs)

    def describe(self):
        return [("created", self.created)] + super().describe()


class Tagged(Model):
    def __init__(self, *, tags=(), **kwargs):
        self.tags = tuple(tags)  # a copy: the caller's list may change later
        super().__init__(**kwargs)

    def describe(self):
        return [("tags", self.tags)] + super().describe()


class Document(Named, Timestamped, Tagged):
    """The diamond: Named, Timestamped and Tagged all derive from Model.
    MRO: Document, Named, Timestamped, Tagged, Model, object; each __init__ runs once."""

    def __init__(self, *, body="", name, created=0, tags=(), **kwargs):
        self.body = body
        Named.__init__(self, name=name, **kwargs)
        Timestamped.__init__(self, created=created)
        Tagged.__init__(self, tags=tags)

    def describe(self):
        return [("body", self.body)] + super().describe()
