"""A reusable countdown and its one-shot iterator: see README.md for what to implement."""


class Countdown:
    """An iterable over start, start - 1, ..., 1. Each iteration starts again at start."""

    def __init__(self, start):
        raise NotImplementedError("write Countdown")

    def __iter__(self):
        raise NotImplementedError("return a new iterator")
