"""Validating descriptors: see README.md for the exact behaviour to implement."""


class Typed:
    """A field that accepts only instances of `kind` (a class or a tuple of classes)."""

    def __init__(self, kind):
        raise NotImplementedError("Typed.__init__")

    def __set_name__(self, owner, name):
        raise NotImplementedError("Typed.__set_name__")

    def __get__(self, instance, owner=None):
        raise NotImplementedError("Typed.__get__")

    def __set__(self, instance, value):
        raise NotImplementedError("Typed.__set__")

    def __delete__(self, instance):
        raise NotImplementedError("Typed.__delete__")


class Positive(Typed):
    """A number (by default an int or a float) above zero."""

    def __init__(self, kind=(int, float)):
        raise NotImplementedError("Positive.__init__")


class NonEmpty(Typed):
    """A str that is not empty."""

    def __init__(self):
        raise NotImplementedError("NonEmpty.__init__")
