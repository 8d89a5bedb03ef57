//! One grade of the learner's file as watch mode shows it: the report `pykata check` prints
//! (rendered by `report::HumanReporter`, colours stripped), and, when every case fails for
//! the same reason, that reason said once with its file and line instead of once per case.

use crate::exercise::Exercise;
use crate::grade::exercise::grade_exercise;
use crate::grade::{Grader, Status, SubmissionReport, TestStatus};
use crate::report::{Event, HumanReporter, Reporter, RunStats};
use std::cell::RefCell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Every case failing the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonFailure {
    /// What went wrong: `NotImplementedError: write retry()`.
    pub reason: String,
    /// Where, relative to the workspace: `retry/retry.py:8`.
    pub location: Option<String>,
    /// The source line there.
    pub text: Option<String>,
    /// How many cases failed.
    pub count: usize,
}

/// The last grade of the current exercise.
#[derive(Debug, Clone)]
pub struct LastRun {
    pub report: SubmissionReport,
    /// The report as `pykata check` prints it, without colour.
    pub text: String,
    pub common: Option<CommonFailure>,
    /// From the start of the grade to the report.
    pub took: Duration,
}

impl LastRun {
    /// Whether every case passed.
    pub fn passed(&self) -> bool {
        self.report.status == Status::Pass
    }

    /// `passed 16/16` or `failed 3/16`.
    pub fn summary(&self) -> String {
        let counted = self
            .report
            .tests
            .iter()
            .filter(|test| test.status.is_scored())
            .count();
        let passed = self
            .report
            .tests
            .iter()
            .filter(|test| test.status.is_success())
            .count();
        let word = match self.report.status {
            Status::Pass => "passed",
            Status::Fail => "failed",
            Status::Error => "error",
        };
        format!("{word}: {passed}/{counted} tests")
    }
}

/// Grades `file` (shown as `shown`, relative to the workspace) against `exercise`.
pub fn grade(grader: &Grader, exercise: &Exercise, file: &Path, shown: &str) -> LastRun {
    let started = Instant::now();
    let mut report = grade_exercise(grader, shown, exercise, file);
    // The report names the file as the learner sees it, relative to the workspace.
    report.submission = Some(shown.to_string());
    let text = render(&report, grader.seed);
    let folder = Path::new(shown).parent().unwrap_or(Path::new(""));
    let common = common_failure(&report, folder);
    LastRun {
        report,
        text,
        common,
        took: started.elapsed(),
    }
}

/// A writer into a shared buffer (the reporter takes a `Box<dyn Write>`).
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The human report of one submission, colours stripped.
pub fn render(report: &SubmissionReport, seed: u64) -> String {
    let buffer = Buffer::default();
    let mut reporter = HumanReporter::new(Box::new(buffer.clone()));
    let mut stats = RunStats::default();
    stats.record(report);
    let _ = reporter
        .report(&Event::RunStarted { targets: 1, seed })
        .and_then(|()| reporter.report(&Event::SubmissionFinished { index: 0, report }))
        .and_then(|()| reporter.report(&Event::RunFinished { stats: &stats }));
    let bytes = buffer.0.borrow().clone();
    anstream::adapter::strip_str(&String::from_utf8_lossy(&bytes)).to_string()
}

/// The one reason every case fails for, when there is one. A submission that did not load
/// (a syntax error, a missing name) is already reported once, with its file and line, by
/// the human report: this finds the same exception raised by every case.
pub fn common_failure(report: &SubmissionReport, folder: &Path) -> Option<CommonFailure> {
    if report.error.is_some() || report.verdict.is_some() {
        return None;
    }
    let scored: Vec<_> = report
        .tests
        .iter()
        .filter(|test| test.status.is_scored())
        .collect();
    if scored.len() < 2
        || scored
            .iter()
            .any(|test| test.status.is_success() || test.status == TestStatus::Skip)
    {
        return None;
    }
    // The same exception, raised at the same line of the learner's file, by every case.
    let key = |test: &crate::grade::TestResult| {
        let frame = test.traceback.last()?;
        Some((
            exception_name(&test.message)?,
            frame.file.clone(),
            frame.line,
        ))
    };
    let first = key(scored[0])?;
    if scored.iter().any(|test| key(test).as_ref() != Some(&first)) {
        return None;
    }
    let frame = scored[0].traceback.last()?;
    // The most telling wording: "NotImplementedError: write retry()" where a case gives it.
    let reason = scored
        .iter()
        .find_map(|test| {
            let (_, rest) = test.message.split_once(" raised ")?;
            Some(rest.split(", expected").next().unwrap_or(rest).to_string())
        })
        .unwrap_or_else(|| first.0.clone());
    Some(CommonFailure {
        reason,
        location: Some(format!(
            "{}:{}",
            folder.join(&frame.file).display(),
            frame.line
        )),
        text: Some(frame.text.trim().to_string()).filter(|text| !text.is_empty()),
        count: scored.len(),
    })
}

/// The exception a case's message says was raised (`NotImplementedError`): the first
/// class named after "raised" or "stopped with", else the first named at all.
fn exception_name(message: &str) -> Option<String> {
    let after = [" raised ", "stopped with "]
        .iter()
        .find_map(|marker| message.split_once(marker).map(|(_, rest)| rest));
    first_exception(after.unwrap_or(message))
}

fn first_exception(text: &str) -> Option<String> {
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .find(|word| {
            word.chars().next().is_some_and(char::is_uppercase)
                && (word.ends_with("Error")
                    || word.ends_with("Exception")
                    || matches!(*word, "StopIteration" | "KeyboardInterrupt" | "SystemExit"))
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::exception_name;

    #[test]
    fn finds_the_exception_in_a_message() {
        assert_eq!(
            exception_name(
                "LRUCache(2) raised NotImplementedError: x, expected it to return normally"
            )
            .as_deref(),
            Some("NotImplementedError")
        );
        assert_eq!(
            exception_name("'at most a few' next, but the case stopped with KeyError").as_deref(),
            Some("KeyError")
        );
        assert_eq!(
            exception_name("retry(3, (ValueError,)) raised NotImplementedError: x").as_deref(),
            Some("NotImplementedError")
        );
        assert_eq!(exception_name("get('a') returned 1, expected 2"), None);
    }
}
