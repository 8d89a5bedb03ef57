# expect: avg.send(20) returned 20.0, expected 15.0
# why: sets total and count to 0 inside the loop, so each step forgets the values before it and "the average" is just the last value.
import functools


def running_average():
    average = None
    while True:
        total = 0
        count = 0
        value = yield average
        if value is None:
            continue
        total += value
        count += 1
        average = total / count


def coroutine(func):
    @functools.wraps(func)
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        next(generator)
        return generator

    return primed

