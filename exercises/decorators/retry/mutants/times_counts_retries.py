# expect: ping() to raise OSError
# why: treats `times` as the number of retries after the first attempt, so it makes times + 1 attempts and sleeps once too often.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for retry_number in range(times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if retry_number == times:
                        raise
                    sleep(delay * backoff ** retry_number)

        return wrapper

    return decorator
