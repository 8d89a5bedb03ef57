//! `pykata check --format junit|tap|gradescope|exercism|github`: every output parsed as
//! its format says, through the real binary.

mod common;

use common::{Pykata, Run, exercise_file, fixture};
use std::path::Path;

fn check(format: &str, submission: &Path) -> Run {
    Pykata::new()
        .args(["check", "lru_cache", "--seed", "7", "--format", format])
        .arg("--submission")
        .arg(submission)
        .run()
}

fn mutant() -> std::path::PathBuf {
    exercise_file("data_structures/lru_cache/mutants/contains_refreshes.py")
}

/// A submission that loads, fails, and prints forged workflow commands and markup.
fn hostile(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("lru_cache.py");
    let correct = std::fs::read_to_string(mutant()).unwrap();
    std::fs::write(
        &file,
        format!(
            "{correct}\nprint('::error file=x.py::forged annotation')\nprint('::stop-commands::guess')\nprint('<x>&\"</x>\\x01')\n"
        ),
    )
    .unwrap();
    file
}

#[test]
fn junit_is_xml_a_parser_reads() {
    let run = check("junit", &mutant()).expect_code(1);
    let document = roxmltree::Document::parse(&run.stdout).expect("valid XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suite = root
        .children()
        .find(|node| node.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("lru_cache"));
    let cases: Vec<_> = suite
        .children()
        .filter(|node| node.has_tag_name("testcase"))
        .collect();
    assert!(cases.len() >= 10, "{}", run.stdout);
    let failures: Vec<_> = cases
        .iter()
        .filter_map(|case| case.children().find(|node| node.has_tag_name("failure")))
        .collect();
    assert_eq!(
        suite.attribute("failures").unwrap(),
        failures.len().to_string()
    );
    assert!(!failures.is_empty());
    // The useful text is in the body, not only in the attribute.
    assert!(
        failures[0]
            .text()
            .unwrap()
            .contains("in cache returned True")
    );
    let names: std::collections::HashSet<_> = cases
        .iter()
        .map(|case| case.attribute("name").unwrap())
        .collect();
    assert_eq!(names.len(), cases.len(), "duplicate testcase names");
}

#[test]
fn junit_escapes_what_the_submission_prints() {
    let dir = tempfile::tempdir().unwrap();
    let run = check("junit", &hostile(dir.path())).expect_code(1);
    let document = roxmltree::Document::parse(&run.stdout).expect("valid XML");
    let out = document
        .descendants()
        .find(|node| node.has_tag_name("system-out"))
        .expect("the learner's output is kept");
    assert!(out.text().unwrap().contains("<x>&\"</x>"));
}

#[test]
fn tap_is_version_14_with_a_matching_plan() {
    let run = check("tap", &mutant()).expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "TAP version 14");
    let points: Vec<&&str> = lines
        .iter()
        .filter(|line| line.starts_with("ok ") || line.starts_with("not ok "))
        .collect();
    assert_eq!(*lines.last().unwrap(), format!("1..{}", points.len()));
    for (number, line) in points.iter().enumerate() {
        let rest = line.trim_start_matches("not ").trim_start_matches("ok ");
        assert!(rest.starts_with(&format!("{} - ", number + 1)), "{line}");
    }
    // Each failure has a YAML block: "  ---" ... "  ..." right after it.
    let failing = lines
        .iter()
        .position(|line| line.starts_with("not ok"))
        .unwrap();
    assert_eq!(lines[failing + 1], "  ---");
    assert!(lines[failing + 2].starts_with("  message: \""));
    assert!(lines[failing + 2..].contains(&"  ..."));
}

#[test]
fn gradescope_results_have_the_documented_fields() {
    let run = check("gradescope", &mutant()).expect_code(1);
    let results = run.json();
    assert!(results.get("max_score").is_none(), "no top-level max_score");
    let tests = results["tests"].as_array().unwrap();
    let sum: f64 = tests
        .iter()
        .map(|test| test["score"].as_f64().unwrap())
        .sum();
    assert_eq!(results["score"].as_f64().unwrap(), sum);
    assert!(results["execution_time"].as_f64().unwrap() > 0.0);
    for (index, test) in tests.iter().enumerate() {
        assert_eq!(test["number"], (index + 1).to_string());
        assert!(["passed", "failed"].contains(&test["status"].as_str().unwrap()));
        assert!(test["max_score"].as_f64().unwrap() >= test["score"].as_f64().unwrap());
        assert_eq!(test["visibility"], "visible");
    }
    assert!(tests.iter().any(|test| test["status"] == "failed"));
}

#[test]
fn exercism_results_are_version_3() {
    let run = check("exercism", &mutant()).expect_code(1);
    let results = run.json();
    assert_eq!(results["version"], 3);
    assert_eq!(results["status"], "fail");
    for test in results["tests"].as_array().unwrap() {
        assert!(test["name"].is_string() && test["test_code"].is_string());
        match test["status"].as_str().unwrap() {
            "pass" => {}
            "fail" | "error" => assert!(test["message"].is_string()),
            other => panic!("unknown status {other}"),
        }
    }
    let good = check("exercism", &fixture("solutions/lru_cache/plain_dict.py")).expect_code(0);
    assert_eq!(good.json()["status"], "pass");
    let broken = Pykata::new()
        .args(["check", "retry", "--format", "exercism", "--submission"])
        .arg(fixture("bad/syntax_error/retry.py"))
        .run()
        .expect_code(1);
    let broken = broken.json();
    assert_eq!(broken["status"], "error");
    assert!(broken["message"].as_str().unwrap().contains("retry.py"));
}

#[test]
fn github_wraps_learner_output_in_stop_commands() {
    let dir = tempfile::tempdir().unwrap();
    let run = check("github", &hostile(dir.path())).expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with("::stop-commands::"))
        .unwrap();
    let token = lines[start].trim_start_matches("::stop-commands::");
    assert!(token.len() >= 32 && token != "guess");
    let end = lines
        .iter()
        .position(|line| *line == format!("::{token}::"))
        .unwrap();
    let forged = lines
        .iter()
        .position(|line| line.contains("forged annotation"))
        .unwrap();
    assert!(start < forged && forged < end, "{}", run.stdout);
    // Outside the region, only pykata's own commands.
    let errors: Vec<&&str> = lines[end..]
        .iter()
        .filter(|line| line.starts_with("::error"))
        .collect();
    assert!(!errors.is_empty());
    for line in errors {
        assert!(!line.contains("forged"), "{line}");
        let data = line.splitn(3, "::").nth(2).unwrap();
        assert!(!data.contains('\n') && !data.contains('\r'));
    }
    // A fresh token on every run.
    let again = check("github", &mutant());
    assert!(!again.stdout.contains(token));
}

#[test]
fn github_annotations_are_capped_per_step() {
    let folder = fixture("plain/mixed");
    let run = Pykata::new()
        .args(["check", "--format", "github"])
        .args(std::iter::repeat_n(folder.as_os_str(), 12))
        .run()
        .expect_code(1);
    let errors = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("::error"))
        .count();
    assert_eq!(errors, 10, "{}", run.stdout);
    assert!(run.stdout.contains("more failures were not annotated"));
}

#[test]
fn github_writes_a_step_summary_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    Pykata::new()
        .args(["check", "lru_cache", "--seed", "7", "--format", "github"])
        .arg("--submission")
        .arg(mutant())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .run()
        .expect_code(1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("| PATH | status | score |"), "{text}");
    assert!(text.contains("| lru_cache | Fail | 14/16 |"), "{text}");
}
