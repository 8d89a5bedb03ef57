# expect: result is lst returned False, expected True
# why: copies the list it is given (`target = list(target)`), which avoids the shared default but no longer appends to the caller's list, as the API promises.
def append_to(item, target=None):
    target = [] if target is None else list(target)
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
        self.songs = [] if songs is None else list(songs)

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)

