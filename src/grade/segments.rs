//! Running the tests (or cases) of one graded PATH in as many children as it takes: when a
//! limit stops a child in the middle of a test (time, CPU, memory, output, a crash, an
//! exit), the tests that finished keep their results, the one that was running gets the
//! limit's verdict, and a fresh child runs the tests after it (the harness's `--from
//! INDEX`). At most `settings::RESTARTS` restarts, all within the whole run's time limit
//! (`Limits::run_time`); the tests left after that are reported as not run.
//!
//! The child says which tests there are (`collected`) and which one begins (`begin`):
//! claims of the untrusted process, used only to know where to restart and which test to
//! blame. A run whose claims do not hang together (a malformed line, indices out of order,
//! an id that is not the announced one, a result without its `begin`, another list of
//! tests) is not restarted, and the callers do not trust its results. Every verdict is
//! still decided by the grader: the callers turn each run's ending into one
//! ([`super::run_verdict`]).

use super::GradeError;
use crate::engine::RunClock;
use crate::engine::process::{LimitHit, RunOutput};
use crate::engine::protocol::Message;
use crate::settings::{Limits, RESTARTS};
use std::time::{Duration, Instant};

/// One child's run.
#[derive(Debug)]
pub struct Segment {
    /// The index of the first test this run was asked to run.
    pub from: usize,
    pub output: RunOutput,
    /// Whether its completion record arrived intact.
    pub completed: bool,
    /// The test that was running when the run ended without its completion record.
    pub stopped_in: Option<usize>,
    /// Whether it reported no result at all.
    pub empty: bool,
}

impl Segment {
    /// Whether the run either completed, or was stopped in a known test, or was a restart
    /// stopped before it reported anything: its results can be kept (as far as the
    /// protocol can tell).
    pub fn accounted_for(&self) -> bool {
        self.completed || self.stopped_in.is_some() || (self.from > 0 && self.empty)
    }
}

/// Why tests were never run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NotRun {
    /// `RESTARTS` tests had already been stopped by a limit.
    RestartCap,
    /// The whole run's time limit (this many seconds) ran out.
    RunTime(Duration),
    /// The fresh runs after a stopped test were stopped before their first test too.
    Unstarted,
}

impl NotRun {
    /// The message of a test that was not run.
    pub fn describe(&self) -> String {
        match self {
            NotRun::RestartCap => format!(
                "not run: {} tests had already been stopped by a limit, and pykata starts a fresh run at most {RESTARTS} times",
                RESTARTS + 1
            ),
            NotRun::RunTime(limit) => format!(
                "not run: the whole run's time limit ({} s) ran out before this test",
                limit.as_secs_f64()
            ),
            NotRun::Unstarted => "not run: the fresh run for the tests after a stopped one was stopped before its first test".into(),
        }
    }
}

/// Every child's run of one graded PATH, in order.
#[derive(Debug)]
pub struct Segments {
    pub runs: Vec<Segment>,
    /// The tests the first run announced (node ids or case names), when it got that far.
    pub ids: Option<Vec<String>>,
    /// Whether every run's messages hang together (see the module's documentation).
    pub consistent: bool,
    /// From which index on the tests were never run, and why.
    pub not_run: Option<(usize, NotRun)>,
}

impl Segments {
    /// Whether every run completed or was stopped in a known test, and their messages hang
    /// together: the results can be kept.
    pub fn trusted(&self) -> bool {
        self.consistent && self.runs.iter().all(Segment::accounted_for)
    }

    /// Whether the last run sent its completion record.
    pub fn completed(&self) -> bool {
        self.runs.last().is_some_and(|run| run.completed)
    }

    /// The id of test `index`, as announced.
    pub fn id(&self, index: usize) -> Option<&str> {
        self.ids.as_ref()?.get(index).map(String::as_str)
    }
}

