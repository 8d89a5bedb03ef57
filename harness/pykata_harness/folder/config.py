"""The pytest configuration of a folder, as far as the built-in runner honours it.

pytest reads the first of ``pytest.toml``, ``.pytest.toml``, ``pytest.ini``,
``.pytest.ini``, ``pyproject.toml`` (``[tool.pytest.ini_options]`` or ``[tool.pytest]``),
``tox.ini`` (``[pytest]``) and ``setup.cfg`` (``[tool:pytest]``) that holds pytest settings.
The built-in runner honours ``testpaths``, ``python_files``, ``python_classes``,
``python_functions``, ``norecursedirs``, ``pythonpath``, ``xfail_strict``,
``collect_imported_tests``, ``markers`` with ``--strict-markers``, ``--strict-config``,
``filterwarnings`` (``error`` included) and ``-W``, ``-x``/``--maxfail``, ``usefixtures``,
``--doctest-modules``, ``--doctest-glob``, ``doctest_optionflags``, ``-o`` overrides,
``--import-mode=importlib`` and the selection options (``--ignore``, ``--ignore-glob``,
``--deselect``, ``-m``, ``-k``: select.py).
It refuses nothing: options that do not change outcomes (coverage, reporting, ``-p``
plugins, ``--tb``, ``-ra``, timeouts, xdist) and anything it does not support are listed in
``Config.ignored``, which the runner reports in one notice.
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
        # Settings that change outcomes, honoured by the built-in runner.
        self.strict_markers = False
        self.strict_config = False
        self.markers: List[str] = []  # registered marker names
        self.maxfail = 0  # 0: never stop early
        self.filterwarnings: List[str] = []  # ini lines, then -W options (last wins)
        self.usefixtures: List[str] = []
        self.doctest_modules = False
        self.doctest_glob: List[str] = []
        self.doctest_optionflags: List[str] = []
        self.import_mode = "prepend"
        self.ignore: List[str] = []  # --ignore paths, relative to the rootdir
        self.ignore_glob: List[str] = []
        self.deselect: List[str] = []
        self.markexpr = ""  # -m
        self.keyword = ""  # -k
        self.ini: Dict[str, Any] = {}  # every setting as read, for config.getini
        self.unknown_keys: List[str] = []
        self.ignored: List[str] = []  # options and settings ignored (one notice)
        self.errors: List[str] = []  # settings that make pytest refuse the run


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


# Options that take a value as the next token when not written NAME=VALUE.
VALUE_OPTIONS = {"-n", "--numprocesses", "--dist", "--maxprocesses", "--cov", "--cov-report",
                 "--cov-config", "--cov-fail-under", "--cov-context", "--timeout",
                 "--timeout-method", "--tb", "--color", "--durations", "--durations-min", "-W",
                 "--pythonwarnings", "--capture", "--show-capture", "-p", "-k", "-m",
                 "--maxfail", "--doctest-glob", "--import-mode", "--rootdir", "-c",
                 "--confcutdir", "--basetemp", "--log-level", "--log-cli-level", "--junitxml",
                 "--junit-xml", "--html", "--reruns", "--reruns-delay", "-o",
                 "--override-ini", "--deselect", "--ignore", "--ignore-glob", "--log-file",
                 "--log-format", "--log-date-format", "--hypothesis-profile",
                 "--hypothesis-seed", "--randomly-seed", "--random-order-bucket",
                 "--benchmark-sort", "--benchmark-columns", "--verbosity", "-r",
                 "--doctest-report", "--cov-branch-report"}
# Options whose value is optional (``--cov`` alone or ``--cov src``).
OPTIONAL_VALUE = {"--cov"}


def _options(tokens: List[str]) -> List[Tuple[str, Optional[str], str]]:
    """(option, value, as written) of a command line; a bare word is a path (option "")."""
    result: List[Tuple[str, Optional[str], str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token.startswith("-") or token == "-":
            result.append(("", token, token))
            continue
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
            result.append((name, value, token))
            continue
        if token in VALUE_OPTIONS and i < len(tokens) and (
                token not in OPTIONAL_VALUE or not tokens[i].startswith("-")):
            result.append((token, tokens[i], f"{token} {tokens[i]}"))
            i += 1
            continue
        if not token.startswith("--") and len(token) > 2 and token[:2] in (
                "-p", "-k", "-m", "-W", "-n", "-c", "-o", "-r"):
            result.append((token[:2], token[2:], token))
            continue
        result.append((token, None, token))
    return result


OUTPUT_ONLY = ("-v", "-vv", "-vvv", "-q", "-qq", "--verbose", "--quiet", "-l", "--showlocals",
               "--no-header", "--no-summary", "-s", "--capture", "--disable-warnings",
               "--disable-pytest-warnings", "--no-showlocals", "--full-trace", "-r", "--tb",
               "--color", "--durations", "--durations-min", "--code-highlight",
               "--show-capture", "--log-level", "--log-cli-level", "--verbosity",
               "--log-file", "--log-format", "--log-date-format", "--junitxml",
               "--junit-xml", "--html", "--self-contained-html", "--instafail", "--sw",
               "--stepwise", "--doctest-continue-on-failure", "--doctest-report")
OUTPUT_PREFIXES = ("--cov", "--no-cov", "--timeout", "--benchmark", "--randomly", "-p", "-n",
                   "--numprocesses", "--dist", "--reruns", "--only-rerun", "--hypothesis",
                   "--mypy", "--flake8", "--black", "--isort", "--pylint")


def _apply_addopts(config: "Config", tokens: List[str], settings: Dict[str, Any]) -> None:
    for name, value, shown in _options(tokens):
        if name in ("-x", "--exitfirst"):
            config.maxfail = 1
        elif name == "--maxfail":
            try:
                config.maxfail = int(value or "0")
            except ValueError:
                config.ignored.append(shown)
        elif name in ("--strict-markers", "--strict"):
            config.strict_markers = True
        elif name == "--strict-config":
            config.strict_config = True
        elif name == "--import-mode" and value in ("prepend", "append", "importlib"):
            config.import_mode = "importlib" if value == "importlib" else "prepend"
            if value == "append":
                config.ignored.append(shown)
        elif name == "--ignore" and value:
            config.ignore.append(value)
        elif name == "--ignore-glob" and value:
            config.ignore_glob.append(value)
        elif name == "--deselect" and value:
            config.deselect.append(value)
        elif name == "-m" and value is not None:
            config.markexpr = value
        elif name == "-k" and value is not None:
            config.keyword = value
        elif name == "--doctest-modules":
            config.doctest_modules = True
        elif name == "--doctest-glob":
            if value:
                config.doctest_glob.append(value)
        elif name in ("-W", "--pythonwarnings"):
            if value:
                config.filterwarnings.append(value)
        elif name in ("-o", "--override-ini"):
            if value and "=" in value:
                key, val = value.split("=", 1)
                settings[key.strip()] = val
        elif name == "-p" and value is not None and value.startswith("no:"):
            pass  # disabling a plugin: nothing of it runs here anyway
        elif name in OUTPUT_ONLY or name.startswith(OUTPUT_PREFIXES):
            config.ignored.append(shown)
        else:
            config.ignored.append(shown + " (not supported)")


KNOWN_SETTINGS = IGNORED | {"python_files", "python_classes", "python_functions",
                            "norecursedirs", "testpaths", "pythonpath", "xfail_strict",
                            "strict_xfail", "collect_imported_tests", "addopts",
                            "verbosity_subtests", "filterwarnings", "usefixtures",
                            "required_plugins", "empty_parameter_set_mark", "strict_markers",
                            "strict", "doctest_glob", "markers", "strict_config",
                            "pytester_example_dir", "max_warnings", "assertion_text_diff_style",
                            "disable_test_id_escaping_and_forfeit_all_rights_to_community_"
                            "support"}


def load(root: str) -> Config:
    """The folder's settings. Nothing here refuses the folder: what is not honoured is
    listed in ``config.ignored`` (one notice); ``config.errors`` holds what makes pytest
    itself refuse the run (an unreadable file, ``--strict-config`` with unknown keys)."""
    config = Config(root)
    try:
        name, settings = read_settings(root)
    except NeedsPytest as e:
        config.errors.append(e.feature)
        return config
    config.file = name
    settings = dict(settings)
    if "addopts" in settings:
        tokens = _split(settings["addopts"])
        _apply_addopts(config, tokens, settings)
        config.verbosity = _verbosity(tokens)
    config.ini = settings
    for key, value in settings.items():
        if key in IGNORED and key not in ("markers", "doctest_optionflags", "strict_config"):
            continue
        if key == "python_files":
            config.python_files = _split(value)
            if any("/" in p or os.sep in p for p in config.python_files):
                config.ignored.append("python_files patterns with folders")
                config.python_files = [p for p in config.python_files
                                       if "/" not in p and os.sep not in p] \
                    or ["test_*.py", "*_test.py"]
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
        elif key == "verbosity_subtests":
            if str(value).strip() != "auto":
                try:
                    config.subtest_verbosity = int(str(value).strip())
                except ValueError:
                    pass
        elif key == "filterwarnings":
            config.filterwarnings = _lines(value) + config.filterwarnings
        elif key == "markers":
            config.markers.extend(marker_name(line) for line in _lines(value))
        elif key in ("strict_markers", "strict"):
            config.strict_markers = config.strict_markers or _bool(value)
        elif key == "strict_config":
            config.strict_config = config.strict_config or _bool(value)
        elif key == "usefixtures":
            config.usefixtures = _split(value)
        elif key == "doctest_optionflags":
            config.doctest_optionflags = _split(value)
        elif key == "doctest_glob":
            config.doctest_glob = _split(value) + config.doctest_glob
        elif key == "required_plugins":
            missing = [p for p in _split(value) if not _plugin_installed(p)]
            if missing:
                config.ignored.append("required_plugins " + " ".join(missing)
                                      + " (not installed here)")
        elif key in ("empty_parameter_set_mark", "max_warnings", "assertion_text_diff_style",
                     "pytester_example_dir"):
            config.ignored.append(f"the setting {key}")
        elif key not in KNOWN_SETTINGS:
            config.unknown_keys.append(key)
    if config.strict_config and config.unknown_keys:
        config.errors.append("Unknown config option: " + ", ".join(config.unknown_keys)
                             + " (--strict-config)")
    return config


def marker_name(line: str) -> str:
    """The name of a ``markers`` line (``slow: marks slow tests`` -> ``slow``)."""
    return re.split(r"[:(]", line, maxsplit=1)[0].strip()


def _plugin_installed(requirement: str) -> bool:
    name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].strip()
    try:
        from importlib import metadata

        metadata.distribution(name)
        return True
    except Exception:
        return False


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
