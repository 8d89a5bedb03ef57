# expect: 'x' in cache
# why: makes room before checking whether the key is already cached, so updating a key of a full cache evicts another key for nothing.
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
        if len(self.data) >= self.capacity:
            self.data.popitem(last=False)
        self.data[key] = value
        self.data.move_to_end(key)

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
