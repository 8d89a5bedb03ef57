# expect: characters copied by + while building from 2,000 pieces returned
# why: keeps the text in an attribute and does self._text += piece on every append, copying everything built so far each time: O(n²) characters (CPython cannot extend an attribute's string in place).
class StringBuilder:
    def __init__(self):
        self._text = ""

    def append(self, piece):
        if not isinstance(piece, str):
            raise TypeError(f"can only append str, not {type(piece).__name__}")
        self._text += piece
        return self

    def extend(self, pieces):
        pieces = list(pieces)
        if not all(isinstance(piece, str) for piece in pieces):
            raise TypeError("can only append str")
        for piece in pieces:
            self._text += piece
        return self

    def build(self):
        return self._text

    def __len__(self):
        return len(self._text)
