//! The sandbox as users see it: `pykata doctor`, the isolation recorded in every report,
//! `--require-sandbox`, and a correct submission passing under full isolation.

mod common;

use common::{Pykata, check_json, exercise_file, fixture};

#[test]
fn doctor_reports_engines_and_isolation() {
    if common::skip_without_full_isolation("doctor_reports_engines_and_isolation") {
        return;
    }
    let run = Pykata::new().arg("doctor").run();
    assert!(run.stdout.contains("python: /"), "{run:#?}");
    assert!(run.stdout.contains("isolation"), "{run:#?}");
    // The machine gives full isolation (checked above without asking pykata), so pykata
    // must report it: the suite would hide a regression otherwise.
    assert!(run.stdout.contains("full isolation"), "{run:#?}");
    assert!(run.stdout.contains("seccomp filter"), "{run:#?}");
    // As root with user namespaces (these machines), jobs start in warm sandboxes.
    let root = unsafe { libc::geteuid() } == 0;
    let warm = "ok   warm sandboxes: each job starts in a sandbox built ahead of it";
    assert_eq!(run.stdout.contains(warm), root, "{run:#?}");
    assert_eq!(run.code, 0, "{run:#?}");
}

#[test]
fn a_correct_submission_passes_under_full_isolation() {
    if common::skip_without_full_isolation("a_correct_submission_passes_under_full_isolation") {
        return;
    }
    for (id, file) in [
        ("retry", "decorators/retry/solution.py"),
        ("lru_cache", "data_structures/lru_cache/solution.py"),
        ("rate_limiter", "decorators/rate_limiter/solution.py"),
    ] {
        let run = Pykata::new()
            .args([
                "check",
                id,
                "--format",
                "json",
                "--require-sandbox",
                "--submission",
            ])
            .arg(exercise_file(file))
            .run()
            .expect_code(0);
        assert_eq!(run.json()["isolation"]["level"], "full", "{id}: {run:#?}");
    }
}

#[test]
fn every_report_records_its_isolation() {
    if common::skip_without_full_isolation("every_report_records_its_isolation") {
        return;
    }
    let report = check_json("retry", &exercise_file("decorators/retry/starter.py")).json();
    assert_eq!(report["isolation"]["level"], "full", "{report:#}");
    let report = Pykata::new()
        .args([
            "check",
            "retry",
            "--format",
            "json",
            "--no-sandbox",
            "--submission",
        ])
        .arg(exercise_file("decorators/retry/starter.py"))
        .run()
        .json();
    assert_ne!(report["isolation"]["level"], "full", "{report:#}");
}

#[test]
fn require_sandbox_and_no_sandbox_conflict() {
    let run = Pykata::new()
        .args(["check", "retry", "--require-sandbox", "--no-sandbox"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{run:#?}");
}

/// Lines the forbidden-syscall fixture printed, one per test, from its JSON report.
fn syscall_outcomes(extra: &[&str]) -> Vec<String> {
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(fixture("isolation/forbidden_syscall"))
        .run();
    let report = run.json();
    let mut outcomes: Vec<String> = report["tests"]
        .as_array()
        .unwrap_or_else(|| panic!("{run:#?}"))
        .iter()
        .map(|test| {
            test["output"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect();
    outcomes.sort();
    outcomes
}

#[test]
fn system_calls_the_filter_denies_fail_with_eperm_inside_the_submission() {
    if common::skip_without_full_isolation("system_calls_the_filter_denies_fail_with_eperm") {
        return;
    }
    // What the submission itself saw, whatever pykata says of its isolation.
    for engine in ["embedded", "subprocess"] {
        assert_eq!(
            syscall_outcomes(&["--engine", engine]),
            [
                "keyctl: failed with EPERM",
                "userfaultfd: failed with EPERM"
            ],
            "{engine}"
        );
    }
    // Without the sandbox the same calls go through: the fixture can tell the difference.
    // (Skipped where the host itself refuses them, as a container's own filter may.)
    let outside = syscall_outcomes(&["--no-sandbox"]);
    if outside.iter().any(|line| line.ends_with("allowed")) {
        assert!(
            outside.contains(&"keyctl: allowed".to_string()),
            "{outside:?}"
        );
    } else {
        println!(
            "skipped the --no-sandbox half: this host refuses keyctl and userfaultfd itself ({outside:?})"
        );
    }
}
