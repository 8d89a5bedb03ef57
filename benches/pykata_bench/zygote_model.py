"""A model of the embedded engine's children in plain Python, to price what a child does.

usage: python3 -I -B zygote_model.py HARNESS_DIR ROUNDS SCRATCH EXERCISE_ARGS_JSON FOLDER_ARGS_JSON

Like the zygote, a parent process imports the harness (``pykata_harness.main``,
``.exercise``, ``.folder``), prepares itself as the variant says, freezes the garbage
collector, then forks one child per run; the child points fds 1-3 at /dev/null, enters
SCRATCH, runs the harness's ``main`` on the job's arguments and ``os._exit``s. No sandbox,
no Rust: only the Python side. The variants' parents:

- ``harness imported only``: nothing more;
- ``argparse warmed``: has parsed one argument list of each mode (``locale`` imported,
  argparse's regular expressions compiled);
- ``prepared as this commit's zygote``: has imported the harness's ``ZYGOTE_PRELOAD`` and
  run its ``zygote_warmup`` (both optional: a harness without them gets argparse warmed,
  the cases file compiled and the folder runner's modules imported instead).

Prints a JSON list of [variant, [milliseconds...]], the variants interleaved per round.
"""
import gc
import importlib
import json
import os
import sys
import time

FOLDER_MODULES = ("discovery pytest_shim rewrite builtin_fixtures capture collect fixtures "
                  "nodes outcomes runner state config").split()


def run_forked(main, argv, scratch):
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            for fd in (1, 2, 3):
                os.dup2(null, fd)
            os.chdir(scratch)
            code = main(list(argv)) or 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter() - started) * 1000.0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"a model child failed on {argv}")
    return elapsed


def main():
    harness, rounds, scratch, exercise_json, folder_json = sys.argv[1:6]
    exercise_argv = json.loads(exercise_json)
    folder_argv = json.loads(folder_json)
    sys.path.insert(0, harness)
    for name in ("pykata_harness.main", "pykata_harness.exercise", "pykata_harness.folder"):
        importlib.import_module(name)
    harness_main = sys.modules["pykata_harness.main"]
    exercise_module = sys.modules["pykata_harness.exercise"]

    def warm():
        harness_main.parse_args(exercise_argv)
        harness_main.parse_args(folder_argv)

    def as_zygote():
        names = getattr(harness_main, "ZYGOTE_PRELOAD", None)
        warmup = getattr(harness_main, "zygote_warmup", None)
        if names is None or warmup is None:
            warm()
            cases = exercise_argv[exercise_argv.index("--cases") + 1]
            with open(cases, "rb") as handle:
                code = compile(handle.read(), os.path.abspath(cases), "exec", dont_inherit=True)
            real_compile = compile
            exercise_module.compile = (
                lambda source, filename, *rest, **kw: code
                if filename == os.path.abspath(cases) else real_compile(source, filename, *rest, **kw)
            )
            for name in FOLDER_MODULES:
                importlib.import_module("pykata_harness.folder." + name)
            importlib.import_module("unittest")
            return
        for name in names:
            try:
                importlib.import_module(name.lstrip("?"))
            except ModuleNotFoundError:
                if not name.startswith("?"):
                    raise
        warmup(harness)

    # Each variant is a parent process of its own (forked from this one and prepared as the
    # variant says), which forks the measured children on request.
    variants = {
        "exercise (retry), harness imported only": ([], exercise_argv),
        "exercise (retry), argparse warmed": ([warm], exercise_argv),
        "exercise (retry), prepared as this commit's zygote": ([as_zygote], exercise_argv),
        "folder, harness imported only": ([], folder_argv),
        "folder, prepared as this commit's zygote": ([as_zygote], folder_argv),
    }
    parents = {}
    for name, (steps, argv) in variants.items():
        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(requests_write)
            os.close(answers_read)
            for step in steps:
                step()
            gc.collect()
            gc.freeze()
            requests = os.fdopen(requests_read, "rb", buffering=0)
            while requests.read(1) == b"r":
                elapsed = run_forked(harness_main.main, argv, scratch)
                os.write(answers_write, (repr(elapsed) + "\n").encode())
            os._exit(0)
        os.close(requests_read)
        os.close(answers_write)
        parents[name] = (pid, requests_write, os.fdopen(answers_read, "rb"))

    results = {name: [] for name in variants}
    for _ in range(int(rounds)):
        for name, (_, requests, answers) in parents.items():
            os.write(requests, b"r")
            results[name].append(float(answers.readline()))
    for pid, requests, _ in parents.values():
        os.write(requests, b"q")
        os.close(requests)
        os.waitpid(pid, 0)
    print(json.dumps(list(results.items())))


if __name__ == "__main__":
    main()
