#!/usr/bin/env python3
"""Compare pykata's folder mode with the real pytest on tests/fixtures/plain/* (stdlib only).

Each fixture folder holds ``expected.json``: what ``python -m pytest`` reports for it, run
inside a copy of the folder with ``-p no:cacheprovider`` and bytecode off::

    {"pytest_version": "9.2.0", "python": "3.11.7",
     "passed": N, "failed": N, "errors": N, "skipped": N, "xfailed": N, "xpassed": N,
     "collect_errors": ["test_broken.py"],
     "tests": {"<node id>": "passed|failed|error|skipped|xfailed|xpassed"},
     "subtests": {"<node id>": {"(i=3)": "passed|failed|skipped"}},
     "shim_needs_pytest": false,
     "pykata_differs": {"shim": {"<node id>": "failed"}, "real": {...}}}

The counts are pytest's summary line. ``tests`` holds one status per test item: its setup,
call and teardown reports folded into one (a failed teardown makes a passed test "error");
a module skipped at import appears under its file's node id. ``subtests`` holds every
subtest report of pytest >= 9 (unittest ``subTest`` and the ``subtests`` fixture); pytest
counts failed and skipped subtests in ``failed``/``skipped`` and does not count passed ones.
``shim_needs_pytest`` says that pykata's built-in runner reports ``needs_pytest`` for this
folder (the grader then reruns it with ``--pytest real``). ``pykata_differs`` (written by
hand, kept by ``--regen``) lists, per runner (``shim``: built-in, ``real``: pytest through
the harness), the tests whose status pykata gives differently *by design* (strict equality,
docs/protocol.md); the check applies it, counts adjusted, before comparing.

Usage::

    # regenerate expected.json with a Python that has pytest (never the system Python:
    # python3 -m venv /tmp/pytest-venv && /tmp/pytest-venv/bin/pip install pytest)
    python3 tests/plain_vs_pytest.py --regen --pytest-python /tmp/pytest-venv/bin/python

    # check pykata's harness (built-in runner) against expected.json
    python3 tests/plain_vs_pytest.py [--python PY] [--pytest-python PY] [NAME ...]

    # check the harness's real-pytest mode (its plugin) against expected.json
    python3 tests/plain_vs_pytest.py --runner real --pytest-python /tmp/pytest-venv/bin/python

With ``--pytest-python`` the check also reruns the real pytest (did expected.json drift?) and
runs folders that need pytest through the harness's ``--pytest real`` mode with that Python.
pykata's messages become pytest-shaped results the same way the Rust side must do it (see
docs/protocol.md, "Folder mode"): each ``collect_error`` counts one error; each ``test``
counts the categories listed in its ``pytest_outcomes`` (the item's own outcome, then its
failed/skipped subtests, then "error" for a failed teardown); its entry in ``tests`` is the
first of them, made "error" when ``teardown_error`` is present and the first is
passed/skipped/xfailed/xpassed. Exit status 0 when everything agrees, 1 otherwise.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(HERE, "fixtures", "plain")
HARNESS = os.path.join(REPO, "harness", "pykata_run.py")
COUNTS = ("passed", "failed", "errors", "skipped", "xfailed", "xpassed")

PLUGIN = r'''
import json, os

_phases = {}
_order = []
_subtests = {}
_collect_errors = []
_module_skips = []
_counts = {}


def pytest_collectreport(report):
    if report.failed:
        _collect_errors.append(report.nodeid)
    elif report.skipped and report.nodeid:
        _module_skips.append(report.nodeid)


def pytest_runtest_logreport(report):
    if type(report).__name__ == "SubtestReport":
        name = report._sub_test_description()
        if hasattr(report, "wasxfail") and report.skipped:
            status = "xfailed"
        else:
            status = report.outcome
        table = _subtests.setdefault(report.nodeid, {})
        key, n = name, 1
        while key in table:
            n += 1
            key = f"{name} #{n}"
        table[key] = status
        return
    if report.nodeid not in _phases:
        _order.append(report.nodeid)
    _phases.setdefault(report.nodeid, {})[report.when] = [report.outcome,
                                                          hasattr(report, "wasxfail")]


def pytest_terminal_summary(terminalreporter):
    for key, reports in terminalreporter.stats.items():
        if key:
            _counts[key] = len(reports)


def pytest_unconfigure(config):
    import pytest
    out = {"pytest_version": pytest.__version__, "counts": _counts, "order": _order,
           "phases": _phases, "subtests": _subtests, "collect_errors": _collect_errors,
           "module_skips": _module_skips}
    with open(os.environ["PYKATA_EXPECT_OUT"], "w") as handle:
        json.dump(out, handle)
'''


def fold(phases):
    """One status for a test item from its setup/call/teardown reports."""
    setup, call, teardown = phases.get("setup"), phases.get("call"), phases.get("teardown")
    if setup and setup[0] == "failed":
        status = "error"
    elif setup and setup[0] == "skipped":
        status = "xfailed" if setup[1] else "skipped"
    elif call:
        outcome, wasxfail = call
        status = {"passed": "xpassed" if wasxfail else "passed", "failed": "failed",
                  "skipped": "xfailed" if wasxfail else "skipped"}[outcome]
    else:
        status = "error"
    if teardown and teardown[0] == "failed" and status in ("passed", "skipped", "xfailed",
                                                           "xpassed"):
        status = "error"
    return status


def copy_folder(src, dest):
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("expected.json", "__pycache__",
                                                             ".pytest_cache"))


def listing(folder):
    found = set()
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            found.add(os.path.relpath(os.path.join(base, name), folder))
    return found


def env_without_bytecode(extra=None):
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    if extra:
        env.update(extra)
    return env


def run_pytest(python, folder):
    """What the real pytest reports for ``folder`` (run in a copy), in expected.json's shape."""
    with tempfile.TemporaryDirectory(prefix="pykata-expect-") as tmp:
        copy = os.path.join(tmp, "work")
        copy_folder(folder, copy)
        before = listing(copy)
        plugin_dir = os.path.join(tmp, "plugin")
        os.mkdir(plugin_dir)
        with open(os.path.join(plugin_dir, "_pykata_expect.py"), "w") as handle:
            handle.write(PLUGIN)
        out = os.path.join(tmp, "out.json")
        env = env_without_bytecode({"PYKATA_EXPECT_OUT": out, "PYTHONPATH": plugin_dir})
        proc = subprocess.run([python, "-B", "-m", "pytest", "-p", "no:cacheprovider", "-p",
                               "_pykata_expect", "--rootdir", copy, "-rA"],
                              cwd=copy, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=300)
        if not os.path.exists(out):
            raise SystemExit(f"pytest did not report on {folder}:\n{proc.stdout}")
        with open(out) as handle:
            raw = json.load(handle)
        python_version = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            stdout=subprocess.PIPE, text=True).stdout.strip()
        leftovers = sorted(listing(copy) - before)
    counts = raw["counts"]
    result = {"pytest_version": raw["pytest_version"], "python": python_version}
    result.update({"passed": counts.get("passed", 0), "failed": counts.get("failed", 0),
                   "errors": counts.get("error", 0), "skipped": counts.get("skipped", 0),
                   "xfailed": counts.get("xfailed", 0), "xpassed": counts.get("xpassed", 0)})
    result["collect_errors"] = raw["collect_errors"]
    tests = {nodeid: "skipped" for nodeid in raw["module_skips"]}
    for nodeid in raw["order"]:
        tests[nodeid] = fold(raw["phases"][nodeid])
    result["tests"] = tests
    result["subtests"] = raw["subtests"]
    return result, leftovers, proc.stdout


