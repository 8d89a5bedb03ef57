# expect: echo() received None
# why: calls next() once in the decorator and once more "to be safe", which resumes the generator a second time with None as if that had been sent.
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
        next(generator)
        next(generator)
        return generator

    return primed
