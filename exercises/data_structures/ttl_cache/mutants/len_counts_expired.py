# expect: len(cache) returned 4, expected 3
# why: len() returns the size of the dict, which still holds the expired entries that nobody purged.
import time


class TTLCache:
    def __init__(self, ttl, *, clock=time.monotonic):
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.ttl = ttl
        self.clock = clock
        self.entries = {}  # key -> (value, set time)

    def set(self, key, value):
        self.entries[key] = (value, self.clock())

    def alive(self, key, now):
        return key in self.entries and now < self.entries[key][1] + self.ttl

    def get(self, key, default=None):
        if self.alive(key, self.clock()):
            return self.entries[key][0]
        return default

    def __contains__(self, key):
        return self.alive(key, self.clock())

    def __len__(self):
        return len(self.entries)

    def purge(self):
        now = self.clock()
        expired = [key for key in self.entries if not self.alive(key, now)]
        for key in expired:
            del self.entries[key]
        return len(expired)
