"""Deep copy of nested lists, dicts, sets and tuples, keeping shared references shared and
cycles intact, without the copy module."""


def deep_copy(obj):
    """A copy of obj in which every list, dict, set and tuple is copied too."""
    # memo maps id(original) -> its copy. It serves two purposes at once: an object met
    # again (shared) gets the same copy, and an object met while it is still being copied
    # (a cycle) gets its unfinished copy instead of an endless recursion. The originals
    # stay alive during the copy, so their ids cannot be reused meanwhile.
    return _copy(obj, {})


def _copy(obj, memo):
    kind = type(obj)  # exact types: subclasses may hold state we would not rebuild
    if kind is not list and kind is not dict and kind is not set and kind is not tuple:
        return obj  # numbers, strings, frozensets, functions, other objects: shared
    key = id(obj)
    if key in memo:
        return memo[key]
    if kind is list:
        new = []
        memo[key] = new  # register before the items: a cycle back to obj finds it
        for item in obj:
            new.append(_copy(item, memo))
        return new
    if kind is dict:
        new = {}
        memo[key] = new
        for k, value in obj.items():  # keys are hashable, hence not copied
            new[k] = _copy(value, memo)
        return new
    if kind is set:
        new = set(obj)  # elements are hashable: shared, like keys
        memo[key] = new
        return new
    # A tuple cannot be created before its items, so it cannot be registered first. Copy
    # the items; if one of them led back here (a cycle through a list or dict inside),
    # that inner visit has already made and registered this tuple's copy: use it.
    items = [_copy(item, memo) for item in obj]
    if key in memo:
        return memo[key]
    if all(new_item is item for new_item, item in zip(items, obj)):
        new = obj  # nothing inside needed copying: the tuple itself can be shared
    else:
        new = tuple(items)
    memo[key] = new
    return new
