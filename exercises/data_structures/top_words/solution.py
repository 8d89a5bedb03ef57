"""The n most common words of a text, ties in alphabetical order."""
import re
from collections import Counter

# A run of ASCII letters and apostrophes. The text is lower-cased *before* matching, so
# only a-z is needed (and no re.IGNORECASE, which would also match non-ASCII letters
# such as the Kelvin sign or the long s).
_RUN = re.compile(r"[a-z']+")


def words(text):
    """The words of text, in order: lower-case, find the runs, strip apostrophes at the ends."""
    for run in _RUN.findall(text.lower()):
        word = run.strip("'")
        if word:  # a run of apostrophes only leaves nothing
            yield word


def top_words(text, n):
    """Return the n most common words of text as (word, count) tuples, most common first."""
    if n <= 0:
        return []  # a slice [:n] with n < 0 would cut from the end instead
    counts = Counter(words(text))
    # Counter.most_common() keeps ties in first-seen order; the rule is alphabetical, so
    # sort by (descending count, word) ourselves.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]
