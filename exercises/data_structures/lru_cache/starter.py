"""An LRU (least recently used) cache. See README.md for the exact behaviour."""


class LRUCache:
    """A mapping of at most `capacity` entries that evicts the least recently used one."""

    def __init__(self, capacity):
        # Refuse a capacity below 1 with ValueError.
        raise NotImplementedError("LRUCache.__init__")

    def get(self, key, default=None):
        """Return the value for `key` and mark it most recently used; `default` if absent."""
        raise NotImplementedError("LRUCache.get")

    def put(self, key, value):
        """Insert or update `key`, mark it most recently used, evict beyond capacity."""
        raise NotImplementedError("LRUCache.put")

    def __len__(self):
        raise NotImplementedError("LRUCache.__len__")

    def __contains__(self, key):
        # `key in cache` must not change which key is least recently used.
        raise NotImplementedError("LRUCache.__contains__")
