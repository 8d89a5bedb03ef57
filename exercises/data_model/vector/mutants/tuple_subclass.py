# expect: Vector(1, 2) == (1, 2) returned True, expected False
# why: subclasses tuple, so when Vector.__eq__ returns NotImplemented Python asks tuple.__eq__, which compares the items and says True.
import math


class Vector(tuple):
    def __new__(cls, *components):
        if not components:
            raise ValueError("a Vector needs at least one component")
        return super().__new__(cls, components)

    def _check(self, other):
        if len(self) != len(other):
            raise ValueError("lengths differ")

    def __add__(self, other):
        self._check(other)
        return Vector(*(a + b for a, b in zip(self, other)))

    def __sub__(self, other):
        self._check(other)
        return Vector(*(a - b for a, b in zip(self, other)))

    def __matmul__(self, other):
        self._check(other)
        return sum(a * b for a, b in zip(self, other))

    def __mul__(self, k):
        return Vector(*(a * k for a in self))

    __rmul__ = __mul__

    def __neg__(self):
        return Vector(*(-a for a in self))

    def __abs__(self):
        return math.sqrt(sum(a * a for a in self))

    def __bool__(self):
        return any(self)

    def __eq__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __ne__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        return tuple(self) != tuple(other)

    def __hash__(self):
        return hash(tuple(self))

    def __repr__(self):
        return f"Vector({', '.join(map(repr, self))})"
