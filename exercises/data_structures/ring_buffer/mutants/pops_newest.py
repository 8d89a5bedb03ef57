# expect: pop() returned 'third', expected 'first'
# why: uses list.pop() without an index, which removes the newest item: the buffer becomes a stack (last in, first out) instead of a queue.
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
        evicted = None
        if self.full:
            evicted = self.items[0]
            self.items = self.items[1:]
        self.items.append(item)
        return evicted

    def pop(self):
        if not self.items:
            raise IndexError("empty")
        return self.items.pop()

    def peek(self):
        if not self.items:
            raise IndexError("empty")
        return self.items[0]

    def __iter__(self):
        return iter(self.items)
