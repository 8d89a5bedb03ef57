//! Turning what a run observed into results: per-test statuses, scores, messages a
//! learner can act on, and the run's resource verdict. Verdicts are decided here, in the
//! grader, never inside the untrusted process.

pub mod exercise;
pub mod folder;
pub mod rootdir;
pub mod segments;
pub mod value;

#[cfg(test)]
mod tests;

use crate::engine::process::{ExitStatusKind, LimitHit, RunOutput};
use crate::engine::protocol::Frame;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The outcome of one graded PATH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every test passed.
    Pass,
    /// The tests ran and something did not pass.
    Fail,
    /// The tests could not run: the submission did not load, the run was cut short, or
    /// pykata could not grade the input.
    Error,
}

/// The outcome of one test or case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Pass,
    Fail,
    Error,
    Skip,
    /// Expected to fail, and failed (counts as passed, as in pytest).
    Xfail,
    /// Expected to fail, but passed (non-strict: counts as passed, as in pytest).
    Xpass,
}

impl TestStatus {
    /// Whether the test counts as passed.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            TestStatus::Pass | TestStatus::Xfail | TestStatus::Xpass
        )
    }

    /// Whether the test counts toward the score (skipped tests do not).
    pub fn is_scored(self) -> bool {
        !matches!(self, TestStatus::Skip)
    }
}

/// One test's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestResult {
    /// pytest's node id (plain folders only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub status: TestStatus,
    pub message: String,
    /// The expected and actual values, pretty-printed, when a diff helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// What the learner's code printed during this test.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub output: String,
    pub score: f64,
    pub max_score: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traceback: Vec<TracebackFrame>,
}

/// A traceback frame as reported.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TracebackFrame {
    pub file: String,
    pub line: u32,
    pub function: String,
    pub text: String,
}

impl From<&Frame> for TracebackFrame {
    fn from(frame: &Frame) -> Self {
        TracebackFrame {
            file: frame.file.clone(),
            line: frame.line,
            function: frame.function.clone(),
            text: frame.text.clone(),
        }
    }
}

/// How a run ended when it did not end normally (the judges' vocabulary: time limit,
/// memory limit, output limit, runtime error with its signal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunVerdict {
    /// Wall-clock time ran out: a test's (or case's, or the loading's before the first
    /// one; `scope` "test") or the whole run's (`scope` "run").
    TimeLimit {
        limit_seconds: f64,
        scope: TimeScope,
    },
    /// CPU time ran out.
    CpuTimeLimit { limit_seconds: f64 },
    /// The run asked for more memory than allowed.
    MemoryLimit,
    /// The run printed or reported more than allowed.
    OutputLimit { limit_bytes: usize },
    /// A signal killed the interpreter.
    Crashed { signal: i32, signal_name: String },
    /// The interpreter exited before the harness sent its completion record.
    ExitedEarly { exit_code: i32 },
}

/// Which wall-clock limit a time limit verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeScope {
    /// One test or case (or the loading before the first one).
    Test,
    /// The whole run, restarts included.
    Run,
}

impl RunVerdict {
    /// A sentence for the learner, about the test (or case) that was running when the
    /// limit stopped the run: that test's message.
    pub fn describe_test(&self) -> String {
        match self {
            RunVerdict::TimeLimit {
                limit_seconds,
                scope: TimeScope::Test,
            } => format!(
                "time limit: this test took longer than {limit_seconds} s and was stopped (an infinite loop, or a wait that never ends?)"
            ),
            RunVerdict::TimeLimit {
                limit_seconds,
                scope: TimeScope::Run,
            } => format!(
                "time limit: the whole run reached its limit of {limit_seconds} s while this test ran"
            ),
            RunVerdict::CpuTimeLimit { limit_seconds } => format!(
                "CPU time limit: the run had used more than {limit_seconds} s of CPU when this test was stopped"
            ),
            RunVerdict::MemoryLimit => {
                "memory limit: this test used more memory than allowed".into()
            }
            RunVerdict::OutputLimit { limit_bytes } => format!(
                "output limit: this test printed more than {} and was stopped",
                human_bytes(*limit_bytes)
            ),
            RunVerdict::Crashed { signal_name, .. } => {
                format!(
                    "crashed: the Python interpreter was killed by {signal_name} during this test"
                )
            }
            RunVerdict::ExitedEarly { exit_code } => format!(
                "exited early: the process ended (exit code {exit_code}) during this test; sys.exit() or os._exit() in your code?"
            ),
        }
    }

