//! Grading a plain folder of unittest or pytest-style tests. No reference exists here, so
//! the tests run beside the code they test; the grader still decides completion itself
//! (docs/SECURITY.md says what this mode can and cannot promise).

use super::segments::{Segment, Segments, run_segments};
use super::{
    ErrorOrigin, GradeError, Grader, IsolationSummary, PytestCounts, RunVerdict, SubmissionReport,
    TargetKind, TestResult, TestStatus, TracebackFrame, cap_text, run_verdict,
};
use crate::engine::process::RunOutput;
use crate::engine::protocol::{Message, TestMessage};
use crate::engine::{Job, RunClock};
use std::path::{Path, PathBuf};
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
    let place = super::rootdir::find(folder);
    let limits = grader.folder_limits();
    let run = |mode: &'static str| {
        run_segments(&limits, |from, clock| {
            run_once(grader, &place, mode, from, clock)
        })
    };
    let mut segments = run("auto")?;
    if let Some(feature) = needs_pytest(&segments) {
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
        segments = run("real")?;
    }

    // A test reported twice means someone else wrote on the channel: nothing in the
    // transcript can be trusted then.
    let mut seen = std::collections::HashSet::new();
    let duplicated = messages(&segments)
        .any(|message| matches!(message, Message::Test(test) if !seen.insert(test.id.as_str())));
    let trusted = segments.trusted() && !duplicated;
    let mut report = SubmissionReport::new(path, TargetKind::Folder);
    let first = &segments.runs[0].output;
    report.isolation = Some(IsolationSummary::of(first.isolation.as_ref()));
    let printed: String = segments
        .runs
        .iter()
        .map(|run| format!("{}{}", run.output.stdout, run.output.stderr))
        .collect();
    report.output = cap_text(&printed, OUTPUT_CAP);
    let mut counts = PytestCounts::default();
    for run in &segments.runs {
        let verdict = segment_verdict(run, &limits);
        if report.verdict.is_none() {
            report.verdict = verdict.clone();
        }
        for message in &run.output.transcript.messages {
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
                // A restart collects again: its notices repeat the first run's.
                Message::Notice(notice) if run.from == 0 && report.notes.len() < 20 => {
                    report.notes.push(cap_text(&notice.text, OUTPUT_CAP));
                }
                Message::CollectError(error) if run.from == 0 => {
                    counts.add("error");
                    report.tests.push(TestResult {
                        id: Some(error.file.clone()),
                        name: format!("{} (collection)", error.file),
                        status: TestStatus::Error,
                        message: format!("could not import {}: {}", error.file, error.message),
                        ..unreported_test(&error.file)
                    });
                    let last = report.tests.last_mut().expect("just pushed");
                    last.line = error.line;
                    last.traceback = error.traceback.iter().map(TracebackFrame::from).collect();
                }
                _ => {}
            }
        }
        if let Some(index) = run.stopped_in {
            // The test that was running when a limit stopped the run fails with it.
            let message = verdict.as_ref().map_or_else(
                || "stopped: the run ended during this test".to_string(),
                RunVerdict::describe_test,
            );
            counts.add("failed");
            report.tests.push(TestResult {
                status: TestStatus::Fail,
                message,
                ..unreported_test(segments.id(index).unwrap_or("?"))
            });
        }
    }
    if let Some((from, why)) = &segments.not_run {
        for id in segments.ids.iter().flatten().skip(*from) {
            report.tests.push(TestResult {
                status: TestStatus::Error,
                message: why.describe(),
                ..unreported_test(id)
            });
        }
    }
    report.counts = Some(counts);
    if !trusted {
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
    if report.verdict.is_none() && !trusted {
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
    if segments.completed() && trusted && report.tests.is_empty() {
        return Err(GradeError::grader(
            "no_tests",
            format!("{path} holds test files, but they define no tests"),
        ));
    }
    report.common_failure = common_failure(&report.tests);
    report.finish();
    Ok(report)
}

/// Every message of every run, in order.
fn messages(segments: &Segments) -> impl Iterator<Item = &Message> {
    segments
        .runs
        .iter()
        .flat_map(|run| run.output.transcript.messages.iter())
}

/// The resource verdict of one run of the folder.
fn segment_verdict(run: &Segment, limits: &crate::settings::Limits) -> Option<RunVerdict> {
    let memory_error = run
        .output
        .transcript
        .messages
        .iter()
        .any(|message| match message {
            Message::Test(test) => test.message.contains("MemoryError"),
            Message::CollectError(error) => error.message.contains("MemoryError"),
            _ => false,
        });
    run_verdict(&run.output, limits, run.completed, memory_error)
}

/// A failed test known only by its node id (`file::name`), for the grader to fill in.
fn unreported_test(id: &str) -> TestResult {
    let (file, name) = id.split_once("::").unwrap_or((id, id));
    TestResult {
        id: Some(id.to_string()),
        name: name.to_string(),
        status: TestStatus::Error,
        message: String::new(),
        expected: None,
        actual: None,
        output: String::new(),
        score: 0.0,
        max_score: 1.0,
        hidden: false,
        file: Some(file.to_string()).filter(|file| !file.is_empty()),
        line: None,
        traceback: Vec::new(),
    }
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

/// Runs the folder's tests once, from test `from` on: `place` is the rootdir (copied whole
/// into the run) and the given folder relative to it (the tests collected, as `pytest
/// tests/` does).
fn run_once(
    grader: &Grader,
    place: &(PathBuf, PathBuf),
    pytest_mode: &str,
    from: usize,
    clock: RunClock,
) -> Result<RunOutput, GradeError> {
    let (root, relative) = place;
    let mut scratch = grader.scratch()?;
    let mut budget = FOLDER_BYTES_CAP;
    let mut arg = relative.clone();
    if let Err(error) = copy_folder(root, scratch.path(), &mut budget) {
        // A rootdir too large to copy: the given folder alone, as before rootdirs
        let given = root.join(relative);
        if relative.as_os_str().is_empty() {
            return Err(unreadable(root, error));
        }
        scratch = grader.scratch()?;
        budget = FOLDER_BYTES_CAP;
        copy_folder(&given, scratch.path(), &mut budget)
            .map_err(|error| unreadable(&given, error))?;
        arg = PathBuf::new();
    }
    let mut harness_args: Vec<std::ffi::OsString> = vec![
        "--channel-fd".into(),
        "3".into(),
        "folder".into(),
        "--dir".into(),
        scratch.path().into(),
        "--pytest".into(),
        pytest_mode.into(),
        "--from".into(),
        from.to_string().into(),
    ];
    if !arg.as_os_str().is_empty() {
        harness_args.push("--arg".into());
        harness_args.push(arg.into());
    }
    let mut visible = Vec::new();
    for (name, value) in &grader.folder_env {
        harness_args.push("--env".into());
        let value = map_paths(name, value, root, &mut visible);
        harness_args.push(format!("{name}={value}").into());
    }
    let job = Job {
        visible,
        harness_args,
        scratch: scratch.path().to_path_buf(),
        limits: grader.folder_limits(),
        known_lines: None,
        clock,
    };
    grader
        .engine
        .run(&job)
        .map_err(|error| GradeError::grader("engine", error.to_string()))
}

fn unreadable(folder: &Path, error: std::io::Error) -> GradeError {
    GradeError::grader(
        "unreadable",
        format!("failed to copy {}: {error}", folder.display()),
    )
}

/// A path list (`PYTHONPATH`) given with `--env` as the run sees it: folders inside the
/// rootdir become paths relative to it (the harness finds them in its copy); other
/// existing folders are made visible to the run, read-only. Other variables pass
/// unchanged.
fn map_paths(name: &str, value: &str, root: &Path, visible: &mut Vec<PathBuf>) -> String {
    if name != "PYTHONPATH" {
        return value.to_string();
    }
    let entries: Vec<String> = std::env::split_paths(value)
        .filter(|entry| !entry.as_os_str().is_empty())
        .map(|entry| {
            let absolute = std::path::absolute(&entry).unwrap_or(entry);
            let absolute = absolute.canonicalize().unwrap_or(absolute);
            match absolute.strip_prefix(root) {
                Ok(inside) if inside.as_os_str().is_empty() => PathBuf::from("."),
                Ok(inside) => inside.to_path_buf(),
                Err(_) => {
                    if absolute.exists() {
                        visible.push(absolute.clone());
                    }
                    absolute
                }
            }
            .display()
            .to_string()
        })
        .collect();
    entries.join(":")
}

fn needs_pytest(segments: &Segments) -> Option<String> {
    messages(segments).find_map(|message| match message {
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
