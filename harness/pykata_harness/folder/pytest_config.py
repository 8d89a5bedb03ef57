"""The ``config`` object of the built-in runner: what conftest hooks, ``request.config``
and the ``pytestconfig`` fixture see (``getoption``, ``getini``, ``addinivalue_line``,
``rootpath``, ``cache``...), and the ``parser`` a conftest's ``pytest_addoption`` fills
(its options keep their defaults: pykata passes no command-line options to a folder)."""
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

from . import marks
from .config import Config as Settings
from .config import marker_name
from .guard import harness_import
from .localpath import LocalPath
from .outcomes import NeedsPytest, Skipped

_NOTSET = object()

BUILTIN_MARKERS = ("skip", "skipif", "xfail", "parametrize", "usefixtures", "filterwarnings",
                   "tryfirst", "trylast")


class Namespace:
    """``config.option``: the options by their ``dest``."""

    def __init__(self, values: Dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"'Namespace' object has no attribute {name!r}")


class OptionGroup:
    def __init__(self, parser: "Parser") -> None:
        self._parser = parser

    def addoption(self, *names: str, **attrs: Any) -> None:
        self._parser.addoption(*names, **attrs)

    _addoption = addoption


class Parser:
    """``pytest_addoption``'s parser: options and ini settings with their defaults."""

    def __init__(self, config: "Config") -> None:
        self._config = config

    def addoption(self, *names: str, **attrs: Any) -> None:
        dest = attrs.get("dest")
        if dest is None:
            longs = [n for n in names if n.startswith("--")]
            dest = (longs[0] if longs else names[0]).lstrip("-").replace("-", "_")
        if "default" in attrs:
            default = attrs["default"]
        elif attrs.get("action") in ("store_true",):
            default = False
        elif attrs.get("action") in ("store_false",):
            default = True
        elif attrs.get("action") in ("append", "count"):
            default = None
        else:
            default = None
        self._config._options[dest] = default
        for name in names:
            self._config._option_names[name] = dest

    _addoption = addoption

    def getgroup(self, name: str, description: str = "", after: Any = None) -> OptionGroup:
        return OptionGroup(self)

    def addini(self, name: str, help: str = "", type: Any = None,  # noqa: A002
               default: Any = _NOTSET) -> None:
        if default is _NOTSET:
            default = {"linelist": [], "args": [], "pathlist": [], "paths": [],
                       "bool": False}.get(type, "")
        self._config._ini_defaults[name] = (type, default)

    def processoption(self, option: Any) -> None:
        return None


class Cache:
    """``config.cache``/the ``cache`` fixture: values kept for this run only (pykata runs
    every folder afresh, as pytest does with an empty cache)."""

    def __init__(self) -> None:
        self._values: Dict[str, Any] = {}

    def get(self, key: str, default: Any) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        import json

        json.dumps(value)  # pytest refuses values JSON cannot hold
        self._values[key] = value

    def mkdir(self, name: str) -> Path:
        return harness_import("builtin_fixtures").TempPathFactory().mktemp("cache-" + name, numbered=True)

    makedir = mkdir


class PluginManager:
    """``config.pluginmanager``: no plugins are loaded by the built-in runner."""

    def hasplugin(self, name: str) -> bool:
        return False

    def getplugin(self, name: str) -> Any:
        return None

    def get_plugin(self, name: str) -> Any:
        return None

    def has_plugin(self, name: str) -> bool:
        return False

    def register(self, plugin: Any, name: Optional[str] = None) -> None:
        raise NeedsPytest("config.pluginmanager.register")

    def import_plugin(self, name: str) -> None:
        raise NeedsPytest("config.pluginmanager.import_plugin")


class InvocationParams:
    def __init__(self, root: str) -> None:
        self.args: tuple = ()
        self.plugins = None
        self.dir = Path(root)


