# expect: avg.send(10) returned 10, expected 10.0
# why: divides with //, which floors the average and gives an int: 10 instead of 10.0, and 15 for the average of 10 and 21 instead of 15.5.
import functools


def running_average():
    total = 0
    count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            continue
        total += value
        count += 1
        average = total // count


def coroutine(func):
    @functools.wraps(func)
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        next(generator)
        return generator

    return primed

