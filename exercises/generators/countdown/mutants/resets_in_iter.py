# expect: list(zip(countdown, countdown)) returned [(3, 2)], expected [(3, 3), (2, 2), (1, 1)]
# why: "fixes" reuse by resetting the counter in __iter__ and returning self, so there is only ever one position: two loops at once share it, and starting a loop rewinds the other.
class Countdown:
    def __init__(self, start):
        if start < 0:
            raise ValueError("start must be 0 or more")
        self.start = start
        self.current = start

    def __iter__(self):
        self.current = self.start
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1