/// Runs `run(from, clock)` (a child running the tests from index `from` on; `clock`: when
/// the first run started and how many tests it announced, for the whole run's deadline)
/// until a run completes, or stops where no restart helps.
pub fn run_segments(
    limits: &Limits,
    mut run: impl FnMut(usize, RunClock) -> Result<RunOutput, GradeError>,
) -> Result<Segments, GradeError> {
    let started = Instant::now();
    let mut segments = Segments {
        runs: Vec::new(),
        ids: None,
        consistent: true,
        not_run: None,
    };
    let mut from = 0;
    loop {
        let tests = segments.ids.as_ref().map_or(0, Vec::len);
        let output = run(from, RunClock { started, tests })?;
        let completed = output.transcript.completed_count().is_some();
        let check = check_run(&output, from, &mut segments.ids);
        segments.consistent &= check.consistent;
        let stopped_in = if completed || output.ended_after_done {
            None
        } else {
            check.open
        };
        let out_of_run_time = matches!(output.limit_hit, Some(LimitHit::RunTime(_)));
        let empty = !output
            .transcript
            .messages
            .iter()
            .any(|message| matches!(message, Message::Test(_) | Message::Case(_)));
        let ended_after_done = output.ended_after_done;
        segments.runs.push(Segment {
            from,
            output,
            completed,
            stopped_in,
            empty,
        });
        if !check.consistent {
            break;
        }
        let total = segments.ids.as_ref().map_or(0, Vec::len);
        let next = match stopped_in {
            Some(index) => index + 1,
            // A restart stopped before its first test (its start-up took the whole
            // per-test limit, on a loaded machine): try again, within the cap.
            None if from > 0 && empty && !completed && !ended_after_done => {
                if segments.runs.len() > RESTARTS as usize {
                    segments.not_run = Some((from, NotRun::Unstarted));
                    break;
                }
                from
            }
            None => break,
        };
        if next >= total {
            break;
        }
        let run_time = limits.run_time(total);
        if out_of_run_time || started.elapsed() >= run_time {
            segments.not_run = Some((next, NotRun::RunTime(run_time)));
            break;
        }
        if segments.runs.len() > RESTARTS as usize {
            segments.not_run = Some((next, NotRun::RestartCap));
            break;
        }
        from = next;
    }
    Ok(segments)
}

/// What one run's messages say about its tests.
struct Check {
    consistent: bool,
    /// The test begun last whose result did not follow.
    open: Option<usize>,
}

