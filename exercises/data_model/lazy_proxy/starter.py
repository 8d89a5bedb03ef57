"""A lazy proxy: see README.md for the exact behaviour to implement."""


class LazyProxy:
    """Calls `factory()` on first use and delegates attribute access to its result."""

    def __init__(self, factory):
        raise NotImplementedError("LazyProxy.__init__")

    def __getattr__(self, name):
        raise NotImplementedError("LazyProxy.__getattr__")
