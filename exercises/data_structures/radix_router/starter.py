"""A URL router with path parameters: see README.md for the exact behaviour to implement."""


class Router:
    """Maps URL patterns such as '/users/{id}/posts' to handlers."""

    def __init__(self):
        raise NotImplementedError("Router.__init__")

    def add(self, pattern, handler):
        """Register `handler` for `pattern`; ValueError if a pattern of that shape exists."""
        raise NotImplementedError("Router.add")

    def match(self, path):
        """Return (handler, params) for the best pattern matching `path`, or None."""
        raise NotImplementedError("Router.match")
