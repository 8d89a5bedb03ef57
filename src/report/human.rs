//! The report for people: a mark per test, messages written for a learner, a diff of
//! expected against actual, the learner's own output, and a score line. Colour on a
//! terminal, plain when piped.

use super::{Event, Reporter, RunStats};
use crate::grade::{
    CommonFailure, GradeError, Status, SubmissionReport, TargetKind, TestResult, TestStatus,
};
use crate::settings::ColorMode;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

/// How many lines of a learner's output are shown per test.
const OUTPUT_LINES: usize = 20;

/// Writes the human report.
pub struct HumanReporter {
    out: Box<dyn Write>,
    targets: usize,
}

impl HumanReporter {
    /// A reporter on stdout; with `ColorMode::Auto`, colour only on a terminal and when
    /// NO_COLOR is not set.
    pub fn stdout(color: ColorMode) -> HumanReporter {
        let choice = match color {
            ColorMode::Auto => anstream::ColorChoice::Auto,
            ColorMode::Always => anstream::ColorChoice::Always,
            ColorMode::Never => anstream::ColorChoice::Never,
        };
        HumanReporter::new(Box::new(anstream::AutoStream::new(io::stdout(), choice)))
    }

    /// A reporter on any writer (escape codes are written as they are).
    pub fn new(out: Box<dyn Write>) -> HumanReporter {
        HumanReporter { out, targets: 0 }
    }

    fn submission(&mut self, report: &SubmissionReport) -> io::Result<()> {
        let out = &mut self.out;
        let title = match (&report.exercise, &report.submission) {
            (Some(id), Some(file)) => format!("{id} ({file})"),
            _ => report.path.clone(),
        };
        writeln!(out, "{BOLD}{title}{BOLD:#}")?;
        if let Some(error) = &report.error {
            write_error(out, error)?;
        }
        if let Some(verdict) = &report.verdict {
            writeln!(out, "  {RED}{}{RED:#}", verdict.describe())?;
        }
        for note in &report.notes {
            writeln!(out, "  {DIM}note: {note}{DIM:#}")?;
        }
        let skip_not_run = report.error.is_some() || report.verdict.is_some();
        let mut hidden_not_run = 0;
        let mut said_once = false;
        for test in &report.tests {
            if skip_not_run
                && test.status == TestStatus::Error
                && test.message.starts_with("not run")
            {
                hidden_not_run += 1;
                continue;
            }
            if let Some(common) = &report.common_failure
                && !test.status.is_success()
                && test.status.is_scored()
            {
                // Every failing case failed the same way: say it once, with the first.
                if !said_once {
                    said_once = true;
                    let noun = match report.kind {
                        TargetKind::Exercise => "cases",
                        TargetKind::Folder => "tests",
                    };
                    // The example is a visible case: a hidden one shows nothing.
                    let example = report
                        .tests
                        .iter()
                        .find(|test| !test.status.is_success() && !test.hidden)
                        .unwrap_or(test);
                    write_common_failure(out, common, example, noun)?;
                }
                continue;
            }
            write_test(out, test)?;
        }
        if hidden_not_run > 0 {
            writeln!(out, "  {DIM}{hidden_not_run} tests not run{DIM:#}")?;
        }
        if !report.output.trim().is_empty() {
            writeln!(out, "  {DIM}your output outside the tests:{DIM:#}")?;
            write_output(out, &report.output)?;
        }
        if report.is_unusable() {
            return writeln!(out);
        }
        let passed = report
            .tests
            .iter()
            .filter(|test| test.status.is_success())
            .count();
        let counted = report
            .tests
            .iter()
            .filter(|test| test.status.is_scored())
            .count();
        let skipped = report.tests.len() - counted;
        let (style, word) = match report.status {
            Status::Pass => (GREEN, "passed"),
            Status::Fail => (RED, "failed"),
            Status::Error => (RED, "error"),
        };
        write!(
            out,
            "  {style}{word}{style:#}: {passed}/{counted} tests passed, score {}/{}",
            number(report.score),
            number(report.max_score)
        )?;
        if let Some(counts) = &report.counts {
            write!(out, " {DIM}({}){DIM:#}", counts.summary())?;
        } else if skipped > 0 {
            write!(out, ", {skipped} skipped")?;
        }
        if let Some(seed) = report.seed {
            write!(out, " {DIM}(seed {seed}){DIM:#}")?;
        }
        writeln!(out, " {DIM}in {:.2}s{DIM:#}", report.duration.as_secs_f64())?;
        if report.status == Status::Pass
            && let (Some(_), Some(file)) = (&report.exercise, &report.submission)
        {
            let arguments = if *file == report.path {
                file.clone()
            } else {
                format!("{} --submission {file}", report.path)
            };
            writeln!(
                out,
                "  {GREEN}Solved!{GREEN:#} See the reference solution and why it works: pykata explain {arguments}"
            )?;
        }
        writeln!(out)
    }

