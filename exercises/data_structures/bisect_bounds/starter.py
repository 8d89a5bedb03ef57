"""lower_bound and upper_bound, like bisect_left and bisect_right. See README.md."""


def lower_bound(seq, x, *, key=None):
    """The index where x would be inserted in sorted seq, before any equal elements."""
    raise NotImplementedError("lower_bound")


def upper_bound(seq, x, *, key=None):
    """The index where x would be inserted in sorted seq, after any equal elements."""
    raise NotImplementedError("upper_bound")
