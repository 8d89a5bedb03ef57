# expect: next(avg) raised TypeError
# why: adds whatever was sent, so next(avg) (which sends None) fails with a TypeError instead of yielding the current average.
import functools


def running_average():
    total = 0
    count = 0
    average = None
    while True:
        value = yield average
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

