# expect: avg.send(1) raised TypeError
# why: the decorator only wraps the generator function and forgets to call next(), so the first send() of a value fails: a just-started generator can only be sent None.
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
        return func(*args, **kwargs)

    return primed
