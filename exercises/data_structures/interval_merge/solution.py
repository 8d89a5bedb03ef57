"""Merging closed intervals, and inserting one into a merged list in O(log n + k)."""


def _checked(interval):
    """The interval as a (start, end) tuple; ValueError when start > end."""
    start, end = interval
    if start > end:
        raise ValueError(f"an interval must have start <= end, got {interval!r}")
    return start, end


def merge(intervals):
    """Merge overlapping or touching closed intervals; a new sorted list of tuples."""
    # sorted() builds a new list: the caller's list is left as it was.
    ordered = sorted((_checked(interval) for interval in intervals), key=lambda iv: iv[0])
    merged = []
    for start, end in ordered:
        if merged and start <= merged[-1][1]:  # overlaps or touches the last one
            last_start, last_end = merged[-1]
            if end > last_end:  # a nested interval must not shrink the merged one
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


def _first_end_at_least(merged, value):
    """The first index whose interval ends at or after value (a binary search)."""
    lo, hi = 0, len(merged)
    while lo < hi:
        mid = (lo + hi) // 2
        if merged[mid][1] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def insert(merged, interval):
    """Insert interval into merged (as merge() returns it); a new merged list.

    A binary search finds the first interval that could touch the new one; from there
    only the k intervals it overlaps are looked at: O(log n + k) comparisons."""
    start, end = _checked(interval)
    first = _first_end_at_least(merged, start)  # every interval before ends before start
    last = first
    while last < len(merged) and merged[last][0] <= end:  # overlaps or touches
        last += 1
    if first < last:  # merge with merged[first:last]
        start = min(start, merged[first][0])
        end = max(end, merged[last - 1][1])
    # Slicing copies references in C: no interval is compared.
    return merged[:first] + [(start, end)] + merged[last:]
