# expect: expected cube ran with '2' next, but got cube(2) to return 4
# why: creates the cache in memoize() instead of in the decorator, so every function decorated by one memoize(...) shares it and cube(2) returns square(2)'s result.
import collections
import functools

CacheInfo = collections.namedtuple("CacheInfo", ["hits", "misses", "maxsize", "currsize"])

# Stands between the positional and the keyword arguments in a key, so that f(("b", 2))
# and f(b=2) never build the same key.
_KEYWORDS = object()


def _make_key(args, kwargs, typed):
    """A hashable key: equal arguments give equal keys, keyword order does not matter."""
    key = args
    if kwargs:
        items = tuple(sorted(kwargs.items()))  # the names are unique strings: no ties
        key += (_KEYWORDS,) + items
    if typed:
        # 3 == 3.0 and hash(3) == hash(3.0): adding the types keeps them apart.
        key += tuple(type(value) for value in args)
        if kwargs:
            key += tuple(type(value) for _, value in items)
    return key


def memoize(maxsize=128, typed=False):
    """Return a decorator that caches results; `@memoize` alone uses the defaults."""
    if callable(maxsize):
        # Bare @memoize: the "maxsize" we got is the function to decorate.
        return memoize()(maxsize)

    cache = collections.OrderedDict()
    stats = [0, 0]

    def decorator(func):

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = _make_key(args, kwargs, typed)
            hash(key)  # an unhashable argument raises TypeError here, before func runs
            if key in cache:
                stats[0] += 1
                cache.move_to_end(key)  # a hit is a use
                return cache[key]
            stats[1] += 1
            result = func(*args, **kwargs)  # if it raises, nothing is stored
            if maxsize != 0:  # maxsize=0 stores nothing; None never evicts
                cache[key] = result
                cache.move_to_end(key)
                if maxsize is not None and len(cache) > maxsize:
                    cache.popitem(last=False)
            return result

        def cache_info():
            return CacheInfo(stats[0], stats[1], maxsize, len(cache))

        def cache_clear():
            cache.clear()
            stats[:] = [0, 0]

        wrapper.cache_info = cache_info
        wrapper.cache_clear = cache_clear
        return wrapper

    return decorator
