"""Cooperative mixins: see README.md for the exact behaviour to implement."""


class Model:
    """The root of the hierarchy; consumes no keyword."""

    def __init__(self, **kwargs):
        raise NotImplementedError("Model.__init__")

    def describe(self):
        raise NotImplementedError("Model.describe")


class Named(Model):
    """Keyword-only `name` (required) -> self.name."""

    def __init__(self, *, name, **kwargs):
        raise NotImplementedError("Named.__init__")

    def describe(self):
        raise NotImplementedError("Named.describe")


class Timestamped(Model):
    """Keyword-only `created=0` -> self.created."""

    def __init__(self, *, created=0, **kwargs):
        raise NotImplementedError("Timestamped.__init__")

    def describe(self):
        raise NotImplementedError("Timestamped.describe")


class Tagged(Model):
    """Keyword-only `tags=()` -> self.tags, a tuple."""

    def __init__(self, *, tags=(), **kwargs):
        raise NotImplementedError("Tagged.__init__")

    def describe(self):
        raise NotImplementedError("Tagged.describe")


class Document(Named, Timestamped, Tagged):
    """Keyword-only `body=""` -> self.body, plus everything of its bases."""

    def __init__(self, *, body="", **kwargs):
        raise NotImplementedError("Document.__init__")

    def describe(self):
        raise NotImplementedError("Document.describe")
