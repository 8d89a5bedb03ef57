//! The zygote process: one thread, one interpreter, a poll loop over the control socket,
//! SIGCHLD and the running jobs' sockets. It starts a sandbox per job request (its main
//! process a copy of the zygote that runs the harness) and reports the sandbox's pid and
//! isolation, then how its main process ended, on the job's own socket; it kills a job's
//! sandbox when the grader asks (or hangs up).

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::time::Instant;

use pyo3::Python;

use super::EmbeddedJob;
use super::python::{Interpreter, eprint_fd2};
use super::wire::{self, Hello, Reply, Request};
use crate::engine::process::{poll_in, poll_until};
use crate::sandbox::{
    ChildFds, IsolationRequest, Limits, SandboxPlan, SandboxedChild, WarmSandbox,
};

/// The zygote's arguments after the hidden first one:
/// `--control-fd N --harness DIR [--preload MODULE]... [--warm-scratch DIR] [--hide FILE]...`
/// (`--hide`: a host file no sandbox may show, `crate::sandbox::hide`).
struct Args {
    control: OwnedFd,
    harness: PathBuf,
    preload: Vec<String>,
    /// An empty folder (the grader's, which removes it): with it, jobs start in warm
    /// sandboxes whose scratch folder has this path.
    warm_scratch: Option<PathBuf>,
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
    let mut warm_scratch = None;
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
            Some("--warm-scratch") => warm_scratch = Some(PathBuf::from(value)),
            Some("--hide") => crate::sandbox::hide(std::path::Path::new(&value)),
            _ => return Err(format!("unknown argument {}", flag.to_string_lossy())),
        }
    }
    Ok(Args {
        control: control.ok_or("missing --control-fd")?,
        harness: harness.ok_or("missing --harness")?,
        preload,
        warm_scratch,
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
    let threads = thread_count();
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
    let info = Box::new(interpreter.info().clone());
    if wire::send(control.as_fd(), &Hello::Ready { info }, &[]).is_err() {
        return 1;
    }
    let pool = Pool::new(args.warm_scratch);
    let zygote = Zygote {
        interpreter,
        control,
        sigchld,
        running: Vec::new(),
        pool,
        preloading: true,
        to_compile: Vec::new(),
        compiled: std::collections::HashSet::new(),
    };
    zygote.run()
}

/// How many job shapes keep warm sandboxes, and how many each: the latest shape two (so
/// that two grading threads in a row find one), the others one.
const SHELVES: usize = 3;
const DEPTH_LATEST: usize = 2;
const DEPTH_OTHERS: usize = 1;
/// Most cases files the zygote compiles for its children.
const MAX_COMPILED: usize = 64;
/// Failed builds after which a shape gets no more warm sandboxes.
const MAX_FAILURES: u32 = 3;

/// Sandboxes built ahead of their jobs (`crate::sandbox::spawn_warm`), between jobs, for
/// the shapes of the latest jobs: a job takes one of its shape if there is one, so its
/// namespaces, new root and forked main process are already made. A job's shape is what a
/// warm sandbox cannot change once built: the read-only paths and the isolation demanded.
struct Pool {
    /// Most recently used first.
    shelves: Vec<Shelf>,
    /// The empty host folder copied into every warm sandbox's scratch tmpfs, and so the
    /// path of the scratch folder inside every warm sandbox (`None`: disabled).
    scratch: Option<PathBuf>,
    /// Warm sandboxes are not used here (not root, or turned off).
    disabled: bool,
    /// The pages a job writes to (`Interpreter::learn_touched_pages`), which each warm
    /// sandbox copies before its job comes.
    touched: Vec<(usize, usize)>,
}

struct Shelf {
    read_only: Vec<PathBuf>,
    request: IsolationRequest,
    /// The limits of the latest job of this shape (a warm sandbox applies each job's own).
    limits: Limits,
    ready: Vec<WarmSandbox>,
    failures: u32,
    /// The environment of the latest job of this shape, as it ran in a warm sandbox: each
    /// warm sandbox sets it up while it waits (`Interpreter::spawn_warm`), and the next
    /// job, which almost always has the same, finds it in place.
    env: Vec<(String, String)>,
}

impl Pool {
    fn new(scratch: Option<PathBuf>) -> Pool {
        // Warm sandboxes need a root grader (`crate::sandbox::spawn_warm`).
        // SAFETY: geteuid cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let scratch = scratch.filter(|dir| root && dir.is_dir());
        Pool {
            shelves: Vec::new(),
            disabled: scratch.is_none(),
            scratch,
            touched: Vec::new(),
        }
    }

    /// A warm sandbox for `plan`'s shape: a ready one, or else one built now (so that
    /// every job runs the same way); `None` when warm sandboxes are not used here. The
    /// shape becomes the latest.
    fn take(&mut self, plan: &SandboxPlan, interpreter: &Interpreter) -> Option<WarmSandbox> {
        // Without isolation there is nothing to build ahead.
        if self.disabled || plan.request == IsolationRequest::Off {
            return None;
        }
        let index = self
            .shelves
            .iter()
            .position(|s| s.read_only == plan.read_only && s.request == plan.request);
        let mut shelf = match index {
            Some(i) => self.shelves.remove(i),
            None => Shelf {
                read_only: plan.read_only.clone(),
                request: plan.request,
                limits: plan.limits.clone(),
                ready: Vec::new(),
                failures: 0,
                env: Vec::new(),
            },
        };
        shelf.limits = plan.limits.clone();
        let warm = shelf.ready.pop();
        self.shelves.insert(0, shelf);
        // Dropping a shelf kills its warm sandboxes.
        self.shelves.truncate(SHELVES);
        warm.or_else(|| self.build(0, interpreter))
    }

    /// Kills the ready warm sandboxes (they are rebuilt between jobs).
    fn discard_ready(&mut self) {
        for shelf in &mut self.shelves {
            shelf.ready.clear();
        }
    }

    /// The shelf that should get the next warm sandbox, if any. While `running` jobs run,
    /// only the latest shape's, and only as many as run at once (one at least): building one
    /// takes CPU from the running jobs, so the pool fills up between jobs; but a job that
    /// finds none waits for one to be built.
    fn wanting(&self, running: usize) -> Option<usize> {
        if self.disabled {
            return None;
        }
        self.shelves.iter().enumerate().position(|(i, shelf)| {
            let depth = match (i, running) {
                (0, 0) => DEPTH_LATEST,
                (_, 0) => DEPTH_OTHERS,
                (0, running) => running.min(DEPTH_LATEST),
                _ => 0,
            };
            shelf.failures < MAX_FAILURES && shelf.ready.len() < depth
        })
    }

    /// Builds one warm sandbox for the shelf that wants one most.
    fn refill_one(&mut self, interpreter: &Interpreter, running: usize) {
        if let Some(i) = self.wanting(running)
            && let Some(warm) = self.build(i, interpreter)
        {
            self.shelves[i].ready.push(warm);
        }
    }

    /// Builds a warm sandbox of shelf `i`'s shape, counting failures.
    fn build(&mut self, i: usize, interpreter: &Interpreter) -> Option<WarmSandbox> {
        if self.disabled || self.shelves[i].failures >= MAX_FAILURES {
            return None;
        }
        let scratch = self.scratch.clone()?;
        let shelf = &mut self.shelves[i];
        let plan = SandboxPlan {
            scratch_dir: scratch,
            read_only: shelf.read_only.clone(),
            limits: shelf.limits.clone(),
            request: shelf.request,
        };
        match interpreter.spawn_warm(&plan, &self.touched, &shelf.env, child_main) {
            Ok(warm) => Some(warm),
            // This shape's jobs get cold sandboxes, which say what is wrong.
            Err(_) => {
                shelf.failures += 1;
                None
            }
        }
    }
}

/// `job` as it runs in a warm sandbox whose scratch folder is at `inside`: every path
/// under the job's scratch folder (arguments, working directory, environment) moved there.
fn rebase(job: &EmbeddedJob, inside: &std::path::Path) -> Option<EmbeddedJob> {
    let from = job.sandbox.scratch_dir.to_str()?;
    let to = inside.to_str()?;
    let move_path = |text: &str| -> String {
        match text.strip_prefix(from) {
            Some("") => to.to_string(),
            Some(rest) if rest.starts_with('/') => format!("{to}{rest}"),
            _ => text.to_string(),
        }
    };
    let mut moved = job.clone();
    moved.argv = job.argv.iter().map(|a| move_path(a)).collect();
    moved.cwd = PathBuf::from(move_path(job.cwd.to_str()?));
    moved.env = job
        .env
        .iter()
        .map(|(key, value)| (key.clone(), move_path(value)))
        .collect();
    moved.sandbox.scratch_dir = inside.to_path_buf();
    Some(moved)
}

struct Zygote {
    interpreter: Interpreter,
    control: OwnedFd,
    sigchld: OwnedFd,
    /// Jobs whose sandbox has not been reaped yet.
    running: Vec<Running>,
    pool: Pool,
    /// Modules and warm-up the interpreter still has to load between jobs
    /// (`Interpreter::preload_step`), before any warm sandbox is built.
    preloading: bool,
    /// Cases files jobs named that the interpreter has not compiled yet (idle work once the
    /// preloading is done, before warm sandboxes, so that the next ones inherit them
    /// compiled).
    to_compile: Vec<String>,
    /// Cases files already queued or compiled.
    compiled: std::collections::HashSet<String>,
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
            let mut fds = vec![
                poll_in(self.control.as_raw_fd()),
                poll_in(self.sigchld.as_raw_fd()),
            ];
            // The job sockets still listened to, by index into `running`.
            let listened: Vec<usize> = (0..self.running.len())
                .filter(|&i| !self.running[i].hung_up)
                .collect();
            fds.extend(
                listened
                    .iter()
                    .map(|&i| poll_in(self.running[i].socket.as_raw_fd())),
            );
            // Between jobs, build warm sandboxes; never keep a request waiting for one.
            let running = self.running.len();
            let idle_work = self.preloading
                || !self.to_compile.is_empty()
                || self.pool.wanting(running).is_some();
            // With idle work: only look, so that the work runs when nothing is ready.
            let Ok(ready) = poll_until(&mut fds, idle_work.then(Instant::now)) else {
                return self.shut_down(1);
            };
            if ready == 0 {
                if !self.preloading
                    && let Some(path) = self.to_compile.pop()
                {
                    // Warm sandboxes forked before lack it: replace them. A bundled
                    // exercise's cases file, executed at the warm-up, is not compiled
                    // again, and the warm sandboxes stay.
                    if self.interpreter.precompile(&path) {
                        self.pool.discard_ready();
                    }
                } else if self.preloading {
                    self.preloading = self.preload_step();
                    if !self.preloading && thread_count() != 1 {
                        // A preloaded module started a thread: forking would copy locks
                        // that nobody releases. Stop; the grader restarts a zygote.
                        eprint_fd2("pykata zygote: a preloaded module started a thread\n");
                        return self.shut_down(1);
                    }
                    if !self.preloading && !self.pool.disabled {
                        self.pool.touched = self.interpreter.learn_touched_pages();
                        // Those built before do without.
                        self.pool.discard_ready();
                    }
                } else {
                    self.pool.refill_one(&self.interpreter, running);
                }
                continue;
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

    /// Queues the job's cases file (exercise mode's `--cases PATH`) for compiling in the
    /// zygote, the first time a job names it.
    fn note_cases_file(&mut self, job: &EmbeddedJob) {
        let path = job
            .argv
            .iter()
            .position(|arg| arg == "--cases")
            .and_then(|i| job.argv.get(i + 1));
        if let Some(path) = path
            && self.compiled.len() < MAX_COMPILED
            && self.compiled.insert(path.clone())
        {
            self.to_compile.push(path.clone());
        }
    }

    /// One step of the preloading; whether more remains.
    fn preload_step(&self) -> bool {
        match self.interpreter.preload_step() {
            Ok(more) => more,
            Err(message) => {
                eprint_fd2(&format!("pykata zygote: preloading stopped: {message}\n"));
                false
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
        self.note_cases_file(&job);
        let child_fds = ChildFds {
            stdout,
            stderr,
            channel,
        };
        // The zygote's copies of the job's pipes are closed when this returns.
        let mut sandbox = match self.start_warm(&job, &child_fds) {
            Some(sandbox) => sandbox,
            None => match self
                .interpreter
                .spawn_sandboxed(&job, child_fds, child_main)
            {
                Ok(sandbox) => sandbox,
                Err(err) => return refuse(err.to_string(), true),
            },
        };
        let started = Reply::Started {
            pid: sandbox.pid() as libc::pid_t,
            isolation: sandbox.isolation.clone(),
        };
        // The grader reads how the main process ended straight from the init, without
        // waiting for this loop to reap it.
        let report = sandbox.take_report();
        let passed: Vec<BorrowedFd<'_>> = report.iter().map(|fd| fd.as_fd()).collect();
        if wire::send(socket.as_fd(), &started, &passed).is_err() {
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

    /// Starts `job` in a warm sandbox of its shape (a ready one, or one built now); `None`:
    /// start it cold (warm sandboxes unused here, or this one failed). A job a warm sandbox
    /// refuses for the job's own sake (its scratch folder is too large, say) is refused the
    /// same way by a cold one, which says why.
    fn start_warm(&mut self, job: &EmbeddedJob, fds: &ChildFds) -> Option<SandboxedChild> {
        let warm = self.pool.take(&job.sandbox, &self.interpreter)?;
        let moved = rebase(job, warm.scratch_dir())?;
        // `take` made this job's shape the latest: the first shelf.
        if let Some(shelf) = self.pool.shelves.first_mut()
            && shelf.env != moved.env
        {
            shelf.env = moved.env.clone();
        }
        let payload = serde_json::to_vec(&moved).ok()?;
        // One process more: the main process's memory holder (`hold_memory_past_exit`).
        let mut limits = job.sandbox.limits.clone();
        limits.processes = limits.processes.saturating_add(1);
        warm.start(fds, &job.sandbox.scratch_dir, &limits, &payload)
            .ok()
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

/// How many threads this process has.
fn thread_count() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(1)
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
