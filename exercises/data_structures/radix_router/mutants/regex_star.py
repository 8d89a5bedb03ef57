# expect: match('/files/')  # nothing left for {name}: an empty segment is not captured returned ('file', {'name': ''}), expected None
# why: turns each pattern into a regular expression with `[^/]*` for a parameter, so a parameter also captures an empty segment; `[^/]+` would not.
import re


def _segments(path):
    return [segment for segment in path.split("/") if segment]


class Router:
    def __init__(self):
        self._routes = []  # (shape, regex, handler), static-first order

    def add(self, pattern, handler):
        segments = _segments(pattern)
        shape = tuple(None if s.startswith("{") else s for s in segments)
        if any(existing == shape for existing, _, _ in self._routes):
            raise ValueError("duplicate")
        regex = "".join(
            "/(?P<%s>[^/]*)" % s[1:-1] if s.startswith("{") else "/" + re.escape(s)
            for s in segments
        )
        self._routes.append((shape, re.compile(regex + "/?"), handler))
        # Static segments sort before parameters (None), segment by segment.
        self._routes.sort(key=lambda route: [(s is None, s or "") for s in route[0]])

    def match(self, path):
        for _, regex, handler in self._routes:
            found = regex.fullmatch(path)
            if found:
                return handler, found.groupdict()
        return None
