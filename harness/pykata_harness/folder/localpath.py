"""``tmpdir``'s path objects without the ``py`` library: the part of ``py.path.local`` that
tests use (join, read/write, mkdir/ensure, listdir, exists/check, strpath, ``/``)."""
import os
import shutil
from typing import Any, List, Optional


class LocalPath(os.PathLike):
    """A filesystem path in the style of ``py.path.local``."""

    sep = os.sep

    def __init__(self, path: Any = None) -> None:
        self.strpath = os.path.abspath(os.fspath(path) if path is not None else os.getcwd())

    def __fspath__(self) -> str:
        return self.strpath

    def __str__(self) -> str:
        return self.strpath

    def __repr__(self) -> str:
        return f"local({self.strpath!r})"

    def __eq__(self, other: Any) -> bool:
        try:
            return self.strpath == os.path.abspath(os.fspath(other))
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self.strpath)

    def __lt__(self, other: Any) -> bool:
        return self.strpath < os.fspath(other)

    def __truediv__(self, other: Any) -> "LocalPath":
        return self.join(os.fspath(other))

    def __add__(self, other: str) -> str:
        return self.strpath + other

    @property
    def basename(self) -> str:
        return os.path.basename(self.strpath)

    @property
    def dirname(self) -> str:
        return os.path.dirname(self.strpath)

    @property
    def purebasename(self) -> str:
        return os.path.splitext(self.basename)[0]

    @property
    def ext(self) -> str:
        return os.path.splitext(self.basename)[1]

    def dirpath(self, *parts: str) -> "LocalPath":
        return LocalPath(os.path.join(self.dirname, *parts))

    def join(self, *parts: Any) -> "LocalPath":
        return LocalPath(os.path.join(self.strpath, *[os.fspath(p) for p in parts]))

    def new(self, **kwargs: Any) -> "LocalPath":
        folder = kwargs.get("dirname", self.dirname)
        base = kwargs.get("basename")
        if base is None:
            base = kwargs.get("purebasename", self.purebasename) + kwargs.get("ext", self.ext)
        return LocalPath(os.path.join(folder, base))

    def relto(self, other: Any) -> str:
        base = os.fspath(other).rstrip(os.sep) + os.sep
        return self.strpath[len(base):] if self.strpath.startswith(base) else ""

    def bestrelpath(self, other: Any) -> str:
        return os.path.relpath(os.fspath(other), self.strpath)

    def exists(self) -> bool:
        return os.path.exists(self.strpath)

    def isdir(self) -> bool:
        return os.path.isdir(self.strpath)

    def isfile(self) -> bool:
        return os.path.isfile(self.strpath)

    def check(self, **kwargs: Any) -> bool:
        if not kwargs:
            return self.exists()
        checks = {"exists": self.exists, "file": self.isfile, "dir": self.isdir,
                  "link": lambda: os.path.islink(self.strpath)}
        for key, want in kwargs.items():
            if key in checks and bool(checks[key]()) != bool(want):
                return False
        return True

    def listdir(self, fil: Any = None, sort: Any = None) -> List["LocalPath"]:
        found = [self.join(name) for name in sorted(os.listdir(self.strpath))]
        if isinstance(fil, str):
            import fnmatch

            found = [p for p in found if fnmatch.fnmatch(p.basename, fil)]
        elif fil is not None:
            found = [p for p in found if fil(p)]
        return found

    def visit(self, fil: Any = None) -> Any:
        for folder, dirs, files in os.walk(self.strpath):
            dirs.sort()
            for name in sorted(dirs + files):
                path = LocalPath(os.path.join(folder, name))
                if fil is None or (fil(path) if callable(fil) else
                                   __import__("fnmatch").fnmatch(name, fil)):
                    yield path

    def mkdir(self, *parts: str) -> "LocalPath":
        path = self.join(*parts)
        os.mkdir(path.strpath)
        return path

    def ensure(self, *parts: str, dir: bool = False) -> "LocalPath":  # noqa: A002
        path = self.join(*parts)
        if dir:
            os.makedirs(path.strpath, exist_ok=True)
        else:
            os.makedirs(path.dirname, exist_ok=True)
            if not path.exists():
                open(path.strpath, "a").close()
        return path

    def ensure_dir(self, *parts: str) -> "LocalPath":
        return self.ensure(*parts, dir=True)

    def mkdtemp(self) -> "LocalPath":
        import tempfile

        return LocalPath(tempfile.mkdtemp(dir=self.strpath))

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return open(self.strpath, mode, *args, **kwargs)

    def read(self, mode: str = "r") -> Any:
        with open(self.strpath, mode) as handle:
            return handle.read()

    def read_text(self, encoding: str = "utf-8") -> str:
        with open(self.strpath, encoding=encoding) as handle:
            return handle.read()

    def read_binary(self) -> bytes:
        with open(self.strpath, "rb") as handle:
            return handle.read()

    def readlines(self, cr: bool = True) -> List[str]:
        text = self.read()
        return text.splitlines(True) if cr else text.splitlines()

    def write(self, data: Any, mode: str = "w", ensure: bool = False) -> None:
        if ensure:
            os.makedirs(self.dirname, exist_ok=True)
        if isinstance(data, bytes) and "b" not in mode:
            mode += "b"
        with open(self.strpath, mode) as handle:
            handle.write(data)

    def write_text(self, data: str, encoding: str = "utf-8", ensure: bool = False) -> None:
        if ensure:
            os.makedirs(self.dirname, exist_ok=True)
        with open(self.strpath, "w", encoding=encoding) as handle:
            handle.write(data)

    def write_binary(self, data: bytes, ensure: bool = False) -> None:
        self.write(data, "wb", ensure)

    def remove(self, rec: int = 1, ignore_errors: bool = False) -> None:
        if self.isdir():
            shutil.rmtree(self.strpath, ignore_errors=ignore_errors)
        else:
            os.remove(self.strpath)

    def copy(self, target: Any) -> None:
        if self.isdir():
            shutil.copytree(self.strpath, os.fspath(target), dirs_exist_ok=True)
        else:
            shutil.copy2(self.strpath, os.fspath(target))

    def move(self, target: Any) -> None:
        shutil.move(self.strpath, os.fspath(target))

    def rename(self, target: Any) -> None:
        os.rename(self.strpath, os.fspath(target))

    def stat(self) -> os.stat_result:
        return os.stat(self.strpath)

    def size(self) -> int:
        return os.path.getsize(self.strpath)

    def mtime(self) -> float:
        return os.path.getmtime(self.strpath)

    def chdir(self) -> Optional["LocalPath"]:
        old = LocalPath()
        os.chdir(self.strpath)
        return old

    def as_cwd(self) -> Any:
        import contextlib

        @contextlib.contextmanager
        def cwd() -> Any:
            old = os.getcwd()
            os.chdir(self.strpath)
            try:
                yield self
            finally:
                os.chdir(old)
        return cwd()

    def samefile(self, other: Any) -> bool:
        return os.path.samefile(self.strpath, os.fspath(other))

    def realpath(self) -> "LocalPath":
        return LocalPath(os.path.realpath(self.strpath))

    def parts(self) -> List["LocalPath"]:
        found = [self]
        while found[-1].dirname != found[-1].strpath:
            found.append(found[-1].dirpath())
        return list(reversed(found))

    def isabs(self) -> bool:
        return True
