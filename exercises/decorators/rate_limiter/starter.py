"""A rate limiter decorator. See README.md for the exact behaviour."""
import time


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    """Allow at most `calls` calls per `period` seconds to each decorated function.

    Refuse `calls < 1` or `period <= 0` with ValueError.
    """

    def decorator(func):
        def wrapper(*args, **kwargs):
            # TODO: count this call in a sliding window; sleep first if it is full.
            return func(*args, **kwargs)

        return wrapper

    return decorator
