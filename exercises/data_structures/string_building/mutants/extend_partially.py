# expect: len(sb) returned 7, expected 5
# why: appends the pieces of extend one by one and stops at the first bad one, so the pieces before it stay appended although the call failed.
class StringBuilder:
    """Builds a str from many pieces in time linear in the total length."""

    def __init__(self):
        self._parts = []  # appending to a list is O(1) amortised: no character is copied
        self._length = 0

    def append(self, piece):
        """Add piece (a str) at the end; return the builder, so that calls chain."""
        if not isinstance(piece, str):  # check now: join() would only complain in build()
            raise TypeError(f"can only append str, not {type(piece).__name__}")
        self._parts.append(piece)
        self._length += len(piece)
        return self

    def extend(self, pieces):
        """Append every piece of an iterable; if one is not a str, append none of them."""
        for piece in pieces:
            self.append(piece)
        return self

    def build(self):
        """Everything appended so far, as one str (the builder keeps it all)."""
        # str.join measures the pieces, allocates the result once and copies each piece
        # into it once: O(total length). `text += piece` copies the text built so far on
        # every append instead: O(n²) characters for n pieces.
        return "".join(self._parts)

    def __len__(self):
        return self._length
