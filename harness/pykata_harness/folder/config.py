"""The pytest configuration of a folder, as far as the built-in runner honours it.

pytest reads the first of ``pytest.toml``, ``.pytest.toml``, ``pytest.ini``,
``.pytest.ini``, ``pyproject.toml`` (``[tool.pytest.ini_options]`` or ``[tool.pytest]``),
``tox.ini`` (``[pytest]``) and ``setup.cfg`` (``[tool:pytest]``) that holds pytest settings.
The built-in runner honours ``testpaths``, ``python_files``, ``python_classes``,
``python_functions``, ``norecursedirs``, ``pythonpath``, ``xfail_strict`` and
``collect_imported_tests``, ignores settings
that do not change outcomes (``markers``, ``minversion``, logging and output settings,
``addopts`` made only of output options such as ``-v``, ``-ra``, ``--tb=short``, ``-s``), and
reports ``needs_pytest`` for any other known setting (``-x``, ``-k``, ``filterwarnings`` with
an ``error`` action, ``usefixtures``, plugins' options are unknown to pytest itself without
the plugin and are ignored, as pytest does).
"""
import configparser
import fnmatch
import os
import re
import shlex
import sys
from typing import Any, Dict, List, Optional, Tuple

from .outcomes import NeedsPytest

CONFIG_FILES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml",
                "tox.ini", "setup.cfg")

IGNORED = {"markers", "minversion", "console_output_style", "log_cli", "log_cli_level",
           "log_cli_format", "log_cli_date_format", "log_level", "log_format",
           "log_date_format", "log_file", "log_file_level", "log_file_format",
           "log_file_date_format", "log_auto_indent", "log_file_mode", "junit_family",
           "junit_suite_name", "junit_logging", "junit_log_passing_tests", "junit_duration_report",
           "cache_dir", "faulthandler_timeout", "faulthandler_exit_on_timeout",
           "truncation_limit_lines", "truncation_limit_chars", "verbosity_assertions",
           "verbosity_test_cases", "enable_assertion_pass_hook",
           "tmp_path_retention_count", "tmp_path_retention_policy", "doctest_optionflags",
           "doctest_encoding", "consider_namespace_packages", "strict_config",
           "strict_parametrization_ids", "parametrize_long_str_id_strategy"}
KNOWN_NEEDING_PYTEST = {"usefixtures", "required_plugins", "empty_parameter_set_mark",
                        "disable_test_id_escaping_and_forfeit_all_rights_to_community_support",
                        "strict_markers", "strict", "assertion_text_diff_style",
                        "doctest_glob", "pytester_example_dir", "max_warnings"}

SAFE_FLAGS = {"-v", "-vv", "-vvv", "-q", "-qq", "--verbose", "--quiet", "-l", "--showlocals",
              "--no-header", "--no-summary", "-s", "--capture=no", "--capture=sys",
              "--capture=fd", "--disable-warnings", "--disable-pytest-warnings",
              "--strict-config", "--no-showlocals", "-p no:cacheprovider", "--full-trace"}
SAFE_PREFIXES = ("-r", "--tb=", "--color=", "--durations=", "--durations-min=",
                 "--code-highlight=", "-W", "--pythonwarnings=", "--show-capture=",
                 "--log-level=", "--log-cli-level=", "--verbosity=")


class Config:
    def __init__(self, root: str) -> None:
        self.root = root
        self.file: Optional[str] = None
        self.python_files: List[str] = ["test_*.py", "*_test.py"]
        self.python_classes: List[str] = ["Test"]
        self.python_functions: List[str] = ["test"]
        self.norecursedirs: Optional[List[str]] = None
        self.testpaths: List[str] = []
        self.pythonpath: List[str] = []
        self.xfail_strict = False
        self.collect_imported_tests = True
        self.verbosity = 0  # -v/-q in addopts: pytest counts subtests differently
        self.subtest_verbosity: Optional[int] = None


