# expect: first 5 leaves of flatten([0, infinite(1), 99]) raised PulledTooMuch
# why: the usual iterative flatten pushes reversed(list(item)) on a stack of items, which reads every nested iterable whole before yielding anything from it: it never returns on an infinite generator.
from collections.abc import Iterable


def flatten(iterable):
    stack = [iterable]
    while stack:
        item = stack.pop()
        if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
            stack.extend(reversed(list(item)))
        else:
            yield item
