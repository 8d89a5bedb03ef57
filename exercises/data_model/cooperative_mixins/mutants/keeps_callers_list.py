# expect: Tagged(tags=given).tags, after given.append('later') returned ['urgent', 'later'], expected ('urgent',)
# why: stores the caller's list itself, so changing that list later changes the object's tags.
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
        self.tags = tags
        super().__init__(**kwargs)

    def describe(self):
        return [("tags", self.tags)] + super().describe()


class Document(Named, Timestamped, Tagged):
    """The diamond: Named, Timestamped and Tagged all derive from Model.
    MRO: Document, Named, Timestamped, Tagged, Model, object; each __init__ runs once."""

    def __init__(self, *, body="", **kwargs):
        self.body = body
        super().__init__(**kwargs)

    def describe(self):
        return [("body", self.body)] + super().describe()
