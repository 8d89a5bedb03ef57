# expect: list(countdown) returned [3, 2, 1, 0], expected [3, 2, 1]
# why: stops only when the counter goes below zero, so the countdown ends with an extra 0 (an off-by-one).
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

    def __iter__(self):
        return self

    def __next__(self):
        if self.current < 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
