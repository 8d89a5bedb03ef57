# expect: match('/a/b/d')  # 'b' fails at 'd': backtrack to {x} returned None, expected ('axd', {'x': 'b'})
# why: commits to the static child whenever one exists and never comes back, so a path whose static branch dead-ends deeper finds nothing, although a parameter branch would match.


def _segments(path):
    return [segment for segment in path.split("/") if segment]


class _Node:
    def __init__(self):
        self.static = {}
        self.parameter = None
        self.route = None


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
        node = self._root
        values = []
        for segment in _segments(path):
            if segment in node.static:
                node = node.static[segment]
            elif node.parameter is not None:
                values.append(segment)
                node = node.parameter
            else:
                return None
        if node.route is None:
            return None
        handler, names = node.route
        return handler, dict(zip(names, values))
