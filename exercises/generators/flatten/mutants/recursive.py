# expect: list(flatten([[[...[1]...]]])) with 10,000 levels raised RecursionError
# why: recurses with `yield from flatten(item)`, so every level of nesting is a Python frame and 10,000 levels exceed the recursion limit.
from collections.abc import Iterable


def flatten(iterable):
    if isinstance(iterable, (str, bytes)) or not isinstance(iterable, Iterable):
        yield iterable
        return
    for item in iterable:
        yield from flatten(item)
