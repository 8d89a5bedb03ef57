# expect: first 3 chunks of chunked(itertools.count(), 3) raised PulledTooMuch
# why: turns the input into a list first to slice it by index, which never finishes on an infinite iterator and holds everything in memory.
def chunked(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = list(iterable)
    return iter([items[i:i + size] for i in range(0, len(items), size)])


def windowed(iterable, size):
    if size < 1:
        raise ValueError("size must be at least 1")
    items = list(iterable)
    return iter([tuple(items[i:i + size]) for i in range(len(items) - size + 1)])
