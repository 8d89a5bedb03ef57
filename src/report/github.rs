//! GitHub Actions workflow commands: per graded PATH a group holding the readable report,
//! wrapped between `::stop-commands::TOKEN` and `::TOKEN::` with a fresh random token so
//! nothing the submission printed can forge a command; then `::error` annotations for
//! what failed (data and properties escaped, at most 10 per step as GitHub allows), and a
//! summary table in `$GITHUB_STEP_SUMMARY` when it is set (capped at 1 MiB).

use super::junit::{run_problem, test_details};
use super::{Event, HumanReporter, Reporter};
use crate::grade::{SubmissionReport, TestStatus};
use std::io::{self, Write};

/// GitHub shows at most this many error annotations per step.
pub const ANNOTATIONS_PER_STEP: usize = 10;
/// The step summary file is capped at 1 MiB.
const SUMMARY_BYTES: usize = 1 << 20;

/// Writes workflow commands.
pub struct GithubReporter {
    out: Box<dyn Write>,
    annotations: usize,
    not_annotated: usize,
    summary: String,
}

impl GithubReporter {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write>) -> GithubReporter {
        GithubReporter {
            out,
            annotations: 0,
            not_annotated: 0,
            summary: String::from("| PATH | status | score |\n| --- | --- | --- |\n"),
        }
    }

    fn submission(&mut self, report: &SubmissionReport) -> io::Result<()> {
        let buffer = SharedBuffer::default();
        HumanReporter::new(Box::new(buffer.clone()))
            .report(&Event::SubmissionFinished { index: 0, report })?;
        let readable =
            anstream::adapter::strip_str(&String::from_utf8_lossy(&buffer.0.borrow())).to_string();
        let token = fresh_token(&readable);
        writeln!(
            self.out,
            "::group::{}",
            escape_data(&format!(
                "pykata {} ({}/{})",
                report.path, report.score, report.max_score
            ))
        )?;
        writeln!(self.out, "::stop-commands::{token}")?;
        self.out.write_all(readable.as_bytes())?;
        if !readable.ends_with('\n') {
            writeln!(self.out)?;
        }
        writeln!(self.out, "::{token}::")?;
        let file = report
            .submission
            .clone()
            .unwrap_or_else(|| report.path.clone());
        if let Some(problem) = run_problem(report) {
            let line = report.error.as_ref().and_then(|error| error.line);
            let error_file = report
                .error
                .as_ref()
                .and_then(|error| error.file.clone())
                .unwrap_or_else(|| file.clone());
            self.annotate(&error_file, line, &report.path, &problem)?;
        }
        for test in &report.tests {
            if matches!(test.status, TestStatus::Fail | TestStatus::Error)
                && !test.message.starts_with("not run")
            {
                let test_file = test.file.clone().unwrap_or_else(|| file.clone());
                self.annotate(&test_file, test.line, &test.name, &test_details(test))?;
            }
        }
        writeln!(self.out, "::endgroup::")?;
        let row = format!(
            "| {} | {:?} | {}/{} |\n",
            report.path.replace('|', "\\|"),
            report.status,
            report.score,
            report.max_score
        );
        if self.summary.len() + row.len() < SUMMARY_BYTES - 100 {
            self.summary.push_str(&row);
        }
        self.out.flush()
    }

    fn annotate(
        &mut self,
        file: &str,
        line: Option<u32>,
        title: &str,
        message: &str,
    ) -> io::Result<()> {
        if self.annotations >= ANNOTATIONS_PER_STEP {
            self.not_annotated += 1;
            return Ok(());
        }
        self.annotations += 1;
        let mut properties = format!("file={}", escape_property(file));
        if let Some(line) = line {
            properties.push_str(&format!(",line={line}"));
        }
        properties.push_str(&format!(",title={}", escape_property(title)));
        writeln!(self.out, "::error {properties}::{}", escape_data(message))
    }
}

impl Reporter for GithubReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::SubmissionFinished { report, .. } => self.submission(report),
            Event::Notice { message } => {
                writeln!(self.out, "::warning title=pykata::{}", escape_data(message))
            }
            Event::RunFinished { stats } => {
                if self.not_annotated > 0 {
                    writeln!(
                        self.out,
                        "{} more failures were not annotated (GitHub shows at most {ANNOTATIONS_PER_STEP} per step); they are in the groups above",
                        self.not_annotated
                    )?;
                }
                writeln!(
                    self.out,
                    "pykata: {} passed, {} failed, {} errors, {} not graded",
                    stats.passed, stats.failed, stats.errored, stats.unusable
                )?;
                if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                    let mut file = fs_err::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(path)?;
                    file.write_all(self.summary.as_bytes())?;
                }
                self.out.flush()
            }
            Event::RunStarted { .. } => Ok(()),
        }
    }
}

/// A writer whose bytes stay readable by its owner.
#[derive(Clone, Default)]
struct SharedBuffer(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A random token that does not occur in `text`.
fn fresh_token(text: &str) -> String {
    loop {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            // No OS randomness: fall back to the process's randomly seeded hasher.
            let seed = crate::runner::fresh_seed().to_le_bytes();
            bytes[..8].copy_from_slice(&seed);
        }
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        if !text.contains(&token) {
            return token;
        }
    }
}

/// Escapes a command's data: `%`, CR and LF.
pub fn escape_data(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property: the data escapes, and `:` and `,`.
pub fn escape_property(value: &str) -> String {
    escape_data(value).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50%\r\nx"), "50%25%0D%0Ax");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn tokens_are_fresh() {
        assert_ne!(fresh_token(""), fresh_token(""));
        assert_eq!(fresh_token("").len(), 32);
    }
}
