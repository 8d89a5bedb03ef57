"""A string builder. See README.md for the exact behaviour and the complexity rule."""


class StringBuilder:
    """Builds a str from many pieces in time linear in the total length."""

    def __init__(self):
        raise NotImplementedError("StringBuilder.__init__")

    def append(self, piece):
        """Add piece (a str) at the end; return the builder, so that calls chain."""
        raise NotImplementedError("StringBuilder.append")

    def extend(self, pieces):
        """Append every piece of an iterable; if one is not a str, append none of them."""
        raise NotImplementedError("StringBuilder.extend")

    def build(self):
        """Everything appended so far, as one str."""
        raise NotImplementedError("StringBuilder.build")

    def __len__(self):
        raise NotImplementedError("StringBuilder.__len__")
