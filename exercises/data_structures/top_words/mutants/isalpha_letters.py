# expect: top_words('café naïve café', 5)
# why: str.isalpha() is true for every Unicode letter, so accented letters such as é are kept inside words instead of ending them.
from collections import Counter


def top_words(text, n):
    if n <= 0:
        return []
    words, run = [], []
    for ch in text.lower() + " ":
        if ch.isalpha() or ch == "'":
            run.append(ch)
        elif run:
            words.append("".join(run).strip("'"))
            run = []
    counts = Counter(w for w in words if w)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
