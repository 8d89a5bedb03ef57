# expect: fetch() at t=1.0
# why: counts calls in fixed windows [k * period, (k + 1) * period) that reset all at once, which lets up to twice `calls` calls start within one period.
import functools
import math
import time


def rate_limit(calls, period, *, clock=time.monotonic, sleep=time.sleep):
    if calls < 1:
        raise ValueError("calls must be at least 1")
    if period <= 0:
        raise ValueError("period must be positive")

    def decorator(func):
        state = {"window": None, "count": 0}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            now = clock()
            window = math.floor(now / period)
            if window != state["window"]:
                state["window"], state["count"] = window, 0
            if state["count"] >= calls:
                sleep((window + 1) * period - now)
                now = clock()
                state["window"], state["count"] = math.floor(now / period), 0
            state["count"] += 1
            return func(*args, **kwargs)

        return wrapper

    return decorator
