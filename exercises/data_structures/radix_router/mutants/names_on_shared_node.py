# expect: match('/users/7') returned ('show_user', {'who': '7'}), expected ('show_user', {'id': '7'})
# why: stores the parameter name on the shared tree node, so a later pattern that names the same position differently renames the parameter of the earlier one.


def _segments(path):
    return [segment for segment in path.split("/") if segment]


class _Node:
    def __init__(self):
        self.static = {}
        self.parameter = None
        self.name = None  # the name of the parameter leading here: shared by all patterns
        self.handler = None
        self.has_route = False


class Router:
    def __init__(self):
        self._root = _Node()

    def add(self, pattern, handler):
        node = self._root
        for segment in _segments(pattern):
            if segment.startswith("{") and segment.endswith("}"):
                if node.parameter is None:
                    node.parameter = _Node()
                node = node.parameter
                node.name = segment[1:-1]
            else:
                node = node.static.setdefault(segment, _Node())
        if node.has_route:
            raise ValueError("duplicate")
        node.has_route = True
        node.handler = handler

    def match(self, path):
        return self._search(self._root, _segments(path), {})

    def _search(self, node, segments, params):
        if not segments:
            return (node.handler, dict(params)) if node.has_route else None
        head, rest = segments[0], segments[1:]
        if head in node.static:
            found = self._search(node.static[head], rest, params)
            if found is not None:
                return found
        if node.parameter is not None:
            params[node.parameter.name] = head
            found = self._search(node.parameter, rest, params)
            del params[node.parameter.name]
            if found is not None:
                return found
        return None
