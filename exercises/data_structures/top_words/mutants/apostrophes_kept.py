# expect: top_words("'quoted' quoted", 5)
# why: forgets to strip the apostrophes at the ends of a run, so 'quoted' (in quotes) and quoted are two different words.
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    counts = Counter(re.findall(r"[a-z']*[a-z][a-z']*", text.lower()))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
