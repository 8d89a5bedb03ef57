# expect: match('/users/new')  # static 'new' beats {id} returned ('show_user', {'id': 'new'}), expected ('new_user', {})
# why: keeps the patterns in a list and returns the first one that matches, so the order of add() decides instead of "static before parameter".


def _segments(path):
    return [segment for segment in path.split("/") if segment]


def _shape(segments):
    return tuple(None if s.startswith("{") and s.endswith("}") else s for s in segments)


class Router:
    def __init__(self):
        self._routes = []

    def add(self, pattern, handler):
        segments = _segments(pattern)
        if any(_shape(existing) == _shape(segments) for existing, _ in self._routes):
            raise ValueError("duplicate")
        self._routes.append((segments, handler))

    def match(self, path):
        parts = _segments(path)
        for segments, handler in self._routes:
            if len(segments) != len(parts):
                continue
            params = {}
            for segment, part in zip(segments, parts):
                if segment.startswith("{") and segment.endswith("}"):
                    params[segment[1:-1]] = part
                elif segment != part:
                    break
            else:
                return handler, params
        return None
