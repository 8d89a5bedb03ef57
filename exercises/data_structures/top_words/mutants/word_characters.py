# expect: top_words('abc123def abc', 5)
# why: \w matches digits, underscores and non-ASCII letters too, so 'abc123def' and 'snake_case' stay one word.
import re
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words = [w.strip("'") for w in re.findall(r"[\w']+", text.lower())]
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
