#!/usr/bin/env python3
"""Compatibility corpus: real packages' own test suites, graded by pykata's built-in runner
and by the real pytest, test by test (docs/plain-folders.md, "Compatibility corpus").

For each suite below (pinned sdists from the Python package index, which ship their
tests), the script downloads the sdist (``pip download --no-deps --no-binary :all:``),
unpacks it under ``target/corpus/``, runs ``python -m pytest`` at its root with a Python
that has pytest (a virtual environment made under ``target/corpus/venv``), runs
``pykata check --format json`` on the same folder with the default engine (the built-in
runner: the Python pykata runs has no pytest), and compares each test's outcome. A suite
whose package lives under ``src/`` gets ``PYTHONPATH=src`` in both (``--env`` for pykata).

Usage::

    cargo build --release
    python3 tests/corpus/corpus.py [--pykata target/release/pykata] [NAME ...]

It prints each suite's figures and every difference, and exits 1 when the agreement over
all suites is below 99.5%. It needs the network (PyPI) and takes a few minutes, so it is
not part of ``cargo test``.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(REPO, "target", "corpus")
# pytest, and the coverage plugin that suites name in their addopts (it changes no outcome,
# but pytest refuses options it does not know)
PYTEST = ["pytest==9.2.0", "pytest-cov==5.0.0"]

# (name, version, folder to grade relative to the sdist root, PYTHONPATH or None); all
# ship their tests in the sdist (tomli, iniconfig and sortedcontainers do not). Test
# dependencies other than pytest (DEPS) are installed into a folder of their own, given to
# both runs on PYTHONPATH (pykata's interpreter has no third-party package).
DEPS = {"semver": ["packaging==24.0"]}
SUITES = [
    ("six", "1.16.0", ".", None),
    ("toolz", "0.12.1", ".", None),
    ("more-itertools", "10.2.0", ".", None),
    ("idna", "3.6", ".", None),
    ("click", "8.1.7", ".", "src"),
    ("pluggy", "1.4.0", ".", "src"),
    ("semver", "3.0.2", ".", "src"),
    ("inflection", "0.5.1", ".", None),
    ("cachetools", "5.3.2", ".", "src"),
    ("jmespath", "1.0.1", ".", None),
    ("parse", "1.20.1", ".", None),
    ("pyflakes", "3.2.0", ".", None),
    ("wcwidth", "0.2.13", ".", None),
]

PLUGIN = '''
import json, os
_results = {}
def _put(nodeid, outcome):
    old = _results.get(nodeid)
    if old in (None, "passed") or outcome == "error":
        _results[nodeid] = outcome
def pytest_collectreport(report):
    if report.failed:
        _results[report.nodeid or "."] = "collect_error"
def pytest_runtest_logreport(report):
    if report.when == "call":
        if hasattr(report, "wasxfail"):
            _put(report.nodeid, "xpassed" if report.passed else "xfailed")
        else:
            _put(report.nodeid, report.outcome)
    elif report.failed:
        _put(report.nodeid, "error")
    elif report.skipped:
        _put(report.nodeid, "xfailed" if hasattr(report, "wasxfail") else "skipped")
def pytest_sessionfinish(session):
    with open(os.environ["CORPUS_RESULTS"], "w") as f:
        json.dump(_results, f)
'''

WORDS = {"pass": "passed", "fail": "failed", "skip": "skipped", "xfail": "xfailed",
         "xpass": "xpassed", "error": "error"}


def venv_python() -> str:
    venv = os.path.join(WORK, "venv")
    python = os.path.join(venv, "bin", "python")
    ready = os.path.join(venv, "ready-" + "-".join(PYTEST))
    if not os.path.exists(ready):
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", *PYTEST], check=True)
        open(ready, "w").close()
    return python


def fetch(python: str, name: str, version: str) -> str:
    """The unpacked sdist's folder (downloaded once)."""
    downloads = os.path.join(WORK, "downloads")
    unpacked = os.path.join(WORK, "suites", f"{name}-{version}")
    if os.path.isdir(unpacked):
        return unpacked
    os.makedirs(downloads, exist_ok=True)
    subprocess.run([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                    "--no-deps", "--no-binary", ":all:", "-d", downloads,
                    f"{name}=={version}"], check=True)
    stem = name.replace("-", "_").lower()
    archive = next(os.path.join(downloads, f) for f in sorted(os.listdir(downloads))
                   if f.lower().replace("-", "_").startswith(f"{stem}_{version}")
                   or f.lower().startswith(f"{name.lower()}-{version}"))
    target = os.path.join(WORK, "suites")
    os.makedirs(target, exist_ok=True)
    if archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            top = z.namelist()[0].split("/")[0]
            z.extractall(target)
    else:
        with tarfile.open(archive) as t:
            top = t.getnames()[0].split("/")[0]
            t.extractall(target)
    os.rename(os.path.join(target, top), unpacked)
    return unpacked


