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


def prepare(harness_dir, preload, native_encoder=None):
    """Put the harness on sys.path, import it and the modules of ``preload``; hand
    ``native_encoder`` (the zygote's ``encode_line``, see encoder.rs) to the harness's
    channel; queue the harness's own ``ZYGOTE_PRELOAD`` list and its ``zygote_warmup`` for
    ``preload_step``, which the zygote calls while it has nothing else to do (so that the
    first jobs need not wait for them). Describe the interpreter.

    A module name that starts with ``?`` is optional: it is skipped when that module (not
    one it imports) does not exist. Returns a JSON object as text.
    """
    global _main, _harness_dir
    import importlib

    harness_dir = _harness_dir = os.path.abspath(harness_dir)
    # pykata_run.py does the same: `-I` leaves the script's folder off sys.path.
    sys.path.insert(0, harness_dir)
    _main = importlib.import_module("pykata_harness.main").main
    # The encoder reads the message's objects without locks: only under the GIL (a
    # free-threaded build keeps the json path).
    if native_encoder is not None and getattr(sys, "_is_gil_enabled", lambda: True)():
        # Every channel the children create then encodes with it (a harness without the
        # module or the hook keeps its own encoding).
        try:
            channel = importlib.import_module("pykata_harness.channel")
        except ModuleNotFoundError as exc:
            if exc.name not in ("pykata_harness.channel", "pykata_harness"):
                raise
            channel = None
        hook = getattr(channel, "use_native_encoder", None)
        if hook is not None:
            hook(native_encoder)
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


def _bundled_exercise(folder):
    """The module name of the bundled exercise in ``folder`` (unpacked beside the harness,
    so shipped with pykata and trusted like it), or None."""
    import re

    exercises = os.path.join(os.path.dirname(_harness_dir), "exercises") + os.sep
    if not os.path.abspath(folder).startswith(exercises):
        return None
    try:
        with open(os.path.join(folder, "exercise.toml"), encoding="utf-8") as handle:
            found = re.search(r'^module\s*=\s*"([A-Za-z_][A-Za-z0-9_]*)"', handle.read(), re.M)
    except OSError:
        return None
    if found and all(os.path.exists(os.path.join(folder, f)) for f in ("cases.py", "solution.py")):
        return found.group(1)
    return None


def learn_touched_pages():
    """Which pages of the zygote's memory a job writes to: runs the first bundled
    exercise's reference solution (shipped with pykata: trusted code) in a forked child,
    the way a job runs, and lists the writable pages that child then holds a private copy
    of. Each warm sandbox copies them ahead of its job (``MADV_POPULATE_WRITE``) instead of
    the job taking one copy-on-write fault per page. Returns ``[(start, length), ...]``,
    ``[]`` when there is no bundled exercise or anything goes wrong."""
    import glob

    exercises = os.path.join(os.path.dirname(_harness_dir), "exercises")
    folders = [os.path.dirname(toml) for toml in sorted(
        glob.glob(os.path.join(exercises, "**", "exercise.toml"), recursive=True))]
    sample = next(((f, m) for f in folders for m in [_bundled_exercise(f)] if m), None)
    if sample is None:
        return []
    folder, module = sample
    argv = ["--channel-fd", "3", "exercise", "--cases", os.path.join(folder, "cases.py"),
            "--submission", os.path.join(folder, "solution.py"), "--module", module,
            "--seed", "1"]
    import select
    import signal
    import time

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            # Nothing of the zygote's: /dev/null on 0-3 (3 was the control socket), the
            # pipe on 4, every other descriptor (the jobs' sockets) closed.
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2, 3):
                os.dup2(null, fd)
            os.dup2(write_end, 4)
            os.closerange(5, 1 << 16)
            before = _page_map()
            run_child(os.path.join(_harness_dir, "pykata_run.py"), argv, dict(os.environ))
            os.write(4, _private_pages(before))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + 10
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                chunks = []  # too slow: learn nothing rather than keep jobs waiting
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
    data = b"".join(chunks)
    return [
        (int.from_bytes(data[i:i + 8], "little"), int.from_bytes(data[i + 8:i + 16], "little"))
        for i in range(0, len(data) - 15, 16)
    ]


def _page_map():
    """{(region start, region end): pagemap entries} of this process's writable private
    mappings (the stack left out)."""
    page = os.sysconf("SC_PAGE_SIZE")
    found = {}
    fd = os.open("/proc/self/pagemap", os.O_RDONLY)
    try:
        with open("/proc/self/maps") as maps:
            regions = [line.split() for line in maps]
        for fields in regions:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if "w" not in fields[1] or "p" not in fields[1]:
                continue
            if len(fields) > 5 and fields[5].startswith("[stack"):
                continue
            found[(start, end)] = os.pread(fd, (end - start) // page * 8, start // page * 8)
    finally:
        os.close(fd)
    return found


def _private_pages(before):
    """The pages that were present in this process (so shared with the zygote) in the page
    map ``before`` and that it now holds a private copy of (copied on write): ranges of 16
    bytes each (start, length), little-endian."""
    page = os.sysconf("SC_PAGE_SIZE")
    ranges = []
    for (start, end), entries in _page_map().items():
        old = before.get((start, end))
        if old is None:
            continue
        run = None
        for i in range(0, min(len(entries), len(old)), 8):
            entry = int.from_bytes(entries[i:i + 8], "little")
            was = int.from_bytes(old[i:i + 8], "little")
            # bit 63: present; bit 56: mapped by this process only
            copied = was >> 63 & 1 and not was >> 56 & 1 and entry >> 63 & 1 and entry >> 56 & 1
            address = start + i // 8 * page
            if copied:
                if run is None:
                    run = [address, page]
                else:
                    run[1] += page
            elif run is not None:
                ranges.append(run)
                run = None
        if run is not None:
            ranges.append(run)
    return b"".join(a.to_bytes(8, "little") + n.to_bytes(8, "little") for a, n in ranges)


def precompile(path):
    """Compile a cases file a job named (``--cases``), so that the children forked from now
    on find it compiled; only for harnesses that offer it. Compiling runs none of it.
    Whether it was compiled anew (not when it already was, or was executed, from the same
    source)."""
    exercise = sys.modules.get("pykata_harness.exercise")
    if exercise is None:
        exercise = __import__("pykata_harness.exercise").exercise
    compile_ahead = getattr(exercise, "precompile_cases", None)
    return compile_ahead is not None and bool(compile_ahead([path]))


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


# The environment set_environment last set in this process (None: the zygote's own).
_environment = None


def set_environment(env):
    """Make ``env`` (a dict of str) this process's whole environment: ``os.environ``, the C
    library's and the raw copy CPython made at start-up (``posix.environ``: a fresh python3
    would find the job's environment there). A warm sandbox's main process calls it while
    it waits for its job, with the environment the latest job of its shape had, and
    ``run_child`` again with the job's own; the second call then finds nothing to do
    (setting it in a freshly forked process takes 0.2-0.4 ms of copy-on-write faults)."""
    global _environment
    if env == _environment:
        return
    os.environ.clear()
    os.environ.update(env)
    posix = sys.modules.get("posix")
    if posix is not None:
        posix.environ.clear()
        posix.environ.update((os.fsencode(k), os.fsencode(v)) for k, v in env.items())
    _environment = dict(env)


def run_child(argv0, argv, env):
    """Run the harness in this freshly forked child; return the process exit code."""
    sys.stdout = sys.__stdout__ = _reopen(1, sys.__stdout__, False)
    sys.stderr = sys.__stderr__ = _reopen(2, sys.__stderr__, True)
    set_environment(env)
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
