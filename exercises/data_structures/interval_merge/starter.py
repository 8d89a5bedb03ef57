"""Merge intervals, and insert one into a merged list. See README.md."""


def merge(intervals):
    """Merge overlapping or touching closed intervals; a new sorted list of tuples."""
    raise NotImplementedError("merge")


def insert(merged, interval):
    """Insert interval into merged (as merge() returns it); a new merged list."""
    raise NotImplementedError("insert")
