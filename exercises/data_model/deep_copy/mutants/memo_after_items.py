# expect: copy = deep_copy(loop with loop = [1, loop]) raised RecursionError
# why: stores a list's copy in the memo only after copying its items, so a list that contains itself is never found in the memo and the recursion never ends.
def deep_copy(obj, memo=None):
    if memo is None:
        memo = {}
    if id(obj) in memo:
        return memo[id(obj)]
    if type(obj) is list:
        new = [deep_copy(item, memo) for item in obj]
    elif type(obj) is dict:
        new = {key: deep_copy(value, memo) for key, value in obj.items()}
    elif type(obj) is set:
        new = set(obj)
    elif type(obj) is tuple:
        new = tuple(deep_copy(item, memo) for item in obj)
    else:
        return obj
    memo[id(obj)] = new
    return new
