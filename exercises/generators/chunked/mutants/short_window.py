# expect: list(windowed([1, 2], 3)) returned [(1, 2)], expected []
# why: yields whatever the window holds even when the input is shorter than size, so fewer than size items give one short tuple instead of nothing.
from collections import deque
from itertools import islice


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return _chunks(iter(iterable), size)


def _chunks(iterator, size):
    while True:
        chunk = list(islice(iterator, size))
        if not chunk:
            return
        yield chunk


def windowed(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return _windows(iter(iterable), size)


def _windows(iterator, size):
    window = deque(islice(iterator, size), maxlen=size)
    if not window:
        return
    yield tuple(window)
    for item in iterator:
        window.append(item)
        yield tuple(window)
