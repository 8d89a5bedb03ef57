"""Exercise mode: load the cases file, then the submission, run every case, report.

The cases file is loaded first, before any learner code runs, under the module name
``loader.CASES_MODULE``; the submission then becomes module ``--module`` (also in
``sys.modules``). The names of the cases go to the grader (``collected``), then, for each
case from index ``--from`` on, ``begin`` and the ``case`` message, then the ``done`` record; a submission that cannot be loaded gets one ``load_error`` and ``done``
with count 0. A broken cases file is the author's fault, not the learner's: it is printed
on stderr and the run stops with exit code 2 and no ``done``.
"""
import argparse
import os
import sys
import traceback
from types import CodeType, ModuleType
from typing import Dict, List, Sequence, Tuple

from .cases import CaseSpec, remember_streams, run_case, take_registered
from .channel import Channel
from .loader import CASES_MODULE, load_submission
from .serialize import wire_text


def run_exercise(args: argparse.Namespace, channel: Channel) -> int:
    """Run exercise mode (docs/protocol.md); returns the harness's exit code."""
    remember_streams()
    try:
        specs, required = load_cases(args.cases)
    except Exception:
        sys.stderr.write(f"pykata: the cases file {args.cases} could not be loaded:\n")
        traceback.print_exc()
        return 2
    loaded = load_submission(args.submission, args.module, required)
    if loaded.error is not None:
        channel.send(loaded.error)
        channel.send({"event": "done", "count": 0})
        return 0
    # The grader learns the cases first, then which one begins before each runs: when a
    # limit stops this process in a case, it knows which, and starts a fresh run of the
    # cases after it (``--from``).
    # Each ``begin`` goes out in the same write as what comes before it (one wake-up of the
    # grader per case, as without them), always before its case runs.
    names = [wire_text(spec.name) for spec in specs]
    first = max(args.start, 0)
    pending = [{"event": "collected", "ids": names}]
    count = 0
    for index in range(first, len(specs)):
        channel.send_all(*pending, {"event": "begin", "index": index, "id": names[index]})
        pending = [run_case(specs[index], loaded.module, loaded.files, args.seed)]
        count += 1
    channel.send_all(*pending, {"event": "done", "count": count})
    return 0


# Compiled cases files by absolute path, with the source they were compiled from. Filled
# by the embedded engine's zygote before it forks (``precompile_cases``), so its children
# skip compiling the bundled cases files; a cached entry is used only for identical source.
_COMPILED: Dict[str, Tuple[bytes, CodeType]] = {}


def _compiled(path: str, source: bytes) -> CodeType:
    """The code of cases file ``path`` holding ``source``: compiled ahead if it was."""
    cached = _COMPILED.get(path)
    if cached is not None and cached[0] == source:
        return cached[1]
    return compile(source, path, "exec", dont_inherit=True)


def precompile_cases(paths: Sequence[str]) -> bool:
    """Compile cases files ahead of the runs that will load them (files that do not
    compile are left for the run to report); whether any was compiled anew (a file already
    compiled or executed from the same source is left as it is)."""
    added = False
    for path in paths:
        path = os.path.abspath(path)
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError:
            continue
        if any(entry is not None and entry[0] == source
               for entry in (_EXECUTED.get(path), _COMPILED.get(path))):
            continue
        try:
            _COMPILED[path] = (source, compile(source, path, "exec", dont_inherit=True))
        except (SyntaxError, ValueError):
            continue
        added = True
    return added


# Bundled cases files already executed, by absolute path: their source, module, cases and
# REQUIRED names. Filled by the embedded engine's zygote (``execute_bundled_cases``) with
# pykata's own catalogue only, never with a cases file a job names: executing one runs it,
# and the zygote is not sandboxed. Each child forked afterwards starts from its own copy of
# the freshly executed module, as if it had executed the file itself; used for identical
# source only.
_EXECUTED: Dict[str, Tuple[bytes, ModuleType, List[CaseSpec], Sequence[str]]] = {}


def execute_bundled_cases(paths: Sequence[str]) -> None:
    """Execute trusted cases files (pykata's own catalogue) ahead of the runs that load
    them; a file that fails is left for the run to report."""
    for path in paths:
        path = os.path.abspath(path)
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            module, specs, required = _execute_cases(path, _compiled(path, source))
        except Exception:
            take_registered()
            continue
        finally:
            sys.modules.pop(CASES_MODULE, None)
        _EXECUTED[path] = (source, module, specs, required)


def load_cases(path: str) -> Tuple[List[CaseSpec], Sequence[str]]:
    """Execute the cases file; return its cases in definition order and its REQUIRED names."""
    path = os.path.abspath(path)
    with open(path, "rb") as handle:
        source = handle.read()
    executed = _EXECUTED.get(path)
    if executed is not None and executed[0] == source:
        sys.modules[CASES_MODULE] = executed[1]
        return executed[2], executed[3]
    _, specs, required = _execute_cases(path, _compiled(path, source))
    return specs, required


def _execute_cases(path: str, code: CodeType) -> Tuple[ModuleType, List[CaseSpec],
                                                      Sequence[str]]:
    module = ModuleType(CASES_MODULE)
    module.__file__ = path
    sys.modules[CASES_MODULE] = module
    take_registered()
    exec(code, module.__dict__)
    specs = take_registered()
    required = module.__dict__.get("REQUIRED", [])
    if not isinstance(required, (list, tuple)) or not all(type(n) is str for n in required):
        raise TypeError("REQUIRED must be a list of the names the submission must define")
    if not specs:
        raise ValueError("the cases file registers no case (@case / @random_case)")
    return module, specs, required
