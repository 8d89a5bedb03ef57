//! Unit tests of the report model: scores and status from the tests (`finish`), the
//! redaction of hidden cases, and the reason said once.

use super::*;

fn test(name: &str, status: TestStatus, points: f64) -> TestResult {
    TestResult {
        id: None,
        name: name.into(),
        status,
        message: if status.is_success() {
            String::new()
        } else {
            format!("{name} went wrong")
        },
        expected: Some("1".into()),
        actual: Some("2".into()),
        output: format!("{name} printed"),
        score: if status.is_success() { points } else { 0.0 },
        max_score: points,
        hidden: false,
        file: Some("f.py".into()),
        line: Some(3),
        traceback: vec![TracebackFrame {
            file: "f.py".into(),
            line: 3,
            function: "f".into(),
            text: "raise X".into(),
        }],
    }
}

fn report(tests: Vec<TestResult>) -> SubmissionReport {
    let mut report = SubmissionReport::new("p", TargetKind::Exercise);
    report.tests = tests;
    report.finish();
    report
}

#[test]
fn finish_sums_scores_and_leaves_skipped_tests_out_of_the_maximum() {
    let report = report(vec![
        test("a", TestStatus::Pass, 2.0),
        test("b", TestStatus::Fail, 3.0),
        test("c", TestStatus::Skip, 5.0),
        test("d", TestStatus::Xfail, 1.0),
    ]);
    assert_eq!((report.score, report.max_score), (3.0, 6.0));
    assert_eq!(report.status, Status::Fail);
}

#[test]
fn finish_passes_only_when_nothing_failed() {
    use TestStatus::*;
    for (statuses, want) in [
        (vec![Pass, Skip, Xfail, Xpass], Status::Pass),
        (vec![Pass, Error], Status::Fail),
        (vec![Fail], Status::Fail),
        (vec![Skip], Status::Pass),
    ] {
        let tests = statuses
            .iter()
            .map(|status| test("t", *status, 1.0))
            .collect();
        assert_eq!(report(tests).status, want, "{statuses:?}");
    }
}

#[test]
fn an_error_or_verdict_is_an_error_unless_something_passed() {
    let mut broken = SubmissionReport::new("p", TargetKind::Exercise);
    broken.tests = vec![test("a", TestStatus::Error, 1.0)];
    broken.verdict = Some(RunVerdict::MemoryLimit);
    broken.finish();
    assert_eq!(broken.status, Status::Error);
    broken.tests.push(test("b", TestStatus::Pass, 1.0));
    broken.finish();
    assert_eq!(broken.status, Status::Fail);
    // A skipped test is no success.
    broken.tests[1].status = TestStatus::Skip;
    broken.finish();
    assert_eq!(broken.status, Status::Error);
}

#[test]
fn redaction_keeps_verdicts_and_points_and_drops_everything_else() {
    let mut secret = test("secret rule", TestStatus::Fail, 2.0);
    secret.hidden = true;
    secret.id = Some("id".into());
    let mut secret_pass = test("other secret", TestStatus::Pass, 3.0);
    secret_pass.hidden = true;
    let mut not_run = test("never ran", TestStatus::Error, 1.0);
    not_run.hidden = true;
    not_run.message = "not run: the submission did not load".into();
    let visible = test("visible", TestStatus::Fail, 1.0);
    let mut report = report(vec![secret, visible.clone(), secret_pass, not_run]);
    let before = (report.score, report.max_score, report.status);
    report.redact_hidden();
    assert_eq!((report.score, report.max_score, report.status), before);

    let hidden = &report.tests[0];
    assert_eq!(hidden.name, "hidden case 1");
    assert_eq!(
        (hidden.status, hidden.score, hidden.max_score),
        (TestStatus::Fail, 0.0, 2.0)
    );
    assert!(hidden.hidden);
    assert_eq!(hidden.message, "");
    assert_eq!(hidden.id, None);
    assert_eq!((&hidden.expected, &hidden.actual), (&None, &None));
    assert_eq!(hidden.output, "");
    assert_eq!((&hidden.file, hidden.line), (&None, None));
    assert!(hidden.traceback.is_empty());
    assert_eq!(report.tests[2].name, "hidden case 2");
    assert_eq!(report.tests[2].score, 3.0);
    assert_eq!(report.tests[3].name, "hidden case 3");
    assert_eq!(
        report.tests[3].message,
        "not run: the submission did not load"
    );
    // A visible test is left alone.
    assert_eq!(report.tests[1].name, visible.name);
    assert_eq!(report.tests[1].message, visible.message);
    assert_eq!(report.tests[1].output, visible.output);
}

fn cause(message: &str, line: u32) -> Option<(String, Option<TracebackFrame>)> {
    Some((
        message.into(),
        Some(TracebackFrame {
            file: "m.py".into(),
            line,
            function: "f".into(),
            text: "  raise NotImplementedError  ".into(),
        }),
    ))
}

#[test]
fn a_common_failure_needs_two_identical_causes() {
    let same = CommonFailure::of(&[cause("E: x", 4), cause("E: x", 4), cause("E: x", 4)])
        .expect("three identical causes");
    assert_eq!(
        same,
        CommonFailure {
            message: "E: x".into(),
            file: Some("m.py".into()),
            line: Some(4),
            text: Some("raise NotImplementedError".into()),
            tests: 3,
        }
    );
    assert_eq!(CommonFailure::of(&[cause("E: x", 4)]), None);
    assert_eq!(CommonFailure::of(&[]), None);
    assert_eq!(
        CommonFailure::of(&[cause("E: x", 4), cause("E: x", 5)]),
        None
    );
    assert_eq!(
        CommonFailure::of(&[cause("E: x", 4), cause("E: y", 4)]),
        None
    );
    assert_eq!(CommonFailure::of(&[cause("E: x", 4), None]), None);
    assert_eq!(CommonFailure::of(&[None, None]), None);
}

#[test]
fn the_reason_said_once_is_dropped_when_only_hidden_cases_fail() {
    let mut secret = test("secret", TestStatus::Fail, 1.0);
    secret.hidden = true;
    let failure = CommonFailure::of(&[cause("E", 1), cause("E", 1)]);
    let mut only_hidden = report(vec![secret.clone(), test("ok", TestStatus::Pass, 1.0)]);
    only_hidden.common_failure = failure.clone();
    only_hidden.redact_hidden();
    assert_eq!(only_hidden.common_failure, None);

    let mut both = report(vec![secret, test("visible", TestStatus::Fail, 1.0)]);
    both.common_failure = failure.clone();
    both.redact_hidden();
    assert_eq!(both.common_failure, failure);
}
