# expect: [type(w).__name__ for w in windowed('abcd', 2)] returned ['list', 'list', 'list'], expected ['tuple', 'tuple', 'tuple']
# why: yields list(window) (or the deque itself) instead of a tuple, so the windows are not the tuples asked for.
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
    yield list(window)
    for item in iterator:
        window.append(item)
        yield list(window)
