# expect: upper_bound([10, 20, 30, 40, 50], 10) returned 0, expected 1
# why: recurses on the right half seq[mid + 1:] but forgets to add mid + 1 to the index found there, so indices past the middle come out too small.
def _bound(seq, x, key, strict):
    if not seq:
        return 0
    mid = len(seq) // 2
    value = key(seq[mid])
    go_right = value < x if strict else not x < value
    if go_right:
        return _bound(seq[mid + 1:], x, key, strict)
    return _bound(seq[:mid], x, key, strict)


def lower_bound(seq, x, *, key=None):
    return _bound(seq, x, key or (lambda v: v), True)


def upper_bound(seq, x, *, key=None):
    return _bound(seq, x, key or (lambda v: v), False)
