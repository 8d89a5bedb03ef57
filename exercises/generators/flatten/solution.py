"""Reference solution of the flatten exercise."""
from collections.abc import Iterable


def _is_nested(item):
    """Whether flatten goes inside `item`: any iterable except str and bytes.

    isinstance(item, Iterable) looks for __iter__ on the type, so an object that has only
    __getitem__ is a leaf, although iter() would accept it (the old sequence protocol).
    """
    return isinstance(item, Iterable) and not isinstance(item, (str, bytes))


def flatten(iterable):
    """Return an iterator over the leaves of nested iterables, depth first, left to right."""
    # A stack of iterators instead of recursion: the depth of the nesting is limited by
    # memory, not by the recursion limit. Starting with an iterator over [iterable] makes a
    # leaf given at the top come out as that one leaf, with no special case.
    stack = [iter([iterable])]
    while stack:
        for item in stack[-1]:
            if _is_nested(item):
                stack.append(iter(item))  # go down; resume this level afterwards
                break
            yield item
        else:
            stack.pop()  # this level is exhausted: back up to its parent
