# expect: avg.send(20) returned None, expected 15.0
# why: uses one yield to receive a value and another to answer, so every other send() lands on the answering yield: its value is thrown away and None comes back.
import functools


def running_average():
    total = 0
    count = 0
    while True:
        value = yield
        total += value
        count += 1
        yield total / count


def coroutine(func):
    @functools.wraps(func)
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        next(generator)
        return generator

    return primed

