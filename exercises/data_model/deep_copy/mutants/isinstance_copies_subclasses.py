# expect: copy[1] 'a different object: it must be shared, not copied'
# why: tests types with isinstance, so an OrderedDict, a defaultdict or a named tuple is rebuilt as a plain dict or tuple, losing its class and its extra state.
def deep_copy(obj, memo=None):
    if memo is None:
        memo = {}
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, list):
        new = memo[id(obj)] = []
        new.extend(deep_copy(item, memo) for item in obj)
        return new
    if isinstance(obj, dict):
        new = memo[id(obj)] = {}
        for key, value in obj.items():
            new[key] = deep_copy(value, memo)
        return new
    if isinstance(obj, set):
        new = memo[id(obj)] = set(obj)
        return new
    if isinstance(obj, tuple):
        items = [deep_copy(item, memo) for item in obj]
        if id(obj) in memo:
            return memo[id(obj)]
        new = memo[id(obj)] = tuple(items)
        return new
    return obj
