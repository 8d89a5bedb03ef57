# expect: iter(it) is it raised TypeError
# why: gives the iterator class __next__ but no __iter__, so the iterator is not iterable itself: iter(it) fails, and so does a for loop over a half-used iterator.
class Countdown:
    def __init__(self, start):
        if start < 0:
            raise ValueError("start must be 0 or more")
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)


class CountdownIterator:
    def __init__(self, start):
        self.current = start

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
