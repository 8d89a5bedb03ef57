# expect: list(chunked([1, None, None], 2)) returned [[1], []], expected [[1, None], [None]]
# why: uses the zip_longest "grouper" recipe and strips the None padding from the last chunk, which also strips real None items (and can leave an empty list).
from collections import deque
from itertools import islice, zip_longest


def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    iterators = [iter(iterable)] * size
    return (
        [item for item in group if item is not None]
        if group[-1] is None else list(group)
        for group in zip_longest(*iterators)
    )


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
