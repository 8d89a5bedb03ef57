"""Memoize decorator: see README.md for the exact behaviour to implement.

Do not use functools.lru_cache or functools.cache (functools.wraps is fine).
"""
import collections
import functools


def memoize(maxsize=128, typed=False):
    """Return a decorator that caches results; `@memoize` alone uses the defaults."""
    raise NotImplementedError("write memoize()")
