//! Many plain folders: one `pykata check` call over N small unittest folders, against one
//! `python -m pytest` process per folder and one `python -m unittest` process per folder.

use crate::Options;
use crate::fixtures::{self, PYTEST_VERSION};
use crate::measure::{pykata_binary, python_identity, quiet, time_command};
use crate::report::{Section, table};
use crate::stats::{Samples, TargetRow, Verdict, at_least, fmt_ms, fmt_s, ms};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const TARGET_RATIO: f64 = 15.0;
/// How many folders the issue sets the ratio for (fewer: pykata's start-up weighs more).
const TARGET_FOLDERS: usize = 300;

/// One way of running every folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// One `pykata check` call; `engine` None is the default (`auto`), `jobs` None the
    /// default (the number of cores).
    Pykata {
        engine: Option<&'static str>,
        jobs: Option<usize>,
    },
    /// `python -m pytest -q -p no:cacheprovider` in each folder, one after the other.
    Pytest,
    /// `python -m unittest -q` in each folder, one after the other.
    Unittest,
}

const VARIANTS: [Variant; 6] = [
    Variant::Pytest,
    Variant::Pykata {
        engine: None,
        jobs: None,
    },
    Variant::Pykata {
        engine: Some("embedded"),
        jobs: None,
    },
    Variant::Unittest,
    Variant::Pykata {
        engine: None,
        jobs: Some(1),
    },
    Variant::Pykata {
        engine: Some("embedded"),
        jobs: Some(1),
    },
];

/// What one pykata call reported about itself.
#[derive(Debug, Default, Clone)]
struct PykataSeen {
    engine: String,
    isolation: String,
}

