# expect: decorating connect raised TypeError
# why: converts `exceptions` with tuple(), which fails for a single exception class although `except` accepts one.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        catch = tuple(exceptions)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except catch:
                    if attempt == times:
                        raise
                    sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
