//! Class grading (issue 14): `pykata batch` on 1,000 lru_cache submissions against merely
//! starting 1,000 `python3 -I -c pass` interpreters; a class of plain-folder submissions
//! (the instructor's tests run against each student's module) against the time those tests
//! take in one warm process; and how `--jobs 2` scales against `--jobs 1` on 200 retry
//! submissions. Each comparison is measured side by side, interleaved.

use crate::Options;
use crate::fixtures::{self, bundled_text, make_dir, write};
use crate::measure::{pykata_binary, quiet, time_command};
use crate::report::{Section, table};
use crate::stats::{Samples, TargetRow, Verdict, at_least, at_most, fmt_s, ms};
use std::path::{Path, PathBuf};
use std::time::Instant;

const LRU_RATIO: f64 = 4.0;
const PLAIN_OVERHEAD_MS: f64 = 5.0;
const SCALING: f64 = 1.8;

/// One `pykata batch` run into a fresh out folder; its wall time in ms.
fn batch(root: &Path, exercise: &str, class: &Path, jobs: Option<usize>, round: usize) -> f64 {
    let out = root.join(format!(
        "out-{}-{round}-{}",
        exercise.replace('/', "_"),
        jobs.unwrap_or(0)
    ));
    let _ = std::fs::remove_dir_all(&out);
    let mut command = quiet(pykata_binary());
    command
        .args(["batch", exercise])
        .arg(class)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--seed", "3"]);
    if let Some(jobs) = jobs {
        command.args(["--jobs", &jobs.to_string()]);
    }
    let (elapsed, status) = time_command(&mut command);
    assert!(
        status.code().is_some_and(|code| code <= 1),
        "pykata batch failed ({status}) on {}",
        class.display()
    );
    ms(elapsed)
}

/// `count` sequential `python3 -I -c pass`; the wall time in ms.
fn python_starts(count: usize) -> f64 {
    let python = pykata::engine::default_python();
    let started = Instant::now();
    for _ in 0..count {
        let status = quiet(&python).args(["-I", "-c", "pass"]).status().unwrap();
        assert!(status.success());
    }
    ms(started.elapsed())
}

/// A plain-folder class: the instructor's tests, and `count` student folders.
fn plain_class(root: &Path, count: usize) -> (PathBuf, PathBuf) {
    let tests = root.join("plain-tests");
    make_dir(&tests);
    write(
        &tests.join("test_calc.py"),
        "import unittest\nfrom calc import add, mean, clamp\n\n\
         class TestCalc(unittest.TestCase):\n\
         \x20   def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n\
         \x20   def test_mean(self):\n        self.assertEqual(mean([1, 2, 3, 4]), 2.5)\n\n\
         \x20   def test_clamp(self):\n        self.assertEqual(clamp(12, 0, 10), 10)\n\
         \x20       self.assertEqual(clamp(-1, 0, 10), 0)\n\n\
         \x20   def test_mean_empty(self):\n        with self.assertRaises(ValueError):\n            mean([])\n",
    );
    let class = root.join("plain-class");
    make_dir(&class);
    for index in 0..count {
        let folder = class.join(format!("student{index:04}"));
        make_dir(&folder);
        let check = if index % 4 == 0 {
            ""
        } else {
            "    if not values:\n        raise ValueError('empty')\n"
        };
        write(
            &folder.join("calc.py"),
            &format!(
                "# student {index}\ndef add(a, b):\n    return a + b\n\n\ndef mean(values):\n{check}    return sum(values) / len(values)\n\n\ndef clamp(x, low, high):\n    return max(low, min(high, x))\n"
            ),
        );
    }
    (tests, class)
}

