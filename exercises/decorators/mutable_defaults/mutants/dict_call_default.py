# expect: tally(['c']) returned {'a': 2, 'b': 1, 'c': 1}, expected {'c': 1}
# why: replaces {} with dict() in the default, but dict() is also called only once, when def runs: the default is still one dict shared by every call.
def append_to(item, target=None):
    if target is None:
        target = []
    target.append(item)
    return target


def tally(words, counts=dict()):
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

