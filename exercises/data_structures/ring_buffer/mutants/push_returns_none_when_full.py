# expect: push(4) returned None, expected 1
# why: overwrites the oldest item when full but forgets to return it, so the caller never learns what was evicted.
class RingBuffer:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.slots = [None] * capacity
        self.head = 0
        self.size = 0

    @property
    def full(self):
        return self.size == self.capacity

    def __len__(self):
        return self.size

    def push(self, item):
        if self.size == self.capacity:
            evicted = self.slots[self.head]
            self.slots[self.head] = item
            self.head = (self.head + 1) % self.capacity
            return None
        self.slots[(self.head + self.size) % self.capacity] = item
        self.size += 1
        return None

    def pop(self):
        if self.size == 0:
            raise IndexError("empty")
        item = self.slots[self.head]
        self.head = (self.head + 1) % self.capacity
        self.size -= 1
        return item

    def peek(self):
        if self.size == 0:
            raise IndexError("empty")
        return self.slots[self.head]

    def __iter__(self):
        for i in range(self.size):
            yield self.slots[(self.head + i) % self.capacity]
