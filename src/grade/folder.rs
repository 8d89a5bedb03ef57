//! Grading a plain folder of unittest or pytest-style tests. No reference exists here, so
//! the tests run beside the code they test; the grader still decides completion itself
//! (docs/SECURITY.md says what this mode can and cannot promise).

use super::{
    ErrorOrigin, GradeError, Grader, IsolationSummary, PytestCounts, SubmissionReport, TargetKind,
    TestResult, TestStatus, TracebackFrame, cap_text, run_verdict,
};
use crate::engine::Job;
use crate::engine::process::RunOutput;
use crate::engine::protocol::{Message, TestMessage};
use std::path::Path;
use std::time::Instant;

/// Largest folder copied into a scratch folder.
const FOLDER_BYTES_CAP: u64 = 64 << 20;
/// Cap of the learner's output shown per report.
const OUTPUT_CAP: usize = 8 * 1024;

/// Grades the tests in `folder`.
pub fn grade_folder(grader: &Grader, path: &str, folder: &Path) -> SubmissionReport {
    let started = Instant::now();
    let mut report = match run_folder(grader, path, folder) {
        Ok(report) => report,
        Err(error) => SubmissionReport::unusable(path, TargetKind::Folder, error),
    };
    report.engine = grader.engine_name().to_string();
    report.duration = started.elapsed();
    report
}

fn run_folder(grader: &Grader, path: &str, folder: &Path) -> Result<SubmissionReport, GradeError> {
    let mut output = run_once(grader, folder, "auto")?;
    if let Some(feature) = needs_pytest(&output) {
        if !pytest_available(grader) {
            return Err(GradeError::grader(
                "needs_pytest",
                format!(
                    "{feature}, which pykata's built-in runner does not provide; install pytest for {} (`{} -m pip install pytest`) and pykata will use it",
                    grader.engine.python().display(),
                    grader.engine.python().display()
                ),
            ));
        }
        output = run_once(grader, folder, "real")?;
    }

    let limits = grader.folder_limits();
    // A test reported twice means someone else wrote on the channel: nothing in the
    // transcript can be trusted then.
    let mut seen = std::collections::HashSet::new();
    let duplicated =
        output.transcript.messages.iter().any(
            |message| matches!(message, Message::Test(test) if !seen.insert(test.id.as_str())),
        );
    let completed = output.transcript.completed_count().is_some() && !duplicated;
    let mut report = SubmissionReport::new(path, TargetKind::Folder);
    let memory_error = output
        .transcript
        .messages
        .iter()
        .any(|message| match message {
            Message::Test(test) => test.message.contains("MemoryError"),
            Message::CollectError(error) => error.message.contains("MemoryError"),
            _ => false,
        });
    report.verdict = run_verdict(&output, &limits, completed, memory_error);
    report.isolation = Some(IsolationSummary::of(output.isolation.as_ref()));
    report.output = cap_text(&format!("{}{}", output.stdout, output.stderr), OUTPUT_CAP);
    let mut counts = PytestCounts::default();
    for message in &output.transcript.messages {
        match message {
            Message::Test(test) => {
                if test.pytest_outcomes.is_empty() {
                    counts.add(pytest_outcome(&test.status));
                }
                for outcome in &test.pytest_outcomes {
                    counts.add(outcome);
                }
                report.tests.push(test_result(test));
            }
            Message::CollectError(error) => {
                counts.add("error");
                report.tests.push(TestResult {
                    id: Some(error.file.clone()),
                    name: format!("{} (collection)", error.file),
                    status: TestStatus::Error,
                    message: format!("could not import {}: {}", error.file, error.message),
                    expected: None,
                    actual: None,
                    output: String::new(),
                    score: 0.0,
                    max_score: 1.0,
                    hidden: false,
                    file: Some(error.file.clone()),
                    line: error.line,
                    traceback: error.traceback.iter().map(TracebackFrame::from).collect(),
                });
            }
            _ => {}
        }
    }
    report.counts = Some(counts);
    if !completed {
        // Fail closed: results from a run that did not complete cleanly may be forged.
        for test in report
            .tests
            .iter_mut()
            .filter(|test| test.status.is_success())
        {
            test.status = TestStatus::Error;
            test.score = 0.0;
            test.message =
                "not counted: the run did not complete cleanly, so its results cannot be trusted"
                    .into();
        }
    }
    if report.verdict.is_none() && !completed {
        report.error = Some(GradeError {
            origin: ErrorOrigin::Submission,
            kind: "protocol".into(),
            message: "the run's results were incomplete or corrupt".into(),
            file: None,
            line: None,
            column: None,
            text: None,
            traceback: Vec::new(),
        });
    }
    if completed && report.tests.is_empty() {
        return Err(GradeError::grader(
            "no_tests",
            format!("{path} holds test files, but they define no tests"),
        ));
    }
    report.common_failure = common_failure(&report.tests);
    report.finish();
    Ok(report)
}

