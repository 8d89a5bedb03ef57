"""Reference solution of the mutable_defaults exercise.

A default value is evaluated once, when the `def` statement runs, and the same object is
used by every call that omits the argument. A mutable default (a list, a dict) that the
function changes therefore carries its changes from one call to the next. The fix: a
default of None, and a new object made inside the function, on every call.
"""


def append_to(item, target=None):
    """Append item to target and return target; without target, to a new list."""
    if target is None:  # not `target = target or []`: an empty list passed in is a target
        target = []
    target.append(item)
    return target


def tally(words, counts=None):
    """Count the words into counts and return counts; without counts, into a new dict."""
    if counts is None:
        counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


class Playlist:
    """A list of songs, which starts with a copy of `songs` (empty without it)."""

    def __init__(self, songs=None):
        # A copy in both cases: the playlist owns its list, so add() and remove() never
        # change the caller's list (nor a shared default), and the caller's later changes
        # never reach the playlist.
        self.songs = [] if songs is None else list(songs)

    def add(self, song):
        self.songs.append(song)

    def remove(self, song):
        self.songs.remove(song)