    /// A sentence for the learner.
    pub fn describe(&self) -> String {
        match self {
            RunVerdict::TimeLimit {
                limit_seconds,
                scope: TimeScope::Test,
            } => {
                format!(
                    "time limit: loading the code or one test took longer than {limit_seconds} s and was stopped (an infinite loop, or a wait that never ends?)"
                )
            }
            RunVerdict::TimeLimit {
                limit_seconds,
                scope: TimeScope::Run,
            } => {
                format!(
                    "time limit: the whole run took longer than {limit_seconds} s and was stopped"
                )
            }
            RunVerdict::CpuTimeLimit { limit_seconds } => {
                format!(
                    "CPU time limit: the run used more than {limit_seconds} s of CPU and was stopped"
                )
            }
            RunVerdict::MemoryLimit => "memory limit: the run used more memory than allowed".into(),
            RunVerdict::OutputLimit { limit_bytes } => format!(
                "output limit: the run printed more than {} and was stopped",
                human_bytes(*limit_bytes)
            ),
            RunVerdict::Crashed { signal_name, .. } => {
                format!("crashed: the Python interpreter was killed by {signal_name}")
            }
            RunVerdict::ExitedEarly { exit_code } => format!(
                "exited early: the process ended (exit code {exit_code}) before the tests finished; sys.exit() or os._exit() in your code?"
            ),
        }
    }
}

fn human_bytes(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The name of a signal, like SIGSEGV.
pub fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGINT => "SIGINT",
        libc::SIGHUP => "SIGHUP",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGUSR2 => "SIGUSR2",
        libc::SIGALRM => "SIGALRM",
        libc::SIGSYS => "SIGSYS",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

/// The resource verdict of a run, if it did not end normally. `completed` says whether
/// the harness's completion record arrived intact; `memory_error` whether the submission
/// raised MemoryError where the reference did not (the address-space limit showing).
pub fn run_verdict(
    output: &RunOutput,
    limits: &crate::settings::Limits,
    completed: bool,
    memory_error: bool,
) -> Option<RunVerdict> {
    if output.ended_after_done {
        // The completion record came and the child was ended after its grace: whatever it
        // left running is not a verdict (an incomplete transcript is the caller's error),
        // but a MemoryError it reported still is (freeing what it hoarded may well take
        // longer than the grace).
        return memory_error.then_some(RunVerdict::MemoryLimit);
    }
    match output.limit_hit {
        Some(LimitHit::TestTime) => {
            return Some(RunVerdict::TimeLimit {
                limit_seconds: limits.wall_time.as_secs_f64(),
                scope: TimeScope::Test,
            });
        }
        Some(LimitHit::RunTime(limit)) => {
            return Some(RunVerdict::TimeLimit {
                limit_seconds: (limit.as_secs_f64() * 1000.0).round() / 1000.0,
                scope: TimeScope::Run,
            });
        }
        Some(LimitHit::Output) | Some(LimitHit::Channel) => {
            return Some(RunVerdict::OutputLimit {
                limit_bytes: limits.output_bytes,
            });
        }
        None => {}
    }
    // A process killed while it held nearly all the memory it may have ran out of it
    // (an allocation failure in C code aborts or faults instead of raising MemoryError).
    let near_memory_limit =
        output.exit.max_rss_bytes.saturating_mul(10) >= limits.memory_bytes.saturating_mul(9);
    match output.exit.status {
        ExitStatusKind::Signaled(signal) if signal == libc::SIGXCPU => {
            Some(RunVerdict::CpuTimeLimit {
                limit_seconds: limits.cpu_seconds as f64,
            })
        }
        ExitStatusKind::Signaled(libc::SIGKILL)
            if output.exit.cpu_time.as_secs() >= limits.cpu_seconds =>
        {
            Some(RunVerdict::CpuTimeLimit {
                limit_seconds: limits.cpu_seconds as f64,
            })
        }
        ExitStatusKind::Signaled(_) if near_memory_limit || memory_error => {
            Some(RunVerdict::MemoryLimit)
        }
        ExitStatusKind::Signaled(signal) => Some(RunVerdict::Crashed {
            signal,
            signal_name: signal_name(signal),
        }),
        _ if memory_error => Some(RunVerdict::MemoryLimit),
        ExitStatusKind::Exited(code) if !completed => {
            Some(RunVerdict::ExitedEarly { exit_code: code })
        }
        ExitStatusKind::Exited(_) => None,
    }
}

/// Why a submission could not be graded as a whole.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GradeError {
    /// Whose problem it is: the submission's (a graded failure, exit 1) or the grader's
    /// input (pykata could not grade, exit 2).
    pub origin: ErrorOrigin,
    pub kind: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traceback: Vec<TracebackFrame>,
}

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorOrigin {
    Submission,
    Grader,
}

