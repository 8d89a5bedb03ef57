# expect: match('/users')  # added as '/users/' returned None, expected ('trailing', {})
# why: splits with pattern.split('/')[1:] and keeps the empty segments, so '/users/' becomes ['users', ''] and never matches '/users'.


class _Node:
    def __init__(self):
        self.static = {}
        self.parameter = None
        self.route = None


def _segments(path):
    return path.split("/")[1:] if path != "/" else []


class Router:
    def __init__(self):
        self._root = _Node()

    def add(self, pattern, handler):
        node = self._root
        names = []
        for segment in _segments(pattern):
            if segment.startswith("{") and segment.endswith("}"):
                names.append(segment[1:-1])
                if node.parameter is None:
                    node.parameter = _Node()
                node = node.parameter
            else:
                node = node.static.setdefault(segment, _Node())
        if node.route is not None:
            raise ValueError("duplicate")
        node.route = (handler, names)

    def match(self, path):
        found = self._search(self._root, _segments(path), [])
        if found is None:
            return None
        (handler, names), values = found
        return handler, dict(zip(names, values))

    def _search(self, node, segments, captured):
        if not segments:
            return None if node.route is None else (node.route, list(captured))
        head, rest = segments[0], segments[1:]
        if head in node.static:
            found = self._search(node.static[head], rest, captured)
            if found is not None:
                return found
        if node.parameter is not None and head:
            found = self._search(node.parameter, rest, captured + [head])
            if found is not None:
                return found
        return None