/// Checks that a run's messages hang together: its `collected` list is the first run's,
/// its `begin`s count up from `from` through that list, each followed by the result of
/// the same test. Results before `collected` (modules skipped at import) are allowed in
/// the first run only; a failed test outside any `begin` anywhere.
fn check_run(output: &RunOutput, from: usize, ids: &mut Option<Vec<String>>) -> Check {
    let transcript = &output.transcript;
    let mut consistent = transcript.malformed_lines == 0;
    let mut open: Option<usize> = None;
    let mut next = from;
    let mut announced = false;
    for message in &transcript.messages {
        let result = match message {
            Message::Collected { ids: got } => {
                consistent &= !announced && open.is_none();
                announced = true;
                match ids {
                    Some(known) => consistent &= known == got,
                    None => *ids = Some(got.clone()),
                }
                continue;
            }
            Message::Begin { index, id } => {
                let index = usize::try_from(*index).unwrap_or(usize::MAX);
                let expected = ids.as_ref().and_then(|ids| ids.get(index));
                consistent &= open.is_none() && index == next && expected == Some(id);
                open = Some(index);
                continue;
            }
            Message::Test(test) => (&test.id, matches!(test.status.as_str(), "fail" | "error")),
            Message::Case(case) => (&case.name, false),
            _ => continue,
        };
        match (open.take(), result) {
            (Some(index), (id, _)) => {
                consistent &= ids.as_ref().and_then(|ids| ids.get(index)) == Some(id);
                next = index + 1;
            }
            // A failure outside the tests (the built-in runner's report of tampering) can
            // only cost the learner.
            (None, (_, true)) => {}
            // Only the first run's modules skipped at import come before the list.
            (None, _) => consistent &= !announced && from == 0,
        }
    }
    Check { consistent, open }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::process::{ChildExit, ExitStatusKind};
    use crate::engine::protocol::Transcript;

    fn output(channel: &str, exit: ExitStatusKind, limit_hit: Option<LimitHit>) -> RunOutput {
        RunOutput {
            transcript: Transcript::parse(channel.as_bytes()),
            channel: channel.as_bytes().to_vec(),
            stdout: String::new(),
            stderr: String::new(),
            exit: ChildExit {
                status: exit,
                cpu_time: Duration::ZERO,
                max_rss_bytes: 0,
            },
            limit_hit,
            ended_after_done: false,
            wall_time: Duration::ZERO,
            isolation: None,
        }
    }

    const COLLECTED: &str = r#"{"event":"collected","ids":["a","b","c","d"]}"#;

    fn begin(index: usize, id: &str) -> String {
        format!(r#"{{"event":"begin","index":{index},"id":"{id}"}}"#)
    }

    fn case(name: &str) -> String {
        format!(r#"{{"event":"case","name":"{name}"}}"#)
    }

    /// A run from `from` whose tests in `hang` never end: the lines up to the first of
    /// them, or the whole run with its completion record.
    fn fake_run(from: usize, hang: &[usize]) -> RunOutput {
        let names = ["a", "b", "c", "d"];
        let mut lines = vec![COLLECTED.to_string()];
        let mut count = 0;
        for (index, name) in names.iter().enumerate().skip(from) {
            lines.push(begin(index, name));
            if hang.contains(&index) {
                return output(
                    &(lines.join("\n") + "\n"),
                    ExitStatusKind::Signaled(libc::SIGKILL),
                    Some(LimitHit::TestTime),
                );
            }
            lines.push(case(name));
            count += 1;
        }
        lines.push(format!(r#"{{"event":"done","count":{count}}}"#));
        output(&(lines.join("\n") + "\n"), ExitStatusKind::Exited(0), None)
    }

    #[test]
    fn a_stopped_test_is_followed_by_a_fresh_run_of_the_rest() {
        let mut asked = Vec::new();
        let segments = run_segments(&Limits::default(), |from, _| {
            asked.push(from);
            Ok(fake_run(from, &[1]))
        })
        .unwrap();
        assert_eq!(asked, [0, 2]);
        let stopped: Vec<_> = segments.runs.iter().map(|run| run.stopped_in).collect();
        assert_eq!(stopped, [Some(1), None]);
        assert!(segments.trusted() && segments.completed());
        assert_eq!(segments.not_run, None);
    }

    #[test]
    fn restarts_are_capped_and_the_rest_is_not_run() {
        let names: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        let collected = format!(r#"{{"event":"collected","ids":{names:?}}}"#);
        let mut asked = Vec::new();
        let segments = run_segments(&Limits::default(), |from, _| {
            asked.push(from);
            let channel = format!("{collected}\n{}\n", begin(from, &names[from]));
            Ok(output(
                &channel,
                ExitStatusKind::Signaled(libc::SIGKILL),
                Some(LimitHit::TestTime),
            ))
        })
        .unwrap();
        assert_eq!(asked.len(), RESTARTS as usize + 1);
        assert_eq!(asked, (0..=RESTARTS as usize).collect::<Vec<_>>());
        assert_eq!(
            segments.not_run,
            Some((RESTARTS as usize + 1, NotRun::RestartCap))
        );
        assert!(segments.trusted());
    }

    #[test]
    fn a_run_out_of_whole_run_time_is_not_restarted() {
        let segments = run_segments(&Limits::default(), |from, _| {
            let mut run = fake_run(from, &[1]);
            run.limit_hit = Some(LimitHit::RunTime(Duration::from_secs(44)));
            Ok(run)
        })
        .unwrap();
        assert_eq!(segments.runs.len(), 1);
        assert_eq!(
            segments.not_run,
            Some((2, NotRun::RunTime(Limits::default().run_time(4))))
        );
    }

    #[test]
    fn claims_that_do_not_hang_together_stop_the_restarts_and_the_trust() {
        let broken = [
            // A result without its begin.
            format!("{COLLECTED}\n{}\n{}\n", case("a"), begin(1, "b")),
            // Indices that skip a test.
            format!(
                "{COLLECTED}\n{}\n{}\n{}\n",
                begin(0, "a"),
                case("a"),
                begin(2, "c")
            ),
            // A begin naming another test than announced.
            format!("{COLLECTED}\n{}\n", begin(0, "z")),
            // A result of another test than the one begun.
            format!(
                "{COLLECTED}\n{}\n{}\n{}\n",
                begin(0, "a"),
                case("b"),
                begin(1, "b")
            ),
            // Two begins in a row.
            format!("{COLLECTED}\n{}\n{}\n", begin(0, "a"), begin(1, "b")),
            // A begin before any list of tests.
            format!("{}\n", begin(0, "a")),
            // A malformed line.
            format!("{COLLECTED}\n{{nope\n{}\n", begin(0, "a")),
            // A second, different list.
            format!(
                "{COLLECTED}\n{}\n{}\n{}\n",
                begin(0, "a"),
                r#"{"event":"collected","ids":["a"]}"#,
                case("a")
            ),
        ];
        for channel in broken {
            let mut runs = 0;
            let segments = run_segments(&Limits::default(), |_, _| {
                runs += 1;
                Ok(output(
                    &channel,
                    ExitStatusKind::Signaled(libc::SIGKILL),
                    Some(LimitHit::TestTime),
                ))
            })
            .unwrap();
            assert_eq!(runs, 1, "restarted after {channel}");
            assert!(!segments.trusted(), "trusted {channel}");
        }
    }

    #[test]
    fn a_later_run_must_announce_the_same_tests() {
        let segments = run_segments(&Limits::default(), |from, _| {
            if from == 0 {
                return Ok(fake_run(0, &[0]));
            }
            let channel = format!(
                "{}\n{}\n{}\n{}\n",
                r#"{"event":"collected","ids":["a","x","c","d"]}"#,
                begin(1, "x"),
                case("x"),
                r#"{"event":"done","count":1}"#
            );
            Ok(output(&channel, ExitStatusKind::Exited(0), None))
        })
        .unwrap();
        assert_eq!(segments.runs.len(), 2);
        assert!(!segments.trusted());
    }

    #[test]
    fn a_restart_stopped_before_its_first_test_is_tried_again_within_the_cap() {
        let mut asked = Vec::new();
        let segments = run_segments(&Limits::default(), |from, _| {
            asked.push(from);
            if from == 0 {
                return Ok(fake_run(0, &[0]));
            }
            Ok(output(
                &format!("{COLLECTED}\n"),
                ExitStatusKind::Signaled(libc::SIGKILL),
                Some(LimitHit::TestTime),
            ))
        })
        .unwrap();
        assert_eq!(asked, [0, 1, 1, 1]);
        assert_eq!(segments.not_run, Some((1, NotRun::Unstarted)));
        assert!(segments.trusted());
    }

    #[test]
    fn a_run_stopped_outside_any_test_is_not_restarted_nor_trusted() {
        let segments = run_segments(&Limits::default(), |_, _| {
            Ok(output(
                &format!("{COLLECTED}\n{}\n{}\n", begin(0, "a"), case("a")),
                ExitStatusKind::Signaled(libc::SIGKILL),
                Some(LimitHit::TestTime),
            ))
        })
        .unwrap();
        assert_eq!(segments.runs.len(), 1);
        assert_eq!(segments.runs[0].stopped_in, None);
        assert!(!segments.trusted());
    }
}
