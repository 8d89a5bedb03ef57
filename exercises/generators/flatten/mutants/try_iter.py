# expect: list(flatten([1, only-__getitem__ object, [only-__getitem__ object]])) returned [1, 'x', 'y', 'x', 'y']
# why: decides "iterable" by trying iter(item), which also accepts an object that has only __getitem__ (the old sequence protocol), so that object is split into its items instead of being a leaf.
def _is_nested(item):
    if isinstance(item, (str, bytes)):
        return False
    try:
        iter(item)
    except TypeError:
        return False
    return True


def flatten(iterable):
    stack = [iter([iterable])]
    while stack:
        for item in stack[-1]:
            if _is_nested(item):
                stack.append(iter(item))
                break
            yield item
        else:
            stack.pop()
