# expect: download() returned None, expected it to raise TimeoutError
# why: lets the loop run out after the last failed attempt, so the decorated function returns None instead of re-raising.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt < times:
                        sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