class Config:
    """The ``config`` of a run of the built-in runner."""

    def __init__(self, settings: Any) -> None:
        self._settings = settings
        self._options: Dict[str, Any] = {
            "verbose": settings.verbosity, "markexpr": "", "keyword": "", "capture": "fd",
            "strict_markers": settings.strict_markers, "doctestmodules":
                settings.doctest_modules, "maxfail": settings.maxfail, "exitfirst":
                settings.maxfail == 1, "tbstyle": "auto", "usepdb": False,
            "runxfail": False, "collectonly": False, "showlocals": False,
            "rootdir": settings.root, "basetemp": None, "lf": False, "last_failed": False,
            "ff": False, "numprocesses": None, "color": "no"}
        self._option_names: Dict[str, str] = {"-v": "verbose", "--verbose": "verbose",
                                              "-m": "markexpr", "-k": "keyword"}
        self._ini_defaults: Dict[str, Any] = {}
        self._added: Dict[str, List[str]] = {}
        self.rootpath = Path(settings.root)
        self.rootdir = LocalPath(settings.root)
        self.inipath = Path(settings.root, settings.file) if settings.file else None
        self.inifile = LocalPath(self.inipath) if self.inipath else None
        self.invocation_params = InvocationParams(settings.root)
        self.invocation_dir = LocalPath(settings.root)
        self.args: List[str] = []
        self.pluginmanager = PluginManager()
        self.cache = Cache()
        self.stash: Dict[Any, Any] = {}
        self.workerinput: Any = None
        self._cleanups: List[Any] = []
        self.doctest_namespace: Dict[str, Any] = {}

    @property
    def option(self) -> Namespace:
        return Namespace(dict(self._options))

    @property
    def known_args_namespace(self) -> Namespace:
        return self.option

    def _dest(self, name: str) -> str:
        if name in self._option_names:
            return self._option_names[name]
        return name.lstrip("-").replace("-", "_")

    def getoption(self, name: str, default: Any = _NOTSET, skip: bool = False) -> Any:
        dest = self._dest(name)
        if dest in self._options:
            value = self._options[dest]
            if value is None and default is not _NOTSET:
                return default
            if value is None and skip:
                raise Skipped(f"no {name!r} option found")
            return value
        if default is not _NOTSET:
            return default
        if skip:
            raise Skipped(f"no {name!r} option found")
        raise ValueError(f"no option named {name!r}")

    getvalue = getoption

    def getvalueorskip(self, name: str) -> Any:
        return self.getoption(name, skip=True)

    def getini(self, name: str) -> Any:
        settings = self._settings
        if name == "markers":
            lines = _lines(settings.ini.get("markers", []))
            return lines + self._added.get("markers", [])
        if name in settings.ini:
            value = settings.ini[name]
            kind = self._ini_defaults.get(name, (None, None))[0]
            if kind in ("linelist",) or name in ("filterwarnings", "markers"):
                value = _lines(value)
            elif kind in ("args", "pathlist", "paths") or name in (
                    "testpaths", "python_files", "python_classes", "python_functions",
                    "norecursedirs", "usefixtures", "addopts", "required_plugins"):
                value = value if isinstance(value, list) else re.split(r"\s+", str(value).strip())
                if kind in ("pathlist", "paths"):
                    value = [Path(settings.root, v) for v in value]
            elif kind == "bool":
                value = str(value).strip().lower() in ("1", "true", "yes", "on") \
                    if not isinstance(value, bool) else value
            return value + self._added.get(name, []) if isinstance(value, list) else value
        if name in self._ini_defaults:
            value = self._ini_defaults[name][1]
            return value + self._added.get(name, []) if isinstance(value, list) else value
        known = {"testpaths": [], "python_files": ["test_*.py", "*_test.py"],
                 "python_classes": ["Test"], "python_functions": ["test"],
                 "filterwarnings": [], "usefixtures": [], "addopts": [],
                 "xfail_strict": False, "norecursedirs": [], "pythonpath": [],
                 "required_plugins": [], "doctest_optionflags": ["ELLIPSIS"],
                 "minversion": "", "log_level": None, "empty_parameter_set_mark": ""}
        if name in known:
            value = known[name]
            return value + self._added.get(name, []) if isinstance(value, list) else value
        raise ValueError(f"unknown configuration value: {name!r}")

    def addinivalue_line(self, name: str, line: str) -> None:
        self._added.setdefault(name, []).append(line)
        if name == "markers":
            self._settings.markers.append(marker_name(line))
            if marks.REGISTRY.names is not None:
                marks.REGISTRY.names.add(marker_name(line))

    def issue_config_time_warning(self, warning: Warning, stacklevel: int) -> None:
        import warnings

        warnings.warn(warning, stacklevel=stacklevel + 1)

    def get_verbosity(self, verbosity_type: Optional[str] = None) -> int:
        return int(self._settings.verbosity)

    def add_cleanup(self, func: Any) -> None:
        self._cleanups.append(func)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NeedsPytest(f"config.{name}")


def _lines(value: Any) -> List[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


CONFIG: Optional[Config] = None


def current() -> Config:
    global CONFIG
    if CONFIG is None:
        CONFIG = Config(Settings(os.getcwd()))
    return CONFIG