impl GradeError {
    /// An error of the grader's input, with no location.
    pub fn grader(kind: &str, message: impl Into<String>) -> GradeError {
        GradeError {
            origin: ErrorOrigin::Grader,
            kind: kind.to_string(),
            message: message.into(),
            file: None,
            line: None,
            column: None,
            text: None,
            traceback: Vec::new(),
        }
    }
}

/// What pytest's closing line would count for a plain folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PytestCounts {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub skipped: usize,
    pub xfailed: usize,
    pub xpassed: usize,
}

impl PytestCounts {
    /// Counts one outcome by pytest's name for it.
    pub fn add(&mut self, outcome: &str) {
        match outcome {
            "passed" => self.passed += 1,
            "failed" => self.failed += 1,
            "skipped" => self.skipped += 1,
            "xfailed" => self.xfailed += 1,
            "xpassed" => self.xpassed += 1,
            _ => self.errors += 1,
        }
    }

    /// pytest's closing line: "3 passed, 1 failed, 2 errors".
    pub fn summary(&self) -> String {
        let parts = [
            (self.failed, "failed"),
            (self.passed, "passed"),
            (self.skipped, "skipped"),
            (self.xfailed, "xfailed"),
            (self.xpassed, "xpassed"),
            (
                self.errors,
                if self.errors == 1 { "error" } else { "errors" },
            ),
        ];
        let text: Vec<String> = parts
            .iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, word)| format!("{count} {word}"))
            .collect();
        if text.is_empty() {
            "no tests ran".into()
        } else {
            text.join(", ")
        }
    }
}

/// The isolation a run got, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsolationSummary {
    /// `full`, `partial` or `none`.
    pub level: &'static str,
    /// What was missing, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl IsolationSummary {
    /// The summary of what the engine reported; a run outside the sandbox has none.
    pub fn of(report: Option<&crate::sandbox::IsolationReport>) -> IsolationSummary {
        use crate::sandbox::IsolationLevel;
        match report {
            Some(report) => IsolationSummary {
                level: match report.level {
                    IsolationLevel::Full => "full",
                    IsolationLevel::Partial => "partial",
                    IsolationLevel::None => "none",
                },
                missing: report.missing.clone(),
            },
            None => IsolationSummary {
                level: "none",
                missing: vec!["the run did not use the sandbox".into()],
            },
        }
    }
}

/// What kind of thing was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Exercise,
    Folder,
}

