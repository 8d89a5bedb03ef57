# expect: send() to raise ValueError
# why: counts attempts in the decorator's closure, so the budget is used up across calls instead of starting afresh on each call.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        attempts = 0

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nonlocal attempts
            while True:
                attempts += 1
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempts >= times:
                        raise
                    sleep(delay * backoff ** (attempts - 1))

        return wrapper

    return decorator