    fn finished(&mut self, stats: &RunStats) -> io::Result<()> {
        if self.targets < 2 {
            return self.out.flush();
        }
        let out = &mut self.out;
        write!(
            out,
            "{BOLD}{} graded{BOLD:#}: ",
            stats.passed + stats.failed + stats.errored
        )?;
        write!(out, "{GREEN}{} passed{GREEN:#}, ", stats.passed)?;
        write!(
            out,
            "{RED}{} failed{RED:#}, {} errors",
            stats.failed, stats.errored
        )?;
        if stats.unusable > 0 {
            write!(out, ", {RED}{} could not be graded{RED:#}", stats.unusable)?;
        }
        writeln!(out, " {DIM}in {:.2}s{DIM:#}", stats.duration.as_secs_f64())?;
        out.flush()
    }
}

impl Reporter for HumanReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::RunStarted { targets, .. } => {
                self.targets = *targets;
                Ok(())
            }
            Event::SubmissionFinished { report, .. } => self.submission(report),
            Event::Notice { message } => {
                let mut stderr = anstream::stderr();
                writeln!(stderr, "{YELLOW}note{YELLOW:#}: {message}")
            }
            Event::RunFinished { stats } => self.finished(stats),
        }
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

fn write_error(out: &mut dyn Write, error: &GradeError) -> io::Result<()> {
    let location = match (&error.file, error.line, error.column) {
        (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}: "),
        (Some(file), Some(line), None) => format!("{file}:{line}: "),
        // Without a line the message itself names the file.
        _ => String::new(),
    };
    writeln!(out, "  {RED}error{RED:#}: {location}{}", error.message)?;
    if let Some(text) = &error.text {
        let trimmed = text.trim_end();
        writeln!(out, "      {trimmed}")?;
        if let Some(column) = error.column {
            let indent: String = trimmed
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "      {indent}{RED}^{RED:#}")?;
        }
    }
    for frame in &error.traceback {
        writeln!(
            out,
            "      {DIM}{}:{} in {}{DIM:#}",
            frame.file, frame.line, frame.function
        )?;
        if !frame.text.is_empty() {
            writeln!(out, "        {}", frame.text.trim())?;
        }
    }
    Ok(())
}

/// The one reason every failing case failed for, and one such case as an example.
fn write_common_failure(
    out: &mut dyn Write,
    common: &CommonFailure,
    example: &TestResult,
    noun: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "  {RED}✗{RED:#} {} {noun} failed, all with the same error:",
        common.tests
    )?;
    let location = match (&common.file, common.line) {
        (Some(file), Some(line)) => format!("{file}:{line}: "),
        _ => String::new(),
    };
    writeln!(out, "      {RED}{location}{}{RED:#}", common.message)?;
    if let Some(text) = &common.text {
        writeln!(out, "        {text}")?;
    }
    writeln!(out, "      {DIM}for example:{DIM:#} {}", example.name)?;
    for line in example.message.lines() {
        writeln!(out, "        {line}")?;
    }
    // CommonFailure holds at least two tests.
    writeln!(
        out,
        "      {DIM}(the other {} fail the same way; fix this first){DIM:#}",
        common.tests - 1
    )
}

