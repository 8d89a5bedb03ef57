//! JUnit XML, as CI systems read it: one `testsuite` per graded PATH, one `testcase` per
//! test, the useful text in the body of `failure`/`error` (GitLab shows the body), the
//! learner's output in `system-out`, duplicate names made unique (GitLab keeps only the
//! first of duplicates). Written once, when the run has finished.

use super::{Event, Reporter};
use crate::grade::{SubmissionReport, TestResult, TestStatus};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Collects every graded PATH and writes one `testsuites` document at the end.
pub struct JunitReporter {
    out: Box<dyn Write>,
    reports: Vec<SubmissionReport>,
}

impl JunitReporter {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write>) -> JunitReporter {
        JunitReporter {
            out,
            reports: Vec::new(),
        }
    }
}

impl Reporter for JunitReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::SubmissionFinished { report, .. } => {
                self.reports.push((*report).clone());
                Ok(())
            }
            Event::Notice { message } => writeln!(io::stderr(), "pykata: {message}"),
            Event::RunFinished { .. } => {
                let suites: Vec<Suite<'_>> = self
                    .reports
                    .iter()
                    .map(|report| Suite {
                        name: &report.path,
                        report,
                    })
                    .collect();
                self.out.write_all(document(&suites).as_bytes())?;
                self.out.flush()
            }
            Event::RunStarted { .. } => Ok(()),
        }
    }
}

/// One `testsuite`: a report under a name (the PATH for `check`, the student for `batch`).
pub struct Suite<'a> {
    pub name: &'a str,
    pub report: &'a SubmissionReport,
}

/// The whole JUnit document for `suites`.
pub fn document(suites: &[Suite<'_>]) -> String {
    let mut totals = Counts::default();
    let mut body = String::new();
    let mut time = 0.0;
    for suite in suites {
        let counts = Counts::of(suite.report);
        totals.add(&counts);
        time += suite.report.duration.as_secs_f64();
        write_suite(&mut body, suite, &counts);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"pykata\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{time:.3}\">\n{body}</testsuites>\n",
        totals.tests, totals.failures, totals.errors, totals.skipped
    )
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(report: &SubmissionReport) -> Counts {
        let mut counts = Counts::default();
        for test in &report.tests {
            counts.tests += 1;
            match test.status {
                TestStatus::Fail => counts.failures += 1,
                TestStatus::Error => counts.errors += 1,
                TestStatus::Skip => counts.skipped += 1,
                _ => {}
            }
        }
        if report.tests.is_empty() && (report.error.is_some() || report.verdict.is_some()) {
            counts.tests += 1;
            counts.errors += 1;
        }
        counts
    }

    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

fn write_suite(out: &mut String, suite: &Suite<'_>, counts: &Counts) {
    let report = suite.report;
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        attr(suite.name),
        counts.tests,
        counts.failures,
        counts.errors,
        counts.skipped,
        report.duration.as_secs_f64()
    );
    out.push_str("    <properties>\n");
    let mut properties = vec![
        ("status", format!("{:?}", report.status).to_lowercase()),
        ("score", format!("{}", report.score)),
        ("max_score", format!("{}", report.max_score)),
    ];
    if let Some(seed) = report.seed {
        properties.push(("seed", seed.to_string()));
    }
    if let Some(exercise) = &report.exercise {
        properties.push(("exercise", exercise.clone()));
    }
    for (name, value) in properties {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(&value)
        );
    }
    out.push_str("    </properties>\n");
    let classname = report.exercise.as_deref().unwrap_or(suite.name);
    let file = report.submission.as_deref();
    let run_problem = run_problem(report);
    if report.tests.is_empty()
        && let Some(problem) = &run_problem
    {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"(the submission could not be graded)\" time=\"0\">\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>",
            attr(classname),
            attr(first_line(problem)),
            text(problem)
        );
    }
    let mut seen = HashSet::new();
    for test in &report.tests {
        let mut name = test.name.clone();
        let mut number = 2;
        while !seen.insert(name.clone()) {
            name = format!("{} ({number})", test.name);
            number += 1;
        }
        write_case(out, classname, &name, file, test);
    }
    let mut system_out = String::new();
    if let Some(problem) = &run_problem
        && !report.tests.is_empty()
    {
        system_out.push_str(problem);
        system_out.push('\n');
    }
    system_out.push_str(&report.output);
    if !system_out.trim().is_empty() {
        let _ = writeln!(out, "    <system-out>{}</system-out>", text(&system_out));
    }
    out.push_str("  </testsuite>\n");
}

/// The run-level error or verdict, as a sentence.
pub(crate) fn run_problem(report: &SubmissionReport) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(error) = &report.error {
        let mut message = error.message.clone();
        if let (Some(file), Some(line)) = (&error.file, error.line) {
            message = format!("{file}:{line}: {message}");
        }
        parts.push(message);
    }
    if let Some(verdict) = &report.verdict {
        parts.push(verdict.describe());
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// The full text of a test's outcome: message, expected and actual.
pub(crate) fn test_details(test: &TestResult) -> String {
    let mut details = test.message.clone();
    if let Some(expected) = &test.expected {
        let _ = write!(details, "\nexpected: {expected}");
    }
    if let Some(actual) = &test.actual {
        let _ = write!(details, "\nactual:   {actual}");
    }
    for frame in &test.traceback {
        let _ = write!(
            details,
            "\n  {}:{} in {}: {}",
            frame.file, frame.line, frame.function, frame.text
        );
    }
    details
}

fn write_case(
    out: &mut String,
    classname: &str,
    name: &str,
    file: Option<&str>,
    test: &TestResult,
) {
    let mut opening = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        attr(classname),
        attr(name)
    );
    if let Some(file) = test.file.as_deref().or(file) {
        let _ = write!(opening, " file=\"{}\"", attr(file));
    }
    if let Some(line) = test.line {
        let _ = write!(opening, " line=\"{line}\"");
    }
    let details = test_details(test);
    let inner = match test.status {
        TestStatus::Pass | TestStatus::Xfail | TestStatus::Xpass => String::new(),
        TestStatus::Fail => format!(
            "      <failure message=\"{}\" type=\"failure\">{}</failure>\n",
            attr(first_line(&test.message)),
            text(&details)
        ),
        TestStatus::Error => format!(
            "      <error message=\"{}\" type=\"error\">{}</error>\n",
            attr(first_line(&test.message)),
            text(&details)
        ),
        TestStatus::Skip => format!(
            "      <skipped message=\"{}\"/>\n",
            attr(first_line(&test.message))
        ),
    };
    let system_out = if test.output.is_empty() {
        String::new()
    } else {
        format!("      <system-out>{}</system-out>\n", text(&test.output))
    };
    if inner.is_empty() && system_out.is_empty() {
        let _ = writeln!(out, "{opening}/>");
    } else {
        let _ = write!(out, "{opening}>\n{inner}{system_out}    </testcase>\n");
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Escapes text for an XML element body, dropping characters XML 1.0 cannot hold.
pub(crate) fn text(value: &str) -> String {
    escape(value, false)
}

/// Escapes text for an XML attribute value.
pub(crate) fn attr(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(character),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(text("a<b>&\u{1}"), "a&lt;b&gt;&amp;\\x01");
        assert_eq!(attr("\"x\"\ny"), "&quot;x&quot;&#10;y");
    }
}
