# expect: list(chunked(range(6), 3)) returned [[0, 1, 2], [3, 4, 5], []], expected [[0, 1, 2], [3, 4, 5]]
# why: yields every slice before looking at it and stops only after a short one, so an input that divides evenly (or an empty one) ends with an empty list.
from collections import deque
from itertools import islice


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return _chunks(iter(iterable), size)


def _chunks(iterator, size):
    while True:
        chunk = list(islice(iterator, size))
        yield chunk
        if len(chunk) < size:
            return


def windowed(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    return _windows(iter(iterable), size)


def _windows(iterator, size):
    window = deque(islice(iterator, size), maxlen=size)
    if len(window) < size:
        return
    yield tuple(window)
    for item in iterator:
        window.append(item)
        yield tuple(window)
