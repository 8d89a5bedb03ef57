# expect: 'a' in cache
# why: popitem() without last=False removes the newest entry (the key just put) instead of the least recently used one.
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem()

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
