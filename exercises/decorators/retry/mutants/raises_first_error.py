# expect: download() re-raised the exception object of its last attempt False, expected True
# why: keeps the first exception and re-raises it at the end, so the error reported is a stale one, not the one of the last attempt.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            first_error = None
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as error:
                    if first_error is None:
                        first_error = error
                    if attempt == times:
                        raise first_error
                    sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