def _split(value: Any) -> List[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return shlex.split(str(value))


def _lines(value: Any) -> List[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _ini(path: str, section: str, always: bool) -> Optional[Dict[str, Any]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as e:
        raise NeedsPytest(f"{os.path.basename(path)} that pykata cannot read ({e})") from None
    if parser.has_section(section):
        return dict(parser.items(section))
    return {} if always else None


def _toml_tables(path: str) -> Dict[str, Any]:
    with open(path, "rb") as handle:
        data = handle.read()
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise NeedsPytest(f"{os.path.basename(path)} that pykata cannot read ({e})") \
                from None
    return _mini_toml(data.decode("utf-8", "replace"), path)


def _mini_toml(text: str, path: str) -> Dict[str, Any]:
    """Just enough TOML for pytest's tables on Python < 3.11: strings, lists, booleans."""
    result: Dict[str, Any] = {}
    table: Optional[Dict[str, Any]] = None
    pending: Optional[Tuple[str, str]] = None
    for raw in text.splitlines():
        line = raw.strip()
        if pending is not None:
            key, acc = pending
            acc += " " + line
            if acc.count("[") <= acc.count("]"):
                assert table is not None
                table[key] = _toml_value(acc, path)
                pending = None
            else:
                pending = (key, acc)
            continue
        if not line or line.startswith("#"):
            continue
        header = re.match(r"^\[([^\[\]]+)\]$", line)
        if header:
            node = result
            for part in header.group(1).split("."):
                node = node.setdefault(part.strip().strip('"'), {})
            table = node
            continue
        if table is None or "=" not in line or line.startswith("[["):
            continue
        key, value = line.split("=", 1)
        key, value = key.strip().strip('"'), value.strip()
        if value.startswith("[") and value.count("[") > value.count("]"):
            pending = (key, value)
            continue
        table[key] = _toml_value(value, path)
    return result


def _toml_value(value: str, path: str) -> Any:
    value = re.sub(r"\s+#[^\"']*$", "", value).strip()
    if value in ("true", "false"):
        return value == "true"
    if value.startswith("["):
        items = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'', value)
        return [a or b for a, b in items]
    if value[:3] in ('"""', "'''"):
        raise NeedsPytest(f"multi-line strings in {os.path.basename(path)}")
    if value[:1] in ('"', "'"):
        return value[1:-1]
    if re.match(r"^-?\d+$", value):
        return int(value)
    return value


def _toml(path: str, pyproject: bool) -> Optional[Dict[str, Any]]:
    tables = _toml_tables(path)
    if pyproject:
        tool = tables.get("tool", {})
        pytest_table = tool.get("pytest", {}) if isinstance(tool, dict) else {}
        if isinstance(pytest_table, dict):
            options = pytest_table.get("ini_options")
            if isinstance(options, dict):
                return options
            rest = {k: v for k, v in pytest_table.items() if k != "ini_options"}
            if rest:
                return rest
        return None
    table = tables.get("pytest")
    return table if isinstance(table, dict) else {}


def read_settings(root: str) -> Tuple[Optional[str], Dict[str, Any]]:
    """(the config file, its pytest settings) as pytest would find them in ``root``."""
    for name in CONFIG_FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        if name in ("pytest.toml", ".pytest.toml"):
            found = _toml(path, False)
        elif name in ("pytest.ini", ".pytest.ini"):
            found = _ini(path, "pytest", True)
        elif name == "pyproject.toml":
            found = _toml(path, True)
        elif name == "tox.ini":
            found = _ini(path, "pytest", False)
        else:
            found = _ini(path, "tool:pytest", False)
        if found is not None:
            return name, found
    return None, {}


def _verbosity(tokens: List[str]) -> int:
    level = 0
    for token in tokens:
        if token in ("--verbose",):
            level += 1
        elif token in ("--quiet",):
            level -= 1
        elif token.startswith("--verbosity="):
            try:
                level = int(token.split("=", 1)[1])
            except ValueError:
                pass
        elif re.fullmatch(r"-v+", token):
            level += len(token) - 1
        elif re.fullmatch(r"-q+", token):
            level -= len(token) - 1
    return level


def _check_addopts(tokens: List[str]) -> None:
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "-p" and i + 1 < len(tokens) and tokens[i + 1] == "no:cacheprovider":
            i += 2
            continue
        if token in ("--tb", "--color", "--durations", "-W", "--capture", "--show-capture") \
                and i + 1 < len(tokens):
            i += 2
            continue
        if token in SAFE_FLAGS or token.startswith(SAFE_PREFIXES):
            i += 1
            continue
        raise NeedsPytest(f"the pytest option {token} (addopts)")


def load(root: str) -> Config:
    """The folder's settings; raises NeedsPytest for settings the runner cannot honour."""
    config = Config(root)
    name, settings = read_settings(root)
    config.file = name
    for key, value in settings.items():
        if key in IGNORED:
            continue
        if key == "python_files":
            config.python_files = _split(value)
            if any("/" in p or os.sep in p for p in config.python_files):
                raise NeedsPytest("python_files with folders in its patterns")
        elif key == "python_classes":
            config.python_classes = _split(value)
        elif key == "python_functions":
            config.python_functions = _split(value)
        elif key == "norecursedirs":
            config.norecursedirs = _split(value)
        elif key == "testpaths":
            config.testpaths = _split(value)
        elif key == "pythonpath":
            config.pythonpath = [os.path.normpath(os.path.join(root, p))
                                 for p in _split(value)]
        elif key in ("xfail_strict", "strict_xfail"):
            config.xfail_strict = _bool(value)
        elif key == "collect_imported_tests":
            config.collect_imported_tests = _bool(value)
        elif key == "addopts":
            _check_addopts(_split(value))
            config.verbosity = _verbosity(_split(value))
        elif key == "verbosity_subtests":
            if str(value).strip() != "auto":
                try:
                    config.subtest_verbosity = int(str(value).strip())
                except ValueError:
                    pass
        elif key == "filterwarnings":
            if any(line.split(":", 1)[0].strip() == "error" for line in _lines(value)):
                raise NeedsPytest("filterwarnings that turn warnings into errors")
        elif key in KNOWN_NEEDING_PYTEST:
            raise NeedsPytest(f"the pytest setting {key!r} in {name}")
        # any other key is unknown to pytest itself (a plugin's): pytest ignores it too
    return config


def subtests_quiet(config: Config) -> bool:
    """pytest 9 counts passed and skipped subtests only when not at verbosity 0."""
    level = config.subtest_verbosity if config.subtest_verbosity is not None \
        else config.verbosity
    return level == 0


def name_matches(name: str, patterns: List[str]) -> bool:
    """pytest's python_classes/python_functions test: a prefix or a glob."""
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if any(c in pattern for c in "*?[") and fnmatch.fnmatch(name, pattern):
            return True
    return False
