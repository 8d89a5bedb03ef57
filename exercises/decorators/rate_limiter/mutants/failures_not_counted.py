# expect: flaky() at t=0.5
# why: records the start only after the function returns successfully, so calls that raise are not counted and a failing client can exceed the limit.
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
                now = clock()
            result = func(*args, **kwargs)
            starts.append(now)
            return result

        return wrapper

    return decorator
