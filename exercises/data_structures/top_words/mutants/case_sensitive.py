# expect: top_words('The the THE tHe cat', 2)
# why: forgets to lower-case the text, so The, the and THE are counted as different words (or missed).
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words = [w.strip("'") for w in re.findall(r"[A-Za-z']+", text)]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
