"""Reference solution of the countdown exercise: an iterable and its iterator, written out
as two classes to show the protocol (a generator would do the iterator's job too)."""


class Countdown:
    """An iterable over start, start - 1, ..., 1. Each iteration starts again at start."""

    def __init__(self, start):
        if start < 0:
            raise ValueError(f"start must be 0 or more, got {start!r}")
        self.start = start

    def __iter__(self):
        # A new iterator on every call: that is what makes the iterable reusable, and lets
        # two loops over the same Countdown run at once without disturbing each other.
        # Countdown itself has no __next__: it is not an iterator.
        return CountdownIterator(self.start)


class CountdownIterator:
    """A one-shot iterator: it holds the position, and once exhausted it stays exhausted."""

    def __init__(self, start):
        self.current = start

    def __iter__(self):
        # An iterator is its own iterator, so it can be used in a for loop, and a loop over
        # a half-consumed iterator goes on from where it was.
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration  # and again on every later call: current stays at 0
        value = self.current
        self.current -= 1
        return value
