//! Limits as documented and as enforced: the README states the default limits exactly as
//! `pykata check --help` does, the documents link nothing outside the repository, and a
//! submission that hangs in every test answers within the whole run's limit, on both
//! engines (the red-team suite has the single hang, flood, thread and fork bomb).

mod common;

use common::Pykata;
use std::path::Path;
use std::time::{Duration, Instant};

fn words(text: &str) -> String {
    text.replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_readme_states_the_default_limits_as_check_help_does() {
    let help = Pykata::new().args(["check", "--help"]).run().expect_code(0);
    let at = help
        .stdout
        .find("Default limits:")
        .expect("`pykata check --help` states the default limits");
    let stated = words(&help.stdout[at..]);
    for number in [
        "10 s",
        "4 times",
        "1 s per test",
        "at most 3 times",
        "1 MiB",
        "0.2 s",
    ] {
        assert!(stated.contains(number), "{number:?} missing from: {stated}");
    }
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    assert!(
        words(&readme).contains(&stated),
        "README.md does not state the limits as `pykata check --help` does:\n{stated}"
    );
}

#[test]
fn documents_link_nothing_outside_the_repository() {
    let root = common::root();
    let mut documents = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            documents.push(path);
        }
    }
    let repository = root.canonicalize().unwrap();
    let mut outside = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap_or(rest.len())];
            let target = target.split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let resolved = document.parent().unwrap().join(target);
            match resolved.canonicalize() {
                Ok(path) if path.starts_with(&repository) => {}
                _ => outside.push(format!("{}: {target}", document.display())),
            }
        }
    }
    assert!(
        outside.is_empty(),
        "links outside the repository or to nothing: {outside:#?}"
    );
}

/// A folder of `count` tests that all loop forever.
fn hanging_folder(dir: &Path, count: usize) {
    let mut text = String::new();
    for index in 0..count {
        text.push_str(&format!(
            "def test_{index}():\n    while True:\n        pass\n\n"
        ));
    }
    std::fs::write(dir.join("test_hang.py"), text).unwrap();
}

fn every_test_hangs(engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    hanging_folder(dir.path(), 6);
    let started = Instant::now();
    let run = Pykata::new()
        .args([
            "check",
            "--format",
            "json",
            "--timeout",
            "2",
            "--engine",
            engine,
        ])
        .arg(dir.path())
        .run()
        .expect_code(1);
    let took = started.elapsed();
    // Four tests stopped (the first run and three restarts), two seconds each, plus each
    // run's start: within the whole run's limit (4 * 2 s + 1 s per test), plus 2 s.
    assert!(
        took < Duration::from_secs(4 * 2 + 6 + 2),
        "took {took:?}, more than the restarts cap allows: {run:#?}"
    );
    assert!(!run.stdout.contains("-0.0"), "{}", run.stdout);
    let report = run.json();
    assert_eq!(report["status"], "error", "{report:#}");
    assert_eq!(report["score"], 0.0);
    assert_eq!(report["max_score"], 6.0);
    assert_eq!(report["verdict"]["kind"], "time_limit");
    let tests = report["tests"].as_array().unwrap();
    let summary: Vec<(String, String)> = tests
        .iter()
        .map(|test| {
            (
                test["name"].as_str().unwrap().to_string(),
                test["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = (0..6)
        .map(|index| {
            let status = if index < 4 { "fail" } else { "error" };
            (format!("test_{index}"), status.to_string())
        })
        .collect();
    assert_eq!(summary, expected);
    for test in &tests[..4] {
        assert!(
            test["message"]
                .as_str()
                .unwrap()
                .starts_with("time limit: this test took longer than 2 s"),
            "{test:#}"
        );
    }
    for test in &tests[4..] {
        assert!(
            test["message"]
                .as_str()
                .unwrap()
                .starts_with("not run: 4 tests had already been stopped by a limit"),
            "{test:#}"
        );
    }
}

#[test]
fn a_folder_that_hangs_in_every_test_answers_within_the_restarts_cap_embedded() {
    every_test_hangs("embedded");
}

#[test]
fn a_folder_that_hangs_in_every_test_answers_within_the_restarts_cap_subprocess() {
    every_test_hangs("subprocess");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// An exercise whose reference solution hangs in one case cannot be graded: exit 2, and
/// the message names the case.
fn reference_hangs(engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let exercise = dir.path().join("lru_cache");
    copy_dir(
        &common::root().join("exercises/data_structures/lru_cache"),
        &exercise,
    );
    std::fs::copy(
        common::fixture("hostile/exercise_hang_one_case/lru_cache.py"),
        exercise.join("solution.py"),
    )
    .unwrap();
    let submission = common::root().join("exercises/data_structures/lru_cache/solution.py");
    let run = Pykata::new()
        .args([
            "check",
            "--format",
            "json",
            "--timeout",
            "1",
            "--engine",
            engine,
        ])
        .arg(&exercise)
        .arg("--submission")
        .arg(&submission)
        .run()
        .expect_code(2);
    let report = run.json();
    assert_eq!(report["error"]["kind"], "reference", "{report:#}");
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "case \"keys can be any hashable value\": time limit: this test took longer than 1 s"
        ),
        "{message}"
    );
}

#[test]
fn a_reference_stopped_by_a_limit_names_the_case_embedded() {
    reference_hangs("embedded");
}

#[test]
fn a_reference_stopped_by_a_limit_names_the_case_subprocess() {
    reference_hangs("subprocess");
}
