"""An LRU cache: a dict for O(1) lookup, kept in recency order (least recently used first)."""
from collections import OrderedDict


class LRUCache:
    """A mapping of at most `capacity` entries that evicts the least recently used one."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity!r}")
        self._capacity = capacity
        self._entries = OrderedDict()  # least recently used first

    def get(self, key, default=None):
        """Return the value for `key` and mark it most recently used; `default` if absent."""
        if key not in self._entries:
            return default
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key, value):
        """Insert or update `key`, mark it most recently used, evict beyond capacity."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def __len__(self):
        return len(self._entries)

    def __contains__(self, key):
        # A membership test is not a use: recency is left alone.
        return key in self._entries
