# expect: most comparisons in one search, on distinct elements (n = 1,000)
# why: scans from the start for the first element >= x (or > x): right answers, but O(n) comparisons instead of O(log n).
def lower_bound(seq, x, *, key=None):
    for i in range(len(seq)):
        value = seq[i] if key is None else key(seq[i])
        if not value < x:
            return i
    return len(seq)


def upper_bound(seq, x, *, key=None):
    for i in range(len(seq)):
        value = seq[i] if key is None else key(seq[i])
        if x < value:
            return i
    return len(seq)
