# expect: greet.__name__ returned 'wrapper'
# why: returns the inner wrapper without functools.wraps, so the decorated function is called `wrapper` and loses its docstring.
import time


def retry(times=3, exceptions=(Exception,), *, delay=0.0, backoff=2.0, sleep=time.sleep):
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
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
