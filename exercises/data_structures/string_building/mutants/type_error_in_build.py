# expect: append(42) is sb returned True, expected it to raise TypeError
# why: relies on str.join to reject non-str pieces, so the TypeError comes only in build(), far from the append that caused it, and the builder is broken from then on.
class StringBuilder:
    """Builds a str from many pieces in time linear in the total length."""

    def __init__(self):
        self._parts = []  # appending to a list is O(1) amortised: no character is copied
        self._length = 0

    def append(self, piece):
        """Add piece (a str) at the end; return the builder, so that calls chain."""
        self._parts.append(piece)
        self._length += len(piece) if isinstance(piece, str) else 0
        return self

    def extend(self, pieces):
        """Append every piece of an iterable; if one is not a str, append none of them."""
        pieces = list(pieces)  # an iterator can be read only once: keep what it gives
        for piece in pieces:
            if not isinstance(piece, str):
                raise TypeError(f"can only append str, not {type(piece).__name__}")
        self._parts.extend(pieces)
        self._length += sum(map(len, pieces))
        return self

    def build(self):
        """Everything appended so far, as one str (the builder keeps it all)."""
        # str.join measures the pieces, allocates the result once and copies each piece
        # into it once: O(total length). `text += piece` copies the text built so far on
        # every append instead: O(n²) characters for n pieces.
        return "".join(self._parts)

    def __len__(self):
        return self._length
