# expect: first 4 items of the first group of groupby(itertools.repeat('x')) raised PulledTooMuch
# why: collects each run into a list before yielding it, so a group is read whole as soon as the outer iterator reaches it: an infinite run never ends, and the items are pulled before anyone asks for them.
_NOTHING = object()


def pairwise(iterable):
    """Yield (a, b) for every two successive items: 'abc' gives ('a', 'b'), ('b', 'c')."""
    iterator = iter(iterable)
    previous = next(iterator, _NOTHING)  # pulled only at the first next() of the generator
    if previous is _NOTHING:
        return
    for item in iterator:  # one new item per pair
        yield previous, item
        previous = item


def groupby(iterable, key=None):
    keyfunc = (lambda item: item) if key is None else key
    iterator = iter(iterable)
    item = next(iterator, _NOTHING)
    item_key = None if item is _NOTHING else keyfunc(item)
    while item is not _NOTHING:
        group_key = item_key
        run = [item]
        item = next(iterator, _NOTHING)
        while item is not _NOTHING:
            item_key = keyfunc(item)
            if not item_key == group_key:
                break
            run.append(item)
            item = next(iterator, _NOTHING)
        yield group_key, iter(run)
