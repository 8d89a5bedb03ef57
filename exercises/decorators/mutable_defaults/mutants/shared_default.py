# expect: append_to(2) returned [1, 2], expected [2]
# why: the original bug: the default list is created once, when def runs, so every call without target appends to the same list and sees what earlier calls left in it.
"""Shared mutable defaults: this code has the bug. Fix it without changing the API (see
README.md): the same names, parameters and defaults-when-omitted behaviour."""


def append_to(item, target=[]):
    """Append item to target and return target; without target, to a new list."""
    target.append(item)
    return target


def tally(words, counts={}):
    """Count the words into counts and return counts; without counts, into a new dict."""
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


class Playlist:
    """A list of songs, which starts with a copy of `songs` (empty without it)."""

    def __init__(self, songs=[]):
        self.songs = songs

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)
