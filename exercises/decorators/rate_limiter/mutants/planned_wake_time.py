# expect: job() at t=1.125
# why: records the planned wake-up time (now + wait) as the start instead of reading clock() again, which is wrong whenever sleep() ends late.
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
                wait = starts[0] + period - now
                sleep(wait)
                now += wait
            starts.append(now)
            return func(*args, **kwargs)

        return wrapper

    return decorator
