# expect: expected square ran with '3.0' next, but got square(3.0) to return 9
# why: accepts typed but never adds the argument types to the key, so with typed=True 3 and 3.0 still share one entry.
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
    if False:
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

    def decorator(func):
        cache = collections.OrderedDict()  # least recently used first
        hits = misses = 0

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nonlocal hits, misses
            key = _make_key(args, kwargs, typed)
            hash(key)  # an unhashable argument raises TypeError here, before func runs
            if key in cache:
                hits += 1
                cache.move_to_end(key)  # a hit is a use
                return cache[key]
            misses += 1
            result = func(*args, **kwargs)  # if it raises, nothing is stored
            if maxsize != 0:  # maxsize=0 stores nothing; None never evicts
                cache[key] = result
                cache.move_to_end(key)
                if maxsize is not None and len(cache) > maxsize:
                    cache.popitem(last=False)
            return result

        def cache_info():
            return CacheInfo(hits, misses, maxsize, len(cache))

        def cache_clear():
            nonlocal hits, misses
            cache.clear()
            hits = misses = 0

        wrapper.cache_info = cache_info
        wrapper.cache_clear = cache_clear
        return wrapper

    return decorator
