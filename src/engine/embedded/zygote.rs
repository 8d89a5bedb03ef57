//! The zygote process: one thread, one interpreter, a poll loop over the control socket and
//! SIGCHLD. It forks a child per job request and reports the child's pid, then its exit
//! status and resource usage, on the job's own socket.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;

use pyo3::Python;

use super::EmbeddedJob;
use super::python::{Interpreter, eprint_fd2};
use super::sandbox_hook::{enter_sandbox, fork_process};
use super::wire::{self, Hello, Reply};

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
        running: HashMap::new(),
    };
    zygote.run()
}

struct Zygote {
    interpreter: Interpreter,
    control: OwnedFd,
    sigchld: OwnedFd,
    /// Children not yet reaped, and the job socket to report each one's end on.
    running: HashMap<libc::pid_t, OwnedFd>,
}

impl Zygote {
    fn run(mut self) -> i32 {
        loop {
            let mut fds = [
                libc::pollfd {
                    fd: self.control.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: self.sigchld.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: two valid pollfds.
            let rc = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
            if rc < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return self.shut_down(1);
            }
            // Reap first: a pid reported as exited must never be reused under a running job.
            if fds[1].revents != 0 {
                self.drain_sigchld();
                self.reap(false);
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
        let (Some(job_socket), Some(stdout), Some(stderr), Some(channel), None) =
            (fds.next(), fds.next(), fds.next(), fds.next(), fds.next())
        else {
            return; // Malformed: the grader sees its job socket close (or never gets one).
        };
        let job = match job {
            Ok(job) => job,
            Err(err) => {
                let message = format!("malformed job request: {err}");
                let _ = wire::send(job_socket.as_fd(), &Reply::Refused { message }, &[]);
                return;
            }
        };
        let child_fds = JobFds {
            stdout,
            stderr,
            channel,
        };
        let zygote_pid = std::process::id() as libc::pid_t;
        let forked = self.interpreter.fork(
            || fork_process(&job.sandbox),
            |py, interpreter| child_main(py, interpreter, &job, &child_fds, zygote_pid),
        );
        // The parent's copies of the job's pipes close here (child_fds drops at the end).
        let pid = match forked {
            Ok(pid) => pid,
            Err(err) => {
                let message = format!("failed to fork the job's process: {err}");
                let _ = wire::send(job_socket.as_fd(), &Reply::Refused { message }, &[]);
                return;
            }
        };
        let started = pidfd_open(pid).and_then(|pidfd| {
            wire::send(
                job_socket.as_fd(),
                &Reply::Started { pid },
                &[pidfd.as_fd()],
            )
        });
        if started.is_err() {
            // No pidfd (kernel < 5.3) or the grader gave up on this job: nobody could kill
            // or wait for the child, so it must not run.
            // SAFETY: pid is our unreaped child, so it cannot have been reused.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            if let Err(err) = started {
                let message = format!("failed to hand the child over: {err}");
                let _ = wire::send(job_socket.as_fd(), &Reply::Refused { message }, &[]);
            }
            // Reaped later like any child, its status reported to nobody.
            return;
        }
        self.running.insert(pid, job_socket);
    }

    /// Reaps every child that has ended (all of them, waiting, when `block`), reporting each
    /// one's status and usage on its job socket.
    ///
    /// Before reaping a child, kills what is left of its process group (processes the job
    /// started and left behind, which would keep its pipes open). The unreaped child pins its
    /// pid, and so the group's id, so this can never hit an unrelated process.
    fn reap(&mut self, block: bool) {
        loop {
            // SAFETY: an all-zero siginfo_t is valid output space.
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            let flags = libc::WEXITED | libc::WNOWAIT | if block { 0 } else { libc::WNOHANG };
            // SAFETY: a valid out-pointer; WNOWAIT leaves the child unreaped.
            if unsafe { libc::waitid(libc::P_ALL, 0, &mut info, flags) } < 0 {
                if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return; // ECHILD: none left.
            }
            // SAFETY: waitid filled a SIGCHLD siginfo (si_pid 0: nothing has ended yet).
            let pid = unsafe { info.si_pid() };
            if pid == 0 {
                return;
            }
            // SAFETY: pid is our unreaped child and led its own process group.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            let mut status = 0;
            // SAFETY: an all-zero rusage is valid output space.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            // SAFETY: valid out-pointers; pid has ended, so this does not block.
            while unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } < 0 {
                if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
            if let Some(job_socket) = self.running.remove(&pid) {
                let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
                let reply = Reply::Exited {
                    wait_status: status,
                    user_usec: micros(usage.ru_utime),
                    system_usec: micros(usage.ru_stime),
                    max_rss_kib: usage.ru_maxrss as u64,
                };
                // The grader may have stopped listening; that is its business.
                let _ = wire::send(job_socket.as_fd(), &reply, &[]);
            }
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

    /// The grader is gone: kill every child, reap them all (reporting to whoever still
    /// listens), exit.
    fn shut_down(mut self, code: i32) -> i32 {
        for &pid in self.running.keys() {
            // SAFETY: every pid in `running` is an unreaped child of ours.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        self.reap(true);
        code
    }
}

/// The job's three write ends, as received from the grader.
struct JobFds {
    stdout: OwnedFd,
    stderr: OwnedFd,
    channel: OwnedFd,
}

/// The forked child: set up the process, enter the sandbox, run the harness, exit.
fn child_main(
    py: Python<'_>,
    interpreter: &Interpreter,
    job: &EmbeddedJob,
    fds: &JobFds,
    zygote_pid: libc::pid_t,
) -> ! {
    if let Err((what, err)) = prepare_child_process(job, fds, zygote_pid) {
        eprint_fd2(&format!(
            "pykata zygote: failed to {what} for the job: {err}\n"
        ));
        // SAFETY: leaving the forked child without running any teardown.
        unsafe { libc::_exit(71) } // EX_OSERR
    }
    let code = interpreter.run_child(py, job);
    // SAFETY: as above; run_child flushed Python's streams.
    unsafe { libc::_exit(code) }
}

/// Everything before Python runs the job. Only raw system calls: the process was forked.
fn prepare_child_process(
    job: &EmbeddedJob,
    fds: &JobFds,
    zygote_pid: libc::pid_t,
) -> Result<(), (&'static str, io::Error)> {
    let check = |what: &'static str, rc: libc::c_int| {
        if rc < 0 {
            Err((what, io::Error::last_os_error()))
        } else {
            Ok(())
        }
    };
    // SAFETY (whole block): plain system calls on descriptors and process state we own.
    unsafe {
        // SIGCHLD was blocked in the zygote for its signalfd; a fresh process blocks nothing.
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        check(
            "reset the signal mask",
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut()),
        )?;
        // Rust's runtime handles SIGSEGV and SIGBUS in the zygote (stack-overflow reports,
        // which end in SIGABRT); a crash in the job must look like a crash of plain Python.
        libc::signal(libc::SIGSEGV, libc::SIG_DFL);
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
        // Die with the zygote (single-threaded, so "parent thread" is the zygote itself).
        check(
            "set the parent-death signal",
            libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            ),
        )?;
        if libc::getppid() != zygote_pid {
            libc::_exit(71);
        }
        // Its own process group, so that what the job leaves behind can be killed with it
        // (see Zygote::reap). The sandbox's PID namespace will make this airtight: a
        // process can still leave the group with setsid().
        check("start a process group", libc::setpgid(0, 0))?;
        // No core files, as in the subprocess engine.
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        check(
            "disable core files",
            libc::setrlimit(libc::RLIMIT_CORE, &no_core),
        )?;
        // Descriptors: stdin /dev/null, then the job's stdout, stderr, channel on 1, 2, 3.
        // Received descriptors are all >= 4 (the zygote keeps 0-3 open), so no dup2 below
        // overwrites one that a later dup2 still needs.
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        check("open /dev/null", null)?;
        check("set up stdin", libc::dup2(null, 0))?;
        check("set up stdout", libc::dup2(fds.stdout.as_raw_fd(), 1))?;
        check("set up stderr", libc::dup2(fds.stderr.as_raw_fd(), 2))?;
        check("set up the channel", libc::dup2(fds.channel.as_raw_fd(), 3))?;
        // Everything else (control socket, signalfd, other jobs' sockets) must not reach
        // the learner's code.
        check(
            "close inherited descriptors",
            libc::syscall(libc::SYS_close_range, 4u32, u32::MAX, 0u32) as libc::c_int,
        )?;
    }
    enter_sandbox(&job.sandbox).map_err(|e| ("enter the sandbox", e))?;
    let cwd = std::ffi::CString::new(job.cwd.as_os_str().as_encoded_bytes()).map_err(|e| {
        (
            "change directory",
            io::Error::new(io::ErrorKind::InvalidInput, e),
        )
    })?;
    // SAFETY: a valid C string.
    check("change directory", unsafe { libc::chdir(cwd.as_ptr()) })?;
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

/// A pidfd for our (unreaped) child: lets the grader signal it with no pid-reuse race.
fn pidfd_open(pid: libc::pid_t) -> io::Result<OwnedFd> {
    // SAFETY: a plain system call; the result is a new descriptor we own.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pidfd_open returned a fresh descriptor (always close-on-exec).
    Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
}

fn set_cloexec(fd: BorrowedFd<'_>) {
    // SAFETY: fcntl on a descriptor we hold.
    unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
}
