# expect: list(flatten([{'a': 1, 'b': [2, 3]}, 4])) returned ['a', 1, 'b', 2, 3, 4], expected ['a', 'b', 4]
# why: goes through a dict's items() to "keep everything", but iterating a dict gives its keys only, and the values are not leaves of it.
from collections.abc import Iterable


def flatten(iterable):
    stack = [iter([iterable])]
    while stack:
        for item in stack[-1]:
            if isinstance(item, dict):
                stack.append(iter(item.items()))
                break
            if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
