//! The zygote process: one thread, one interpreter, a poll loop over the control socket,
//! SIGCHLD and the running jobs' sockets. It starts a sandbox per job request (its main
//! process a copy of the zygote that runs the harness) and reports the sandbox's pid and
//! isolation, then how its main process ended, on the job's own socket; it kills a job's
//! sandbox when the grader asks (or hangs up).

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;

use pyo3::Python;

use super::EmbeddedJob;
use super::python::{Interpreter, eprint_fd2};
use super::wire::{self, Hello, Reply, Request};
use crate::sandbox::{ChildFds, SandboxedChild};

/// The zygote's arguments after the hidden first one:
/// `--control-fd N --harness DIR [--preload MODULE]...`.
struct Args {
    control: OwnedFd,
    harness: PathBuf,
    preload: Vec<String>,
}

/// Runs the zygote; never returns.
pub(super) fn main(args: Vec<OsString>) -> ! {
    let code = match parse_args(args) {
        Ok(args) => serve(args),
        Err(message) => {
            eprint_fd2(&format!("pykata zygote: {message}\n"));
            2
        }
    };
    // SAFETY: _exit skips Rust and Python teardown on purpose: nothing needs flushing.
    unsafe { libc::_exit(code) }
}

fn parse_args(args: Vec<OsString>) -> Result<Args, String> {
    let mut control = None;
    let mut harness = None;
    let mut preload = Vec::new();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{} needs a value", flag.to_string_lossy()))?;
        match flag.to_str() {
            Some("--control-fd") => {
                let fd: RawFd = value
                    .to_str()
                    .and_then(|v| v.parse().ok())
                    .ok_or("bad --control-fd")?;
                // SAFETY: fcntl only asks whether the descriptor is open.
                if fd < 0 || unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
                    return Err(format!("--control-fd {fd} is not an open descriptor"));
                }
                // SAFETY: the grader placed the control socket at this descriptor for us.
                control = Some(unsafe { OwnedFd::from_raw_fd(fd) });
            }
            Some("--harness") => harness = Some(PathBuf::from(value)),
            Some("--preload") => preload.push(value.into_string().map_err(|_| "bad --preload")?),
            _ => return Err(format!("unknown argument {}", flag.to_string_lossy())),
        }
    }
    Ok(Args {
        control: control.ok_or("missing --control-fd")?,
        harness: harness.ok_or("missing --harness")?,
        preload,
    })
}

fn serve(args: Args) -> i32 {
    let control = args.control;
    // Close-on-exec for the inherited socket: nothing here execs, but a child's code might.
    set_cloexec(control.as_fd());
    // Anything else the grader leaked to us (a descriptor without close-on-exec) would be
    // inherited by every child; only the control socket is meant to be here.
    // SAFETY: closing descriptors nothing in this fresh process uses.
    unsafe {
        libc::syscall(
            libc::SYS_close_range,
            control.as_raw_fd() as u32 + 1,
            u32::MAX,
            0u32,
        )
    };
    let interpreter = match Interpreter::start(&args.harness, &args.preload) {
        Ok(interpreter) => interpreter,
        Err(message) => {
            let _ = wire::send(control.as_fd(), &Hello::Failed { message }, &[]);
            return 1;
        }
    };
    // Forking a process with more than one thread leaves the child with locks that nobody
    // will release. Nothing here starts threads, but a preloaded module could.
    let threads = std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(1);
    if threads != 1 {
        let message =
            format!("the zygote has {threads} threads after loading the harness; refusing to fork");
        let _ = wire::send(control.as_fd(), &Hello::Failed { message }, &[]);
        return 1;
    }
    let sigchld = match sigchld_fd() {
        Ok(fd) => fd,
        Err(err) => {
            let message = format!("failed to set up SIGCHLD handling: {err}");
            let _ = wire::send(control.as_fd(), &Hello::Failed { message }, &[]);
            return 1;
        }
    };
    let info = interpreter.info().clone();
    if wire::send(control.as_fd(), &Hello::Ready { info }, &[]).is_err() {
        return 1;
    }
    let zygote = Zygote {
        interpreter,
        control,
        sigchld,
        running: Vec::new(),
    };
    zygote.run()
}

