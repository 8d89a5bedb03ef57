"""The case API of an exercise's cases.py, and the running of one case.

A cases file registers its cases with ``@case(name)`` and ``@random_case(name, runs=N)``
(see docs/authoring.md). Each case function gets a ``t`` object: ``t.module`` is the
learner's module, ``t.call``/``t.method`` call the learner's code and record what came
back (a value, or the type of what was raised) as a step, and ``t.note`` records anything
else the case observed. The steps are compared with the reference's by the grader; nothing
here decides a verdict.
"""
import io
import os
import random
import sys
from builtins import BaseException, TypeError, bool, bytes, getattr, int, isinstance, len, list, next, str, type
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, TypeVar

from .loader import describe_current_exception
from .serialize import render, serialize, unobserved, wire_text

OUTPUT_LIMIT = 64 * 1024
TRUNCATED = "\n[output truncated]\n"
LABEL_LIMIT = 500

F = TypeVar("F", bound=Callable[..., Any])

_Random = random.Random
_StringIO = io.StringIO
_set_recursion_limit = sys.setrecursionlimit
_RECURSION_LIMIT = sys.getrecursionlimit()
# The streams of this run, remembered when the run starts (not at import: the embedded
# engine imports the harness once in its zygote, whose streams are not the job's).
_REAL_STREAMS = (sys.stdin, sys.stdout, sys.stderr)


def remember_streams() -> None:
    """Record the run's real standard streams; call before any learner code runs."""
    global _REAL_STREAMS
    _REAL_STREAMS = (sys.stdin, sys.stdout, sys.stderr)


class CaseSpec(NamedTuple):
    """One registered case: ``runs`` is None for a plain case, N for a random one."""

    name: str
    function: Callable[..., Any]
    points: int
    hidden: bool
    runs: Optional[int]


_registry: List[CaseSpec] = []


def case(name: str, *, points: int = 1, hidden: bool = False) -> Callable[[F], F]:
    """Register ``function(t)`` as a case called ``name`` (shown to the learner)."""
    return _registrar(name, points, hidden, None)


def random_case(name: str, *, runs: int = 20, points: int = 1,
                hidden: bool = False) -> Callable[[F], F]:
    """Register ``function(t, rng)`` as a case run ``runs`` times, each run with its own
    ``random.Random(f"{seed}:{name}:{run}")``; reported as one case."""
    if type(runs) is not int or runs < 1:
        raise ValueError(f"random_case({name!r}): runs must be an int of at least 1")
    return _registrar(name, points, hidden, runs)


def _registrar(name: str, points: int, hidden: bool, runs: Optional[int]) -> Callable[[F], F]:
    if type(name) is not str or not name.strip():
        raise TypeError('a case needs a name first: @case("what it checks")')
    if type(points) is not int or points < 0:
        raise ValueError(f"case {name!r}: points must be an int of at least 0")
    if type(hidden) is not bool:
        raise TypeError(f"case {name!r}: hidden must be True or False")

    def register(function: F) -> F:
        if not callable(function):
            raise TypeError(f"case {name!r} must decorate a function")
        if any(spec.name == name for spec in _registry):
            raise ValueError(f"two cases are named {name!r}: case names must be unique")
        _registry.append(CaseSpec(name, function, points, hidden, runs))
        return function

    return register


def take_registered() -> List[CaseSpec]:
    """The cases registered since the last call, in definition order; clears the registry."""
    specs = list(_registry)
    _registry.clear()
    return specs


_write = os.write  # bound now: learner code may replace os.write later


def _spill(text: str) -> None:
    """What a case's capture cannot keep goes to file descriptor 1, the run's stdout as the
    grader sees it, where it counts toward the run's output cap: a case that prints without
    end is stopped for its output, not by its time limit."""
    data = text.encode("utf-8", "replace")
    try:
        while data:
            data = data[_write(1, data):]
    except OSError:
        pass


