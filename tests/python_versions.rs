//! The oldest and the newest supported CPython: the subprocess engine grades every bundled
//! reference, starter and mutant and every plain-folder fixture under each as it does under
//! the build Python, and an interpreter below the minimum gets a version message.
//!
//! The interpreters: `PYKATA_TEST_PYTHONS` (paths separated by `:`), else the oldest 3.9 and
//! the newest 3.x that pyenv has under `$PYENV_ROOT/versions` (default `~/.pyenv`). Where
//! there are none, the tests say so in one line and pass. `PYKATA_TEST_OLD_PYTHON` names an
//! interpreter below 3.9 (default: pyenv's 3.8).

mod common;

use common::{Pykata, fixture, root};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn pyenv_versions() -> Vec<(Vec<u32>, PathBuf)> {
    let base = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv")))
        .unwrap_or_else(|| PathBuf::from("/root/.pyenv"))
        .join("versions");
    let mut found: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(&base)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<_>>()?;
            let python = entry.path().join("bin/python3");
            python.is_file().then_some((version, python))
        })
        .collect();
    found.sort();
    found
}

/// The interpreters to test with, or `None` with the reason printed.
fn interpreters() -> Option<Vec<PathBuf>> {
    if let Some(list) = std::env::var_os("PYKATA_TEST_PYTHONS") {
        return Some(std::env::split_paths(&list).collect());
    }
    let versions = pyenv_versions();
    let oldest = versions.iter().find(|(version, _)| version[..2] == [3, 9]);
    let newest = versions.iter().rev().find(|(version, _)| version[0] == 3);
    match (oldest, newest) {
        (Some(oldest), Some(newest)) if oldest != newest => {
            Some(vec![oldest.1.clone(), newest.1.clone()])
        }
        _ => {
            println!(
                "skipped: no pyenv CPython 3.9 and newer 3.x found; set PYKATA_TEST_PYTHONS=/path/python3.9:/path/python3.13 to run this test"
            );
            None
        }
    }
}

/// Every bundled exercise's reference, starter and mutants, each copied as MODULE.py into
/// its own folder; the references first (`references` of them).
fn submissions(dir: &Path) -> (Vec<PathBuf>, usize) {
    let mut folders: Vec<PathBuf> = Vec::new();
    for topic in std::fs::read_dir(root().join("exercises")).unwrap() {
        for exercise in std::fs::read_dir(topic.unwrap().path()).unwrap() {
            let exercise = exercise.unwrap().path();
            if exercise.join("exercise.toml").is_file() {
                folders.push(exercise);
            }
        }
    }
    folders.sort();
    assert!(folders.len() >= 3, "the catalogue looks empty");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let module = |folder: &Path| {
        let text = std::fs::read_to_string(folder.join("exercise.toml")).unwrap();
        let meta: toml::Table = toml::from_str(&text).unwrap();
        meta["module"].as_str().unwrap().to_string()
    };
    for folder in &folders {
        files.push((module(folder), folder.join("solution.py")));
    }
    let references = files.len();
    for folder in &folders {
        files.push((module(folder), folder.join("starter.py")));
        let mut mutants: Vec<PathBuf> = std::fs::read_dir(folder.join("mutants"))
            .into_iter()
            .flatten()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
            .collect();
        mutants.sort();
        files.extend(mutants.into_iter().map(|mutant| (module(folder), mutant)));
    }
    let paths = files
        .into_iter()
        .enumerate()
        .map(|(index, (module, source))| {
            let target = dir.join(index.to_string());
            std::fs::create_dir_all(&target).unwrap();
            let file = target.join(format!("{module}.py"));
            std::fs::copy(source, &file).unwrap();
            file
        })
        .collect();
    (paths, references)
}

/// The plain-folder fixtures pykata can grade without pytest.
fn plain_folders() -> Vec<PathBuf> {
    [
        "unittest_basic",
        "pytest_style",
        "mixed",
        "collect_error",
        "strict_equality",
    ]
    .iter()
    .map(|name| fixture(&format!("plain/{name}")))
    .collect()
}

/// What must not depend on the Python version: statuses, scores and counts.
fn verdicts(run: &common::Run) -> Vec<Value> {
    run.json_lines()
        .into_iter()
        .map(|report| {
            let tests: Vec<Value> = report["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|test| serde_json::json!([test["name"], test["status"], test["score"]]))
                .collect();
            serde_json::json!({
                "path": report["path"],
                "status": report["status"],
                "score": report["score"],
                "max_score": report["max_score"],
                "counts": report["counts"],
                "tests": tests,
            })
        })
        .collect()
}

fn grade(paths: &[PathBuf], python: Option<&Path>) -> common::Run {
    let mut command = Pykata::new().args([
        "check",
        "--format",
        "json",
        "--seed",
        "9",
        "--jobs",
        "2",
        "--engine",
        "subprocess",
    ]);
    if let Some(python) = python {
        command = command.arg("--python").arg(python);
    }
    command.args(paths).run()
}

#[test]
fn the_oldest_and_newest_python_grade_the_catalogue_and_plain_folders() {
    let Some(pythons) = interpreters() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (submissions, references) = submissions(dir.path());
    let folders = plain_folders();
    // The build Python's grades, which every version must give too.
    let baseline = verdicts(&grade(&submissions, None).expect_code(1));
    let baseline_folders = verdicts(&grade(&folders, None).expect_code(1));
    for python in &pythons {
        let run = grade(&submissions, Some(python)).expect_code(1);
        for report in &run.json_lines()[..references] {
            assert_eq!(report["status"], "pass", "{}: {report:#}", python.display());
            assert_eq!(report["score"], report["max_score"], "{}", python.display());
        }
        // Every starter and mutant fails under every version, as under the build Python.
        // Only the status is compared: how many of a wrong answer's cases fail may differ
        // between versions (a mutant leaning on pickle does), and a few cases time their
        // work on a machine that may be busy.
        let statuses = |verdicts: &[Value]| -> Vec<Value> {
            verdicts
                .iter()
                .map(|report| serde_json::json!([report["path"], report["status"]]))
                .collect()
        };
        assert_eq!(
            statuses(&verdicts(&run)),
            statuses(&baseline),
            "exercises graded under {} differ from the build Python's grades",
            python.display()
        );
        let run = grade(&folders, Some(python)).expect_code(1);
        assert_eq!(
            verdicts(&run),
            baseline_folders,
            "plain folders graded under {} differ from the build Python's grades",
            python.display()
        );
    }
}

#[test]
fn a_python_below_the_minimum_gets_a_version_message() {
    let old = std::env::var_os("PYKATA_TEST_OLD_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            pyenv_versions()
                .into_iter()
                .rev()
                .find(|(version, _)| version[..2] < [3, 9][..])
                .map(|(_, python)| python)
        });
    let Some(old) = old else {
        println!(
            "skipped: no Python below 3.9 found; set PYKATA_TEST_OLD_PYTHON=/path/python3.8 to run this test"
        );
        return;
    };
    let run = Pykata::new()
        .args(["check", "retry", "--python"])
        .arg(&old)
        .arg("--submission")
        .arg(common::exercise_file("decorators/retry/solution.py"))
        .run()
        .expect_code(2);
    assert!(
        run.stderr.contains("pykata needs CPython 3.9 or newer"),
        "{run:#?}"
    );
    assert!(run.stderr.contains("it is Python "), "{run:#?}");
    assert!(!run.stderr.contains("SyntaxError"), "{run:#?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
}
