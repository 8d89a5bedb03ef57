"""The ``monkeypatch`` fixture (pytest's ``MonkeyPatch``): changes undone at teardown."""
import contextlib
import importlib
import inspect
import os
import sys
import warnings
from typing import Any, Iterator, List, MutableMapping, Optional, Tuple

_NOTSET = object()


def _resolve(name: str) -> Any:
    parts = name.split(".")
    used = parts.pop(0)
    found = importlib.import_module(used)
    for part in parts:
        used += "." + part
        try:
            found = getattr(found, part)
        except AttributeError:
            pass
        else:
            continue
        try:
            importlib.import_module(used)
        except ImportError as e:
            expected = str(e).split()[-1]
            if expected == used:
                raise
            raise ImportError(f"import error in {used}: {e}") from e
        found = getattr(found, part)
    return found


def _derive_importpath(import_path: str, raising: bool) -> Tuple[str, Any]:
    if not isinstance(import_path, str) or "." not in import_path:
        raise TypeError(f"must be absolute import path string, not {import_path!r}")
    module, attr = import_path.rsplit(".", 1)
    target = _resolve(module)
    if raising and not hasattr(target, attr):
        raise AttributeError(f"{target!r} object at {module} has no attribute {attr!r}")
    return attr, target


class MonkeyPatch:
    """Helper to patch attributes, items, environment variables, sys.path and the cwd."""

    __class_getitem__ = classmethod(lambda cls, item: cls)

    def __init__(self) -> None:
        self._setattr: List[Tuple[object, str, object]] = []
        self._setitem: List[Tuple[MutableMapping[Any, Any], object, object]] = []
        self._cwd: Optional[str] = None
        self._savesyspath: Optional[List[str]] = None

    @classmethod
    @contextlib.contextmanager
    def context(cls) -> Iterator["MonkeyPatch"]:
        patch = cls()
        try:
            yield patch
        finally:
            patch.undo()

    def setattr(self, target: Any, name: Any, value: Any = _NOTSET,
                raising: bool = True) -> None:
        __tracebackhide__ = True
        if value is _NOTSET:
            if not isinstance(target, str):
                raise TypeError("use setattr(target, name, value) or setattr(target, value) "
                                "with target being a dotted import string")
            value = name
            name, target = _derive_importpath(target, raising)
        elif not isinstance(name, str):
            raise TypeError("use setattr(target, name, value) with name being a string or "
                            "setattr(target, value) with target being a dotted import string")
        oldval = getattr(target, name, _NOTSET)
        if raising and oldval is _NOTSET:
            raise AttributeError(f"{target!r} has no attribute {name!r}")
        if inspect.isclass(target):
            oldval = target.__dict__.get(name, _NOTSET)
        self._setattr.append((target, name, oldval))
        setattr(target, name, value)

    def delattr(self, target: Any, name: Any = _NOTSET, raising: bool = True) -> None:
        __tracebackhide__ = True
        if name is _NOTSET:
            if not isinstance(target, str):
                raise TypeError("use delattr(target, name) or delattr(target) with target "
                                "being a dotted import string")
            name, target = _derive_importpath(target, raising)
        if not hasattr(target, name):
            if raising:
                raise AttributeError(name)
        else:
            oldval = getattr(target, name, _NOTSET)
            if inspect.isclass(target):
                oldval = target.__dict__.get(name, _NOTSET)
            self._setattr.append((target, name, oldval))
            delattr(target, name)

    def setitem(self, dic: MutableMapping[Any, Any], name: Any, value: Any) -> None:
        self._setitem.append((dic, name, dic.get(name, _NOTSET)))
        dic[name] = value

    def delitem(self, dic: MutableMapping[Any, Any], name: Any, raising: bool = True) -> None:
        if name not in dic:
            if raising:
                raise KeyError(name)
        else:
            self._setitem.append((dic, name, dic.get(name, _NOTSET)))
            del dic[name]

    def setenv(self, name: str, value: Any, prepend: Optional[str] = None) -> None:
        if not isinstance(value, str):
            warnings.warn(UserWarning(f"Value of environment variable {name} type should be "
                                      f"str, but got {value!r} (type: {type(value).__name__}); "
                                      "converted to str implicitly"), stacklevel=2)
            value = str(value)
        if prepend and name in os.environ:
            value = value + prepend + os.environ[name]
        self.setitem(os.environ, name, value)

    def delenv(self, name: str, raising: bool = True) -> None:
        self.delitem(os.environ, name, raising=raising)

    def syspath_prepend(self, path: Any) -> None:
        if self._savesyspath is None:
            self._savesyspath = sys.path[:]
        sys.path.insert(0, str(path))
        importlib.invalidate_caches()

    def chdir(self, path: Any) -> None:
        if self._cwd is None:
            self._cwd = os.getcwd()
        os.chdir(path)

    def undo(self) -> None:
        for obj, name, value in reversed(self._setattr):
            if value is not _NOTSET:
                setattr(obj, name, value)
            else:
                delattr(obj, name)
        self._setattr[:] = []
        for dictionary, key, value in reversed(self._setitem):
            if value is _NOTSET:
                try:
                    del dictionary[key]
                except KeyError:
                    pass
            else:
                dictionary[key] = value
        self._setitem[:] = []
        if self._savesyspath is not None:
            sys.path[:] = self._savesyspath
            self._savesyspath = None
        if self._cwd is not None:
            os.chdir(self._cwd)
            self._cwd = None
