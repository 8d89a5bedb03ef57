"""Reference solution of the pairwise_groupby exercise: itertools.pairwise and
itertools.groupby again, lazily, with the semantics of the itertools versions."""

_NOTHING = object()  # a sentinel: no item is waiting


def pairwise(iterable):
    """Yield (a, b) for every two successive items: 'abc' gives ('a', 'b'), ('b', 'c')."""
    iterator = iter(iterable)
    previous = next(iterator, _NOTHING)  # pulled only at the first next() of the generator
    if previous is _NOTHING:
        return
    for item in iterator:  # one new item per pair
        yield previous, item
        previous = item


class groupby:
    """Yield (key, group) for each run of consecutive items with equal keys.

    The groups share one iterator over the input, so they are lazy views on it, not lists:
    advancing the outer iterator moves the shared position past the current group, and
    the groups handed out before are over (they yield nothing more).
    """

    def __init__(self, iterable, key=None):
        self._key = (lambda item: item) if key is None else key
        self._iterator = iter(iterable)
        self._item = _NOTHING  # the item pulled but not yet handed out, if any
        self._item_key = None  # its key
        self._group_key = None  # the key of the current group
        self._token = None  # identifies the current group; a new one makes the old stale

    def __iter__(self):
        return self

    def _pull(self):
        """Pull the next item and compute its key: once per item. False at the end."""
        item = next(self._iterator, _NOTHING)
        if item is _NOTHING:
            return False
        self._item, self._item_key = item, self._key(item)
        return True

    def __next__(self):
        token = self._token = object()  # every earlier group is over from now on
        # Find the first item of the next group, skipping what is left of the current one.
        while True:
            if self._item is _NOTHING and not self._pull():
                raise StopIteration
            if self._group_key is None or not self._group_key[0] == self._item_key:
                break
            self._item = _NOTHING  # an item of the current group nobody asked for
        self._group_key = (self._item_key,)  # a 1-tuple: the key itself may be None
        return self._item_key, self._group(token)

    def _group(self, token):
        """The items of the current group, pulled one by one as they are asked for."""
        key = self._group_key[0]
        while self._token is token:
            if self._item is _NOTHING and not self._pull():
                return
            if not key == self._item_key:
                return  # the waiting item starts the next group: leave it there
            item, self._item = self._item, _NOTHING
            yield item
