# expect: the message of that error names the field 'count' False, expected True
# why: writes messages that say what went wrong but not which field, so the user cannot tell which assignment failed.
"""Reference solution of the typed_fields exercise: validating descriptors."""


class Typed:
    """A field that accepts only instances of `kind` (a class or a tuple of classes).

    The value lives in the instance's own __dict__, under the field's name. That works
    because Typed defines __set__: a *data* descriptor on the class takes precedence over
    the instance dict, so obj.field always goes through __get__ and __set__.
    """

    def __init__(self, kind):
        self.kind = kind
        self.name = None  # filled in by __set_name__ when the owning class is created

    def __set_name__(self, owner, name):
        # Called once by type.__new__ for every descriptor in the class body:
        # `price = Positive()` gives name == "price". No need to repeat the name.
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self  # accessed on the class (Product.price): the descriptor itself
        try:
            return instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"field {self.name!r} is not set") from None

    def __set__(self, instance, value):
        self.validate(value)  # validate first: a rejected value changes nothing
        instance.__dict__[self.name] = value

    def __delete__(self, instance):
        try:
            del instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"field {self.name!r} is not set") from None

    def validate(self, value):
        """Raise if `value` is not acceptable; subclasses add their own checks."""
        if not isinstance(value, self.kind):
            raise TypeError(f"expected {self._kind_names()}, got {type(value).__name__}")

    def _kind_names(self):
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return " or ".join(kind.__name__ for kind in kinds)


class Positive(Typed):
    """A number above zero: a TypeError for a wrong type first, then a ValueError."""

    def __init__(self, kind=(int, float)):
        super().__init__(kind)

    def validate(self, value):
        super().validate(value)
        if not value > 0:
            raise ValueError(f"field {self.name!r} must be positive, got {value!r}")


class NonEmpty(Typed):
    """A string that is not empty."""

    def __init__(self):
        super().__init__(str)

    def validate(self, value):
        super().validate(value)
        if not value:
            raise ValueError(f"field {self.name!r} must not be empty")
