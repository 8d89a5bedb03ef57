"""Reference solution of the vector exercise: an immutable Euclidean vector."""
import math
import numbers


class Vector:
    """An immutable vector of numbers, with the arithmetic of the data model."""

    # No __dict__: the only state is the tuple of components, so nothing can be added.
    __slots__ = ("_components",)

    def __init__(self, *components):
        if not components:
            raise ValueError("a Vector needs at least one component")
        # object.__setattr__ because our own __setattr__ below refuses every assignment.
        object.__setattr__(self, "_components", tuple(components))

    def __setattr__(self, name, value):
        raise AttributeError(f"Vector is immutable: cannot set {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"Vector is immutable: cannot delete {name!r}")

    # --- the sequence protocol ---------------------------------------------------------

    def __len__(self):
        return len(self._components)

    def __iter__(self):
        return iter(self._components)  # a fresh iterator each time: iterable again and again

    def __getitem__(self, index):
        return self._components[index]

    # --- arithmetic ----------------------------------------------------------------------

    def _same_length(self, other, op):
        if len(self) != len(other):
            raise ValueError(f"{op} needs vectors of equal length, "
                             f"got {len(self)} and {len(other)}")

    def __add__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented  # let the other operand try, then Python raises TypeError
        self._same_length(other, "+")
        return Vector(*(a + b for a, b in zip(self, other)))

    def __sub__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        self._same_length(other, "-")
        return Vector(*(a - b for a, b in zip(self, other)))

    def __matmul__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        self._same_length(other, "@")
        return sum(a * b for a, b in zip(self, other))

    def __mul__(self, k):
        if not isinstance(k, numbers.Number):
            return NotImplemented
        return Vector(*(a * k for a in self))

    # k * v: int.__mul__(k, v) returns NotImplemented, so Python tries v.__rmul__(k).
    __rmul__ = __mul__

    def __neg__(self):
        return Vector(*(-a for a in self))

    def __abs__(self):
        return math.sqrt(sum(a * a for a in self))  # always a float

    def __bool__(self):
        # Without __bool__, Python would use __len__, and every Vector has length >= 1.
        return any(self._components)

    # --- comparison, hashing, repr ---------------------------------------------------------

    def __eq__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented  # a Vector is not a tuple, even with the same numbers
        return self._components == other._components

    def __hash__(self):
        # Equal vectors have equal component tuples, and equal tuples hash alike
        # (hash(1) == hash(1.0)), so hash agrees with ==.
        return hash(self._components)

    def __repr__(self):
        return f"Vector({', '.join(repr(a) for a in self)})"
