# expect: list(it) the second time returned [2, 1], expected []
# why: rewinds the iterator to the start when it runs out, "to make it reusable", but an iterator is one-shot: an exhausted one must keep raising StopIteration, and only the Countdown starts again.
class Countdown:
    def __init__(self, start):
        if start < 0:
            raise ValueError("start must be 0 or more")
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)


class CountdownIterator:
    def __init__(self, start):
        self.start = start
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            self.current = self.start
            raise StopIteration
        self.current -= 1
        return self.current + 1