struct Zygote {
    interpreter: Interpreter,
    control: OwnedFd,
    sigchld: OwnedFd,
    /// Jobs whose sandbox has not been reaped yet.
    running: Vec<Running>,
}

/// One job's sandbox and the socket to report on.
struct Running {
    sandbox: SandboxedChild,
    socket: OwnedFd,
    /// The grader closed its end of the socket: stop polling it (the sandbox was killed).
    hung_up: bool,
}

impl Zygote {
    fn run(mut self) -> i32 {
        loop {
            let mut fds = vec![pollfd(self.control.as_fd()), pollfd(self.sigchld.as_fd())];
            // The job sockets still listened to, by index into `running`.
            let listened: Vec<usize> = (0..self.running.len())
                .filter(|&i| !self.running[i].hung_up)
                .collect();
            fds.extend(
                listened
                    .iter()
                    .map(|&i| pollfd(self.running[i].socket.as_fd())),
            );
            // SAFETY: a valid array of pollfds of the stated length.
            let rc = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
            if rc < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return self.shut_down(1);
            }
            // Kill requests first (indices into `running` are stable until `reap`).
            for (pfd, &i) in fds[2..].iter().zip(&listened) {
                if pfd.revents != 0 {
                    self.job_request(i);
                }
            }
            if fds[1].revents != 0 {
                self.drain_sigchld();
                self.reap();
            }
            if fds[0].revents != 0 {
                match wire::recv(self.control.as_fd()) {
                    Ok(Some(packet)) => self.start_job(packet),
                    // A truncated packet: its descriptors are closed, so its grader sees the
                    // job fail; the other jobs go on.
                    Err(err) if err.kind() == io::ErrorKind::InvalidData => {}
                    // End of file (or a broken socket): the grader is gone.
                    Ok(None) | Err(_) => return self.shut_down(0),
                }
            }
        }
    }

    /// Handles one job request: `[job socket, stdout, stderr, channel]` plus the job.
    fn start_job(&mut self, packet: wire::Packet) {
        let job: Result<EmbeddedJob, _> = packet.parse();
        let mut fds = packet.fds.into_iter();
        let (Some(socket), Some(stdout), Some(stderr), Some(channel), None) =
            (fds.next(), fds.next(), fds.next(), fds.next(), fds.next())
        else {
            return; // Malformed: the grader sees its job socket close (or never gets one).
        };
        let refuse = |message: String, sandbox: bool| {
            let _ = wire::send(socket.as_fd(), &Reply::Refused { message, sandbox }, &[]);
        };
        let job = match job {
            Ok(job) => job,
            Err(err) => return refuse(format!("malformed job request: {err}"), false),
        };
        let child_fds = ChildFds {
            stdout,
            stderr,
            channel,
        };
        // The zygote's copies of the job's pipes are closed when this returns.
        let sandbox = match self
            .interpreter
            .spawn_sandboxed(&job, child_fds, child_main)
        {
            Ok(sandbox) => sandbox,
            Err(err) => return refuse(err.to_string(), true),
        };
        let started = Reply::Started {
            pid: sandbox.pid() as libc::pid_t,
            isolation: sandbox.isolation.clone(),
        };
        if wire::send(socket.as_fd(), &started, &[]).is_err() {
            // The grader gave up on this job: nobody could kill or wait for it, so it must
            // not run. Dropping the sandbox kills and reaps it.
            return;
        }
        self.running.push(Running {
            sandbox,
            socket,
            hung_up: false,
        });
    }

    /// Something arrived on the socket of `running[i]`: a kill request, or the grader
    /// closed its end (then nobody can wait for the job, and it is killed too).
    fn job_request(&mut self, i: usize) {
        let job = &mut self.running[i];
        match wire::recv(job.socket.as_fd()) {
            Ok(Some(packet)) => match packet.parse::<Request>() {
                Ok(Request::Kill) => job.sandbox.kill(),
                Err(_) => {} // Not ours to judge; the job goes on.
            },
            Err(err) if err.kind() == io::ErrorKind::InvalidData => {}
            Ok(None) | Err(_) => {
                job.hung_up = true;
                job.sandbox.kill();
            }
        }
    }

    /// Reaps every sandbox that has ended, reporting each one's end on its job socket. Only
    /// through `SandboxedChild::try_wait`: it alone may reap the sandbox's init.
    fn reap(&mut self) {
        let mut i = 0;
        while i < self.running.len() {
            let reply = match self.running[i].sandbox.try_wait() {
                Ok(None) => {
                    i += 1;
                    continue;
                }
                Ok(Some(exit)) => Reply::Exited { exit },
                Err(err) => Reply::Lost {
                    message: format!("failed to wait for the job's sandbox: {err}"),
                },
            };
            // Dropping the sandbox (which kills and reaps it if it was not) closes nothing
            // the job still uses.
            let job = self.running.swap_remove(i);
            // The grader may have stopped listening; that is its business.
            let _ = wire::send(job.socket.as_fd(), &reply, &[]);
        }
    }

    fn drain_sigchld(&self) {
        let mut info = [0u8; size_of::<libc::signalfd_siginfo>() * 16];
        // SAFETY: reading into a live buffer from our non-blocking signalfd.
        while unsafe {
            libc::read(
                self.sigchld.as_raw_fd(),
                info.as_mut_ptr().cast(),
                info.len(),
            )
        } > 0
        {}
    }

    /// The grader is gone: kill every sandbox, wait for them all (reporting to whoever
    /// still listens), exit.
    fn shut_down(mut self, code: i32) -> i32 {
        for job in &self.running {
            job.sandbox.kill();
        }
        for job in self.running.drain(..) {
            let reply = match job.sandbox.wait() {
                Ok(exit) => Reply::Exited { exit },
                Err(err) => Reply::Lost {
                    message: format!("failed to wait for the job's sandbox: {err}"),
                },
            };
            let _ = wire::send(job.socket.as_fd(), &reply, &[]);
        }
        code
    }
}

