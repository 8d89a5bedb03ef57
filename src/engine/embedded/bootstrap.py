"""The Python half of pykata's embedded zygote (compiled into the binary; not the harness).

``prepare`` runs once in the zygote, after the interpreter is initialised. ``run_child`` runs
in each forked child and does what ``python3 -I -B HARNESS/pykata_run.py ARGV...`` would do
from the moment the harness is imported: the same ``sys.argv``, ``sys.path``, environment,
standard streams, exit code and shutdown steps (threads joined, atexit handlers run,
streams flushed), so both engines give the same verdicts.
"""
import io
import json
import os
import sys

_main = None


_pending = []  # what preload_step still has to import, then the warm-up
_loaded = []
_missing = []
_WARM_UP = object()
_harness_dir = None


def prepare(harness_dir, preload):
    """Put the harness on sys.path, import it and the modules of ``preload``; queue the
    harness's own ``ZYGOTE_PRELOAD`` list and its ``zygote_warmup`` for ``preload_step``,
    which the zygote calls while it has nothing else to do (so that the first jobs need not
    wait for them). Describe the interpreter.

    A module name that starts with ``?`` is optional: it is skipped when that module (not
    one it imports) does not exist. Returns a JSON object as text.
    """
    global _main, _harness_dir
    import importlib

    harness_dir = _harness_dir = os.path.abspath(harness_dir)
    # pykata_run.py does the same: `-I` leaves the script's folder off sys.path.
    sys.path.insert(0, harness_dir)
    _main = importlib.import_module("pykata_harness.main").main
    for name in preload:
        _import(name)
    # The harness knows which of its own (lazily imported) modules and which standard
    # library modules are safe to import ahead of a job: ZYGOTE_PRELOAD in its main module.
    declared = getattr(sys.modules["pykata_harness.main"], "ZYGOTE_PRELOAD", [])
    _pending[:] = [*declared, _WARM_UP]
    return json.dumps(
        {
            "version": sys.version,
            "executable": sys.executable,
            "prefix": sys.prefix,
            "base_prefix": sys.base_prefix,
            "stdlib": os.path.dirname(os.__file__),
            "argv0": os.path.join(harness_dir, "pykata_run.py"),
            "preloaded": list(_loaded),
            "missing": list(_missing),
        }
    )


def _import(name):
    import importlib

    optional = name.startswith("?")
    name = name.lstrip("?")
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if optional and exc.name is not None and (name + ".").startswith(exc.name + "."):
            _missing.append(name)
            return
        raise
    _loaded.append(name)


def preload_step():
    """Do the next piece of the queued work: import one module, or, last, the harness's
    warm-up and the freezing of everything imported. Returns whether work remains."""
    if not _pending:
        return False
    item = _pending.pop(0)
    if item is _WARM_UP:
        # Work the harness wants done once, ahead of every job (it runs no job's code).
        warmup = getattr(sys.modules["pykata_harness.main"], "zygote_warmup", None)
        if warmup is not None:
            warmup(_harness_dir)
        # Everything imported so far lives as long as the zygote: keep it out of the
        # children's garbage collections, which would otherwise touch (and so copy) every
        # page of it.
        import gc

        gc.collect()
        gc.freeze()
    else:
        _import(item)
    return bool(_pending)


def _reopen(fd, old, line_buffering):
    # What CPython's create_stdio() builds at start-up, on the job's descriptor: the zygote's
    # own streams were made for /dev/null (seekable, never a tty).
    buffered = io.open(fd, "wb", closefd=False)
    stream = io.TextIOWrapper(
        buffered,
        encoding=old.encoding,
        errors=old.errors,
        newline="\n",
        line_buffering=line_buffering or buffered.raw.isatty(),
    )
    stream.mode = "w"
    return stream


def _exit_code(code):
    # CPython's handling of SystemExit (and so of `sys.exit(main(argv))`).
    if code is None:
        return 0
    if isinstance(code, int):
        return code if -(2**31) <= code < 2**31 else -1
    try:
        print(code, file=sys.stderr)
    except Exception:
        pass
    return 1


def _finish(code):
    # The first steps of Py_FinalizeEx, in its order; the child then _exit()s, skipping the
    # slow teardown of a large interpreter.
    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()
        except BaseException:
            sys.excepthook(*sys.exc_info())
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except Exception:
        code = 120  # what CPython exits with when flushing stdout fails at shutdown
    try:
        sys.stderr.flush()
    except Exception:
        pass
    return code


def run_child(argv0, argv, env):
    """Run the harness in this freshly forked child; return the process exit code."""
    sys.stdout = sys.__stdout__ = _reopen(1, sys.__stdout__, False)
    sys.stderr = sys.__stderr__ = _reopen(2, sys.__stderr__, True)
    os.environ.clear()
    os.environ.update(env)
    # The raw copy CPython made of the zygote's environment at start-up: a fresh python3
    # would find the job's environment there.
    posix = sys.modules.get("posix")
    if posix is not None:
        posix.environ.clear()
        posix.environ.update((os.fsencode(k), os.fsencode(v)) for k, v in env.items())
    tempfile = sys.modules.get("tempfile")
    if tempfile is not None:
        tempfile.tempdir = None  # computed from the zygote's TMPDIR, not the job's
    sys.argv = [argv0, *argv]
    sys.orig_argv = [sys.executable, "-I", "-B", argv0, *argv]
    main_module = sys.modules["__main__"]
    main_module.__file__ = argv0
    main_module.__cached__ = None
    try:
        code = _exit_code(_main(list(argv)))
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    return _finish(code)
