"""A fixed-capacity FIFO ring buffer. See README.md for the exact behaviour."""


class RingBuffer:
    """At most `capacity` items, oldest first; pushing onto a full buffer evicts the oldest."""

    def __init__(self, capacity):
        # Refuse a capacity below 1 with ValueError.
        raise NotImplementedError("RingBuffer.__init__")

    # buf.capacity and buf.full (a bool property) are still to write.

    def push(self, item):
        """Add item at the newest end; return the evicted oldest item if full, else None."""
        raise NotImplementedError("RingBuffer.push")

    def pop(self):
        """Remove and return the oldest item; IndexError when empty."""
        raise NotImplementedError("RingBuffer.pop")

    def peek(self):
        """Return the oldest item without removing it; IndexError when empty."""
        raise NotImplementedError("RingBuffer.peek")

    def __len__(self):
        raise NotImplementedError("RingBuffer.__len__")

    def __iter__(self):
        """The items from oldest to newest."""
        raise NotImplementedError("RingBuffer.__iter__")
