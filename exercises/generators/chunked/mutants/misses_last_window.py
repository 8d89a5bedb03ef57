# expect: list(windowed(range(5), 3)) returned [(0, 1, 2), (1, 2, 3)], expected [(0, 1, 2), (1, 2, 3), (2, 3, 4)]
# why: yields the window before appending each new item and never yields after the loop, so the last window is lost (an off-by-one).
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
    if len(window) < size:
        return
    for item in iterator:
        yield tuple(window)
        window.append(item)
