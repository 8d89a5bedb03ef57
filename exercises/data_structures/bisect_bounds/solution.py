"""lower_bound and upper_bound: bisect_left and bisect_right, written by hand."""


def _identity(value):
    return value


def lower_bound(seq, x, *, key=None):
    """The first index i such that every element before i is < x (bisect_left)."""
    key = _identity if key is None else key
    lo, hi = 0, len(seq)  # the answer is always in [lo, hi]; it may be len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(seq[mid]) < x:
            lo = mid + 1  # seq[mid] is too small: the answer is right of mid
        else:
            hi = mid  # seq[mid] >= x: mid itself may be the answer
    return lo


def upper_bound(seq, x, *, key=None):
    """The first index i such that every element from i on is > x (bisect_right)."""
    key = _identity if key is None else key
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < key(seq[mid]):
            hi = mid  # seq[mid] > x: mid itself may be the answer
        else:
            lo = mid + 1  # seq[mid] <= x: the answer is right of mid
    return lo
