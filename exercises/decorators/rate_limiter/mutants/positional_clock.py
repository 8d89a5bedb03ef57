# expect: rate_limit(2, 1.0, clock, sleep)
# why: leaves out the `*`, so clock and sleep can be passed positionally and a misplaced argument is silently taken as the clock.
import functools
import time
from collections import deque


def rate_limit(calls, period, clock=time.monotonic, sleep=time.sleep):
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
                now = clock()
            starts.append(now)
            return func(*args, **kwargs)

        return wrapper

    return decorator
