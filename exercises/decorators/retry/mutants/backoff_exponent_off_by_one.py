# expect: sleep() was called with 1.0, expected 0.5
# why: multiplies by backoff ** k instead of backoff ** (k - 1), so even the first retry waits delay * backoff instead of delay.
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
                    if attempt == times:
                        raise
                    sleep(delay * backoff ** attempt)

        return wrapper

    return decorator
