"""A fixed-capacity FIFO ring buffer: a preallocated list and a moving head index."""


class RingBuffer:
    """At most `capacity` items, oldest first; pushing onto a full buffer evicts the oldest."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity!r}")
        self._capacity = capacity
        self._slots = [None] * capacity  # allocated once: no list ever grows or shifts
        self._head = 0  # index of the oldest item
        self._size = 0

    @property
    def capacity(self):
        return self._capacity

    @property
    def full(self):
        return self._size == self._capacity

    def __len__(self):
        return self._size

    def push(self, item):
        """Add item at the newest end; return the evicted oldest item if full, else None."""
        if self._size == self._capacity:
            # Full: the newest slot is the oldest one. Overwrite it and move the head on.
            evicted = self._slots[self._head]
            self._slots[self._head] = item
            self._head = (self._head + 1) % self._capacity
            return evicted
        self._slots[(self._head + self._size) % self._capacity] = item
        self._size += 1
        return None

    def pop(self):
        """Remove and return the oldest item; IndexError when empty."""
        if self._size == 0:
            raise IndexError("pop from an empty RingBuffer")
        item = self._slots[self._head]
        self._slots[self._head] = None  # drop the reference: the buffer must not keep it alive
        self._head = (self._head + 1) % self._capacity
        self._size -= 1
        return item

    def peek(self):
        """Return the oldest item without removing it; IndexError when empty."""
        if self._size == 0:
            raise IndexError("peek into an empty RingBuffer")
        return self._slots[self._head]

    def __iter__(self):
        """The items from oldest to newest."""
        for offset in range(self._size):
            yield self._slots[(self._head + offset) % self._capacity]
