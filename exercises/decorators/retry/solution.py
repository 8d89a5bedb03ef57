"""Reference solution of the retry exercise."""
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    """Return a decorator that calls the function up to `times` attempts in all.

    An attempt that raises one of `exceptions` is retried, after
    `sleep(delay * backoff ** (k - 1))` following attempt k; when no attempt remains, that
    same exception propagates. Any other exception propagates at once.
    """
    if times < 1:
        raise ValueError(f"times must be at least 1, got {times!r}")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
                    sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
