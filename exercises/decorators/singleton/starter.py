"""Singletons, by __new__ and by a metaclass: see README.md for the exact behaviour."""


class Singleton:
    """Base class: every class deriving from it has a single instance."""

    def __new__(cls, *args, **kwargs):
        raise NotImplementedError("Singleton.__new__")


class SingletonMeta(type):
    """Metaclass: `Class(...)` creates the instance once, then always returns it."""

    def __call__(cls, *args, **kwargs):
        raise NotImplementedError("SingletonMeta.__call__")
