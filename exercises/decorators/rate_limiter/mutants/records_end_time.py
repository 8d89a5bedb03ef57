# expect: slow() at t=1.0
# why: reads clock() after the function returns and records that, so a slow call is counted from when it ended instead of when it started.
import functools
import time
from collections import deque


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    if calls < 1:
        raise ValueError("calls must be at least 1")
    if period <= 0:
        raise ValueError("period must be positive")

    def decorator(func):
        starts = deque()

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            now = clock()
            while starts and starts[0] <= now - period:
                starts.popleft()
            if len(starts) >= calls:
                sleep(starts[0] + period - now)
            try:
                return func(*args, **kwargs)
            finally:
                starts.append(clock())

        return wrapper

    return decorator
