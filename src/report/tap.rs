//! TAP version 14: one test point per test of every graded PATH, YAML diagnostics for what
//! did not pass, and the plan at the end (the number of tests is known only then).

use super::junit::{run_problem, test_details};
use super::{Event, Reporter};
use crate::grade::{SubmissionReport, TestStatus};
use std::io::{self, Write};

/// Streams test points as each PATH finishes.
pub struct TapReporter {
    out: Box<dyn Write>,
    points: usize,
}

impl TapReporter {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write>) -> TapReporter {
        TapReporter { out, points: 0 }
    }

    fn submission(&mut self, report: &SubmissionReport) -> io::Result<()> {
        let prefix = report.path.clone();
        if let Some(problem) = run_problem(report) {
            self.points += 1;
            writeln!(
                self.out,
                "not ok {} - {}",
                self.points,
                description(&format!("{prefix}: the run"))
            )?;
            diagnostics(&mut self.out, &problem, "error", None)?;
        }
        for test in &report.tests {
            self.points += 1;
            let name = description(&format!("{prefix}: {}", test.name));
            let number = self.points;
            match test.status {
                TestStatus::Pass => writeln!(self.out, "ok {number} - {name}")?,
                TestStatus::Skip => writeln!(
                    self.out,
                    "ok {number} - {name} # SKIP {}",
                    description(&test.message)
                )?,
                TestStatus::Xfail => {
                    writeln!(self.out, "not ok {number} - {name} # TODO expected to fail")?
                }
                TestStatus::Xpass => writeln!(
                    self.out,
                    "ok {number} - {name} # TODO expected to fail, but passed"
                )?,
                TestStatus::Fail | TestStatus::Error => {
                    writeln!(self.out, "not ok {number} - {name}")?;
                    let severity = if test.status == TestStatus::Fail {
                        "fail"
                    } else {
                        "error"
                    };
                    let output = (!test.output.is_empty()).then_some(test.output.as_str());
                    diagnostics(&mut self.out, &test_details(test), severity, output)?;
                }
            }
        }
        self.out.flush()
    }
}

/// A description on one line, with `#` escaped (TAP 14 reads `#` as a directive).
fn description(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('#', "\\#")
        .replace(['\n', '\r'], " ")
}

/// A YAML block; every value is a JSON string, which YAML reads as a quoted scalar.
fn diagnostics(
    out: &mut dyn Write,
    message: &str,
    severity: &str,
    output: Option<&str>,
) -> io::Result<()> {
    let quote = |value: &str| serde_json::to_string(value).unwrap_or_default();
    writeln!(out, "  ---")?;
    writeln!(out, "  message: {}", quote(message))?;
    writeln!(out, "  severity: {severity}")?;
    if let Some(output) = output {
        writeln!(out, "  output: {}", quote(output))?;
    }
    writeln!(out, "  ...")
}

impl Reporter for TapReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::RunStarted { seed, .. } => {
                writeln!(self.out, "TAP version 14")?;
                writeln!(self.out, "# seed {seed}")
            }
            Event::SubmissionFinished { report, .. } => self.submission(report),
            Event::Notice { message } => writeln!(io::stderr(), "pykata: {message}"),
            Event::RunFinished { .. } => {
                writeln!(self.out, "1..{}", self.points)?;
                self.out.flush()
            }
        }
    }
}
