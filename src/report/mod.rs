//! Reporting: the typed events a run emits, and one reporter per output format. Adding a
//! format means adding one file here.

pub mod exercism;
pub mod github;
pub mod gradescope;
mod human;
mod json;
pub mod junit;
mod tap;

pub use github::GithubReporter;
pub use human::HumanReporter;
pub use json::JsonReporter;
pub use junit::JunitReporter;
pub use tap::TapReporter;

use crate::grade::{Status, SubmissionReport};
use crate::settings::{ColorMode, Format};
use std::io;
use std::time::Duration;

/// Something that happened during a run, in order.
#[derive(Debug)]
pub enum Event<'a> {
    /// Grading begins.
    RunStarted { targets: usize, seed: u64 },
    /// Something the user should know that is not a result (printed on stderr).
    Notice { message: String },
    /// One PATH has been graded. Emitted in the order the PATHs were given.
    SubmissionFinished {
        index: usize,
        report: &'a SubmissionReport,
    },
    /// Everything has been graded.
    RunFinished { stats: &'a RunStats },
}

/// Counts over a whole run, and the one place that maps them to an exit code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStats {
    pub passed: usize,
    pub failed: usize,
    /// Graded, but the tests could not run (the submission did not load, a limit...).
    pub errored: usize,
    /// Not graded: pykata could not use the input.
    pub unusable: usize,
    pub duration: Duration,
}

impl RunStats {
    /// Counts one graded PATH.
    pub fn record(&mut self, report: &SubmissionReport) {
        if report.is_unusable() {
            self.unusable += 1;
            return;
        }
        match report.status {
            Status::Pass => self.passed += 1,
            Status::Fail => self.failed += 1,
            Status::Error => self.errored += 1,
        }
    }

    /// 0 when every graded submission passed, 1 when something graded did not pass, 2 when
    /// pykata could not grade some input.
    pub fn exit_code(&self) -> u8 {
        if self.unusable > 0 {
            2
        } else if self.failed > 0 || self.errored > 0 {
            1
        } else {
            0
        }
    }
}

/// Keeps the reports of a run, for commands that act on results rather than print them.
#[derive(Debug, Default)]
pub struct Collector {
    pub reports: Vec<SubmissionReport>,
}

impl Reporter for Collector {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        if let Event::SubmissionFinished { report, .. } = event {
            self.reports.push((*report).clone());
        }
        Ok(())
    }
}

/// A consumer of events.
pub trait Reporter {
    /// Handles one event.
    fn report(&mut self, event: &Event<'_>) -> io::Result<()>;
}

/// The reporter for a format, writing to stdout.
pub fn reporter_for(format: Format, color: ColorMode) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(HumanReporter::stdout(color)),
        Format::Json => Box::new(JsonReporter::new(Box::new(io::stdout()))),
        Format::Junit => Box::new(JunitReporter::new(Box::new(io::stdout()))),
        Format::Tap => Box::new(TapReporter::new(Box::new(io::stdout()))),
        Format::Gradescope => Box::new(ResultsJsonReporter::new(
            Box::new(io::stdout()),
            gradescope::results,
        )),
        Format::Exercism => Box::new(ResultsJsonReporter::new(
            Box::new(io::stdout()),
            exercism::results,
        )),
        Format::Github => Box::new(GithubReporter::new(Box::new(io::stdout()))),
    }
}

/// Writes one results object per graded PATH, one per line: the learning platforms'
/// `results.json` formats (Gradescope's, exercism's), each made by its own `results`.
pub struct ResultsJsonReporter {
    out: Box<dyn io::Write>,
    results: fn(&SubmissionReport) -> serde_json::Value,
}

impl ResultsJsonReporter {
    /// A reporter writing `results(report)` of every graded PATH to `out`.
    pub fn new(
        out: Box<dyn io::Write>,
        results: fn(&SubmissionReport) -> serde_json::Value,
    ) -> ResultsJsonReporter {
        ResultsJsonReporter { out, results }
    }
}

impl Reporter for ResultsJsonReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        use std::io::Write;
        match event {
            Event::SubmissionFinished { report, .. } => {
                serde_json::to_writer(&mut self.out, &(self.results)(report))?;
                self.out.write_all(b"\n")?;
                self.out.flush()
            }
            Event::Notice { message } => writeln!(io::stderr(), "pykata: {message}"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{GradeError, TargetKind};

    #[test]
    fn exit_code_prefers_unusable_then_failure() {
        let mut stats = RunStats::default();
        assert_eq!(stats.exit_code(), 0);
        let mut failing =
            SubmissionReport::unusable("a", TargetKind::Folder, GradeError::grader("x", "y"));
        failing.error = None;
        failing.status = Status::Fail;
        stats.record(&failing);
        assert_eq!(stats.exit_code(), 1);
        stats.record(&SubmissionReport::unusable(
            "b",
            TargetKind::Folder,
            GradeError::grader("x", "y"),
        ));
        assert_eq!(stats.exit_code(), 2);
    }
}
