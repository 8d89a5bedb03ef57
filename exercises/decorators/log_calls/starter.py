"""A logging decorator with an injected logger: see README.md for the exact behaviour."""
import functools


def log_calls(logger=print):
    """Return a decorator that reports every call, and its outcome, to `logger`."""
    raise NotImplementedError("write log_calls()")
