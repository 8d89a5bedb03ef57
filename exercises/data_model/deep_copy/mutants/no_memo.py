# expect: copy[1] is copy[0] (the same object in the original) False, expected True
# why: plain recursion without a memo copies a shared list once per place it appears, so the copy no longer shares it (and a cycle recurses forever).
def deep_copy(obj):
    if type(obj) is list:
        return [deep_copy(item) for item in obj]
    if type(obj) is dict:
        return {key: deep_copy(value) for key, value in obj.items()}
    if type(obj) is set:
        return set(obj)
    if type(obj) is tuple:
        return tuple(deep_copy(item) for item in obj)
    return obj
