# expect: lst after append_to(1, lst) [], expected [1]
# why: writes `target = target or []`, which also replaces an empty list the caller passed in (an empty list is falsy), so the caller's list stays empty.
def append_to(item, target=None):
    target = target or []
    target.append(item)
    return target


def tally(words, counts=None):
    counts = counts or {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


class Playlist:
    def __init__(self, songs=None):
        self.songs = [] if songs is None else list(songs)

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)

