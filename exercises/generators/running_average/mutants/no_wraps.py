# expect: echo.__name__ returned 'primed', expected 'echo'
# why: returns the inner wrapper without functools.wraps, so the decorated generator function is called 'primed' and loses its docstring.
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
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        next(generator)
        return generator

    return primed
