# expect: [(k, list(g)) for k, g in groupby('aabbbca')] returned [('a', ['a', 'a']), ('b', ['b', 'b']), ('a', ['a'])]
# why: the group pulls the next item to see whether its run goes on and, when the key differs, simply stops: that item, the first of the next run, is lost.
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
    state = {"token": None}

    def group(token, first, group_key):
        yield first
        while state["token"] is token:
            item = next(iterator, _NOTHING)
            if item is _NOTHING or keyfunc(item) != group_key:
                return
            yield item

    while True:
        item = next(iterator, _NOTHING)
        if item is _NOTHING:
            return
        token = state["token"] = object()
        group_key = keyfunc(item)
        yield group_key, group(token, item, group_key)
