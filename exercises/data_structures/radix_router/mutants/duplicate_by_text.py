# expect: add('/users/{name}', 'renamed')  # the same shape, another parameter name returned normally, expected it to raise ValueError
# why: detects duplicates by comparing the pattern text, so '/users/{name}' slips in beside '/users/{id}' although both have the same shape and one can never be matched.


def _segments(path):
    return [segment for segment in path.split("/") if segment]


class _Node:
    def __init__(self):
        self.static = {}
        self.parameters = {}  # one child per parameter NAME: the mistake
        self.route = None


class Router:
    def __init__(self):
        self._root = _Node()

    def add(self, pattern, handler):
        node = self._root
        for segment in _segments(pattern):
            if segment.startswith("{") and segment.endswith("}"):
                node = node.parameters.setdefault(segment[1:-1], _Node())
            else:
                node = node.static.setdefault(segment, _Node())
        if node.route is not None:
            raise ValueError("duplicate")
        node.route = handler

    def match(self, path):
        return self._search(self._root, _segments(path), {})

    def _search(self, node, segments, params):
        if not segments:
            return None if node.route is None else (node.route, dict(params))
        head, rest = segments[0], segments[1:]
        if head in node.static:
            found = self._search(node.static[head], rest, params)
            if found is not None:
                return found
        for name, child in node.parameters.items():
            params[name] = head
            found = self._search(child, rest, params)
            del params[name]
            if found is not None:
                return found
        return None
