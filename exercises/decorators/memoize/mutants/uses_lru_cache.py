# expect: functools.lru_cache or functools.cache called by memoize.py ['lru_cache'], expected []
# why: hands the work to functools.lru_cache, which the exercise is about writing by hand; besides, lru_cache keys f(2) and f(2.0) apart, and f(a=1, b=2) apart from f(b=2, a=1), which this exercise forbids.
import functools
from functools import lru_cache


def memoize(maxsize=128, typed=False):
    if callable(maxsize):
        return memoize()(maxsize)

    def decorator(func):
        cached = lru_cache(maxsize=maxsize, typed=typed)(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return cached(*args, **kwargs)

        wrapper.cache_info = cached.cache_info
        wrapper.cache_clear = cached.cache_clear
        return wrapper

    return decorator
