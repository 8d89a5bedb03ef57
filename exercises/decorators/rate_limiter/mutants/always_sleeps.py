# expect: tick() at t=0.0
# why: always calls sleep(max(0, wait)), so it sleeps for 0 seconds when the window has room instead of not calling sleep at all.
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
            wait = 0.0
            if len(starts) >= calls:
                wait = starts[0] + period - now
            sleep(max(0.0, wait))
            now = clock()
            starts.append(now)
            return func(*args, **kwargs)

        return wrapper

    return decorator
