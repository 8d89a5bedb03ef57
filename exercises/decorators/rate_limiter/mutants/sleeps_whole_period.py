# expect: fetch() at t=0.5: sleep() was called with
# why: sleeps a whole `period` whenever the window is full instead of only until the oldest start leaves it.
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
                sleep(period)
                now = clock()
            starts.append(now)
            return func(*args, **kwargs)

        return wrapper

    return decorator
