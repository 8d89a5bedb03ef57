//! Differential grading of an exercise: the submission and the reference solution run the
//! same cases with the same seed in separate children, and a case passes when their
//! observations are equal, step by step.

use super::segments::{Segment, Segments, run_segments};
use super::value::Value;
use super::{
    ErrorOrigin, GradeError, Grader, IsolationSummary, RunVerdict, Status, SubmissionReport,
    TargetKind, TestResult, TestStatus, TracebackFrame, cap_text, run_verdict,
};
use crate::engine::process::RunOutput;
use crate::engine::protocol::{
    CaseMessage, KnownLines, LoadError, Message, RaisedException, Step, StepKind,
};
use crate::engine::{Job, RunClock};
use crate::exercise::Exercise;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// The reference solution's observations for one exercise and seed.
#[derive(Debug)]
pub struct ReferenceRun {
    pub cases: Vec<Arc<CaseMessage>>,
    /// The reference run's channel lines: a submission's run that sends the same lines
    /// reuses their messages instead of parsing them again.
    pub lines: Arc<KnownLines>,
}

/// How many earlier operations a failure message lists.
const CONTEXT_STEPS: usize = 8;
/// Cap of the learner's output shown per report.
const OUTPUT_CAP: usize = 8 * 1024;

/// Grades `submission` against `exercise`'s reference.
pub fn grade_exercise(
    grader: &Grader,
    path: &str,
    exercise: &Exercise,
    submission: &Path,
) -> SubmissionReport {
    let started = Instant::now();
    let mut report = SubmissionReport::new(path, TargetKind::Exercise);
    report.exercise = Some(exercise.meta.id.clone());
    report.submission = Some(submission.display().to_string());
    report.seed = Some(grader.seed);
    report.engine = grader.engine_name().to_string();

    // The reference runs beside the submission the first time; later it is cached.
    let (reference, run) = match grader.reference_if_made(exercise) {
        Some(reference) => {
            let known = reference.as_ref().ok().map(|made| made.lines.clone());
            (
                Ok(reference),
                run_cases(grader, exercise, submission, known),
            )
        }
        None => std::thread::scope(|scope| {
            let reference = scope.spawn(|| grader.reference(exercise));
            let run = run_cases(grader, exercise, submission, None);
            (reference.join(), run)
        }),
    };
    let reference = match reference {
        Ok(Ok(reference)) => reference,
        Ok(Err(error)) => return finish_unusable(report, error, started),
        Err(_) => {
            return finish_unusable(
                report,
                GradeError::grader("internal", "the reference run panicked"),
                started,
            );
        }
    };
    let segments = match run {
        Ok(segments) => segments,
        Err(error) => return finish_unusable(report, error, started),
    };

    let first = &segments.runs[0].output;
    report.isolation = Some(IsolationSummary::of(first.isolation.as_ref()));
    let limits = grader.limits_for(exercise);
    let printed: String = segments
        .runs
        .iter()
        .map(|run| format!("{}{}", run.output.stdout, run.output.stderr))
        .collect();
    report.output = cap_text(&printed, OUTPUT_CAP);

    let load_error = segments
        .runs
        .iter()
        .flat_map(|run| run.output.transcript.messages.iter())
        .find_map(|message| match message {
            Message::LoadError(error) => Some(error),
            _ => None,
        });

    // What each case of the reference got from the submission's runs, by position: cases
    // are matched by position and name, since the cases file is the grader's, a submission
    // cannot add, drop or reorder them.
    let mut slots: Vec<Slot> = vec![Slot::Missing; reference.cases.len()];
    for run in &segments.runs {
        let verdict = case_run_verdict(run, &limits, &reference, load_error);
        if report.verdict.is_none() {
            report.verdict = verdict.clone();
        }
        let mut position = run.from;
        for message in &run.output.transcript.messages {
            if let Message::Case(case) = message {
                if let Some(slot) = slots.get_mut(position) {
                    *slot = Slot::Reported(case);
                }
                position += 1;
            }
        }
        if let (Some(index), Some(verdict)) = (run.stopped_in, verdict)
            && let Some(slot) = slots.get_mut(index)
        {
            *slot = Slot::Stopped(verdict);
        }
    }
    if let Some((from, why)) = &segments.not_run {
        for slot in slots.iter_mut().skip(*from) {
            *slot = Slot::NotRun(why.describe());
        }
    }
    if let Some(load_error) = load_error {
        report.error = Some(submission_load_error(load_error));
    } else if report.verdict.is_none() && !(segments.completed() && segments.consistent) {
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

    let not_run = not_run_reason(&report);
    report.tests = reference
        .cases
        .iter()
        .zip(&slots)
        .map(|(expected, slot)| match slot {
            Slot::Reported(actual) if actual.name == expected.name => {
                compare_case(expected, Some(actual), &not_run, grader.seed)
            }
            Slot::Stopped(verdict) => TestResult {
                status: TestStatus::Fail,
                message: verdict.describe_test(),
                ..compare_case(expected, None, "", grader.seed)
            },
            Slot::NotRun(why) => compare_case(expected, None, why, grader.seed),
            _ => compare_case(expected, None, &not_run, grader.seed),
        })
        .collect();
    let submitted: Vec<Option<&CaseMessage>> = slots
        .iter()
        .map(|slot| match slot {
            Slot::Reported(actual) => Some(*actual),
            _ => None,
        })
        .collect();
    report.common_failure = common_failure(&report.tests, &reference.cases, &submitted);
    report.finish();
    report.duration = started.elapsed();
    report
}

/// What the submission's runs gave for one case of the reference.
#[derive(Clone)]
enum Slot<'a> {
    /// Its observations.
    Reported(&'a CaseMessage),
    /// A limit stopped the run during the case.
    Stopped(RunVerdict),
    /// It was never run, for this reason.
    NotRun(String),
    /// Nothing (the run ended before it).
    Missing,
}

/// The resource verdict of one run of the submission: MemoryError counts as the memory
/// limit when the reference did not raise it in the same case.
fn case_run_verdict(
    run: &Segment,
    limits: &crate::settings::Limits,
    reference: &ReferenceRun,
    load_error: Option<&LoadError>,
) -> Option<RunVerdict> {
    let memory_error = (run.from == 0
        && load_error.is_some_and(|error| error.message.contains("MemoryError")))
        || run
            .output
            .transcript
            .messages
            .iter()
            .any(|message| match message {
                Message::Case(case) => {
                    raised_memory_error(case)
                        && !reference.cases.iter().any(|expected| {
                            expected.name == case.name && raised_memory_error(expected)
                        })
                }
                _ => false,
            });
    run_verdict(&run.output, limits, run.completed, memory_error)
}

/// The one exception every failing case stopped at, if there is one (a starter's
/// NotImplementedError): cases the run never reached are left out.
fn common_failure(
    tests: &[TestResult],
    expected: &[Arc<CaseMessage>],
    submitted: &[Option<&CaseMessage>],
) -> Option<super::CommonFailure> {
    let causes: Vec<_> = tests
        .iter()
        .enumerate()
        .filter(|(_, test)| !test.status.is_success() && !test.message.starts_with("not run"))
        .map(|(index, test)| {
            let actual = submitted.get(index).copied().flatten()?;
            let expected = expected.get(index)?;
            if actual.name != expected.name {
                return None;
            }
            let cause = raised_cause(expected, actual)?;
            test.message.contains(&cause.0).then_some(cause)
        })
        .collect();
    super::CommonFailure::of(&causes)
}

/// The first exception the submission raised where the reference did not: `Type: message`
/// and its innermost frame.
fn raised_cause(
    expected: &CaseMessage,
    actual: &CaseMessage,
) -> Option<(String, Option<TracebackFrame>)> {
    let cause = |raised: &RaisedException| {
        (
            describe_exception(raised),
            raised.traceback.last().map(TracebackFrame::from),
        )
    };
    for (index, got) in actual.steps.iter().enumerate() {
        let Some(raised) = &got.raised else { continue };
        let expected_raise = expected
            .steps
            .get(index)
            .and_then(|want| want.raised.as_ref());
        if expected_raise.is_none_or(|want| want.type_name != raised.type_name) {
            return Some(cause(raised));
        }
    }
    let error = actual.error.as_ref()?;
    let expected_error = expected.error.as_ref();
    expected_error
        .is_none_or(|want| want.type_name != error.type_name)
        .then(|| cause(error))
}

/// Whether a case saw MemoryError: what the address-space limit looks like from inside.
fn raised_memory_error(case: &CaseMessage) -> bool {
    let is_memory_error = |raised: &RaisedException| raised.type_name == "MemoryError";
    case.error.as_ref().is_some_and(is_memory_error)
        || case
            .steps
            .iter()
            .any(|step| step.raised.as_ref().is_some_and(is_memory_error))
}

fn finish_unusable(
    mut report: SubmissionReport,
    error: GradeError,
    started: Instant,
) -> SubmissionReport {
    report.error = Some(error);
    report.status = Status::Error;
    report.duration = started.elapsed();
    report
}

fn not_run_reason(report: &SubmissionReport) -> String {
    if let Some(error) = &report.error {
        return format!("not run: {}", error.message);
    }
    if let Some(verdict) = &report.verdict {
        return format!("not run: {}", verdict.describe());
    }
    "not run".into()
}

fn submission_load_error(error: &LoadError) -> GradeError {
    GradeError {
        origin: ErrorOrigin::Submission,
        kind: error.kind.clone(),
        message: error.message.clone(),
        file: error.file.clone(),
        line: error.line,
        column: error.column,
        text: error.text.clone(),
        traceback: error.traceback.iter().map(TracebackFrame::from).collect(),
    }
}

/// Runs the exercise's cases on `module_file`, restarting after a case that a limit
/// stopped ([`run_segments`]); `known_lines`: the reference run's lines, once there is one
/// (only the first run's lines can line up with them).
pub(crate) fn run_cases(
    grader: &Grader,
    exercise: &Exercise,
    module_file: &Path,
    known_lines: Option<Arc<KnownLines>>,
) -> Result<Segments, GradeError> {
    let source = std::fs::read(module_file).map_err(|error| {
        GradeError::grader(
            "unreadable",
            format!("failed to read {}: {error}", module_file.display()),
        )
    })?;
    run_segments(&grader.limits_for(exercise), |from, clock| {
        let known = if from == 0 { known_lines.clone() } else { None };
        run_case_file(grader, exercise, &source, from, known, clock)
    })
}

/// One run of the exercise's cases from index `from` on, on a copy of `source` in a fresh
/// scratch folder.
fn run_case_file(
    grader: &Grader,
    exercise: &Exercise,
    source: &[u8],
    from: usize,
    known_lines: Option<Arc<KnownLines>>,
    clock: RunClock,
) -> Result<RunOutput, GradeError> {
    let scratch = grader.scratch()?;
    let module = &exercise.meta.module;
    let copy = scratch.path().join(format!("{module}.py"));
    fs_err::write(&copy, source)
        .map_err(|error| GradeError::grader("scratch", error.to_string()))?;
    let cases = exercise.folder(&grader.unpacked).join("cases.py");
    let job = Job {
        visible: vec![cases.clone()],
        harness_args: vec![
            "--channel-fd".into(),
            "3".into(),
            "exercise".into(),
            "--cases".into(),
            cases.into(),
            "--submission".into(),
            copy.into(),
            "--module".into(),
            module.into(),
            "--seed".into(),
            grader.seed.to_string().into(),
            "--from".into(),
            from.to_string().into(),
        ],
        scratch: scratch.path().to_path_buf(),
        limits: grader.limits_for(exercise),
        known_lines,
        clock,
    };
    grader
        .engine
        .run(&job)
        .map_err(|error| GradeError::grader("engine", error.to_string()))
}

/// Runs the reference solution and checks that it behaved: loaded, completed, no errors,
/// no case stopped by a limit.
pub(crate) fn run_reference(
    grader: &Grader,
    exercise: &Exercise,
) -> Result<ReferenceRun, GradeError> {
    let solution = exercise.folder(&grader.unpacked).join("solution.py");
    let segments = run_cases(grader, exercise, &solution, None)?;
    let broken = |why: String| {
        GradeError::grader(
            "reference",
            format!(
                "the reference solution of {} did not run cleanly: {why}",
                exercise.meta.id
            ),
        )
    };
    let limits = grader.limits_for(exercise);
    for run in &segments.runs {
        if run.completed {
            continue;
        }
        let verdict = run_verdict(&run.output, &limits, false, false);
        let case = run.stopped_in.and_then(|index| segments.id(index));
        let why = match (&verdict, case) {
            (Some(verdict), Some(case)) => format!("case {case:?}: {}", verdict.describe_test()),
            (Some(verdict), None) => verdict.describe(),
            (None, _) => "no completion record".into(),
        };
        return Err(broken(format!("{why}\n{}", run.output.stderr.trim())));
    }
    let output = segments
        .runs
        .into_iter()
        .next()
        .expect("at least one run")
        .output;
    let lines = Arc::new(KnownLines::of_run(&output.channel, &output.transcript));
    let mut cases = Vec::new();
    for message in output.transcript.messages {
        match message {
            Message::LoadError(error) => return Err(broken(error.message)),
            Message::Case(case) => cases.push(case),
            _ => {}
        }
    }
    if cases.is_empty() {
        return Err(broken("its cases.py defines no cases".into()));
    }
    Ok(ReferenceRun { cases, lines })
}

/// Compares one case. `actual` is `None` when the submission's run never reported it.
pub fn compare_case(
    expected: &CaseMessage,
    actual: Option<&CaseMessage>,
    not_run: &str,
    seed: u64,
) -> TestResult {
    let mut result = TestResult {
        id: None,
        name: expected.name.clone(),
        status: TestStatus::Fail,
        message: String::new(),
        expected: None,
        actual: None,
        output: String::new(),
        score: 0.0,
        max_score: expected.points,
        hidden: expected.hidden,
        file: None,
        line: None,
        traceback: Vec::new(),
    };
    let Some(actual) = actual else {
        result.status = TestStatus::Error;
        result.message = not_run.to_string();
        return result;
    };
    result.output = actual.output.clone();

    match first_difference(expected, actual) {
        None => {
            result.status = TestStatus::Pass;
            result.score = expected.points;
        }
        Some(difference) => {
            let mut message = difference.message;
            if let Some(run) = difference.run {
                message = format!("random run {} (seed {seed}): {message}", run + 1);
            }
            result.message = message;
            result.expected = difference.expected;
            result.actual = difference.actual;
            result.traceback = difference.traceback;
        }
    }
    result
}

struct Difference {
    message: String,
    run: Option<u32>,
    expected: Option<String>,
    actual: Option<String>,
    traceback: Vec<TracebackFrame>,
}

fn first_difference(expected: &CaseMessage, actual: &CaseMessage) -> Option<Difference> {
    let steps = expected.steps.len().max(actual.steps.len());
    for index in 0..steps {
        let want = expected.steps.get(index);
        let got = actual.steps.get(index);
        let (run, context_from) = match (want, got) {
            (Some(step), _) | (None, Some(step)) => (step.run, step),
            (None, None) => unreachable!("index is below the longer length"),
        };
        let mut difference = match (want, got) {
            (Some(want), Some(got)) => match compare_steps(want, got) {
                Some(difference) => difference,
                None => continue,
            },
            (Some(want), None) => {
                let ending = match &actual.error {
                    Some(error) => format!("the case stopped with {}", describe_exception(error)),
                    None => "the case ended".to_string(),
                };
                Difference {
                    message: format!("expected {} next, but {ending}", describe_step(want)),
                    run,
                    expected: None,
                    actual: None,
                    traceback: traceback_of(actual.error.as_ref()),
                }
            }
            (None, Some(got)) => Difference {
                message: format!(
                    "unexpected {} after the last expected operation",
                    describe_step(got)
                ),
                run,
                expected: None,
                actual: None,
                traceback: Vec::new(),
            },
            (None, None) => unreachable!(),
        };
        // Only the first difference gets its context: building it for every step would
        // cost the square of a long case's step count.
        let context = leading_operations(
            &expected.steps[..index.min(expected.steps.len())],
            context_from.run,
        );
        if !context.is_empty() {
            difference.message = format!("{} after {}", difference.message, context);
        }
        return Some(difference);
    }
    match (&expected.error, &actual.error) {
        (None, None) => None,
        (Some(want), Some(got)) if want.type_name == got.type_name => None,
        (None, Some(got)) => Some(Difference {
            message: format!(
                "the case stopped with {}{}",
                describe_exception(got),
                leading_suffix(&expected.steps)
            ),
            run: expected.steps.last().and_then(|step| step.run),
            expected: None,
            actual: None,
            traceback: traceback_of(Some(got)),
        }),
        (Some(want), got) => {
            let got = got.as_ref();
            Some(Difference {
                message: format!(
                    "expected the case to stop with {}, but {}",
                    want.type_name,
                    got.map_or("it ran to the end".to_string(), |got| format!(
                        "it stopped with {}",
                        describe_exception(got)
                    ))
                ),
                run: None,
                expected: None,
                actual: None,
                traceback: traceback_of(got),
            })
        }
    }
}

fn leading_suffix(steps: &[Step]) -> String {
    let run = steps.last().and_then(|step| step.run);
    let context = leading_operations(steps, run);
    if context.is_empty() {
        String::new()
    } else {
        format!(" after {context}")
    }
}

/// The labels of the calls before a difference, in the same random run, most recent last.
fn leading_operations(steps: &[Step], run: Option<u32>) -> String {
    let calls: Vec<&str> = steps
        .iter()
        .filter(|step| step.kind == StepKind::Call && step.run == run)
        .map(|step| step.label.as_str())
        .collect();
    let skipped = calls.len().saturating_sub(CONTEXT_STEPS);
    let shown = calls[skipped..].join(", ");
    if skipped > 0 {
        format!("{skipped} earlier operations, then {shown}")
    } else {
        shown
    }
}

fn traceback_of(error: Option<&RaisedException>) -> Vec<TracebackFrame> {
    error
        .map(|error| error.traceback.iter().map(TracebackFrame::from).collect())
        .unwrap_or_default()
}

fn describe_exception(error: &RaisedException) -> String {
    if error.message.is_empty() {
        error.type_name.clone()
    } else {
        format!("{}: {}", error.type_name, error.message)
    }
}

/// "get('a') to return 1" / "get('a') to raise KeyError" / "sleep() was called with 0.5".
fn describe_step(step: &Step) -> String {
    match (step.kind, &step.raised, &step.value) {
        (StepKind::Note, _, Some(value)) => format!("{} {}", step.label, value.to_python()),
        (StepKind::Call, Some(raised), _) => {
            format!("{} to raise {}", step.label, raised.type_name)
        }
        (StepKind::Call, None, Some(Value::Unobserved)) => {
            format!("{} to return normally", step.label)
        }
        (StepKind::Call, None, Some(value)) => {
            format!("{} to return {}", step.label, value.to_python())
        }
        _ => step.label.clone(),
    }
}

fn compare_steps(want: &Step, got: &Step) -> Option<Difference> {
    let run = want.run;
    let plain = |message: String| Difference {
        message,
        run,
        expected: None,
        actual: None,
        traceback: Vec::new(),
    };
    if want.label != got.label || want.kind != got.kind || want.run != got.run {
        return Some(plain(format!(
            "expected {} next, but got {}",
            describe_step(want),
            describe_step(got)
        )));
    }
    let want_value = want.value.as_ref();
    let got_value = got.value.as_ref();
    let label = &want.label;
    match (&want.raised, &got.raised) {
        (Some(want_raised), Some(got_raised)) => {
            if want_raised.type_name == got_raised.type_name {
                return None;
            }
            Some(Difference {
                message: format!(
                    "{label} raised {}, expected it to raise {}",
                    describe_exception(got_raised),
                    want_raised.type_name
                ),
                traceback: traceback_of(Some(got_raised)),
                ..plain(String::new())
            })
        }
        (None, Some(got_raised)) => {
            let expected = match &want_value {
                Some(Value::Unobserved) | None => "expected it to return normally".to_string(),
                Some(value) => format!("expected {}", value.to_python()),
            };
            Some(Difference {
                message: format!(
                    "{label} raised {}, {expected}",
                    describe_exception(got_raised)
                ),
                traceback: traceback_of(Some(got_raised)),
                ..plain(String::new())
            })
        }
        (Some(want_raised), None) => {
            let returned = match &got_value {
                Some(Value::Unobserved) | None => "returned normally".to_string(),
                Some(value) => format!("returned {}", value.to_python()),
            };
            Some(plain(format!(
                "{label} {returned}, expected it to raise {}",
                want_raised.type_name
            )))
        }
        (None, None) => {
            let want_value = want_value.unwrap_or(&Value::None);
            let got_value = got_value.unwrap_or(&Value::None);
            if want_value.same_as(got_value) {
                return None;
            }
            let verb = if want.kind == StepKind::Call {
                " returned"
            } else {
                ""
            };
            let (expected, actual) = if want_value.is_container() || got_value.is_container() {
                (
                    Some(want_value.to_python_pretty()),
                    Some(got_value.to_python_pretty()),
                )
            } else {
                (None, None)
            };
            Some(Difference {
                message: format!(
                    "{label}{verb} {}, expected {}",
                    short(got_value),
                    short(want_value)
                ),
                expected,
                actual,
                ..plain(String::new())
            })
        }
    }
}

/// Keeps one-line renderings of containers readable (the full values go to the diff);
/// scalars, strings included, are shown whole.
fn short(value: &Value) -> String {
    const LIMIT: usize = 120;
    let text = value.to_python();
    if !value.is_container() || text.chars().count() <= LIMIT {
        return text;
    }
    let cut: String = text.chars().take(LIMIT).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(steps: serde_json::Value) -> CaseMessage {
        serde_json::from_value(json!({"name": "c", "steps": steps})).unwrap()
    }

    #[test]
    fn names_the_diverging_call_and_what_led_to_it() {
        let expected = case(json!([
            ["put('a', 1)", "call", ["none"]],
            ["put('b', 2)", "call", ["none"]],
            ["get('a')", "call", ["int", "1"]]
        ]));
        let actual = case(json!([
            ["put('a', 1)", "call", ["none"]],
            ["put('b', 2)", "call", ["none"]],
            ["get('a')", "call", ["none"]]
        ]));
        let result = compare_case(&expected, Some(&actual), "", 7);
        assert_eq!(result.status, TestStatus::Fail);
        assert_eq!(
            result.message,
            "get('a') returned None, expected 1 after put('a', 1), put('b', 2)"
        );
    }

    #[test]
    fn equal_leading_steps_do_not_hide_a_later_difference() {
        let expected = case(json!([
            ["f()", "call", ["int", "1"]],
            ["g()", "call", ["int", "2"]]
        ]));
        let actual = case(json!([
            ["f()", "call", ["int", "1"]],
            ["g()", "call", ["int", "3"]]
        ]));
        let result = compare_case(&expected, Some(&actual), "", 7);
        assert_eq!(result.status, TestStatus::Fail);
        assert_eq!(result.message, "g() returned 3, expected 2 after f()");
    }

    #[test]
    fn raise_versus_return_is_explained() {
        let expected =
            case(json!([["LRUCache(0)", "raised", {"type": "ValueError", "message": "x"}]]));
        let actual = case(json!([["LRUCache(0)", "call", ["unobserved"]]]));
        let result = compare_case(&expected, Some(&actual), "", 7);
        assert_eq!(
            result.message,
            "LRUCache(0) returned normally, expected it to raise ValueError"
        );
    }

    #[test]
    fn exception_messages_are_shown_not_compared() {
        let expected = case(json!([["f()", "raised", {"type": "KeyError", "message": "'a'"}]]));
        let actual = case(json!([["f()", "raised", {"type": "KeyError", "message": "other"}]]));
        assert_eq!(
            compare_case(&expected, Some(&actual), "", 7).status,
            TestStatus::Pass
        );
    }

    #[test]
    fn random_runs_name_the_run_and_seed() {
        let expected = case(json!([
            ["put(1, 1)", "call", ["none"], 2],
            ["sleep() was called with", "note", ["float", "0.5"], 2]
        ]));
        let actual = case(json!([
            ["put(1, 1)", "call", ["none"], 2],
            ["sleep() was called with", "note", ["float", "0.25"], 2]
        ]));
        let result = compare_case(&expected, Some(&actual), "", 99);
        assert_eq!(
            result.message,
            "random run 3 (seed 99): sleep() was called with 0.25, expected 0.5 after put(1, 1)"
        );
    }

    #[test]
    fn missing_steps_and_extra_steps_fail() {
        let expected = case(json!([["f()", "call", ["int", "1"]]]));
        let short_run = case(json!([]));
        assert!(
            compare_case(&expected, Some(&short_run), "", 1)
                .message
                .starts_with("expected f() to return 1 next, but the case ended")
        );
        let long_run = case(json!([
            ["f()", "call", ["int", "1"]],
            ["sleep() was called with", "note", ["float", "0.0"]]
        ]));
        assert!(
            compare_case(&expected, Some(&long_run), "", 1)
                .message
                .starts_with("unexpected sleep() was called with 0.0")
        );
    }

    #[test]
    fn containers_get_a_diff_and_unreported_cases_fail() {
        let expected = case(json!([[
            "items()",
            "call",
            ["list", [["int", "1"], ["int", "2"]]]
        ]]));
        let actual = case(json!([[
            "items()",
            "call",
            ["list", [["int", "2"], ["int", "1"]]]
        ]]));
        let result = compare_case(&expected, Some(&actual), "", 1);
        assert_eq!(result.expected.as_deref(), Some("[1, 2]"));
        assert_eq!(result.actual.as_deref(), Some("[2, 1]"));
        let missing = compare_case(&expected, None, "not run: exited early", 1);
        assert_eq!(
            (missing.status, missing.message.as_str()),
            (TestStatus::Error, "not run: exited early")
        );
    }

    #[test]
    fn refused_values_never_match() {
        let expected = case(json!([["f()", "call", ["int", "5"]]]));
        let actual = case(json!([[
            "f()",
            "call",
            ["refused", "Liar", "not a builtin type"]
        ]]));
        let result = compare_case(&expected, Some(&actual), "", 1);
        assert_eq!(
            result.message,
            "f() returned <Liar object (not a builtin type)>, expected 5"
        );
    }
}
