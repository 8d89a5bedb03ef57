# expect: does deep_copy use copy.deepcopy? 'yes
# why: hands the work to copy.deepcopy, which the exercise forbids (and which also copies instances and subclasses that must be shared).
from copy import deepcopy


def deep_copy(obj):
    if type(obj) in (list, dict, set, tuple):
        return deepcopy(obj, {id(v): v for v in _others(obj, set())})
    return obj


def _others(obj, seen):
    """The objects deepcopy must leave alone: everything but exact containers."""
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if type(obj) in (list, tuple, set):
        return [x for item in obj for x in _others(item, seen)]
    if type(obj) is dict:
        return [x for item in obj.values() for x in _others(item, seen)]
    return [obj]
