# expect: key comparisons per operation
# why: keeps the order in a list of keys, so list.remove() scans the whole list on every get and put: right answers, O(n) per operation.
class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.values = {}
        self.order = []  # least recently used first

    def get(self, key, default=None):
        if key not in self.values:
            return default
        self.order.remove(key)
        self.order.append(key)
        return self.values[key]

    def put(self, key, value):
        if key in self.values:
            self.order.remove(key)
        self.values[key] = value
        self.order.append(key)
        if len(self.order) > self.capacity:
            oldest = self.order.pop(0)
            del self.values[oldest]

    def __len__(self):
        return len(self.values)

    def __contains__(self, key):
        return key in self.values
