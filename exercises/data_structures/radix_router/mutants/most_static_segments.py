# expect: match('/p/x/y')  # the first segment is static in '/p/{b}/{c}' returned ('pxy', {'a': 'p'}), expected ('ppp', {'b': 'x', 'c': 'y'})
# why: ranks the matching patterns by how many static segments they have in all, so a pattern static further right beats one that is static at the first segment where they differ.


def _segments(path):
    return [segment for segment in path.split("/") if segment]


def _is_parameter(segment):
    return segment.startswith("{") and segment.endswith("}")


class Router:
    def __init__(self):
        self._routes = []

    def add(self, pattern, handler):
        segments = _segments(pattern)
        shape = [None if _is_parameter(s) else s for s in segments]
        for existing, _ in self._routes:
            if [None if _is_parameter(s) else s for s in existing] == shape:
                raise ValueError("duplicate")
        self._routes.append((segments, handler))

    def match(self, path):
        parts = _segments(path)
        best = None
        for segments, handler in self._routes:
            if len(segments) != len(parts):
                continue
            params = {}
            for segment, part in zip(segments, parts):
                if _is_parameter(segment):
                    params[segment[1:-1]] = part
                elif segment != part:
                    break
            else:
                statics = len(segments) - len(params)
                if best is None or statics > best[0]:
                    best = (statics, handler, params)
        return None if best is None else (best[1], best[2])
