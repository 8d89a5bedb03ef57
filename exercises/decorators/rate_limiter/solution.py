"""A sliding-window rate limiter, as a decorator factory with an injectable clock."""
import functools
import time
from collections import deque


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    """Allow at most `calls` calls per `period` seconds to each decorated function.

    A call starting at time t counts against the calls that started in (t - period, t].
    A call that would exceed the limit first sleeps until the oldest of those leaves the
    window, then starts.
    """
    if calls < 1:
        raise ValueError(f"calls must be at least 1, got {calls!r}")
    if period <= 0:
        raise ValueError(f"period must be positive, got {period!r}")

    def decorator(func):
        starts = deque()  # start times of this function's calls, oldest first

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            now = clock()
            while starts and starts[0] <= now - period:  # exactly `period` ago is out
                starts.popleft()
            if len(starts) >= calls:
                sleep(starts[0] + period - now)
                now = clock()  # the call starts when the sleep really ended
            starts.append(now)  # counted before running: a call that raises still started
            return func(*args, **kwargs)

        return wrapper

    return decorator
