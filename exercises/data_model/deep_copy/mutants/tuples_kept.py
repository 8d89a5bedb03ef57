# expect: copy 'the original tuple itself, not a copy'
# why: treats every tuple as immutable and returns it as it is, but a tuple holding a list still shares that list with the original.
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
    return obj