class Output(io.TextIOBase):
    """Stands in for stdout and stderr during a case: keeps the first ``OUTPUT_LIMIT``
    characters of what is written, marks the rest as cut and passes it on to the run's
    stdout (``_spill``)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self) -> None:
        super().__init__()
        self._parts: List[str] = []
        self._room = OUTPUT_LIMIT
        self._cut = False
        self.buffer = _BinaryOutput(self)

    def write(self, text: str) -> int:
        if type(text) is not str:
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.add(text)
        return len(text)

    def add(self, text: str) -> None:
        if len(text) > self._room:
            _spill(text[self._room:])
            text = text[:self._room]
            self._cut = True
        self._room -= len(text)
        self._parts.append(text)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return wire_text("".join(self._parts) + (TRUNCATED if self._cut else ""))


class _BinaryOutput:
    """``sys.stdout.buffer`` of an ``Output``: bytes are decoded and kept with the text."""

    def __init__(self, output: Output) -> None:
        self._output = output

    def write(self, data: bytes) -> int:
        self._output.add(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self) -> None:
        pass


def _install(output: Optional[Output]) -> None:
    """Point the standard streams at ``output`` (None: back to the real ones) and restore
    the recursion limit: learner code may have replaced or changed any of them."""
    if output is None:
        sys.stdin, sys.stdout, sys.stderr = _REAL_STREAMS
    else:
        sys.stdin, sys.stdout, sys.stderr = _StringIO(""), output, output
    _set_recursion_limit(_RECURSION_LIMIT)


class T:
    """What a case function drives the learner's code through (the ``t`` argument)."""

    def __init__(self, module: Any, files: Mapping[str, str], run: Optional[int],
                 steps: List[List[Any]], output: Output) -> None:
        self.module = module
        self._files = files
        self._run = run
        self._steps = steps
        self._output = output

    def call(self, label: str, fn: Callable[..., Any], /, *args: Any, observe: bool = True,
             **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` and record a "call" step: its value (or
        ``["unobserved"]`` when ``observe`` is false), or the exception it raised. Returns
        the result, or None when it raised."""
        _check_label(label)
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            raised = describe_current_exception(self._files)
            _install(self._output)
            self._record(label, "raised", raised)
            return None
        _install(self._output)
        self._record(label, "call", serialize(result) if observe else unobserved())
        return result

    def method(self, obj: Any, name: str, /, *args: Any, observe: bool = True,
               **kwargs: Any) -> Any:
        """``t.call`` of ``obj.name(*args, **kwargs)``, labelled ``name(args)``; a missing
        attribute is recorded as a raised AttributeError."""
        if type(name) is not str:
            raise TypeError("t.method(obj, name, ...): name must be a string")
        shown = [render(serialize(arg)) for arg in args]
        shown += [key + "=" + render(serialize(value)) for key, value in kwargs.items()]
        label = name + "(" + ", ".join(shown) + ")"
        return self.call(label, _call_method, obj, name, args, kwargs, observe=observe)

    def note(self, label: str, value: Any) -> None:
        """Record a "note" step: something the case observed that is not a return value."""
        _check_label(label)
        self._record(label, "note", serialize(value))

    def _record(self, label: str, kind: str, observed: Any) -> None:
        """Append a step in its wire form (docs/protocol.md, STEP): ``[label, kind,
        observed]``, where kind is "call" (observed: the VALUE returned), "raised" (the
        exception) or "note" (a VALUE); a random case's steps end with the run index."""
        label = wire_text(label, LABEL_LIMIT)
        if self._run is None:
            self._steps.append([label, kind, observed])
        else:
            self._steps.append([label, kind, observed, self._run])


def _call_method(obj: Any, name: str, args: Any, kwargs: Any) -> Any:
    return getattr(obj, name)(*args, **kwargs)


def _check_label(label: Any) -> None:
    if type(label) is not str:
        raise TypeError("a step label must be a string")


def run_case(spec: CaseSpec, module: Any, files: Mapping[str, str],
             seed: int) -> Dict[str, Any]:
    """Run one case (every run of a random case) and return its ``case`` message."""
    steps: List[List[Any]] = []
    output = Output()
    error = None
    runs: List[Optional[int]] = [None] if spec.runs is None else list(range(spec.runs))
    _install(output)
    try:
        for run in runs:
            t = T(module, files, run, steps, output)
            try:
                if run is None:
                    spec.function(t)
                else:
                    spec.function(t, _Random(f"{seed}:{spec.name}:{run}"))
            except BaseException:
                error = describe_current_exception(files)
                break
    finally:
        _install(None)
    return {"event": "case", "name": wire_text(spec.name), "points": spec.points,
            "hidden": spec.hidden, "random": spec.runs is not None, "steps": steps,
            "error": error, "output": output.text()}


def builtin_errors(function: Callable[..., Any], *errors: type) -> Callable[..., Any]:
    """`function`, except that an exception of a subclass of one of `errors` (builtin
    exception types) is raised as that builtin type, with the same message.

    The grader compares exception types exactly, but a README that says "raises
    IndexError" is also met by a learner's own `class EmptyBuffer(IndexError)`: wrap the
    learner's callable with this where such a subclass must count as the builtin. The
    learner's traceback is kept, so the report still points at their line."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except errors as error:
            base = next(base for base in errors if isinstance(error, base))
            if type(error) is base:
                raise
            raise base(*error.args).with_traceback(error.__traceback__) from error

    return call
