# expect: top_words('a b c a', -1)
# why: slicing ranked[:n] without checking n first: a negative n cuts from the end instead of giving [].
import re
from collections import Counter


def top_words(text, n):
    words = [w.strip("'") for w in re.findall(r"[a-z']+", text.lower())]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
