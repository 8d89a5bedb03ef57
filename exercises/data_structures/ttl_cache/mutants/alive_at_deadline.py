# expect: get('job') returned 'running', expected None
# why: compares with <= instead of <, so an entry set at t is still alive at exactly t + ttl.
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
        return key in self.entries and now <= self.entries[key][1] + self.ttl

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
