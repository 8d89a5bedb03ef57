# expect: lower_bound(['a', 'to', 'the', 'this', 'there', 'other'], 3, key=len) raised TypeError
# why: applies key to x as well as to the elements (as sorted() would), but bisect applies it to the elements only: x is already a key.
def lower_bound(seq, x, *, key=None):
    if key is not None:
        x = key(x)
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
    if key is not None:
        x = key(x)
    key = key or (lambda v: v)
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < key(seq[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo
