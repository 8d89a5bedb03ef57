"""Test selection from ``addopts``, as pytest's: ``--ignore``, ``--ignore-glob`` (paths left
out of the collection), ``--deselect`` (node id prefixes), ``-m`` (marker expression) and
``-k`` (keyword expression: case-insensitive substrings of the test's name, its class, its
module file, and its markers' names; ``and``, ``or``, ``not``, parentheses)."""
import fnmatch
import os
import re
from typing import Any, Callable, List

_TOKEN = re.compile(r"\s*(\(|\)|and\b|or\b|not\b|[^\s()]+)")


def _compile(expression: str, match: Callable[[str], bool]) -> Callable[[], bool]:
    parts: List[str] = []
    names: List[str] = []
    for token in _TOKEN.findall(expression):
        if token in ("(", ")", "and", "or", "not"):
            parts.append(f" {token} ")
        else:
            names.append(token)
            parts.append(f"_m({len(names) - 1})")
    try:
        code = compile("".join(parts).strip() or "True", "<expression>", "eval")
    except SyntaxError:
        return lambda: True  # an expression pytest would refuse too: nothing deselected
    return lambda: bool(eval(code, {"__builtins__": {}, "_m": lambda i: match(names[i])}))


def ignored_path(path: str, root: str, ignore: List[str], ignore_glob: List[str]) -> bool:
    real = os.path.realpath(path)
    for entry in ignore:
        target = os.path.realpath(os.path.join(root, entry))
        if real == target or real.startswith(target + os.sep):
            return True
    return any(fnmatch.fnmatch(path, os.path.join(root, pattern))
               or fnmatch.fnmatch(os.path.basename(path), pattern) for pattern in ignore_glob)


def select(items: List[Any], deselect: List[str], markexpr: str, keyword: str
           ) -> List[Any]:
    kept = []
    for item in items:
        if any(item.nodeid == d or item.nodeid.startswith(d + "::")
               or item.nodeid.startswith(d + "[") for d in deselect):
            continue
        if markexpr:
            marks = {mark.name for mark in item.iter_markers()}
            if not _compile(markexpr, lambda name: name in marks)():
                continue
        if keyword:
            words = [part.lower() for part in item.nodeid.replace("/", "::").split("::")]
            words += [mark.name.lower() for mark in item.iter_markers()]
            words.append(os.path.basename(item.rel).lower())

            def has(name: str) -> bool:
                name = name.lower()
                return any(name in word for word in words)
            if not _compile(keyword, has)():
                continue
        kept.append(item)
    return kept
