# expect: write() at t=0.0
# why: creates the list of start times in rate_limit() instead of in the decorator, so every function decorated by the same decorator shares one window.
import functools
import time
from collections import deque


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    if calls < 1:
        raise ValueError("calls must be at least 1")
    if period <= 0:
        raise ValueError("period must be positive")
    starts = deque()

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            now = clock()
            while starts and starts[0] <= now - period:
                starts.popleft()
            if len(starts) >= calls:
                sleep(starts[0] + period - now)
                now = clock()
            starts.append(now)
            return func(*args, **kwargs)

        return wrapper

    return decorator
