"""Flatten nested iterables: see README.md for the exact behaviour to implement."""


def flatten(iterable):
    """Return an iterator over the leaves of nested iterables, depth first, left to right."""
    raise NotImplementedError("write flatten()")
