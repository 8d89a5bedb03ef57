# expect: list(flatten([b'xy', [b'z']])) returned [120, 121, 122], expected [b'xy', b'z']
# why: treats only str as a leaf, so bytes, being iterable, are split into their integer byte values.
from collections.abc import Iterable


def flatten(iterable):
    stack = [iter([iterable])]
    while stack:
        for item in stack[-1]:
            if isinstance(item, Iterable) and not isinstance(item, str):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