/// Everything about one graded PATH: what reporters show.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionReport {
    /// The PATH as given on the command line.
    pub path: String,
    pub kind: TargetKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission: Option<String>,
    pub status: Status,
    pub score: f64,
    pub max_score: f64,
    pub tests: Vec<TestResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<RunVerdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<GradeError>,
    /// What the learner's code printed outside any test (capped).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub output: String,
    /// The seed of the randomised cases (exercises); `null` for plain folders, which have
    /// no seeded cases, and for a PATH that could not be resolved.
    pub seed: Option<u64>,
    pub engine: String,
    /// What the folder runner says the user should know (plain folders only): options
    /// it ignored, modules imported from outside the folder. Absent when empty (a report
    /// read back from a gradebook without it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// pytest's summary counts (plain folders only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<PytestCounts>,
    /// The isolation the submission's run got (not read back from a gradebook).
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub isolation: Option<IsolationSummary>,
    /// When every failing test failed for one reason (a starter's NotImplementedError...):
    /// that reason, said once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_failure: Option<CommonFailure>,
    #[serde(serialize_with = "seconds", deserialize_with = "from_seconds")]
    pub duration: Duration,
}

/// The one reason every failing test of a submission failed for: the same exception,
/// raised at the same place in the submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonFailure {
    /// `Type: message` of the exception.
    pub message: String,
    /// Where it was raised: the innermost frame of its traceback, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The source line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// How many tests failed for it.
    pub tests: usize,
}

impl CommonFailure {
    /// The common failure of `causes`, one per failing test (`None`: a failure that is
    /// not an exception), when there are at least two and they are all the same.
    pub fn of(causes: &[Option<(String, Option<TracebackFrame>)>]) -> Option<CommonFailure> {
        let (first, rest) = causes.split_first()?;
        let (message, frame) = first.as_ref()?;
        if rest.is_empty() || rest.iter().any(|cause| cause != first) {
            return None;
        }
        Some(CommonFailure {
            message: message.clone(),
            file: frame.as_ref().map(|frame| frame.file.clone()),
            line: frame.as_ref().map(|frame| frame.line),
            text: frame
                .as_ref()
                .map(|frame| frame.text.trim().to_string())
                .filter(|text| !text.is_empty()),
            tests: causes.len(),
        })
    }
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}

fn from_seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let seconds = f64::deserialize(deserializer)?;
    Ok(Duration::try_from_secs_f64(seconds).unwrap_or_default())
}

impl SubmissionReport {
    /// A report for a PATH that could not be graded at all.
    pub fn unusable(path: &str, kind: TargetKind, error: GradeError) -> SubmissionReport {
        SubmissionReport {
            error: Some(error),
            ..SubmissionReport::new(path, kind)
        }
    }

    /// An empty report for `path`, to be filled in by grading and then `finish`ed.
    pub fn new(path: &str, kind: TargetKind) -> SubmissionReport {
        SubmissionReport {
            path: path.to_string(),
            kind,
            exercise: None,
            submission: None,
            status: Status::Error,
            score: 0.0,
            max_score: 0.0,
            tests: Vec::new(),
            verdict: None,
            error: None,
            output: String::new(),
            seed: None,
            engine: String::new(),
            isolation: None,
            counts: None,
            notes: Vec::new(),
            common_failure: None,
            duration: Duration::ZERO,
        }
    }

    /// Sets score, max_score and status from the tests, the verdict and the error.
    pub fn finish(&mut self) {
        // Folded from +0.0: `sum()` of no f64 is -0.0, which JSON would print as `-0.0`.
        self.score = self
            .tests
            .iter()
            .fold(0.0, |total, test| total + test.score);
        self.max_score = self
            .tests
            .iter()
            .filter(|test| test.status.is_scored())
            .fold(0.0, |total, test| total + test.max_score);
        self.status = if self.error.is_some() || self.verdict.is_some() {
            if self
                .tests
                .iter()
                .any(|test| test.status.is_scored() && test.status.is_success())
            {
                Status::Fail
            } else {
                Status::Error
            }
        } else if self
            .tests
            .iter()
            .all(|test| test.status.is_success() || test.status == TestStatus::Skip)
        {
            Status::Pass
        } else {
            Status::Fail
        };
    }

