"""Chunked and windowed iteration: see README.md for the exact behaviour to implement."""


def chunked(iterable, size):
    """Return an iterator of lists of `size` consecutive items; the last may be shorter."""
    raise NotImplementedError("write chunked()")


def windowed(iterable, size):
    """Return an iterator of tuples: every run of `size` consecutive items, in order."""
    raise NotImplementedError("write windowed()")
