# expect: mine after p.add('c'), p.remove('a') ['b', 'c'], expected ['a', 'b']
# why: writes `self.songs = songs or []`, which gives an empty playlist its own list but keeps a non-empty caller's list itself, so the playlist changes it.
def append_to(item, target=None):
    if target is None:
        target = []
    target.append(item)
    return target


def tally(words, counts=None):
    if counts is None:
        counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


class Playlist:
    def __init__(self, songs=None):
        self.songs = songs or []

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)