fn run_pykata(folders: &[PathBuf], engine: Option<&str>, jobs: Option<usize>) -> (f64, PykataSeen) {
    let mut command = Command::new(pykata_binary());
    command.args(["check", "--format", "json"]);
    if let Some(engine) = engine {
        command.args(["--engine", engine]);
    }
    if let Some(jobs) = jobs {
        command.args(["--jobs", &jobs.to_string()]);
    }
    command.args(folders).stdin(Stdio::null());
    let started = Instant::now();
    let output = command.output().expect("failed to run pykata");
    let elapsed = ms(started.elapsed());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("pykata printed a line that is not JSON"))
        .collect();
    let passed = lines.iter().filter(|line| line["status"] == "pass").count();
    assert!(
        output.status.success() && lines.len() == folders.len() && passed == folders.len(),
        "pykata did not pass every folder ({passed}/{} passed, {} lines, {}): {}",
        folders.len(),
        lines.len(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let seen = PykataSeen {
        engine: lines[0]["engine"].as_str().unwrap_or("?").to_string(),
        isolation: lines[0]["isolation"]["level"]
            .as_str()
            .unwrap_or("none")
            .to_string(),
    };
    (elapsed, seen)
}

fn run_loop(folders: &[PathBuf], python: &Path, args: &[&str]) -> f64 {
    let started = Instant::now();
    for folder in folders {
        let mut command = quiet(python);
        command.args(args).current_dir(folder);
        let (_, status) = time_command(&mut command);
        assert!(
            status.success(),
            "{} {args:?} failed in {}",
            python.display(),
            folder.display()
        );
    }
    ms(started.elapsed())
}

fn describe(variant: Variant) -> String {
    match variant {
        Variant::Pykata { engine, jobs } => format!(
            "one `pykata check --format json{}{}` call",
            engine.map_or(String::new(), |engine| format!(" --engine {engine}")),
            jobs.map_or(String::new(), |jobs| format!(" --jobs {jobs}"))
        ),
        Variant::Pytest => "`python -m pytest -q -p no:cacheprovider` per folder".into(),
        Variant::Unittest => "`python -m unittest -q` per folder".into(),
    }
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let folders = fixtures::unittest_folders(root, options.folders);
    let venv_python = fixtures::bench_venv();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut totals = vec![Samples::default(); VARIANTS.len()];
    let mut seen = vec![PykataSeen::default(); VARIANTS.len()];
    for round in 0..options.rounds {
        crate::progress("folders", round, options.rounds);
        // Rotate the order every round, so that no variant always runs first or last.
        for step in 0..VARIANTS.len() {
            let index = (step + round) % VARIANTS.len();
            let elapsed = match VARIANTS[index] {
                Variant::Pykata { engine, jobs } => {
                    let (elapsed, what) = run_pykata(&folders, engine, jobs);
                    seen[index] = what;
                    elapsed
                }
                Variant::Pytest => run_loop(
                    &folders,
                    &venv_python,
                    &["-m", "pytest", "-q", "-p", "no:cacheprovider"],
                ),
                Variant::Unittest => run_loop(&folders, &venv_python, &["-m", "unittest", "-q"]),
            };
            totals[index].push(elapsed);
        }
    }

    let position = |wanted: Variant| {
        VARIANTS
            .iter()
            .position(|variant| *variant == wanted)
            .expect("every baseline is a variant")
    };
    let pytest = &totals[position(Variant::Pytest)];
    let unittest = &totals[position(Variant::Unittest)];
    // The ratio of each round's pair, measured minutes apart at most; then their median.
    let ratio = |baseline: &Samples, index: usize| -> f64 {
        let mut ratios = Samples::default();
        for (base, this) in baseline.values().zip(totals[index].values()) {
            ratios.push(base / this);
        }
        ratios.median()
    };
    let count = folders.len() as f64;
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for (index, variant) in VARIANTS.iter().enumerate() {
        let total = &totals[index];
        let engine = match variant {
            Variant::Pykata { jobs, .. } => format!(
                "{} (sandbox: {}), jobs {}",
                seen[index].engine,
                seen[index].isolation,
                jobs.unwrap_or(cores)
            ),
            _ => "-".into(),
        };
        let versus_pytest = ratio(pytest, index);
        rows.push(vec![
            describe(*variant),
            engine.clone(),
            fmt_s(total.median()),
            fmt_ms(total.median() / count),
            format!("{versus_pytest:.1}x"),
            format!("{:.1}x", ratio(unittest, index)),
        ]);
        if let Variant::Pykata {
            engine: choice,
            jobs,
        } = variant
        {
            targets.push(TargetRow {
                what: format!(
                    "{} folders, pytest per folder / one `pykata check`{}",
                    folders.len(),
                    if choice.is_some() {
                        " --engine embedded"
                    } else {
                        ""
                    }
                ),
                engine: engine.clone(),
                figure: format!(
                    "{versus_pytest:.1}x ({} vs {})",
                    fmt_s(pytest.median()),
                    fmt_s(total.median())
                ),
                target: if jobs.is_some() {
                    "- (per core)".into()
                } else if folders.len() < TARGET_FOLDERS {
                    format!(
                        "- (the target, >= {TARGET_RATIO:.0}x, is for {TARGET_FOLDERS} folders)"
                    )
                } else {
                    format!(">= {TARGET_RATIO:.0}x")
                },
                verdict: if jobs.is_some() {
                    Verdict::Info
                } else if folders.len() < TARGET_FOLDERS {
                    // pykata's start-up (the zygote's) weighs more on fewer folders.
                    Verdict::NotJudged(format!("{versus_pytest:.1}x on {} folders", folders.len()))
                } else {
                    at_least(versus_pytest, TARGET_RATIO)
                },
            });
        }
    }
    let body = format!(
        "{}\n{} folders, each `calc.py` and `test_calc.py` (one `unittest.TestCase`, 5 tests, all \
         passing); {} rounds, the order rotated every round; ratios are the median over rounds of \
         each round's pair. pytest {PYTEST_VERSION} and unittest ran one process per folder, one \
         folder after the other, from {}. pykata's default engine ran {}; the embedded engine \
         embeds the same libpython.\n",
        table(
            &[
                "how",
                "pykata engine",
                "total (median)",
                "per folder",
                "pytest loop / this",
                "unittest loop / this",
            ],
            &rows,
        ),
        folders.len(),
        options.rounds,
        python_identity(&venv_python),
        python_identity(&pykata::engine::default_python()),
    );
    Section {
        name: "folders",
        targets,
        body,
    }
}
