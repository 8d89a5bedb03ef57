"""The tests' own time of an exercise: its cases run in a warm in-process loop.

usage: python3 -I -B tests_time.py HARNESS_DIR CASES SUBMISSION MODULE SEED

Loads the cases file and the submission once, the way the harness does, then, for every
line ``run`` read on stdin, runs every case once with the harness's own ``run_case`` (the
case functions and the recording of their observations; no process start, no import, no
channel, no grader) and prints the nanoseconds that pass took on a line of its own. The
benchmark asks for one pass beside each grade it times, so that both see the same load.
"""
import sys
import time


def main(argv):
    harness, cases_path, submission, module, seed = argv
    sys.path.insert(0, harness)
    from pykata_harness.cases import remember_streams, run_case
    from pykata_harness.exercise import load_cases
    from pykata_harness.loader import load_submission

    remember_streams()
    specs, required = load_cases(cases_path)
    loaded = load_submission(submission, module, required)
    if loaded.error is not None:
        raise SystemExit(f"the submission did not load: {loaded.error}")
    clock = time.perf_counter_ns
    for line in sys.stdin:
        if line.strip() != "run":
            break
        started = clock()
        for spec in specs:
            run_case(spec, loaded.module, loaded.files, int(seed))
        print(clock() - started, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
