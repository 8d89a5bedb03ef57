# expect: time per push/pop on a full buffer of 100,000 items vs 256 items 'grows with the buffer size
# why: keeps the items in a plain list and removes the oldest with list.pop(0), which shifts every other item: right answers, but O(n) per push and pop.
class RingBuffer:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.items = []

    @property
    def full(self):
        return len(self.items) == self.capacity

    def __len__(self):
        return len(self.items)

    def push(self, item):
        evicted = self.items.pop(0) if self.full else None
        self.items.append(item)
        return evicted

    def pop(self):
        if not self.items:
            raise IndexError("empty")
        return self.items.pop(0)

    def peek(self):
        if not self.items:
            raise IndexError("empty")
        return self.items[0]

    def __iter__(self):
        return iter(self.items)
