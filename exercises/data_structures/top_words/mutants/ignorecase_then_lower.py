# expect: top_words('dıd did', 5)
# why: matches with re.IGNORECASE and lower-cases afterwards, but in Unicode mode [a-z] ignoring case also matches the Kelvin sign, the long s and the dotless ı, and the dotless ı is no ASCII letter once lower-cased.
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words = [w.lower().strip("'") for w in re.findall(r"[a-z']+", text, re.IGNORECASE)]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