def run_harness(python, folder, mode):
    """pykata's messages for ``folder`` (run in a copy with ``--pytest mode``)."""
    with tempfile.TemporaryDirectory(prefix="pykata-plain-") as tmp:
        copy = os.path.join(tmp, "work")
        copy_folder(folder, copy)
        before = listing(copy)
        read, write = os.pipe()
        proc = subprocess.Popen([python, "-I", "-B", HARNESS, "--channel-fd", str(write),
                                 "folder", "--dir", copy, "--pytest", mode],
                                cwd=copy, env=env_without_bytecode(), pass_fds=(write,),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.close(write)
        with os.fdopen(read, "rb") as channel:
            data = channel.read()
        stdout, stderr = proc.communicate(timeout=300)
        leftovers = sorted(listing(copy) - before)
    messages = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
    return messages, leftovers, proc.returncode, stderr.decode("utf-8", "replace")


PER_TEST = {"pass": "passed", "fail": "failed", "error": "error", "skip": "skipped",
            "xfail": "xfailed", "xpass": "xpassed"}


def harness_results(messages):
    """pytest-shaped results from pykata's messages (see the module docstring)."""
    result = {key: 0 for key in COUNTS}
    result.update({"collect_errors": [], "tests": {}, "subtests": {}, "needs_pytest": None,
                   "done": None, "sent": 0})
    for message in messages:
        event = message.get("event")
        if event == "collect_error":
            result["errors"] += 1
            result["collect_errors"].append(message["file"])
        elif event == "needs_pytest":
            result["needs_pytest"] = message
        elif event == "done":
            result["done"] = message["count"]
        elif event == "test":
            result["sent"] += 1
            outcomes = message["pytest_outcomes"]
            for category in outcomes:
                result["errors" if category == "error" else category] += 1
            own = outcomes[0]
            if "teardown_error" in message and own in ("passed", "skipped", "xfailed",
                                                       "xpassed"):
                own = "error"
            result["tests"][message["id"]] = own
            if message.get("subtests"):
                table = result["subtests"].setdefault(message["id"], {})
                for sub in message["subtests"]:
                    key, n = sub["name"], 1
                    while key in table:
                        n += 1
                        key = f"{sub['name']} #{n}"
                    table[key] = PER_TEST[sub["status"]]
    return result


def differences(expected, got):
    problems = []
    for key in COUNTS:
        if expected.get(key, 0) != got.get(key, 0):
            problems.append(f"{key}: pytest {expected.get(key, 0)}, pykata {got.get(key, 0)}")
    if sorted(expected.get("collect_errors", [])) != sorted(got.get("collect_errors", [])):
        problems.append(f"collect errors: pytest {expected.get('collect_errors')}, "
                        f"pykata {got.get('collect_errors')}")
    want, have = expected.get("tests", {}), got.get("tests", {})
    for nodeid in want:
        if nodeid not in have:
            problems.append(f"missing test {nodeid} ({want[nodeid]})")
        elif want[nodeid] != have[nodeid]:
            problems.append(f"{nodeid}: pytest {want[nodeid]}, pykata {have[nodeid]}")
    for nodeid in have:
        if nodeid not in want:
            problems.append(f"extra test {nodeid} ({have[nodeid]})")
    if expected.get("subtests", {}) != got.get("subtests", {}):
        problems.append(f"subtests: pytest {expected.get('subtests')}, "
                        f"pykata {got.get('subtests')}")
    return problems


def by_design(expected, runner):
    """expected.json with its ``pykata_differs`` for ``runner`` ("shim" or "real") applied:
    the statuses pykata gives by design where pytest differs, counts adjusted."""
    differs = (expected.get("pykata_differs") or {}).get(runner) or {}
    if not differs:
        return expected
    wanted = json.loads(json.dumps(expected))
    key = {"passed": "passed", "failed": "failed", "error": "errors", "skipped": "skipped",
           "xfailed": "xfailed", "xpassed": "xpassed"}
    for nodeid, status in differs.items():
        old = wanted["tests"][nodeid]
        wanted["tests"][nodeid] = status
        wanted[key[old]] -= 1
        wanted[key[status]] += 1
    return wanted


def fixture_names(selected):
    # folders without expected.json are checked by tests/plain_folders.rs alone, unless named
    names = sorted(n for n in os.listdir(FIXTURES)
                   if os.path.isfile(os.path.join(FIXTURES, n, "expected.json"))
                   or (n in selected and os.path.isdir(os.path.join(FIXTURES, n))))
    if selected:
        unknown = set(selected) - set(names)
        if unknown:
            raise SystemExit(f"no such fixture folder: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in selected]
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="fixture folders (default: all)")
    parser.add_argument("--regen", action="store_true", help="rewrite expected.json")
    parser.add_argument("--pytest-python", help="a Python that has pytest installed")
    parser.add_argument("--runner", choices=["shim", "real"], default="shim",
                        help="pykata's runner to check: the built-in one (default) or the "
                             "real pytest through the harness (uses --pytest-python)")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python that runs pykata's harness (default: this one)")
    args = parser.parse_args()
    failed = False
    rows = []
    for name in fixture_names(args.names):
        folder = os.path.join(FIXTURES, name)
        path = os.path.join(folder, "expected.json")
        if args.regen:
            if not args.pytest_python:
                raise SystemExit("--regen needs --pytest-python")
            result, leftovers, _ = run_pytest(args.pytest_python, folder)
            if leftovers:
                print(f"{name}: pytest left files behind: {leftovers}")
                failed = True
            messages, _, _, _ = run_harness(args.python, folder, "shim")
            result["shim_needs_pytest"] = harness_results(messages)["needs_pytest"] is not None
            if os.path.exists(path):
                with open(path) as handle:
                    differs = json.load(handle).get("pykata_differs")
                if differs:
                    result["pykata_differs"] = differs
            with open(path, "w") as handle:
                json.dump(result, handle, indent=2, sort_keys=False)
                handle.write("\n")
            print(f"{name}: wrote expected.json ({', '.join(f'{result[k]} {k}' for k in COUNTS if result[k])})")
            continue
        with open(path) as handle:
            expected = json.load(handle)
        problems = []
        if args.pytest_python:
            real, leftovers, _ = run_pytest(args.pytest_python, folder)
            problems += [f"real pytest now differs: {p}" for p in differences(expected, real)]
            if leftovers:
                problems.append(f"pytest left files behind: {leftovers}")
        if args.runner == "real":
            if not args.pytest_python:
                raise SystemExit("--runner real needs --pytest-python")
            messages, leftovers, code, stderr = run_harness(args.pytest_python, folder, "real")
        else:
            messages, leftovers, code, stderr = run_harness(args.python, folder, "shim")
        got = harness_results(messages)
        mode = args.runner
        if args.runner == "real":
            pass
        elif got["needs_pytest"] is not None:
            if not expected.get("shim_needs_pytest"):
                problems.append(f"unexpected needs_pytest: {got['needs_pytest']}")
            if args.pytest_python:
                messages, leftovers2, code, stderr = run_harness(args.pytest_python, folder,
                                                                 "real")
                leftovers += leftovers2
                got = harness_results(messages)
                mode = "real"
            else:
                mode = "shim (needs_pytest)"
        elif expected.get("shim_needs_pytest"):
            problems.append("expected needs_pytest from the built-in runner")
        if got["done"] is None:
            problems.append(f"no done message (exit code {code}): {stderr[-2000:]}")
        elif got["done"] != got["sent"]:
            problems.append(f"done count {got['done']} but {got['sent']} test messages")
        if leftovers:
            problems.append(f"the harness left files behind: {leftovers}")
        if mode != "shim (needs_pytest)":
            problems += differences(by_design(expected, mode), got)
        rows.append((name, mode, expected, got, problems))
        failed = failed or bool(problems)
    if rows:
        print(f"{'folder':16} {'runner':20} " + " ".join(f"{k:>13}" for k in COUNTS))
        for name, mode, expected, got, problems in rows:
            if mode == "shim (needs_pytest)":
                cells = " ".join(f"{expected.get(k, 0):>6}/{'-':<6}" for k in COUNTS)
            else:
                expected = by_design(expected, mode)
                cells = " ".join(f"{expected.get(k, 0):>6}/{got.get(k, 0):<6}" for k in COUNTS)
            print(f"{name:16} {mode:20} {cells}  {'OK' if not problems else 'DIFFERS'}")
        print("(cells: pytest/pykata)")
        for name, mode, expected, got, problems in rows:
            for problem in problems:
                print(f"  {name}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
