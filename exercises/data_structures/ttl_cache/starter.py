"""A cache whose entries expire ttl seconds after they are set. See README.md."""
import time


class TTLCache:
    """A mapping whose entries live for ttl seconds, as read from clock()."""

    def __init__(self, ttl, *, clock=time.monotonic):
        # Refuse ttl <= 0 with ValueError. Read the time only through clock().
        raise NotImplementedError("TTLCache.__init__")

    def set(self, key, value):
        """Store value under key; its time to live starts now."""
        raise NotImplementedError("TTLCache.set")

    def get(self, key, default=None):
        """The value of a live entry, else default."""
        raise NotImplementedError("TTLCache.get")

    def __len__(self):
        raise NotImplementedError("TTLCache.__len__")

    def __contains__(self, key):
        raise NotImplementedError("TTLCache.__contains__")

    def purge(self):
        """Remove the expired entries; return how many were removed."""
        raise NotImplementedError("TTLCache.purge")
