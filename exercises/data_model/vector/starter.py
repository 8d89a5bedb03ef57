"""An immutable vector: see README.md for the exact behaviour to implement."""


class Vector:
    """An immutable vector of numbers."""

    def __init__(self, *components):
        # Vector() (no components) raises ValueError.
        raise NotImplementedError("Vector.__init__")

    def __len__(self):
        raise NotImplementedError("Vector.__len__")

    def __iter__(self):
        raise NotImplementedError("Vector.__iter__")

    def __getitem__(self, index):
        raise NotImplementedError("Vector.__getitem__")

    def __add__(self, other):
        raise NotImplementedError("Vector.__add__")

    def __sub__(self, other):
        raise NotImplementedError("Vector.__sub__")

    def __matmul__(self, other):
        raise NotImplementedError("Vector.__matmul__")

    def __mul__(self, k):
        raise NotImplementedError("Vector.__mul__")

    def __rmul__(self, k):
        raise NotImplementedError("Vector.__rmul__")

    def __neg__(self):
        raise NotImplementedError("Vector.__neg__")

    def __abs__(self):
        raise NotImplementedError("Vector.__abs__")

    def __bool__(self):
        raise NotImplementedError("Vector.__bool__")

    def __eq__(self, other):
        raise NotImplementedError("Vector.__eq__")

    def __hash__(self):
        raise NotImplementedError("Vector.__hash__")

    def __repr__(self):
        raise NotImplementedError("Vector.__repr__")
