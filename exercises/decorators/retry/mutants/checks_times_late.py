# expect: retry(0) returned normally, expected it to raise ValueError
# why: validates `times` only when the decorated function is called, so a bad retry(0) goes unnoticed until much later.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if times < 1:
                raise ValueError("times must be at least 1")
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
                    sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