    /// Removes what a learner must not see of hidden cases: each keeps its status, score
    /// and points, and is named "hidden case N"; its name, message, values, output,
    /// location and traceback are dropped. The one place every learner-facing output (the
    /// human and JSON reports, and any later view) gets its redaction from; instructors
    /// skip it (`--show-hidden`).
    pub fn redact_hidden(&mut self) {
        let mut number = 0;
        for test in self.tests.iter_mut().filter(|test| test.hidden) {
            number += 1;
            test.id = None;
            test.name = format!("hidden case {number}");
            // "not run: ..." tells why the run stopped, nothing of the case.
            if !test.message.starts_with("not run") {
                test.message = String::new();
            }
            test.expected = None;
            test.actual = None;
            test.output = String::new();
            test.file = None;
            test.line = None;
            test.traceback = Vec::new();
        }
        // The reason said once is shown only where a visible test already shows it.
        let visible_failure = self
            .tests
            .iter()
            .any(|test| !test.hidden && test.status.is_scored() && !test.status.is_success());
        if !visible_failure {
            self.common_failure = None;
        }
    }

    /// Whether this PATH could not be graded because of the grader's input.
    pub fn is_unusable(&self) -> bool {
        matches!(&self.error, Some(error) if error.origin == ErrorOrigin::Grader)
    }
}

/// Caps `text` at `cap` bytes (on a character boundary), with a note saying so.
pub fn cap_text(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n[output truncated: {} more bytes not shown]",
        &text[..end],
        text.len() - end
    )
}

/// What grading needs, shared by every target of one command: the engine, the unpacked
/// harness and catalogue, the run's seed, and the reference runs already made.
pub struct Grader {
    pub engine: crate::engine::Engine,
    pub unpacked: crate::assets::Unpacked,
    pub seed: u64,
    pub overrides: crate::settings::LimitOverrides,
    references: ReferenceCache,
    /// Where the runs' scratch folders are made (`settings::temp_root`).
    scratch_root: std::path::PathBuf,
    /// Environment variables passed into plain folders' runs (`--env NAME`).
    pub folder_env: Vec<(String, String)>,
}

/// Reference runs by exercise folder: with one seed per command, a reference runs once
/// however many submissions of its exercise are graded.
type ReferenceCache =
    std::sync::Mutex<std::collections::HashMap<std::path::PathBuf, ReferenceSlot>>;

/// One exercise's reference run, made once.
type ReferenceSlot =
    std::sync::Arc<std::sync::OnceLock<Result<std::sync::Arc<exercise::ReferenceRun>, GradeError>>>;

impl Grader {
    /// A grader for one command.
    pub fn new(
        engine: crate::engine::Engine,
        unpacked: crate::assets::Unpacked,
        seed: u64,
        overrides: crate::settings::LimitOverrides,
    ) -> Grader {
        Grader {
            engine,
            unpacked,
            seed,
            overrides,
            references: Default::default(),
            scratch_root: crate::settings::temp_root(),
            folder_env: Vec::new(),
        }
    }

