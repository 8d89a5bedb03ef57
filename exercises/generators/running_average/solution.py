"""Reference solution of the running_average exercise."""
import functools


def running_average():
    """A coroutine: send it numbers, it yields the average of all of them so far.

    Prime it with next() first (that yields None). Sending None (next() does) adds
    nothing and yields the current average.
    """
    total = 0
    count = 0
    average = None
    while True:
        # One yield per step: it hands out the latest average, then pauses until the next
        # send(), whose argument becomes the value of the yield expression.
        value = yield average
        if value is None:
            continue
        total += value
        count += 1
        average = total / count  # true division: always a float


def coroutine(func):
    """Decorator: calling the decorated generator function also primes the generator."""

    @functools.wraps(func)  # keeps __name__ and __doc__, and sets __wrapped__
    def primed(*args, **kwargs):
        generator = func(*args, **kwargs)
        next(generator)  # run the body up to its first yield: now send() can be called
        return generator  # the generator, not what next() returned

    return primed
