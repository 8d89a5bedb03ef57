# expect: chunked(source, 0) when called, without iterating its result returned 'returned without raising', expected 'raised ValueError'
# why: chunked is a generator function, so its size check only runs at the first next(): calling chunked(items, 0) returns a generator instead of raising ValueError at once.
from collections import deque
from itertools import islice


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(iterable)
    while True:
        chunk = list(islice(iterator, size))
        if not chunk:
            return
        yield chunk


def windowed(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(iterable)
    window = deque(islice(iterator, size), maxlen=size)
    if len(window) < size:
        return
    yield tuple(window)
    for item in iterator:
        window.append(item)
        yield tuple(window)