/// The one exception every failing test stopped at (the same message, raised at the same
/// line of the same file), if there is one: a stub's NotImplementedError, say.
fn common_failure(tests: &[TestResult]) -> Option<super::CommonFailure> {
    let causes: Vec<_> = tests
        .iter()
        .filter(|test| test.status.is_scored() && !test.status.is_success())
        .map(|test| {
            let frame = test.traceback.last()?;
            let message = test.message.lines().next()?.to_string();
            Some((message, Some(frame.clone())))
        })
        .collect();
    super::CommonFailure::of(&causes)
}

fn run_once(grader: &Grader, folder: &Path, pytest_mode: &str) -> Result<RunOutput, GradeError> {
    let scratch = grader.scratch()?;
    let mut budget = FOLDER_BYTES_CAP;
    copy_folder(folder, scratch.path(), &mut budget).map_err(|error| {
        GradeError::grader(
            "unreadable",
            format!("failed to copy {}: {error}", folder.display()),
        )
    })?;
    let job = Job {
        visible: Vec::new(),
        harness_args: vec![
            "--channel-fd".into(),
            "3".into(),
            "folder".into(),
            "--dir".into(),
            scratch.path().into(),
            "--pytest".into(),
            pytest_mode.into(),
        ],
        scratch: scratch.path().to_path_buf(),
        limits: grader.folder_limits(),
        known_lines: None,
    };
    grader
        .engine
        .run(&job)
        .map_err(|error| GradeError::grader("engine", error.to_string()))
}

fn needs_pytest(output: &RunOutput) -> Option<String> {
    output
        .transcript
        .messages
        .iter()
        .find_map(|message| match message {
            Message::NeedsPytest(needs) => Some(format!("{} uses {}", needs.file, needs.feature)),
            _ => None,
        })
}

fn pytest_available(grader: &Grader) -> bool {
    std::process::Command::new(grader.engine.python())
        .args(["-I", "-c", "import pytest"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// pytest's word for a test status.
fn pytest_outcome(status: &str) -> &'static str {
    match status {
        "pass" => "passed",
        "fail" => "failed",
        "skip" => "skipped",
        "xfail" => "xfailed",
        "xpass" => "xpassed",
        _ => "error",
    }
}

fn test_result(test: &TestMessage) -> TestResult {
    let status = match test.status.as_str() {
        "pass" => TestStatus::Pass,
        "fail" => TestStatus::Fail,
        "skip" => TestStatus::Skip,
        "xfail" => TestStatus::Xfail,
        "xpass" => TestStatus::Xpass,
        _ => TestStatus::Error,
    };
    let (expected, actual) = match &test.compare {
        // pytest's convention: `assert actual == expected`.
        Some(compare) if compare.op == "==" => {
            (Some(compare.right.clone()), Some(compare.left.clone()))
        }
        _ => (None, None),
    };
    let mut message = test.message.clone();
    for subtest in test
        .subtests
        .iter()
        .filter(|subtest| subtest.status != "pass")
    {
        message.push_str(&format!(
            "\n  subtest {}: {}",
            subtest.name, subtest.message
        ));
    }
    if let Some(teardown) = &test.teardown_error
        && !message.contains(&teardown.message)
    {
        message.push_str(&format!("\n  error in teardown: {}", teardown.message));
    }
    TestResult {
        id: Some(test.id.clone()),
        name: test.name.clone(),
        status,
        message,
        expected,
        actual,
        output: test.output.clone(),
        score: if status.is_success() { 1.0 } else { 0.0 },
        max_score: 1.0,
        hidden: false,
        file: Some(test.file.clone()).filter(|file| !file.is_empty()),
        line: test.line,
        traceback: test.traceback.iter().map(TracebackFrame::from).collect(),
    }
}

/// Copies a folder, leaving out hidden folders, caches and virtual environments, within a
/// byte budget.
fn copy_folder(from: &Path, to: &Path, budget: &mut u64) -> std::io::Result<()> {
    for entry in fs_err::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        let file_type = entry.file_type()?;
        let source = entry.path();
        let destination = to.join(&name);
        if file_type.is_dir() {
            if name_text.starts_with('.')
                || matches!(
                    name_text.as_ref(),
                    "__pycache__" | "node_modules" | "venv" | ".venv"
                )
            {
                continue;
            }
            fs_err::create_dir(&destination)?;
            copy_folder(&source, &destination, budget)?;
        } else if file_type.is_file() {
            let size = entry.metadata()?.len();
            if size > *budget {
                return Err(std::io::Error::other(format!(
                    "the folder is larger than {} MiB",
                    FOLDER_BYTES_CAP >> 20
                )));
            }
            *budget -= size;
            fs_err::copy(&source, &destination)?;
        }
    }
    Ok(())
}
