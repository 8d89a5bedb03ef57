# expect: CPU time for 10,000 pieces against 1,000 pieces returned 'about
# why: uses str.join, but on every append to join the text so far with the new piece, which copies the whole text each time: the same O(n²) as +=.
class StringBuilder:
    def __init__(self):
        self._text = ""

    def append(self, piece):
        if not isinstance(piece, str):
            raise TypeError(f"can only append str, not {type(piece).__name__}")
        self._text = "".join([self._text, piece])
        return self

    def extend(self, pieces):
        pieces = list(pieces)
        if not all(isinstance(piece, str) for piece in pieces):
            raise TypeError("can only append str")
        self._text = "".join([self._text] + pieces)
        return self

    def build(self):
        return self._text

    def __len__(self):
        return len(self._text)
