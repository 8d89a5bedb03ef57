# expect: list(flatten('ab')) returned ['a', 'b'], expected ['ab']
# why: starts by looping over its argument without checking it, so a leaf given at the top is split ('ab' into 'a', 'b') or raises TypeError (5 is not iterable).
from collections.abc import Iterable


def flatten(iterable):
    stack = [iter(iterable)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
