//! One grade of the learner's file as watch mode shows it: the report `pykata check` prints
//! (rendered by `report::HumanReporter`, colours stripped), and, when every case fails for
//! the same reason, that reason said once with its file and line instead of once per case.

use crate::exercise::Exercise;
use crate::grade::exercise::grade_exercise;
use crate::grade::{Grader, Status, SubmissionReport};
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
    // A learner never sees a hidden case's details, here as in `pykata check`.
    report.redact_hidden();
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

/// The report's reason said once (`SubmissionReport::common_failure`), when every scored
/// case failed for it: the view then says it once, with its place in the workspace.
pub fn common_failure(report: &SubmissionReport, folder: &Path) -> Option<CommonFailure> {
    if report.error.is_some() || report.verdict.is_some() {
        return None;
    }
    let common = report.common_failure.as_ref()?;
    let scored = report
        .tests
        .iter()
        .filter(|test| test.status.is_scored())
        .count();
    if common.tests != scored {
        return None;
    }
    Some(CommonFailure {
        reason: common.message.clone(),
        location: common.file.as_ref().map(|file| {
            let place = folder.join(file).display().to_string();
            match common.line {
                Some(line) => format!("{place}:{line}"),
                None => place,
            }
        }),
        text: common.text.clone().filter(|text| !text.trim().is_empty()),
        count: common.tests,
    })
}
