# expect: copy[0][0] is copy (the same object in the original) False, expected True
# why: builds a tuple's copy after copying its items without looking in the memo again, so a cycle through the tuple ends up with two different copies of it.
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
    if type(obj) is set:
        new = memo[id(obj)] = set(obj)
        return new
    if type(obj) is tuple:
        new = memo[id(obj)] = tuple(deep_copy(item, memo) for item in obj)
        return new
    return obj
