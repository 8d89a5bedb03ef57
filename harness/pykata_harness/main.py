"""Command line of the harness: parses arguments and dispatches to a mode."""
import argparse
import os
import platform
import sys
from typing import Any, Dict, List, Optional, Tuple

from . import PROTOCOL_VERSION
from .channel import Channel


# Modules the embedded engine's zygote may import ahead of the jobs it forks (between jobs,
# one at a time: a job forked before imports what it needs itself): the harness's own
# lazily imported modules and the standard library they use. None of them runs anything at
# import time that depends on the job (its streams, environment or files). A leading "?"
# marks a module that may be missing. The real pytest is never preloaded from here.
ZYGOTE_PRELOAD = [
    "pykata_harness.exercise",
    "pykata_harness.cases",
    "pykata_harness.serialize",
    "pykata_harness.loader",
    "pykata_harness.folder",
    *(
        "pykata_harness.folder." + name
        for name in (
            "approx", "assertrt", "builtin_fixtures", "capture", "collect", "config",
            "discovery", "doctests", "fixtures", "hooks", "localpath", "logcapture", "marks",
            "monkeypatch", "nodes", "outcomes", "pytest_config", "pytest_shim", "raises",
            "report", "rewrite", "runner", "saferepr", "select", "shim_extra", "state",
            "strict", "unittest_support", "warnfilters",
        )
    ),
    "unittest", "unittest.mock", "ast", "inspect", "tempfile", "logging", "configparser",
    "fractions", "decimal", "random", "json", "traceback", "pathlib", "fnmatch", "glob",
    "shlex", "reprlib", "collections", "functools", "enum", "warnings", "dataclasses",
    "importlib.machinery", "importlib.util", "textwrap", "difflib", "pprint", "time",
    "?tomllib", "doctest", "contextlib",
]


def zygote_warmup(harness_dir: str) -> None:
    """Work the embedded engine's zygote does once, after ``ZYGOTE_PRELOAD`` and between
    jobs (a job forked before it does without): building the
    argument parser and a first parse (argparse compiles its patterns lazily), reading the
    interpreter's version, the execution of the bundled exercises' cases files, unpacked
    beside the harness (pykata's own, trusted code: see ``exercise._EXECUTED``), and the
    folder runner's preparation (folder.prepare_zygote: the
    guard's record of the builtins, ``unittest`` and the harness's modules)."""
    parse_args(["exercise", "--cases", "c", "--submission", "s", "--module", "m", "--seed", "0",
                "--from", "0"])
    parse_args(["folder", "--dir", "d"])
    platform.python_version()  # parses sys.version once; platform keeps the result
    from glob import glob

    from .exercise import execute_bundled_cases

    exercises = os.path.join(os.path.dirname(os.path.abspath(harness_dir)), "exercises")
    execute_bundled_cases(
        sorted(glob(os.path.join(exercises, "**", "cases.py"), recursive=True)))
    # Last: it records the harness's modules as they are now.
    from .folder import prepare_zygote

    prepare_zygote()


def parse_args(argv: List[str]) -> argparse.Namespace:
    fast = _parse_grader_args(argv)
    return fast if fast is not None else _parser().parse_args(argv)


# What the grader passes after ``--channel-fd FD MODE``, in its order: (option, attribute,
# type or choices).
_GRADER_ARGS: Dict[str, Tuple[Tuple[str, str, Any], ...]] = {
    "exercise": (("--cases", "cases", str), ("--submission", "submission", str),
                 ("--module", "module", str), ("--seed", "seed", int),
                 ("--from", "start", int)),
    "folder": (("--dir", "dir", str), ("--pytest", "pytest", ("auto", "shim", "real")),
               ("--from", "start", int)),
}


def _parse_grader_args(argv: List[str]) -> Optional[argparse.Namespace]:
    """The argument list exactly as the grader builds it (every option once, in its order,
    no value that starts with ``-``), read without argparse: the Namespace argparse would
    return for it. None for any other list (argparse reads it, and explains errors)."""
    if len(argv) < 3 or argv[0] != "--channel-fd" or argv[2] not in _GRADER_ARGS:
        return None
    options = _GRADER_ARGS[argv[2]]
    if len(argv) != 3 + 2 * len(options) or \
            any(value.startswith("-") for value in [argv[1], *argv[4::2]]):
        return None
    values: Dict[str, Any] = {}
    try:
        values["channel_fd"] = int(argv[1])
        for (option, name, kind), given, value in zip(options, argv[3::2], argv[4::2]):
            if given != option:
                return None
            if isinstance(kind, tuple):
                if value not in kind:
                    return None
                values[name] = value
            else:
                values[name] = kind(value)
    except ValueError:
        return None
    return argparse.Namespace(mode=argv[2], **values)


_PARSERS: List[argparse.ArgumentParser] = []


def _parser() -> argparse.ArgumentParser:
    """The harness's argument parser, built once per process: in the embedded engine's
    zygote (``zygote_warmup``), so a job only parses. Parsing does not change it."""
    if not _PARSERS:
        _PARSERS.append(_build_parser())
    return _PARSERS[0]


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pykata-harness")
    parser.add_argument("--channel-fd", type=int, default=3)
    modes = parser.add_subparsers(dest="mode", required=True)

    exercise = modes.add_parser("exercise")
    exercise.add_argument("--cases", required=True)
    exercise.add_argument("--submission", required=True)
    exercise.add_argument("--module", required=True)
    exercise.add_argument("--seed", type=int, required=True)
    exercise.add_argument("--from", dest="start", type=int, default=0)

    folder = modes.add_parser("folder")
    folder.add_argument("--dir", required=True)
    folder.add_argument("--pytest", choices=["auto", "shim", "real"], default="auto")
    # the folder to collect, relative to --dir (the rootdir), and variables to set
    folder.add_argument("--arg", default="")
    folder.add_argument("--env", action="append", default=[])
    folder.add_argument("--from", dest="start", type=int, default=0)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    channel = Channel(args.channel_fd)
    channel.send(
        {"event": "start", "protocol": PROTOCOL_VERSION, "mode": args.mode,
         "python": platform.python_version()}
    )
    if args.mode == "exercise":
        from .exercise import run_exercise

        return run_exercise(args, channel)
    from .folder import run_folder

    return run_folder(args, channel)