fn pollfd(fd: BorrowedFd<'_>) -> libc::pollfd {
    libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    }
}

/// The sandbox's main process (PID 2 of its namespaces), attached to its copy of the
/// interpreter: finish setting up the process, run the harness, return the exit code.
///
/// The sandbox has already placed stdin (/dev/null), stdout, stderr and the channel on fds
/// 0-3 and closed every other descriptor, emptied the signal mask, entered the scratch
/// folder, dropped privileges, applied Landlock, seccomp and the rlimits (no core files
/// included); the init kills whatever the job leaves behind.
fn child_main(py: Python<'_>, interpreter: &Interpreter, job: &EmbeddedJob) -> i32 {
    if let Err((what, err)) = prepare_child_process(job) {
        eprint_fd2(&format!(
            "pykata zygote: failed to {what} for the job: {err}\n"
        ));
        return 71; // EX_OSERR
    }
    interpreter.run_child(py, job)
}

/// What the sandbox does not do for a Python child. Only raw system calls.
fn prepare_child_process(job: &EmbeddedJob) -> Result<(), (&'static str, io::Error)> {
    // SAFETY: plain system calls on this process's own state.
    unsafe {
        // Rust's runtime handles SIGSEGV and SIGBUS in the zygote (stack-overflow reports,
        // which end in SIGABRT); a crash in the job must look like a crash of plain Python.
        libc::signal(libc::SIGSEGV, libc::SIG_DFL);
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
        // The init made itself (and so this copy) non-dumpable; a freshly executed python3
        // is dumpable: its /proc/self files are its own. Its memory is its own anyway.
        libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0);
    }
    // The sandbox entered its scratch folder (the plan's, symbolic links resolved); the job
    // names its working directory itself, normally that same folder.
    let cwd = std::ffi::CString::new(job.cwd.as_os_str().as_encoded_bytes()).map_err(|e| {
        (
            "change directory",
            io::Error::new(io::ErrorKind::InvalidInput, e),
        )
    })?;
    // SAFETY: a valid C string.
    if unsafe { libc::chdir(cwd.as_ptr()) } < 0 {
        return Err(("change directory", io::Error::last_os_error()));
    }
    Ok(())
}

/// Blocks SIGCHLD and returns a non-blocking signalfd that reads it.
fn sigchld_fd() -> io::Result<OwnedFd> {
    // SAFETY: sigset manipulation and signalfd on valid, owned values.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        if libc::sigprocmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = libc::signalfd(-1, &set, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(OwnedFd::from_raw_fd(fd))
    }
}

fn set_cloexec(fd: BorrowedFd<'_>) {
    // SAFETY: fcntl on a descriptor we hold.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
}
