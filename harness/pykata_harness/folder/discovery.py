"""Finding test files and naming their modules as pytest does by default.

Files: ``test_*.py`` and ``*_test.py``, found recursively, each folder's entries in name order
(files and folders interleaved, as pytest), skipping ``__pycache__``, virtual environments
(a ``pyvenv.cfg`` inside) and pytest's default ``norecursedirs`` (``*.egg``, ``.*``, ``_darcs``,
``build``, ``CVS``, ``dist``, ``node_modules``, ``venv``, ``{arch}``). The folder's pytest
configuration may change the patterns, ``norecursedirs`` and ``testpaths`` (config.py).

Modules: pytest's default "prepend" import mode. A file's *base folder* is the first folder
upwards that has no ``__init__.py``; it goes first on ``sys.path`` and the module name is the
dotted path from there (``test_calc`` or ``tests.test_calc``).
"""
import fnmatch
import glob
import os
from typing import Iterator, List, Optional, Sequence, Tuple

from .rewrite import TEST_PATTERNS, is_test_file_name

NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")


def skip_dir(path: str, norecurse: Sequence[str] = NORECURSE) -> bool:
    name = os.path.basename(path)
    if name == "__pycache__":
        return True
    if any(fnmatch.fnmatch(name, pattern) for pattern in norecurse):
        return True
    return os.path.isfile(os.path.join(path, "pyvenv.cfg")) \
        or os.path.isdir(os.path.join(path, "conda-meta"))


class Entry:
    """One step of the walk: a folder entered (its conftest.py, if any) or a test file."""

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind  # "dir" | "file"
        self.path = path


def anchors(root: str, testpaths: Sequence[str]) -> List[str]:
    """What pytest collects when run without arguments: ``testpaths`` (globs, relative to
    the root) when set and matching something, else the root itself."""
    found: List[str] = []
    for pattern in testpaths:
        matches = sorted(glob.glob(os.path.join(root, pattern), recursive=True))
        found.extend(os.path.abspath(m) for m in matches if os.path.exists(m))
    return found or [root]


def eager_conftest_dirs(root: str, anchor: str) -> List[str]:
    """Folders whose conftest.py pytest loads before collecting ``anchor``: the folders from
    the root down to it, and its direct subfolders named ``test*``."""
    folder = anchor if os.path.isdir(anchor) else os.path.dirname(anchor)
    chain = []
    current = folder
    while True:
        chain.append(current)
        if os.path.realpath(current) == os.path.realpath(root):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    chain.reverse()
    if os.path.isdir(anchor):
        try:
            chain.extend(os.path.join(anchor, name) for name in sorted(os.listdir(anchor))
                         if name.startswith("test") and os.path.isdir(os.path.join(anchor, name)))
        except OSError:
            pass
    return chain


def walk(root: str, patterns: Sequence[str] = TEST_PATTERNS,
         norecurse: Sequence[str] = NORECURSE, testpaths: Sequence[str] = ()
         ) -> Iterator[Entry]:
    """Folders (before their contents) and test files, in pytest's collection order."""
    seen = set()

    def visit(path: str) -> Iterator[Entry]:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        yield Entry("dir", path)
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        for name in names:
            child = os.path.join(path, name)
            if os.path.isdir(child):
                if not skip_dir(child, norecurse):
                    yield from visit(child)
            elif os.path.isfile(child) and is_test_file_name(name, patterns):
                if os.path.realpath(child) not in seen:
                    seen.add(os.path.realpath(child))
                    yield Entry("file", child)

    for anchor in anchors(root, testpaths):
        if os.path.isdir(anchor):
            yield from visit(anchor)
        elif os.path.realpath(anchor) not in seen:
            seen.add(os.path.realpath(anchor))
            yield Entry("dir", os.path.dirname(anchor))
            yield Entry("file", anchor)


def package_path(path: str) -> Optional[str]:
    """The outermost package folder holding ``path`` (``__init__.py`` all the way), or None."""
    result = None
    folder = os.path.dirname(path)
    while True:
        if not os.path.isfile(os.path.join(folder, "__init__.py")):
            break
        if not os.path.basename(folder).isidentifier():
            break
        result = folder
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return result


def module_name(path: str) -> Tuple[str, str]:
    """(base folder to put on sys.path, module name) for a test file or conftest.py."""
    pkg = package_path(path)
    if pkg is None:
        return os.path.dirname(path), os.path.splitext(os.path.basename(path))[0]
    base = os.path.dirname(pkg)
    rel = os.path.relpath(os.path.splitext(path)[0], base)
    parts: List[str] = rel.split(os.sep)
    if parts[-1] == "__init__":
        parts.pop()
    return base, ".".join(parts)


def relative(root: str, path: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
