//! Supervising one running child: its output read concurrently under caps, its wall-clock
//! deadline, and the kill of everything it started. Engines differ in how a child starts;
//! they all end up here.

use crate::engine::protocol::{KnownLines, Transcript};
use crate::settings::Limits;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

pub use crate::sandbox::{ChildExit, ChildFds, ExitStatusKind, IsolationReport};

/// A started child, whichever engine started it.
pub trait RunningChild: Send + Sync {
    /// Kills every process the run started. Callable while `wait` blocks; idempotent.
    fn kill(&self);
    /// Blocks until the main process ends.
    fn wait(&self) -> io::Result<ChildExit>;
}

/// The read ends of a child's three output pipes.
pub struct OutputPipes {
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
    pub channel: OwnedFd,
}

/// The capacity asked for the channel's pipe.
const CHANNEL_PIPE_BYTES: libc::c_int = 1 << 20;

/// Creates the three pipes of a run. Both ends are close-on-exec; engines place the write
/// ends at fds 1-3 in the child.
pub fn make_pipes() -> io::Result<(OutputPipes, ChildFds)> {
    let (stdout_read, stdout_write) = pipe()?;
    let (stderr_read, stderr_write) = pipe()?;
    let (channel_read, channel_write) = pipe()?;
    // A larger channel pipe lets the harness write a case's results without waiting for
    // this side's reader to be scheduled (pages are only used as they are written). Best
    // effort: an unprivileged user over its pipe quota keeps the default 64 KiB.
    // SAFETY: fcntl on a descriptor we own.
    unsafe {
        libc::fcntl(
            channel_write.as_raw_fd(),
            libc::F_SETPIPE_SZ,
            CHANNEL_PIPE_BYTES,
        )
    };
    Ok((
        OutputPipes {
            stdout: stdout_read,
            stderr: stderr_read,
            channel: channel_read,
        },
        ChildFds {
            stdout: stdout_write,
            stderr: stderr_write,
            channel: channel_write,
        },
    ))
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 writes two fresh descriptors into the array, which we then own.
    let result = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    if result != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Which limit, if any, ended the run early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitHit {
    /// A test (or case), or what came before the first one, ran longer than the per-test
    /// limit (`Limits::wall_time`).
    TestTime,
    /// The whole run, restarts included, ran longer than its limit (`Limits::run_time`
    /// of the number of tests the run announced), given here.
    RunTime(Duration),
    Output,
    Channel,
}

/// Everything observed about one child run.
#[derive(Debug)]
pub struct RunOutput {
    pub transcript: Transcript,
    /// The channel's bytes, as the transcript was parsed from them.
    pub channel: Vec<u8>,
    /// What the child wrote on stdout and stderr, interleaved per stream, lossily decoded.
    pub stdout: String,
    pub stderr: String,
    pub exit: ChildExit,
    pub limit_hit: Option<LimitHit>,
    /// The grader ended the child because it had not exited `EXIT_GRACE` after its
    /// completion record (a thread or process it left running): not a limit.
    pub ended_after_done: bool,
    pub wall_time: Duration,
    /// The isolation the run got, when it ran in the sandbox.
    pub isolation: Option<IsolationReport>,
}

/// Watches a started child until it ends or a limit is hit, then kills whatever is left.
///
/// One thread waits for the main process to end (engines only offer a blocking wait) and
/// says so by closing a pipe; this thread polls that pipe and the child's three output
/// pipes together, reading each under its cap, until the child has ended and every pipe is
/// at its end. Meanwhile it follows the channel's lines ([`Progress`]): each `begin` starts
/// the per-test deadline again, `collected` sets the whole run's deadline (counted from
/// `clock.started`, the start of the first run of a restarted one, for `clock.tests` tests
/// until the child says how many), and `done` gives the
/// child `EXIT_GRACE` to exit before it is ended. The channel's lines are parsed reusing
/// the messages of `known` lines ([`Transcript::parse_reusing`]).
pub fn supervise(
    child: &dyn RunningChild,
    pipes: OutputPipes,
    limits: &Limits,
    clock: crate::engine::RunClock,
    isolation: Option<IsolationReport>,
    known: Option<&KnownLines>,
) -> io::Result<RunOutput> {
    let started = Instant::now();
    let run_started = clock.started;
    let mut progress = Progress::new(limits, started, clock.tests);
    let (ended_read, ended_write) = pipe()?;

    std::thread::scope(|scope| {
        let waiter = scope.spawn(move || {
            let exit = child.wait();
            // Closing the write end wakes the poll below.
            drop(ended_write);
            exit
        });
        let mut streams = [
            Capped::new(pipes.stdout, limits.output_bytes),
            Capped::new(pipes.stderr, limits.output_bytes),
            Capped::new(pipes.channel, limits.channel_bytes),
        ];
        let mut ended = false;
        // Set once the child has been killed for a limit or after its grace.
        let mut stopped = false;
        let mut time_hit = None;
        let mut ended_after_done = false;
        loop {
            let open: Vec<usize> = (0..streams.len())
                .filter(|&i| streams[i].fd.is_some())
                .collect();
            if ended && open.is_empty() {
                break;
            }
            let mut fds: Vec<libc::pollfd> = open
                .iter()
                .map(|&i| poll_in(streams[i].fd.as_ref().map_or(-1, |fd| fd.as_raw_fd())))
                .collect();
            if !ended {
                fds.push(poll_in(ended_read.as_raw_fd()));
            }
            let watching = !stopped && !ended;
            let limit = watching.then(|| progress.deadline(run_started));
            let ready = match poll_until(&mut fds, limit) {
                Ok(ready) => ready,
                Err(error) => {
                    child.kill();
                    let _ = waiter.join();
                    return Err(error);
                }
            };
            if ready == 0 {
                if watching {
                    let now = Instant::now();
                    let run_deadline = run_started + progress.run_limit;
                    // When several deadlines have passed (this thread may have waited for
                    // the CPU), the one that passed first decides.
                    let first = progress.deadline(run_started);
                    if now < first {
                        continue;
                    } else if progress.grace == Some(first) {
                        ended_after_done = true;
                    } else if progress.test_deadline == first && first < run_deadline {
                        time_hit = Some(LimitHit::TestTime);
                    } else {
                        time_hit = Some(LimitHit::RunTime(progress.run_limit));
                    }
                    stopped = true;
                    child.kill();
                }
                continue;
            }
            for (slot, &i) in fds.iter().zip(&open) {
                if slot.revents == 0 {
                    continue;
                }
                if streams[i].read_some() {
                    stopped = true;
                    child.kill();
                }
                if i == 2 {
                    progress.follow(&streams[2].kept, limits);
                }
            }
            if !ended && fds.last().is_some_and(|slot| slot.revents != 0) {
                ended = true;
                // The main process is gone; make sure nothing it started keeps the pipes
                // open.
                child.kill();
            }
        }
        let exit = waiter
            .join()
            .map_err(|_| io::Error::other("the waiting thread panicked"))??;
        let [stdout, stderr, channel] = streams;
        let limit_hit = if time_hit.is_some() {
            time_hit
        } else if stdout.over_cap || stderr.over_cap {
            Some(LimitHit::Output)
        } else if channel.over_cap {
            Some(LimitHit::Channel)
        } else {
            None
        };
        Ok(RunOutput {
            transcript: Transcript::parse_reusing(&channel.kept, known),
            channel: channel.kept,
            stdout: String::from_utf8_lossy(&stdout.kept).into_owned(),
            stderr: String::from_utf8_lossy(&stderr.kept).into_owned(),
            exit,
            limit_hit,
            ended_after_done: ended_after_done && limit_hit.is_none(),
            wall_time: started.elapsed(),
            isolation,
        })
    })
}

/// What the supervisor follows of the channel while the child runs. Only lines that start
/// the way the harness writes them (`{"event":"begin"`...) move a deadline; anything else,
/// forged or not, is left to the transcript's parse at the end. A forged line can at most
/// move a deadline of its own run: the whole run's deadline bounds every test's.
struct Progress {
    /// Where the next line of the channel starts.
    next_line: usize,
    /// How far the channel has been searched for the end of that line.
    searched: usize,
    /// When the test now running (or the loading before the first) must be done.
    test_deadline: Instant,
    /// The whole run's limit, counted from its start.
    run_limit: std::time::Duration,
    /// When the child must have exited, once its completion record has come.
    grace: Option<Instant>,
    per_test: Duration,
}

impl Progress {
    fn new(limits: &Limits, started: Instant, tests: usize) -> Progress {
        Progress {
            next_line: 0,
            searched: 0,
            test_deadline: started + limits.wall_time,
            run_limit: limits.run_time(tests),
            grace: None,
            per_test: limits.wall_time,
        }
    }

    /// The earliest deadline now in force.
    fn deadline(&self, run_started: Instant) -> Instant {
        let deadline = (run_started + self.run_limit).min(self.test_deadline);
        self.grace.map_or(deadline, |grace| grace.min(deadline))
    }

    /// Reads the complete lines added to `channel` since the last call.
    fn follow(&mut self, channel: &[u8], limits: &Limits) {
        const BEGIN: &[u8] = br#"{"event":"begin""#;
        const COLLECTED: &[u8] = br#"{"event":"collected""#;
        const DONE: &[u8] = br#"{"event":"done""#;
        while let Some(offset) = memchr::memchr(b'\n', &channel[self.searched..]) {
            let end = self.searched + offset;
            let line = &channel[self.next_line..end];
            self.next_line = end + 1;
            self.searched = end + 1;
            if line.starts_with(BEGIN) {
                self.test_deadline = Instant::now() + self.per_test;
            } else if line.starts_with(COLLECTED) {
                #[derive(serde::Deserialize)]
                struct Ids {
                    ids: Vec<serde::de::IgnoredAny>,
                }
                if let Ok(Ids { ids }) = serde_json::from_slice(line) {
                    self.run_limit = limits.run_time(ids.len());
                }
            } else if line.starts_with(DONE) && self.grace.is_none() {
                self.grace = Some(Instant::now() + crate::settings::EXIT_GRACE);
            }
        }
        self.searched = channel.len();
    }
}

/// A `pollfd` that waits for `fd` to be readable (or hung up).
pub(crate) fn poll_in(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }
}

