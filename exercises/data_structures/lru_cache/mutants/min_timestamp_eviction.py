# expect: time per get/put
# why: stamps each key with a counter and evicts min() over all stamps, so every eviction scans the whole cache: right answers, O(n) per put.
class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.values = {}
        self.last_used = {}
        self.tick = 0

    def _touch(self, key):
        self.tick += 1
        self.last_used[key] = self.tick

    def get(self, key, default=None):
        if key not in self.values:
            return default
        self._touch(key)
        return self.values[key]

    def put(self, key, value):
        self.values[key] = value
        self._touch(key)
        if len(self.values) > self.capacity:
            oldest = min(self.last_used, key=self.last_used.get)
            del self.values[oldest]
            del self.last_used[oldest]

    def __len__(self):
        return len(self.values)

    def __contains__(self, key):
        return key in self.values
