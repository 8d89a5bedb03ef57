"""Retry decorator: see README.md for the exact behaviour to implement."""
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    """Return a decorator that retries the decorated function when it raises."""
    raise NotImplementedError("write retry()")