    /// The name of the engine, as reported.
    pub fn engine_name(&self) -> &'static str {
        self.engine.kind().name()
    }

    /// The reference run of `exercise`, made once per command.
    pub fn reference(
        &self,
        exercise: &crate::exercise::Exercise,
    ) -> Result<std::sync::Arc<exercise::ReferenceRun>, GradeError> {
        self.reference_slot(exercise)
            .get_or_init(|| exercise::run_reference(self, exercise).map(std::sync::Arc::new))
            .clone()
    }

    /// The reference run of `exercise` if it has already been made (or has failed).
    pub fn reference_if_made(
        &self,
        exercise: &crate::exercise::Exercise,
    ) -> Option<Result<std::sync::Arc<exercise::ReferenceRun>, GradeError>> {
        self.reference_slot(exercise).get().cloned()
    }

    fn reference_slot(&self, exercise: &crate::exercise::Exercise) -> ReferenceSlot {
        let mut cache = self
            .references
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        cache
            .entry(exercise.folder(&self.unpacked))
            .or_default()
            .clone()
    }

    /// Limits for a run of `exercise`: defaults, then the exercise's, then the command
    /// line's.
    pub fn limits_for(&self, exercise: &crate::exercise::Exercise) -> crate::settings::Limits {
        let mut limits = crate::settings::Limits::default();
        let own = &exercise.meta.limits;
        if let Some(timeout) = exercise.meta.timeout() {
            limits.wall_time = timeout;
        }
        if let Some(seconds) = own.cpu_seconds {
            limits.cpu_seconds = seconds;
        }
        if let Some(mib) = own.memory_mb {
            limits.memory_bytes = mib << 20;
        }
        self.apply_overrides(limits)
    }

    /// Limits for a run of a plain folder.
    pub fn folder_limits(&self) -> crate::settings::Limits {
        self.apply_overrides(crate::settings::Limits {
            cpu_seconds: crate::settings::FOLDER_CPU_SECONDS,
            ..Default::default()
        })
    }

    fn apply_overrides(&self, mut limits: crate::settings::Limits) -> crate::settings::Limits {
        if let Some(wall_time) = self.overrides.wall_time {
            limits.wall_time = wall_time;
        }
        if let Some(seconds) = self.overrides.cpu_seconds {
            limits.cpu_seconds = seconds;
        }
        if let Some(bytes) = self.overrides.memory_bytes {
            limits.memory_bytes = bytes;
        }
        limits
    }

    /// A fresh private scratch folder for one run, in `settings::temp_root()`.
    pub fn scratch(&self) -> Result<tempfile::TempDir, GradeError> {
        tempfile::Builder::new()
            .prefix("pykata-run-")
            .tempdir_in(&self.scratch_root)
            .map_err(|error| {
                GradeError::grader(
                    "scratch",
                    format!(
                        "failed to create a scratch folder in {}: {error}",
                        self.scratch_root.display()
                    ),
                )
            })
    }
}

/// Unit tests of run verdicts and score sums (the report model's tests are in tests.rs).
#[cfg(test)]
mod verdict_tests {
    use super::*;
    use crate::engine::process::ChildExit;
    use crate::engine::protocol::Transcript;
    use crate::settings::Limits;

    fn output(status: ExitStatusKind, ended_after_done: bool) -> RunOutput {
        RunOutput {
            transcript: Transcript::default(),
            channel: Vec::new(),
            stdout: String::new(),
            stderr: String::new(),
            exit: ChildExit {
                status,
                cpu_time: Duration::ZERO,
                max_rss_bytes: 0,
            },
            limit_hit: None,
            ended_after_done,
            wall_time: Duration::ZERO,
            isolation: None,
        }
    }

    #[test]
    fn a_run_ended_after_its_grace_has_no_verdict_unless_it_ran_out_of_memory() {
        let limits = Limits::default();
        let killed = output(ExitStatusKind::Signaled(libc::SIGKILL), true);
        assert_eq!(run_verdict(&killed, &limits, true, false), None);
        assert_eq!(
            run_verdict(&killed, &limits, true, true),
            Some(RunVerdict::MemoryLimit)
        );
        // The same kill without the completion record is a crash.
        let crashed = output(ExitStatusKind::Signaled(libc::SIGKILL), false);
        assert!(matches!(
            run_verdict(&crashed, &limits, false, false),
            Some(RunVerdict::Crashed { .. })
        ));
    }

    #[test]
    fn scores_of_nothing_are_positive_zero() {
        let mut report = SubmissionReport::new("x", TargetKind::Folder);
        report.finish();
        let json = serde_json::to_string(&report).unwrap();
        assert!(
            json.contains("\"score\":0.0") && !json.contains("-0.0"),
            "{json}"
        );
    }
}
