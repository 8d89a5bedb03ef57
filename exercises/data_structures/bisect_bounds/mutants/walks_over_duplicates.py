# expect: most comparisons in one search, all elements equal
# why: stops the binary search at an element equal to x and then walks left (or right) one element at a time, which is O(n) when many elements are equal.
def _find(seq, x, key):
    lo, hi = 0, len(seq) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        value = key(seq[mid])
        if value == x:
            return mid
        if value < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -lo - 1  # not found: encodes where it would go


def lower_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    i = _find(seq, x, key)
    if i < 0:
        return -i - 1
    while i > 0 and key(seq[i - 1]) == x:
        i -= 1
    return i


def upper_bound(seq, x, *, key=None):
    key = key or (lambda v: v)
    i = _find(seq, x, key)
    if i < 0:
        return -i - 1
    while i < len(seq) and key(seq[i]) == x:
        i += 1
    return i
