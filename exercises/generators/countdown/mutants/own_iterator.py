# expect: list(countdown) the second time returned [], expected [3, 2, 1]
# why: makes Countdown its own iterator (__iter__ returns self, __next__ counts down), so the first loop uses it up and every later loop gets nothing.
class Countdown:
    def __init__(self, start):
        if start < 0:
            raise ValueError("start must be 0 or more")
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
