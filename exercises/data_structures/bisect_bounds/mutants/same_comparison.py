# expect: upper_bound([10, 20, 30, 40, 50], 10) returned 0, expected 1
# why: copies lower_bound into upper_bound with the same `seq[mid] < x` test, so it stops before the elements equal to x instead of after them.
def lower_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(seq[mid]) < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(seq[mid]) < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
