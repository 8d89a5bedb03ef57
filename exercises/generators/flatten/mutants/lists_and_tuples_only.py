# expect: list(flatten([(1, 2), {3}, range(4, 6), frozenset({6})])) returned [1, 2, {3},
# why: only goes inside lists and tuples, so sets, ranges, generators, dicts and other iterables come out whole as if they were leaves.
def flatten(iterable):
    stack = [iter([iterable])]
    while stack:
        for item in stack[-1]:
            if isinstance(item, (list, tuple)):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
