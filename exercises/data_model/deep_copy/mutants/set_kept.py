# expect: copy 'the original set itself, not a copy'
# why: forgets sets, returning them as they are, so the copy and the original share one mutable set.
def deep_copy(obj, memo=None):
    if memo is None:
        memo = {}
    if id(obj) in memo:
        return memo[id(obj)]
    if type(obj) is list:
        new = memo[id(obj)] = []
        new.extend(deep_copy(item, memo) for item in obj)
        return new
    if type(obj) is dict:
        new = memo[id(obj)] = {}
        for key, value in obj.items():
            new[key] = deep_copy(value, memo)
        return new
    if type(obj) is tuple:
        items = [deep_copy(item, memo) for item in obj]
        if id(obj) in memo:
            return memo[id(obj)]
        new = memo[id(obj)] = tuple(items)
        return new
    return obj
