# expect: list(Point3D(1, 2, 3).as_dict().items()) returned [('z', 3), ('x', 1), ('y', 2)]
# why: walks the MRO from the object's own class up, so the base classes' slots come last instead of first.
"""Reference solution of the slotted exercise: __slots__, and what they change."""


class Slotted:
    """A base class with no storage of its own.

    `__slots__ = ()` matters: a class without __slots__ gives its instances a __dict__,
    and so would every subclass, whatever slots they declare.
    """

    __slots__ = ()

    def as_dict(self):
        """{slot: value} for the slots of every class of the object, bases first, each
        class's slots in declaration order; unset slots and __weakref__ are skipped."""
        values = {}
        # __slots__ lists only the class's *own* slots, so walk the MRO, root first.
        for cls in type(self).__mro__:
            slots = cls.__dict__.get("__slots__", ())
            if isinstance(slots, str):  # __slots__ = "name" declares a single slot
                slots = (slots,)
            for name in slots:
                if name in ("__weakref__", "__dict__"):
                    continue
                try:
                    values[name] = getattr(self, name)
                except AttributeError:  # a slot that was never assigned (or was deleted)
                    pass
        return values


class Point(Slotted):
    """Two slots and no __dict__: p.z = 1 raises AttributeError, weakref.ref(p) TypeError."""

    __slots__ = ("x", "y")

    # Defaults go in __init__: a class attribute `x = 0` would clash with the slot named x
    # (ValueError: 'x' in __slots__ conflicts with class variable).
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y


class Point3D(Point):
    """Declares only its new slot: x and y are already slots of Point."""

    __slots__ = ("z",)

    def __init__(self, x=0, y=0, z=0):
        super().__init__(x, y)
        self.z = z


class Node(Slotted):
    """A linked-list node that weak references can point to: '__weakref__' is a slot."""

    __slots__ = ("value", "next", "__weakref__")

    def __init__(self, value, next=None):
        self.value = value
        self.next = next


class Loose(Point):
    """No __slots__ here: instances get a __dict__ again, and accept any attribute."""
