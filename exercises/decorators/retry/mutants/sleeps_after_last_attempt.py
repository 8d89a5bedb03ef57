# expect: download() to raise TimeoutError
# why: sleeps after every failed attempt, the last one included, so it waits for nothing before giving up.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            error = None
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as caught:
                    error = caught
                    sleep(delay * backoff ** (attempt - 1))
            raise error

        return wrapper

    return decorator
