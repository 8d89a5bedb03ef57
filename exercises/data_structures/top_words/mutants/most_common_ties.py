# expect: top_words('pear fig apple fig pear apple kiwi', 4)
# why: Counter.most_common() orders words with equal counts by first appearance, not alphabetically.
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words = [w.strip("'") for w in re.findall(r"[a-z']+", text.lower())]
    return Counter(w for w in words if w).most_common(n)
