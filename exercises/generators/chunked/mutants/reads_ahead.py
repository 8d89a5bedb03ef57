# expect: items pulled when item 1 of windowed(itertools.count(), 3) came out
# why: reads the input in blocks of 100 items to cut down on calls, so it pulls far more than size items ahead of the windows it has yielded (and a slow or endless source stalls).
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
    window = deque(maxlen=size)
    while True:
        block = list(islice(iterator, 100))
        if not block:
            return
        for item in block:
            window.append(item)
            if len(window) == size:
                yield tuple(window)
