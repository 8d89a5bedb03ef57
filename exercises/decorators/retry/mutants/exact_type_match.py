# expect: lookup() to raise KeyError
# why: compares type(error) with the listed classes instead of using isinstance (as `except` does), so subclasses such as KeyError for LookupError are not retried.
import functools
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")
    allowed = exceptions if isinstance(exceptions, tuple) else (exceptions,)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except BaseException as error:
                    if type(error) not in allowed or attempt == times:
                        raise
                    sleep(delay * backoff ** (attempt - 1))

        return wrapper

    return decorator