fn write_test(out: &mut dyn Write, test: &TestResult) -> io::Result<()> {
    let (style, mark) = match test.status {
        TestStatus::Pass => (GREEN, "✓"),
        TestStatus::Fail => (RED, "✗"),
        TestStatus::Error => (RED, "!"),
        TestStatus::Skip => (YELLOW, "-"),
        TestStatus::Xfail => (YELLOW, "x"),
        TestStatus::Xpass => (YELLOW, "X"),
    };
    write!(out, "  {style}{mark}{style:#} {}", test.name)?;
    match test.status {
        TestStatus::Skip => write!(out, " {DIM}(skipped){DIM:#}")?,
        TestStatus::Xfail => write!(out, " {DIM}(expected failure){DIM:#}")?,
        TestStatus::Xpass => write!(out, " {DIM}(unexpectedly passed){DIM:#}")?,
        _ => {}
    }
    // A redacted hidden case is already called "hidden case N".
    if test.hidden && !test.name.starts_with("hidden case ") {
        write!(out, " {DIM}(hidden from learners){DIM:#}")?;
    }
    writeln!(out)?;
    let shows_message = !test.status.is_success() || test.status == TestStatus::Xfail;
    if shows_message && !test.message.is_empty() && test.status != TestStatus::Xfail {
        for line in test.message.lines() {
            writeln!(out, "      {line}")?;
        }
    } else if test.status == TestStatus::Skip && !test.message.is_empty() {
        writeln!(out, "      {DIM}{}{DIM:#}", test.message)?;
    }
    if test.status.is_success() {
        return Ok(());
    }
    if let (Some(expected), Some(actual)) = (&test.expected, &test.actual) {
        write_diff(out, expected, actual)?;
    }
    for frame in &test.traceback {
        writeln!(
            out,
            "      {DIM}{}:{} in {}{DIM:#}",
            frame.file, frame.line, frame.function
        )?;
        if !frame.text.is_empty() {
            writeln!(out, "        {}", frame.text.trim())?;
        }
    }
    if !test.output.trim().is_empty() {
        writeln!(out, "      {DIM}your output:{DIM:#}")?;
        write_output(out, &test.output)?;
    }
    Ok(())
}

fn write_diff(out: &mut dyn Write, expected: &str, actual: &str) -> io::Result<()> {
    if !expected.contains('\n') && !actual.contains('\n') {
        writeln!(out, "      {GREEN}expected: {expected}{GREEN:#}")?;
        writeln!(out, "      {RED}actual:   {actual}{RED:#}")?;
        return Ok(());
    }
    writeln!(
        out,
        "      {GREEN}- expected{GREEN:#}  {RED}+ actual{RED:#}"
    )?;
    let diff = similar::TextDiff::from_lines(expected, actual);
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n');
        match change.tag() {
            similar::ChangeTag::Delete => writeln!(out, "      {GREEN}-{line}{GREEN:#}")?,
            similar::ChangeTag::Insert => writeln!(out, "      {RED}+{line}{RED:#}")?,
            similar::ChangeTag::Equal => writeln!(out, "       {line}")?,
        }
    }
    Ok(())
}

fn write_output(out: &mut dyn Write, output: &str) -> io::Result<()> {
    let lines: Vec<&str> = output.trim_end().lines().collect();
    for line in lines.iter().take(OUTPUT_LINES) {
        writeln!(out, "        {DIM}|{DIM:#} {line}")?;
    }
    if lines.len() > OUTPUT_LINES {
        writeln!(
            out,
            "        {DIM}[{} more lines not shown]{DIM:#}",
            lines.len() - OUTPUT_LINES
        )?;
    }
    Ok(())
}
