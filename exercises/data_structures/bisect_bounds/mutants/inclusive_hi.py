# expect: lower_bound([3, 5, 8], 9) returned 2, expected 3
# why: starts with hi = len(seq) - 1, as for "find an element", so the answer len(seq) (x above every element) can never be returned.
def lower_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    lo, hi = 0, len(seq) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if key(seq[mid]) < x:
            lo = mid + 1
        else:
            hi = mid
    return max(lo, 0)


def upper_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    lo, hi = 0, len(seq) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if x < key(seq[mid]):
            hi = mid
        else:
            lo = mid + 1
    return max(lo, 0)
