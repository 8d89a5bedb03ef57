# expect: does the module import or use bisect? 'yes: line 3: from bisect import
# why: hands the work to the bisect module, which the exercise forbids (and Python 3.9's bisect has no key= anyway).
from bisect import bisect_left, bisect_right


def lower_bound(seq, x, *, key=None):
    return bisect_left(seq if key is None else [key(v) for v in seq], x)


def upper_bound(seq, x, *, key=None):
    return bisect_right(seq if key is None else [key(v) for v in seq], x)