def run_pytest(python: str, folder: str, pythonpath: str) -> dict:
    plugin_dir = os.path.join(WORK, "plugin")
    os.makedirs(plugin_dir, exist_ok=True)
    with open(os.path.join(plugin_dir, "pykata_corpus_plugin.py"), "w") as f:
        f.write(PLUGIN)
    results = os.path.join(WORK, "pytest-results.json")
    if os.path.exists(results):
        os.remove(results)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", CORPUS_RESULTS=results,
               PYTHONPATH=os.pathsep.join(p for p in (plugin_dir, pythonpath) if p))
    subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider", "-p",
                    "pykata_corpus_plugin", "-q"],
                   cwd=folder, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=1800)
    if not os.path.exists(results):
        return {}
    with open(results) as f:
        return json.load(f)


def run_pykata(pykata: str, folder: str, pythonpath: str) -> dict:
    command = [pykata, "check", "--format", "json", "--timeout", "900"]
    if pythonpath:
        command += ["--env", f"PYTHONPATH={pythonpath}"]
    done = subprocess.run(command + [folder], cwd=folder, capture_output=True, text=True,
                          timeout=1800)
    report = json.loads(done.stdout)
    results = {}
    for test in report.get("tests", []):
        if test["name"].endswith(" (collection)"):
            results[test["id"]] = "collect_error"
        else:
            results[test["id"]] = WORDS[test["status"]]
    if report.get("error"):
        results["."] = "refused: " + report["error"]["message"][:200]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pykata", default=os.path.join(REPO, "target", "release", "pykata"))
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    python = venv_python()
    total = agreed = 0
    rows = []
    for name, version, sub, pythonpath in SUITES:
        if args.names and name not in args.names:
            continue
        root = fetch(python, name, version)
        folder = os.path.join(root, sub)
        paths = [os.path.join(folder, pythonpath)] if pythonpath else []
        if name in DEPS:
            deps = os.path.join(WORK, "deps", name)
            if not os.path.isdir(deps):
                subprocess.run([python, "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", "--target", deps,
                                *DEPS[name]], check=True)
            paths.append(deps)
        want = run_pytest(python, folder, os.pathsep.join(paths))
        got = run_pykata(os.path.abspath(args.pykata), folder, os.pathsep.join(paths))
        ids = sorted(set(want) | set(got))
        same = sum(1 for i in ids if want.get(i) == got.get(i))
        diffs = [(i, want.get(i, "-"), got.get(i, "-")) for i in ids if want.get(i) != got.get(i)]
        total += len(ids)
        agreed += same
        rows.append((f"{name}-{version}", len(want), len(ids), same, diffs))
    print(f"{'suite':28} {'pytest':>7} {'compared':>9} {'agree':>7} {'rate':>8}")
    for suite, n_pytest, n, same, _ in rows:
        print(f"{suite:28} {n_pytest:>7} {n:>9} {same:>7} {100.0 * same / max(n, 1):>7.2f}%")
    rate = 100.0 * agreed / max(total, 1)
    print(f"{'all':28} {'':>7} {total:>9} {agreed:>7} {rate:>7.2f}%")
    for suite, _, _, _, diffs in rows:
        for test, want, got in diffs:
            print(f"  {suite}: {test}: pytest {want}, pykata {got}")
    return 0 if rate >= 99.5 else 1


if __name__ == "__main__":
    sys.exit(main())
