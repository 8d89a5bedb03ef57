"""A running average driven by send(): see README.md for what to implement."""
import functools


def running_average():
    """A coroutine: send it numbers, it yields the average of all of them so far."""
    raise NotImplementedError("write running_average()")
    yield  # makes this function a generator function


def coroutine(func):
    """Decorator: calling the decorated generator function also primes the generator."""
    raise NotImplementedError("write coroutine()")
