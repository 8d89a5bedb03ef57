"""A cache whose entries expire ttl seconds after they are set, on an injected clock."""
import time


class TTLCache:
    """A mapping whose entries live for ttl seconds, as read from clock()."""

    def __init__(self, ttl, *, clock=time.monotonic):
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl!r}")
        self._ttl = ttl
        # The clock is a parameter so that tests (and simulations) control time. Keep
        # the function, never call time.* directly: a fake clock must see every read.
        self._clock = clock
        self._entries = {}  # key -> (value, expiry time)

    def _alive(self, expires, now):
        # Set at t, alive while now < t + ttl: at exactly t + ttl the entry is gone.
        return now < expires

    def set(self, key, value):
        """Store value under key; its time to live starts now (again, if it was set)."""
        self._entries[key] = (value, self._clock() + self._ttl)

    def get(self, key, default=None):
        """The value of a live entry, else default."""
        entry = self._entries.get(key)
        if entry is None or not self._alive(entry[1], self._clock()):
            return default  # expired entries stay until purge() (dropping them is allowed)
        return entry[0]

    def __len__(self):
        now = self._clock()
        return sum(1 for _, expires in self._entries.values() if self._alive(expires, now))

    def __contains__(self, key):
        entry = self._entries.get(key)
        return entry is not None and self._alive(entry[1], self._clock())

    def purge(self):
        """Remove the expired entries; return how many were removed."""
        now = self._clock()
        # Collect first: a dict must not change size while it is iterated.
        expired = [key for key, (_, expires) in self._entries.items()
                   if not self._alive(expires, now)]
        for key in expired:
            del self._entries[key]
        return len(expired)
