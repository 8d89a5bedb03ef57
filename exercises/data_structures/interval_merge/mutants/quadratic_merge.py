# expect: comparisons made by merge of 2,000 intervals returned
# why: merges by comparing every interval with every interval kept so far (no sorting first): right answers, but O(n²) comparisons.
def _checked(interval):
    start, end = interval
    if start > end:
        raise ValueError("start > end")
    return start, end


def merge(intervals):
    kept = []
    for start, end in map(_checked, intervals):
        others = []
        for s, e in kept:
            if s <= end and start <= e:  # overlaps or touches: absorb it
                start, end = min(start, s), max(end, e)
            else:
                others.append((s, e))
        others.append((start, end))
        kept = others
    return sorted(kept)


def insert(merged, interval):
    start, end = _checked(interval)
    lo, hi = 0, len(merged)
    while lo < hi:
        mid = (lo + hi) // 2
        if merged[mid][1] < start:
            lo = mid + 1
        else:
            hi = mid
    last = lo
    while last < len(merged) and merged[last][0] <= end:
        last += 1
    if lo < last:
        start, end = min(start, merged[lo][0]), max(end, merged[last - 1][1])
    return merged[:lo] + [(start, end)] + merged[last:]
