# expect: avg.send(1) raised AttributeError
# why: the priming wrapper returns next(generator), the None the first yield produced, instead of the generator itself.
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
        average = total / count


def coroutine(func):
    @functools.wraps(func)
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        return next(generator)

    return primed
