# expect: countdown = Countdown(-1) returned normally, expected it to raise ValueError
# why: accepts a negative start, which silently counts nothing, instead of raising ValueError where the mistake is made.
class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        n = self.start
        while n > 0:
            yield n
            n -= 1
