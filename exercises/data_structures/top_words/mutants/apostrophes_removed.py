# expect: top_words("don't dont don't", 5)
# why: removes every apostrophe instead of only those at the ends, so don't and dont are counted as one word.
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words = [w.replace("'", "") for w in re.findall(r"[a-z']+", text.lower())]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
