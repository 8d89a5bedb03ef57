"""Classes with __slots__: see README.md for the exact behaviour to implement.

Declare the __slots__ the README asks for in each class; as written here, every class
still gives its instances a __dict__.
"""


class Slotted:
    def as_dict(self):
        raise NotImplementedError("Slotted.as_dict")


class Point(Slotted):
    def __init__(self, x=0, y=0):
        raise NotImplementedError("Point.__init__")


class Point3D(Point):
    def __init__(self, x=0, y=0, z=0):
        raise NotImplementedError("Point3D.__init__")


class Node(Slotted):
    def __init__(self, value, next=None):
        raise NotImplementedError("Node.__init__")


class Loose(Point):
    pass
