# expect: get('s') returned None, expected 'new'
# why: setting an existing key replaces the value but keeps the original time, so the entry expires as if it had never been set again.
import time


class TTLCache:
    def __init__(self, ttl, *, clock=time.monotonic):
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.ttl = ttl
        self.clock = clock
        self.entries = {}  # key -> (value, set time)

    def set(self, key, value):
        born = self.entries[key][1] if key in self.entries else self.clock()
        self.entries[key] = (value, born)

    def alive(self, key, now):
        return key in self.entries and now < self.entries[key][1] + self.ttl

    def get(self, key, default=None):
        if self.alive(key, self.clock()):
            return self.entries[key][0]
        return default

    def __contains__(self, key):
        return self.alive(key, self.clock())

    def __len__(self):
        now = self.clock()
        return sum(1 for key in self.entries if self.alive(key, now))

    def purge(self):
        now = self.clock()
        expired = [key for key in self.entries if not self.alive(key, now)]
        for key in expired:
            del self.entries[key]
        return len(expired)
