# expect: rate_limit(0, 1.0, clock=clock, sleep=sleep)
# why: checks calls and period only when the decorator is applied, so rate_limit(0, 1.0) itself does not raise ValueError.
import functools
import time
from collections import deque


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    def decorator(func):
        if calls < 1 or period <= 0:
            raise ValueError("need calls >= 1 and period > 0")
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