/// `poll(2)` on `fds` until one is ready or `deadline` passes (`None`: no limit), retried
/// when a signal interrupts it. Returns how many are ready: 0 when the deadline passed.
pub(crate) fn poll_until(fds: &mut [libc::pollfd], deadline: Option<Instant>) -> io::Result<usize> {
    loop {
        let timeout = deadline.map_or(-1, |deadline| {
            let left = deadline.saturating_duration_since(Instant::now());
            // Rounded up, so that a sub-millisecond remainder does not spin.
            left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32
        });
        // SAFETY: a valid array of pollfds of the stated length.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if ready >= 0 {
            return Ok(ready as usize);
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// One output pipe of a child, read as data comes, keeping at most `cap` bytes.
struct Capped {
    /// None once the pipe is at its end (or over its cap: it is then closed, and the child
    /// killed).
    fd: Option<File>,
    cap: usize,
    kept: Vec<u8>,
    over_cap: bool,
}

impl Capped {
    fn new(fd: OwnedFd, cap: usize) -> Capped {
        Capped {
            fd: Some(File::from(fd)),
            cap,
            kept: Vec::new(),
            over_cap: false,
        }
    }

    /// One read, after poll said the pipe is readable (or hung up): never blocks. True when
    /// this read went over the cap (the pipe is then closed, and the caller kills the child).
    fn read_some(&mut self) -> bool {
        let Some(file) = self.fd.as_mut() else {
            return false;
        };
        let mut buffer = [0u8; 64 * 1024];
        match file.read(&mut buffer) {
            Ok(0) => self.fd = None,
            Ok(read) => {
                let room = self.cap.saturating_sub(self.kept.len());
                self.kept.extend_from_slice(&buffer[..read.min(room)]);
                if read > room {
                    self.over_cap = true;
                    self.fd = None;
                    return true;
                }
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => self.fd = None,
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Condvar, Mutex};

    #[test]
    fn poll_until_waits_for_data_or_the_deadline() {
        let (read, write) = pipe().unwrap();
        let mut fds = [poll_in(read.as_raw_fd())];
        let started = Instant::now();
        let deadline = started + Duration::from_millis(30);
        assert_eq!(poll_until(&mut fds, Some(deadline)).unwrap(), 0);
        assert!(Instant::now() >= deadline, "returned before its deadline");
        // A deadline already past only looks.
        assert_eq!(poll_until(&mut fds, Some(started)).unwrap(), 0);
        File::from(write).write_all(b"x").unwrap();
        assert_eq!(poll_until(&mut fds, None).unwrap(), 1);
        assert_ne!(fds[0].revents & libc::POLLIN, 0);
    }

    /// A stand-in child: a thread writes `script` to the pipes, then the child "exits" with
    /// code 0 unless it was killed first; a killed child ends at once (SIGKILL), and its
    /// writer stops, closing the pipes.
    struct FakeChild {
        state: Mutex<(bool, bool)>, // (ended, killed)
        changed: Condvar,
    }

    impl FakeChild {
        fn start(
            fds: ChildFds,
            script: impl FnOnce(&mut File, &mut File, &mut File, &FakeChild) + Send + 'static,
        ) -> std::sync::Arc<FakeChild> {
            let child = std::sync::Arc::new(FakeChild {
                state: Mutex::new((false, false)),
                changed: Condvar::new(),
            });
            let running = child.clone();
            std::thread::spawn(move || {
                let (mut out, mut err, mut chan) = (
                    File::from(fds.stdout),
                    File::from(fds.stderr),
                    File::from(fds.channel),
                );
                script(&mut out, &mut err, &mut chan, &running);
                drop((out, err, chan));
                let mut state = running.state.lock().unwrap();
                state.0 = true;
                running.changed.notify_all();
            });
            child
        }

        fn killed(&self) -> bool {
            self.state.lock().unwrap().1
        }
    }

    impl RunningChild for FakeChild {
        fn kill(&self) {
            let mut state = self.state.lock().unwrap();
            state.1 = true;
            self.changed.notify_all();
        }

        fn wait(&self) -> io::Result<ChildExit> {
            let mut state = self.state.lock().unwrap();
            while !state.0 && !state.1 {
                state = self.changed.wait(state).unwrap();
            }
            let status = if state.1 && !state.0 {
                ExitStatusKind::Signaled(libc::SIGKILL)
            } else {
                ExitStatusKind::Exited(0)
            };
            Ok(ChildExit {
                status,
                cpu_time: Duration::ZERO,
                max_rss_bytes: 0,
            })
        }
    }

    fn limits(wall_ms: u64, output_bytes: usize) -> Limits {
        Limits {
            wall_time: Duration::from_millis(wall_ms),
            output_bytes,
            ..Limits::default()
        }
    }

    /// `supervise` of a run that is a whole run of its own, with no isolation report and
    /// no known lines.
    fn supervise_fresh(child: &dyn RunningChild, pipes: OutputPipes, limits: &Limits) -> RunOutput {
        supervise(
            child,
            pipes,
            limits,
            crate::engine::RunClock::now(),
            None,
            None,
        )
        .unwrap()
    }

    #[test]
    fn output_and_messages_are_collected_to_the_end() {
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |out, err, chan, _| {
            out.write_all(b"printed\n").unwrap();
            err.write_all(b"warned\n").unwrap();
            // More than one read's worth, so the message arrives in pieces.
            let name = "x".repeat(100 * 1024);
            writeln!(chan, "{{\"event\":\"case\",\"name\":\"{name}\"}}").unwrap();
            writeln!(chan, "{{\"event\":\"done\",\"count\":1}}").unwrap();
        });
        let output = supervise_fresh(&*child, pipes, &limits(10_000, 1 << 20));
        assert_eq!(output.stdout, "printed\n");
        assert_eq!(output.stderr, "warned\n");
        assert_eq!(output.transcript.completed_count(), Some(1));
        assert_eq!(output.limit_hit, None);
        assert_eq!(output.exit.status, ExitStatusKind::Exited(0));
    }

    #[test]
    fn a_child_past_its_deadline_is_killed() {
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |_, _, _, me| {
            while !me.killed() {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let output = supervise_fresh(&*child, pipes, &limits(100, 1 << 20));
        assert_eq!(output.limit_hit, Some(LimitHit::TestTime));
        assert_eq!(output.exit.status, ExitStatusKind::Signaled(libc::SIGKILL));
        assert!(output.wall_time >= Duration::from_millis(100));
    }

    #[test]
    fn output_over_its_cap_kills_the_child_and_keeps_the_cap() {
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |out, _, _, me| {
            while !me.killed() {
                if out.write_all(&[b'a'; 4096]).is_err() {
                    break;
                }
            }
        });
        let output = supervise_fresh(&*child, pipes, &limits(10_000, 10_000));
        assert_eq!(output.limit_hit, Some(LimitHit::Output));
        assert_eq!(output.stdout.len(), 10_000);
        assert!(child.killed());
    }

    #[test]
    fn a_child_still_running_after_its_completion_record_is_ended_after_the_grace() {
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |_, _, chan, me| {
            writeln!(chan, r#"{{"event":"collected","ids":["a"]}}"#).unwrap();
            writeln!(chan, r#"{{"event":"begin","index":0,"id":"a"}}"#).unwrap();
            writeln!(chan, r#"{{"event":"case","name":"a"}}"#).unwrap();
            writeln!(chan, r#"{{"event":"done","count":1}}"#).unwrap();
            // A thread the submission left running: the process does not exit.
            while !me.killed() {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let output = supervise_fresh(&*child, pipes, &limits(10_000, 1 << 20));
        assert!(output.ended_after_done);
        assert_eq!(output.limit_hit, None);
        assert_eq!(output.transcript.completed_count(), Some(1));
        assert!(
            output.wall_time < Duration::from_secs(2),
            "{:?}",
            output.wall_time
        );
    }

    #[test]
    fn each_begin_starts_the_per_test_limit_again() {
        // Three tests of 150 ms under a 400 ms per-test limit: 450 ms in all, no limit hit.
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |_, _, chan, _| {
            writeln!(chan, r#"{{"event":"collected","ids":["a","b","c"]}}"#).unwrap();
            for (index, id) in ["a", "b", "c"].iter().enumerate() {
                writeln!(chan, r#"{{"event":"begin","index":{index},"id":"{id}"}}"#).unwrap();
                std::thread::sleep(Duration::from_millis(150));
                writeln!(chan, r#"{{"event":"case","name":"{id}"}}"#).unwrap();
            }
            writeln!(chan, r#"{{"event":"done","count":3}}"#).unwrap();
        });
        let output = supervise_fresh(&*child, pipes, &limits(400, 1 << 20));
        assert_eq!(output.limit_hit, None, "{output:?}");
        assert_eq!(output.transcript.completed_count(), Some(3));

        // A test that outlives the limit is stopped, however long the run has been going.
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |_, _, chan, me| {
            writeln!(chan, r#"{{"event":"collected","ids":["a","b"]}}"#).unwrap();
            writeln!(chan, r#"{{"event":"begin","index":0,"id":"a"}}"#).unwrap();
            writeln!(chan, r#"{{"event":"case","name":"a"}}"#).unwrap();
            writeln!(chan, r#"{{"event":"begin","index":1,"id":"b"}}"#).unwrap();
            while !me.killed() {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let output = supervise_fresh(&*child, pipes, &limits(200, 1 << 20));
        assert_eq!(output.limit_hit, Some(LimitHit::TestTime));
        assert!(output.wall_time >= Duration::from_millis(200));
    }

    #[test]
    fn the_whole_run_limit_counts_from_the_first_run_and_grows_with_the_tests() {
        // A restarted run that began 10 s ago under a 1 s per-test limit, two tests known:
        // its whole-run limit (4 * 1 s + 2 * 1 s) is already over.
        let (pipes, fds) = make_pipes().unwrap();
        let child = FakeChild::start(fds, |_, _, _, me| {
            while !me.killed() {
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let clock = crate::engine::RunClock {
            started: Instant::now() - Duration::from_secs(10),
            tests: 2,
        };
        let output = supervise(&*child, pipes, &limits(1000, 1 << 20), clock, None, None).unwrap();
        assert_eq!(
            output.limit_hit,
            Some(LimitHit::RunTime(Duration::from_secs(6)))
        );
        assert!(output.wall_time < Duration::from_millis(900));
    }

    #[test]
    fn pipes_held_open_after_the_exit_are_closed_by_the_kill() {
        // The main process ends while something it started still holds stdout: the kill
        // after the exit must end the run, and what was written before is kept.
        let (pipes, fds) = make_pipes().unwrap();
        let held = std::sync::Arc::new(Mutex::new(None::<File>));
        let holder = held.clone();
        let child = FakeChild::start(fds, move |out, _, _, _| {
            out.write_all(b"before\n").unwrap();
            *holder.lock().unwrap() = Some(out.try_clone().unwrap());
        });
        let releaser = std::thread::spawn({
            let child = child.clone();
            move || {
                while !child.killed() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                held.lock().unwrap().take();
            }
        });
        let output = supervise_fresh(&*child, pipes, &limits(10_000, 1 << 20));
        releaser.join().unwrap();
        assert_eq!(output.stdout, "before\n");
        assert_eq!(output.exit.status, ExitStatusKind::Exited(0));
        assert_eq!(output.limit_hit, None);
    }
}
