# expect: second.songs returned ['intro', 'outro'], expected []
# why: moves the default list to a class attribute, which is the same mistake in another place: every playlist made without songs appends to the one list on the class.
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
    songs = []

    def __init__(self, songs=None):
        if songs is not None:
            self.songs = list(songs)

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)
