# expect: next(second) returned 1, expected 3
# why: keeps the position on the Countdown and hands it to every iterator, so the iterators are new objects but they all advance the same counter.
class Countdown:
    def __init__(self, start):
        if start < 0:
            raise ValueError("start must be 0 or more")
        self.start = start
        self.current = start

    def __iter__(self):
        if self.current <= 0:
            self.current = self.start  # start again once a loop has finished
        return CountdownIterator(self)


class CountdownIterator:
    def __init__(self, countdown):
        self.countdown = countdown

    def __iter__(self):
        return self

    def __next__(self):
        if self.countdown.current <= 0:
            raise StopIteration
        self.countdown.current -= 1
        return self.countdown.current + 1
