#!/usr/bin/env python3
"""Authoring check for the quiz items under quizzes/.

Enforces the item format of docs/authoring.md (the same rules `pykata verify`
applies) and runs the code of every `check = "stdout"` item under each given
interpreter, comparing its stdout with the correct option's text.

Usage:
    python3 quizzes/check_quizzes.py [--python PATH]... [FILE.toml]...

Needs Python 3.11 or later for tomllib (the interpreters given with --python
may be any version). Without files it checks every quizzes/*.toml next to this
script. Exit status: 0 when everything passes, 1 when a problem was found.
"""

import argparse
import pathlib
import re
import subprocess
import sys
import tomllib

TOPICS = {
    "fundamentals", "decorators_generators", "data_model", "memory_gil",
    "concurrency", "testing", "packaging", "web_apis", "security", "performance",
}
TOP_KEYS = {"topic", "title", "item"}
ITEM_KEYS = {"id", "difficulty", "question", "code", "check", "explanation", "option"}
OPTION_KEYS = {"text", "correct", "why"}
DIFFICULTIES = {"easy", "medium", "hard"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A question about what code prints or returns must be checked by running it.
ASKS_OUTPUT = re.compile(r"\b(print|prints|printed|return|returns|output)\b", re.I)


def nonempty_str(value):
    return isinstance(value, str) and value.strip() != ""


def check_file(path, pythons, problems):
    """Check one topic file; append messages to problems.

    Returns the number of items, or None when the file cannot be read.
    """
    def bad(where, message):
        problems.append(f"{path}: {where}: {message}")

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        bad("file", f"cannot read: {err}")
        return None
    for key in sorted(set(data) - TOP_KEYS):
        bad("file", f"unknown key {key!r}")
    if data.get("topic") != path.stem:
        bad("file", f"topic {data.get('topic')!r} does not equal the file name {path.stem!r}")
    if path.stem not in TOPICS:
        bad("file", f"{path.stem!r} is not one of the topics")
    if not nonempty_str(data.get("title")):
        bad("file", "missing or empty title")
    items = data.get("item")
    if not isinstance(items, list) or not items:
        bad("file", "no [[item]]")
        return 0

    seen = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            bad(f"item {n}", "must be a table ([[item]])")
            continue
        where = f"item {n} ({item.get('id', '?')})"
        for key in sorted(set(item) - ITEM_KEYS):
            bad(where, f"unknown key {key!r}")
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            bad(where, "id must be lowercase letters, digits and dashes")
        elif ident in seen:
            bad(where, "duplicate id")
        seen.add(ident)
        if item.get("difficulty") not in DIFFICULTIES:
            bad(where, f"difficulty must be one of {sorted(DIFFICULTIES)}")
        for key in ("question", "explanation"):
            if not nonempty_str(item.get(key)):
                bad(where, f"missing or empty {key}")
        code = item.get("code")
        if code is not None and not nonempty_str(code):
            bad(where, "code must be a non-empty string")
        check = item.get("check")
        if check is not None:
            if check != "stdout":
                bad(where, 'check must be "stdout"')
            if code is None:
                bad(where, "check without code")
        elif code is not None and ASKS_OUTPUT.search(str(item.get("question", ""))):
            bad(where, 'the question asks what code prints or returns: add check = "stdout"')

        options = item.get("option")
        if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
            bad(where, "options must be [[item.option]] tables")
            continue
        if not 4 <= len(options) <= 6:
            bad(where, f"needs 4 to 6 options, found {len(options)}")
        correct = []
        texts = set()
        for k, option in enumerate(options):
            owhere = f"{where} option {chr(ord('a') + k)}"
            for key in sorted(set(option) - OPTION_KEYS):
                bad(owhere, f"unknown key {key!r}")
            text = option.get("text")
            if not nonempty_str(text):
                bad(owhere, "missing or empty text")
            elif text.rstrip() in texts:
                bad(owhere, "same text as another option")
            else:
                texts.add(text.rstrip())
            if not nonempty_str(option.get("why")):
                bad(owhere, "missing or empty why")
            flag = option.get("correct", False)
            if not isinstance(flag, bool):
                bad(owhere, "correct must be true or false")
            elif flag:
                correct.append(option)
        if len(correct) != 1:
            bad(where, f"exactly one option must be correct, found {len(correct)}")
            continue
        if check == "stdout" and nonempty_str(code):
            expected = str(correct[0].get("text", "")).rstrip()
            for python in pythons:
                try:
                    run = subprocess.run(
                        [python, "-I", "-c", code], stdin=subprocess.DEVNULL,
                        capture_output=True, text=True, timeout=20)
                except subprocess.TimeoutExpired:
                    bad(where, f"{python}: timed out")
                    continue
                got = run.stdout.rstrip()
                if run.returncode != 0:
                    bad(where, f"{python}: exit status {run.returncode}: {run.stderr.strip()}")
                elif got != expected:
                    bad(where, f"{python}: printed {got!r}, correct option is {expected!r}")
                elif run.stderr.strip():
                    bad(where, f"{python}: wrote to stderr: {run.stderr.strip()}")
                # Another option printing the same thing would also be a defect,
                # but texts are unique (checked above), so it cannot happen.
    return len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", default=[],
                        help="interpreter to run check = \"stdout\" items with (repeatable)")
    parser.add_argument("files", nargs="*", type=pathlib.Path)
    args = parser.parse_args()
    files = args.files or sorted(pathlib.Path(__file__).parent.glob("*.toml"))
    pythons = args.python or [sys.executable]
    problems = []
    total = 0
    for path in files:
        count = check_file(path, pythons, problems)
        if count is None:
            print(f"{path}: unreadable")
        else:
            print(f"{path}: {count} items checked")
            total += count
    for message in problems:
        print(message, file=sys.stderr)
    print(f"{total} items in {len(files)} files; {len(problems)} problems; "
          f"ran code with: {', '.join(pythons)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
