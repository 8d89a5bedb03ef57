"""Reference solution of the chunked exercise."""
from collections import deque
from itertools import islice


def chunked(iterable, size):
    """Return an iterator of lists of `size` consecutive items; the last may be shorter.

    This is a plain function that checks `size` and then returns a generator. Had it been
    a generator function itself, the ValueError would wait for the first next().
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size!r}")
    return _chunks(iter(iterable), size)


def _chunks(iterator, size):
    while True:
        # islice pulls at most `size` items and stops early when the source runs out.
        chunk = list(islice(iterator, size))
        if not chunk:  # no empty list at the end, and nothing for an empty input
            return
        yield chunk


def windowed(iterable, size):
    """Return an iterator of tuples: every run of `size` consecutive items, in order."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size!r}")
    return _windows(iter(iterable), size)


def _windows(iterator, size):
    # A deque with maxlen drops its oldest item by itself when a new one is appended.
    window = deque(islice(iterator, size), maxlen=size)
    if len(window) < size:  # fewer than `size` items: no window at all
        return
    yield tuple(window)
    for item in iterator:  # one new item per window: never a pull ahead
        window.append(item)
        yield tuple(window)
