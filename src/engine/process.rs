//! Supervising one running child: its output read concurrently under caps, its wall-clock
//! deadline, and the kill of everything it started. Engines differ in how a child starts;
//! they all end up here.

use crate::engine::protocol::Transcript;
use crate::settings::Limits;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
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
    WallTime,
    Output,
    Channel,
}

/// Everything observed about one child run.
#[derive(Debug)]
pub struct RunOutput {
    pub transcript: Transcript,
    /// What the child wrote on stdout and stderr, interleaved per stream, lossily decoded.
    pub stdout: String,
    pub stderr: String,
    pub exit: ChildExit,
    pub limit_hit: Option<LimitHit>,
    pub wall_time: Duration,
    /// The isolation the run got, when it ran in the sandbox.
    pub isolation: Option<IsolationReport>,
}

/// Watches a started child until it ends or a limit is hit, then kills whatever is left.
pub fn supervise(
    child: &dyn RunningChild,
    pipes: OutputPipes,
    limits: &Limits,
    isolation: Option<IsolationReport>,
) -> io::Result<RunOutput> {
    let started = Instant::now();
    let deadline = started + limits.wall_time;
    let over_limit: [AtomicBool; 2] = [AtomicBool::new(false), AtomicBool::new(false)];
    let (exit_sender, exit_receiver) = mpsc::channel();

    std::thread::scope(|scope| {
        // Flag 0: stdout/stderr over the output cap; flag 1: the channel over its cap.
        let kill_when_full = |flag: usize| {
            let over_limit = &over_limit;
            move || {
                over_limit[flag].store(true, Ordering::SeqCst);
                child.kill();
            }
        };
        let output_cap = limits.output_bytes;
        let channel_cap = limits.channel_bytes;
        let stdout = scope.spawn({
            let on_full = kill_when_full(0);
            move || read_capped(pipes.stdout, output_cap, on_full)
        });
        let stderr = scope.spawn({
            let on_full = kill_when_full(0);
            move || read_capped(pipes.stderr, output_cap, on_full)
        });
        let channel = scope.spawn({
            let on_full = kill_when_full(1);
            move || read_capped(pipes.channel, channel_cap, on_full)
        });
        scope.spawn(move || {
            let _ = exit_sender.send(child.wait());
        });

        let mut timed_out = false;
        let exit = loop {
            let now = Instant::now();
            let remaining = deadline.saturating_duration_since(now);
            match exit_receiver.recv_timeout(if timed_out {
                Duration::from_secs(3600)
            } else {
                remaining
            }) {
                Ok(exit) => break exit,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    timed_out = true;
                    child.kill();
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break Err(io::Error::other(
                        "the waiting thread ended without a status",
                    ));
                }
            }
        };
        // The main process is gone; make sure nothing it started keeps the pipes open.
        child.kill();
        let exit = exit?;
        let stdout = stdout.join().unwrap_or_default();
        let stderr = stderr.join().unwrap_or_default();
        let channel = channel.join().unwrap_or_default();
        let limit_hit = if timed_out {
            Some(LimitHit::WallTime)
        } else if over_limit[0].load(Ordering::SeqCst) {
            Some(LimitHit::Output)
        } else if over_limit[1].load(Ordering::SeqCst) {
            Some(LimitHit::Channel)
        } else {
            None
        };
        Ok(RunOutput {
            transcript: Transcript::parse(&channel),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            exit,
            limit_hit,
            wall_time: started.elapsed(),
            isolation,
        })
    })
}

/// Reads a pipe to its end, keeping at most `cap` bytes; calls `on_full` once when more
/// arrives, and stops reading then (the caller kills the writer).
fn read_capped(fd: OwnedFd, cap: usize, on_full: impl FnOnce()) -> Vec<u8> {
    let mut file = File::from(fd);
    let mut kept = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buffer[..read.min(room)]);
                if read > room {
                    on_full();
                    break;
                }
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    kept
}
