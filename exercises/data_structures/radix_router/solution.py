"""Reference solution of the radix_router exercise: a trie of path segments.

Every pattern is a path through the tree, one node per segment. A node has static children
(a dict keyed by the segment text) and at most one parameter child, shared by every
`{name}` at that place whatever its name: so two patterns of the same shape end at the same
node, and "already added" is simply "that node already has a route".
"""


def _segments(path):
    """'/users//{id}/' -> ['users', '{id}']: split on '/', empty segments dropped."""
    return [segment for segment in path.split("/") if segment]


def _is_parameter(segment):
    return len(segment) > 2 and segment[0] == "{" and segment[-1] == "}"


class _Node:
    __slots__ = ("static", "parameter", "route")

    def __init__(self):
        self.static = {}  # segment text -> _Node
        self.parameter = None  # the _Node for any `{name}` at this place
        self.route = None  # (handler, parameter names) when a pattern ends here


class Router:
    """Maps URL patterns such as '/users/{id}/posts' to handlers."""

    def __init__(self):
        self._root = _Node()

    def add(self, pattern, handler):
        """Register `handler` for `pattern`; ValueError if a pattern of that shape exists."""
        node = self._root
        names = []
        for segment in _segments(pattern):
            if _is_parameter(segment):
                names.append(segment[1:-1])
                if node.parameter is None:
                    node.parameter = _Node()
                node = node.parameter
            else:
                node = node.static.setdefault(segment, _Node())
        if node.route is not None:
            # Checked before anything is stored: the first route stays as it was.
            raise ValueError(f"a pattern of the same shape as {pattern!r} is already added")
        # The names live with the route, not on the shared parameter nodes: '/users/{id}'
        # and '/users/{name}/posts' name the same position differently.
        node.route = (handler, names)

    def match(self, path):
        """Return (handler, params) for the best pattern matching `path`, or None."""
        segments = _segments(path)
        found = self._search(self._root, segments, 0, [])
        if found is None:
            return None
        (handler, names), values = found
        return handler, dict(zip(names, values))

    def _search(self, node, segments, index, captured):
        """Depth-first: the static child first, then the parameter child (backtracking)."""
        if index == len(segments):
            return None if node.route is None else (node.route, list(captured))
        segment = segments[index]
        child = node.static.get(segment)
        if child is not None:
            found = self._search(child, segments, index + 1, captured)
            if found is not None:
                return found
        # The static branch is missing or failed deeper: a parameter takes this segment.
        if node.parameter is not None:
            captured.append(segment)
            found = self._search(node.parameter, segments, index + 1, captured)
            captured.pop()
            if found is not None:
                return found
        return None
