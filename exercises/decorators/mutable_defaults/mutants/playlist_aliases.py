# expect: mine after p.add('c'), p.remove('a') ['b', 'c'], expected ['a', 'b']
# why: fixes the shared default but still stores the caller's list itself, so adding to or removing from the playlist changes the list the caller passed in.
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
        self.songs = [] if songs is None else songs

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)