/// The tests of every student run in one warm Python process (modules reloaded per
/// student); the wall time in ms, interpreter start-up excluded.
fn warm_tests(tests: &Path, class: &Path) -> f64 {
    let script = r#"
import io, os, sys, time, unittest
tests, class_dir = sys.argv[1], sys.argv[2]
students = sorted(os.listdir(class_dir))
started = time.perf_counter()
for student in students:
    for name in ("calc", "test_calc"):
        sys.modules.pop(name, None)
    sys.path[:0] = [os.path.join(class_dir, student), tests]
    suite = unittest.defaultTestLoader.discover(tests, pattern="test_*.py", top_level_dir=tests)
    unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    del sys.path[:2]
print((time.perf_counter() - started) * 1000)
"#;
    let output = std::process::Command::new(pykata::engine::default_python())
        .args(["-I", "-c", script])
        .arg(tests)
        .arg(class)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| {
            panic!(
                "the warm run failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}

/// `count` retry submissions (the reference and its mutants, each made unique).
fn retry_class(root: &Path, count: usize) -> PathBuf {
    let class = root.join("retry-class");
    make_dir(&class);
    let solution = bundled_text("decorators/retry/solution.py");
    for index in 0..count {
        write(
            &class.join(format!("s{index:04}.py")),
            &format!("# submission {index}\n{solution}"),
        );
    }
    class
}

pub fn run(options: &Options, root: &Path) -> Section {
    let root = root.join("batch");
    make_dir(&root);
    let rounds = options.rounds;
    let mut targets = Vec::new();
    let mut body = String::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // 1. lru_cache submissions against interpreter start-ups.
    let count = options.submissions;
    fixtures::lru_cache_submissions(&root, count);
    let class = root.join("submissions");
    let (mut batch_ms, mut starts_ms) = (Samples::default(), Samples::default());
    for round in 0..rounds {
        eprintln!("batch: lru_cache round {}/{rounds}", round + 1);
        starts_ms.push(python_starts(count));
        batch_ms.push(batch(&root, "lru_cache", &class, None, round));
    }
    let ratio = starts_ms.median() / batch_ms.median();
    targets.push(TargetRow {
        what: format!("batch of {count} lru_cache submissions vs {count} `python3 -I -c pass`"),
        engine: format!("auto, --jobs {cores}"),
        figure: format!(
            "{} vs {} ({ratio:.1}x)",
            fmt_s(batch_ms.median()),
            fmt_s(starts_ms.median())
        ),
        target: format!("at least {LRU_RATIO:.0}x faster"),
        verdict: at_least(ratio, LRU_RATIO),
    });

    // 2. A class of plain-folder submissions.
    let plain = (count / 5).max(20);
    let (tests, plain_dir) = plain_class(&root, plain);
    let (mut plain_ms, mut warm_ms, mut unittest_ms) =
        (Samples::default(), Samples::default(), Samples::default());
    for round in 0..rounds {
        eprintln!("batch: plain folders round {}/{rounds}", round + 1);
        warm_ms.push(warm_tests(&tests, &plain_dir));
        plain_ms.push(batch(
            &root,
            tests.to_str().unwrap(),
            &plain_dir,
            None,
            round,
        ));
        // One `python -m unittest` per student (their folder merged with the tests).
        let started = Instant::now();
        for entry in std::fs::read_dir(&plain_dir).unwrap().take(plain.min(50)) {
            let student = entry.unwrap().path();
            let status = quiet(pykata::engine::default_python())
                .args(["-m", "unittest", "-q", "test_calc"])
                .current_dir(&tests)
                .env("PYTHONPATH", &student)
                .status()
                .unwrap();
            let _ = status;
        }
        unittest_ms.push(ms(started.elapsed()) * plain as f64 / plain.min(50) as f64);
    }
    let per_submission = (plain_ms.median() - warm_ms.median()) / plain as f64;
    targets.push(TargetRow {
        what: format!("batch of {plain} plain-folder submissions: time per submission above the tests' own time in one warm process"),
        engine: format!("auto, --jobs {cores}"),
        figure: format!("{per_submission:.1} ms ({} in all, tests {} warm)", fmt_s(plain_ms.median()), fmt_s(warm_ms.median())),
        target: format!("at most {PLAIN_OVERHEAD_MS:.0} ms"),
        verdict: at_most(per_submission, PLAIN_OVERHEAD_MS, "ms"),
    });
    targets.push(TargetRow {
        what: format!("the same {plain} submissions, one `python -m unittest` process each"),
        engine: "-".into(),
        figure: format!(
            "{} ({:.1}x the batch)",
            fmt_s(unittest_ms.median()),
            unittest_ms.median() / plain_ms.median()
        ),
        target: "-".into(),
        verdict: Verdict::Info,
    });

    // 3. Scaling with cores.
    let retry_count = if options.quick { 60 } else { 200 };
    let retry = retry_class(&root, retry_count);
    let (mut one, mut two) = (Samples::default(), Samples::default());
    for round in 0..rounds.max(2) {
        eprintln!("batch: scaling round {}/{}", round + 1, rounds.max(2));
        if round % 2 == 0 {
            one.push(batch(&root, "retry", &retry, Some(1), round));
            two.push(batch(&root, "retry", &retry, Some(2), round));
        } else {
            two.push(batch(&root, "retry", &retry, Some(2), round));
            one.push(batch(&root, "retry", &retry, Some(1), round));
        }
    }
    let scaling = one.median() / two.median();
    targets.push(TargetRow {
        what: format!("{retry_count} retry submissions: --jobs 1 over --jobs 2"),
        engine: "auto".into(),
        figure: format!(
            "{} vs {} ({scaling:.2}x)",
            fmt_s(one.median()),
            fmt_s(two.median())
        ),
        target: format!("at least {SCALING}x"),
        verdict: if cores < 2 {
            Verdict::NotJudged(format!("{cores} core"))
        } else {
            at_least(scaling, SCALING)
        },
    });

    body.push_str(&table(
        &["measurement", "median", "every round"],
        &[
            row(&format!("pykata batch, {count} lru_cache"), &batch_ms),
            row(&format!("{count} x python3 -I -c pass"), &starts_ms),
            row(&format!("pykata batch, {plain} plain folders"), &plain_ms),
            row("their tests, one warm process", &warm_ms),
            row(
                &format!("{plain} x python -m unittest (extrapolated from 50)"),
                &unittest_ms,
            ),
            row(
                &format!("pykata batch, {retry_count} retry, --jobs 1"),
                &one,
            ),
            row(
                &format!("pykata batch, {retry_count} retry, --jobs 2"),
                &two,
            ),
        ],
    ));
    Section {
        name: "batch",
        targets,
        body,
    }
}

fn row(name: &str, samples: &Samples) -> Vec<String> {
    let every: Vec<String> = samples.values().map(fmt_s).collect();
    vec![name.to_string(), fmt_s(samples.median()), every.join(", ")]
}
