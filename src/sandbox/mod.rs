//! Running untrusted Python in a sandboxed child process: namespaces, rlimits, Landlock,
//! seccomp, and a kill that reaches every process the run started.
//!
//! # Shape of a run
//!
//! [`spawn`] prepares everything in the grader (C strings, argv/envp arrays, the list of
//! mount operations, the seccomp BPF program, the Landlock rules, detached mount trees when
//! the grader is root), then calls raw `clone(2)` with fork semantics. Raw `clone` rather than
//! `fork` because it takes the namespace flags in the same call, and rather than
//! `std::process::Command` because the child must do more than `pre_exec` allows safely: the
//! grader is multi-threaded, so the child makes only async-signal-safe system calls and
//! allocates nothing until `execve` (see `child.rs`).
//!
//! The cloned process is the sandbox's **init**: PID 1 of new user, PID, mount, network, IPC
//! and UTS namespaces. A user namespace is created even when the grader is root: uid 0 inside
//! maps to uid 65534 outside, so `RLIMIT_NPROC` is enforced (the kernel exempts only real
//! root) and capabilities inside mean nothing to the host; the grader writes the uid/gid maps
//! while the init waits on a socket. The init builds the new root on a tmpfs (system folders
//! and the plan's paths bound read-only at the same paths, the submission copied into a
//! size-capped scratch tmpfs, a private /tmp, a minimal /dev, a fresh /proc, a synthetic /etc),
//! pivots into it, then forks the **main** process (PID 2). The main process drops every
//! capability, sets `no_new_privs`, restricts itself with Landlock (defence in depth here) and
//! seccomp (a deny list answering `EPERM`), applies the rlimits, keeps only fds 0-3, and
//! `execve`s Python (or runs the `InProcess` closure). The init reaps every process; when the
//! main process ends it reports its wait status and rusage on a pipe and exits, and the kernel
//! kills whatever is left in the PID namespace. [`SandboxedChild::kill`] is SIGKILL to the init:
//! the whole namespace dies with it. The init also exits when the grader dies (its end of the
//! sync socket hangs up), so no sandbox outlives the grader.
//!
//! # Degrading
//!
//! [`IsolationRequest::BestEffort`] tries, in order: the user namespace design above; the same
//! namespaces without a user namespace (only as root: the main process then drops to uid
//! 65534); and no namespaces at all (a child-subreaper init that kills its descendants, with
//! Landlock as the filesystem boundary, seccomp and rlimits). Each step down is recorded in
//! the [`IsolationReport`]. [`IsolationRequest::Full`] refuses to run instead of degrading.
//! [`IsolationRequest::Off`] keeps only the init and the rlimits.

mod child;
mod copy;
mod landlock;
mod prepare;
mod seccomp;
mod sys;
#[cfg(test)]
mod tests;

use std::ffi::{CString, OsString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use child::{Record, Report, step};
use prepare::{Blueprint, Mode, Pipes, PrepareError, SANDBOX_ID};
use serde::{Deserialize, Serialize};
use std::os::fd::BorrowedFd;

/// Resource limits of one run. `u64::MAX` means no limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// CPU time (`RLIMIT_CPU`): SIGXCPU at this many seconds, SIGKILL one second later.
    pub cpu_seconds: u64,
    /// Address space of each process (`RLIMIT_AS`).
    pub memory_bytes: u64,
    /// Processes and threads of the run (`RLIMIT_NPROC`).
    pub processes: u64,
    /// Largest file a process may write (`RLIMIT_FSIZE`): SIGXFSZ beyond it.
    pub file_size_bytes: u64,
    /// Open file descriptors of each process (`RLIMIT_NOFILE`).
    pub open_files: u64,
    /// Size of the scratch tmpfs, and of each of /tmp and /dev/shm.
    pub scratch_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cpu_seconds: 10,
            memory_bytes: 1 << 30,
            processes: 64,
            file_size_bytes: 16 << 20,
            open_files: 256,
            scratch_bytes: 64 << 20,
        }
    }
}

/// How much isolation the caller demands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum IsolationRequest {
    /// Refuse to run if any mechanism is missing (`--require-sandbox`).
    Full,
    /// Use what the machine gives and report the rest.
    #[default]
    BestEffort,
    /// No isolation: only the rlimits and the kill of the whole process tree.
    Off,
}

/// What to isolate and how. Serialisable: the embedded engine sends it to its zygote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPlan {
    /// Host folder prepared by the grader (the submission copied in). Inside, a size-capped
    /// copy of it at the same path is the writable working directory.
    pub scratch_dir: PathBuf,
    /// Host paths visible read-only at the same paths (symbolic links are resolved; the
    /// given path then becomes a link to the resolved one).
    pub read_only: Vec<PathBuf>,
    /// Resource limits.
    pub limits: Limits,
    /// How much isolation to demand.
    pub request: IsolationRequest,
}

/// What the sandboxed main process runs.
pub enum ChildMain {
    /// `execve(program, [program, args...], env)`: `program` must be an absolute path visible
    /// inside the sandbox, and `env` is the whole environment.
    Exec {
        /// Absolute path of the program (no PATH search); becomes argv[0] too.
        program: PathBuf,
        /// argv[1..].
        args: Vec<OsString>,
        /// The whole environment, in order.
        env: Vec<(OsString, OsString)>,
    },
    /// Calls the closure inside the sandbox and exits with its return value. Only for a
    /// single-threaded caller (the embedded engine's zygote): the closure may allocate. The
    /// process's copy of the caller's argv and environment strings is zeroed (so `getenv`
    /// finds nothing), signal handlers are kept, the signal mask is emptied.
    InProcess(Box<dyn FnOnce() -> i32>),
    /// A warm sandbox's main process (see [`spawn_warm`]): like `InProcess`, but the closure
    /// runs as soon as the sandbox is built, before its job exists, and must call
    /// [`JobHandoff::receive`] before it runs anything untrusted. Until then the process is
    /// not yet confined: it holds capabilities inside its user namespace and only /dev/null
    /// on fds 0-2.
    Warm(WarmMain),
}

/// The closure of a warm sandbox's main process.
pub type WarmMain = Box<dyn for<'a> FnOnce(JobHandoff<'a>) -> i32>;

pub use child::JobHandoff;

/// The write ends the main process gets as fds 1, 2 and 3 (stdin is /dev/null).
#[derive(Debug)]
pub struct ChildFds {
    /// Becomes fd 1.
    pub stdout: OwnedFd,
    /// Becomes fd 2.
    pub stderr: OwnedFd,
    /// Becomes fd 3: the private channel to the grader.
    pub channel: OwnedFd,
}

/// How strongly a run is isolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IsolationLevel {
    /// Every mechanism is in place.
    Full,
    /// Some mechanisms are missing; see [`IsolationReport::missing`].
    Partial,
    /// Nothing but rlimits and the kill of the process tree.
    None,
}

/// Which isolation a run got, for `pykata doctor` and the reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsolationReport {
    /// The overall level.
    pub level: IsolationLevel,
    /// Human-readable descriptions of what is missing and why.
    pub missing: Vec<String>,
    /// Human-readable descriptions of the mechanisms in place.
    pub mechanisms: Vec<String>,
}

/// How the main process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitStatusKind {
    /// It exited with this code.
    Exited(i32),
    /// A signal killed it (SIGKILL after [`SandboxedChild::kill`] or the CPU hard limit,
    /// SIGXCPU at the CPU soft limit, SIGXFSZ past the file size limit, ...).
    Signaled(i32),
}

/// The end of a run: the main process's status and resource usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildExit {
    /// How the main process (not the sandbox's init) ended.
    pub status: ExitStatusKind,
    /// User plus system CPU time of the main process and the children it waited for.
    pub cpu_time: Duration,
    /// Peak resident memory of the main process (or of its largest waited-for child).
    pub max_rss_bytes: u64,
}

/// Why a sandbox could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The plan is malformed (relative path, NUL byte, `/` as a read-only path, ...).
    #[error("invalid sandbox plan: {0}")]
    InvalidPlan(String),
    /// A path of the plan could not be resolved.
    #[error("failed to resolve {what} {path}: {source}")]
    Path {
        /// Which path of the plan.
        what: &'static str,
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A system resource (pipe, socket) could not be created.
    #[error("failed to {what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The underlying error.
        source: io::Error,
    },
    /// The sandbox was set up but `execve` of the program failed inside it.
    #[error(
        "failed to execute {program} in the sandbox (is its folder in the read-only paths?): {source}"
    )]
    Exec {
        /// The program.
        program: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// `IsolationRequest::Full` was asked and something is missing.
    #[error("full isolation is required but not available: {reasons}")]
    RequiredIsolationUnavailable {
        /// Why, joined with "; ".
        reasons: String,
    },
    /// No isolation mode could be set up at all.
    #[error("failed to set up the sandbox: {reasons}")]
    Unavailable {
        /// Why each mode failed, joined with "; ".
        reasons: String,
    },
}

/// State shared between a [`SandboxedChild`] and its [`KillHandle`]s.
#[derive(Debug)]
struct Shared {
    /// Host pid of the sandbox's init.
    pid: libc::pid_t,
    /// Killing the init kills the PID namespace; otherwise the init must be asked.
    namespaced: bool,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Once the init is reaped its pid may be reused: never signal it again.
    reaped: bool,
    /// The grader's end of the sync socket: a byte asks the init to kill everything.
    lifeline: Option<OwnedFd>,
}

impl Shared {
    fn kill(&self) {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.reaped {
            return;
        }
        if self.namespaced {
            sys::kill(self.pid, libc::SIGKILL);
        } else if let Some(fd) = &state.lifeline {
            // SAFETY: sending one byte on an owned socket.
            unsafe {
                libc::send(
                    fd.as_raw_fd(),
                    b"k".as_ptr().cast(),
                    1,
                    libc::MSG_NOSIGNAL | libc::MSG_DONTWAIT,
                )
            };
        }
    }
}

/// A running sandbox. Dropping it kills and reaps it.
#[derive(Debug)]
pub struct SandboxedChild {
    shared: Arc<Shared>,
    /// The init's report pipe; `None` once handed to someone else ([`Self::take_report`]).
    report: Option<OwnedFd>,
    exit: Mutex<Option<ChildExit>>,
    /// The isolation this run got.
    pub isolation: IsolationReport,
}

/// Kills a sandbox from another thread (for deadlines and cancellation).
#[derive(Clone, Debug)]
pub struct KillHandle(Arc<Shared>);

impl KillHandle {
    /// Kills every process of the run; idempotent, harmless after the run ended.
    pub fn kill(&self) {
        self.0.kill();
    }
}

impl SandboxedChild {
    /// Kills every process the run started (daemons and double forks included). Idempotent;
    /// callable from another thread while [`wait`](Self::wait) blocks.
    pub fn kill(&self) {
        self.shared.kill();
    }

    /// A handle that can kill this sandbox from anywhere, for as long as it lives.
    pub fn kill_handle(&self) -> KillHandle {
        KillHandle(Arc::clone(&self.shared))
    }

    /// Hands the init's report pipe (non-blocking) to the caller, to read with
    /// [`read_exit_report`] as soon as the main process ends, without waiting for whoever
    /// reaps the init. [`wait`](Self::wait) and [`try_wait`](Self::try_wait) then only say
    /// how the init ended (killed: `SIGKILL`).
    pub fn take_report(&mut self) -> Option<OwnedFd> {
        self.report.take()
    }

    /// The host pid of the sandbox's init process.
    pub fn pid(&self) -> u32 {
        self.shared.pid as u32
    }

    /// Blocks until the run has ended, every process of it included; later calls return the
    /// same result.
    pub fn wait(&self) -> io::Result<ChildExit> {
        let mut exit = self.exit.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = *exit {
            return Ok(done);
        }
        self.init_ended(true)?;
        let done = self.collect()?;
        *exit = Some(done);
        Ok(done)
    }

    /// Like [`wait`](Self::wait) but never blocks: `Ok(None)` while the run goes on. For a
    /// caller with its own event loop (the embedded engine's zygote polls a SIGCHLD signalfd
    /// and calls this for each of its sandboxes). Do not reap the sandbox's pid any other
    /// way (`waitpid(-1)`, `waitid(P_ALL)` without `WNOWAIT`): this must do it.
    pub fn try_wait(&self) -> io::Result<Option<ChildExit>> {
        let mut exit = self.exit.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = *exit {
            return Ok(Some(done));
        }
        if !self.init_ended(false)? {
            return Ok(None);
        }
        let done = self.collect()?;
        *exit = Some(done);
        Ok(Some(done))
    }

    /// Whether the init has ended, waiting for it when `block`. Never reaps it, so that
    /// kill() can never signal a recycled pid.
    fn init_ended(&self, block: bool) -> io::Result<bool> {
        let flags = libc::WEXITED | libc::WNOWAIT | if block { 0 } else { libc::WNOHANG };
        loop {
            // SAFETY: siginfo_t is plain data filled by waitid.
            let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
            let ret = unsafe {
                libc::waitid(libc::P_PID, self.shared.pid as libc::id_t, &mut info, flags)
            };
            if ret == 0 {
                // SAFETY: waitid filled a SIGCHLD siginfo; si_pid is 0 if nothing has ended
                // (WNOHANG).
                return Ok(unsafe { info.si_pid() } != 0);
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }

    /// Reaps the ended init and reads the main process's report.
    fn collect(&self) -> io::Result<ChildExit> {
        let mut status = 0;
        // SAFETY: rusage is plain data.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        {
            let mut state = self
                .shared
                .state
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            sys::wait4(self.shared.pid, &mut status, 0, &mut usage)
                .map_err(io::Error::from_raw_os_error)?;
            state.reaped = true;
            state.lifeline = None;
        }
        Ok(match self.report.as_ref().and_then(read_report) {
            Some(r) => exit_of(&r),
            // The init was killed (kill(), or the grader's own signal) before the main process
            // ended: the main process died with the namespace.
            None => ChildExit {
                status: ExitStatusKind::Signaled(if libc::WIFSIGNALED(status) {
                    libc::WTERMSIG(status)
                } else {
                    libc::SIGKILL
                }),
                cpu_time: timeval(usage.ru_utime) + timeval(usage.ru_stime),
                max_rss_bytes: usage.ru_maxrss as u64 * 1024,
            },
        })
    }
}

impl Drop for SandboxedChild {
    fn drop(&mut self) {
        let reaped = self
            .shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reaped;
        if !reaped {
            self.kill();
            let _ = self.wait();
        }
    }
}

fn exit_of(r: &Report) -> ChildExit {
    ChildExit {
        status: decode_status(r.status),
        cpu_time: Duration::from_micros(r.utime_us + r.stime_us),
        max_rss_bytes: r.maxrss_kb * 1024,
    }
}

/// What a sandbox's report pipe (from [`SandboxedChild::take_report`]) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReport {
    /// The init reported how the main process ended.
    Ended(ChildExit),
    /// Nothing yet: the run goes on.
    Pending,
    /// Closed without a report: the init was killed (or failed) before the main process
    /// ended; how the init ended says the rest.
    Missing,
}

/// Reads the report pipe taken with [`SandboxedChild::take_report`] without blocking.
pub fn read_exit_report(fd: BorrowedFd<'_>) -> ExitReport {
    let mut buf = [0u8; std::mem::size_of::<Report>()];
    // The report is one write smaller than PIPE_BUF: it arrives whole or not at all.
    match sys::read(fd.as_raw_fd(), &mut buf) {
        Ok(n) if n == buf.len() => {
            // SAFETY: Report is plain repr(C) data and buf holds exactly one.
            let report: Report = unsafe { std::ptr::read_unaligned(buf.as_ptr().cast()) };
            if report.magic == child::REPORT_MAGIC {
                ExitReport::Ended(exit_of(&report))
            } else {
                ExitReport::Missing
            }
        }
        Err(libc::EAGAIN) => ExitReport::Pending,
        _ => ExitReport::Missing,
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

fn decode_status(status: i32) -> ExitStatusKind {
    if libc::WIFSIGNALED(status) {
        ExitStatusKind::Signaled(libc::WTERMSIG(status))
    } else {
        ExitStatusKind::Exited(libc::WEXITSTATUS(status))
    }
}

fn read_report(fd: &OwnedFd) -> Option<Report> {
    let mut buf = [0u8; std::mem::size_of::<Report>()];
    let mut got = 0;
    while got < buf.len() {
        match sys::read(fd.as_raw_fd(), &mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    if got != buf.len() {
        return None;
    }
    // SAFETY: Report is plain repr(C) data and buf holds exactly one.
    let report: Report = unsafe { std::ptr::read_unaligned(buf.as_ptr().cast()) };
    (report.magic == child::REPORT_MAGIC).then_some(report)
}

/// Test hooks that pretend a mechanism is unavailable.
#[derive(Clone, Debug, Default)]
pub(crate) struct Overrides {
    /// Behave as if user namespaces were unavailable.
    pub no_user_namespace: bool,
    /// Behave as if no namespace could be created.
    pub no_namespaces: bool,
    /// Behave as if Landlock were unavailable.
    pub no_landlock: bool,
    /// Behave as if seccomp were unavailable.
    pub no_seccomp: bool,
}

/// Starts `main` in a sandbox described by `plan`, with `fds` as its stdout, stderr and
/// channel. Returns once the program has been executed (or the closure is about to run).
pub fn spawn(
    plan: &SandboxPlan,
    fds: ChildFds,
    main: ChildMain,
) -> Result<SandboxedChild, SandboxError> {
    spawn_with(plan, fds, main, &Overrides::default())
}

/// Why one mode could not be used.
enum Failure {
    /// This mode is out; `cache` when it will never work in this process.
    ModeUnavailable { reason: String, cache: bool },
    /// No mode will do better.
    Fatal(SandboxError),
}

/// Clone failures of the namespace modes, remembered so later runs skip straight past them.
static MODE_FAILURES: Mutex<[Option<String>; 2]> = Mutex::new([None, None]);

/// Host files no sandbox shows, besides the running executable (see [`hide`]).
static HIDDEN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Hides the host file `path` from every sandbox made from now on, even inside a folder the
/// sandbox shows (the system folders, a read-only path of the plan): `/dev/null` is mounted
/// over it. The running executable is always hidden (`pykata` embeds the catalogue, and a
/// `pykata` installed in `/usr/local/bin` would otherwise be readable by every
/// submission); the embedded engine's zygote hides its grader's. Only where the sandbox
/// has a mount namespace: without one, Landlock cannot hide a file inside a folder it
/// shows.
pub fn hide(path: &Path) {
    if let Ok(path) = path.canonicalize() {
        let mut hidden = HIDDEN.lock().unwrap_or_else(PoisonError::into_inner);
        if !hidden.contains(&path) {
            hidden.push(path);
        }
    }
}

/// The host files to hide: the running executable and those given to [`hide`], as they
/// are now (regular files, canonical paths).
fn hidden_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .into_iter()
        .collect();
    for path in HIDDEN.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        if !files.contains(path) {
            files.push(path.clone());
        }
    }
    files.retain(|path| path.is_file());
    files
}

fn cache_slot(mode: Mode) -> Option<usize> {
    match mode {
        Mode::UserNamespace => Some(0),
        Mode::RootNamespaces => Some(1),
        _ => None,
    }
}

/// [`spawn`] with test hooks.
pub(crate) fn spawn_with(
    plan: &SandboxPlan,
    fds: ChildFds,
    main: ChildMain,
    overrides: &Overrides,
) -> Result<SandboxedChild, SandboxError> {
    spawn_core(plan, fds, main, overrides, false).map(|started| started.child)
}

/// Builds a sandbox for a job that does not exist yet: everything a cold [`spawn`] does up to
/// the main process's confinement (namespaces, the new root with `plan.read_only`, an empty
/// scratch tmpfs at `plan.scratch_dir`, the fork of the main process), whose closure then
/// waits in [`JobHandoff::receive`] until [`WarmSandbox::start`] hands it a job. Starting a
/// warm sandbox costs a scratch copy and the confinement only. Returns once the init is
/// cloned: the init and the main process finish the build on their own, and `start` waits
/// for them (and reports a build that failed).
///
/// Only for a single-threaded caller (the embedded engine's zygote), only as root (the
/// job's scratch tmpfs is made by the caller, outside the sandbox), and only with the full
/// user-namespace design: anything else is [`SandboxError::Unavailable`] and the caller
/// uses [`spawn`].
pub fn spawn_warm(plan: &SandboxPlan, main: WarmMain) -> Result<WarmSandbox, SandboxError> {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Err(SandboxError::Unavailable {
            reasons: "warm sandboxes need a root grader".into(),
        });
    }
    let null = |what| {
        sys::open(c"/dev/null", libc::O_RDWR, 0)
            .map(owned)
            .map_err(|e| SandboxError::Io {
                what,
                source: io::Error::from_raw_os_error(e),
            })
    };
    let placeholders = ChildFds {
        stdout: null("open /dev/null")?,
        stderr: null("open /dev/null")?,
        channel: null("open /dev/null")?,
    };
    let started = spawn_core(
        plan,
        placeholders,
        ChildMain::Warm(main),
        &Overrides::default(),
        true,
    )?;
    let Some(parts) = started.warm else {
        return Err(SandboxError::Unavailable {
            reasons: "the sandbox was not built warm".into(),
        });
    };
    Ok(WarmSandbox {
        child: started.child,
        handoff: parts.handoff,
        exec_read: parts.exec_read,
        bp: parts.bp,
        plan: plan.clone(),
        ready: false,
    })
}

/// A sandbox built by [`spawn_warm`], waiting for its job. Dropping it kills it.
pub struct WarmSandbox {
    child: SandboxedChild,
    handoff: OwnedFd,
    exec_read: OwnedFd,
    bp: Blueprint,
    plan: SandboxPlan,
    /// Its main process said it waits for a job (it builds itself after `spawn_warm`
    /// returns).
    ready: bool,
}

impl std::fmt::Debug for WarmSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarmSandbox")
            .field("pid", &self.child.pid())
            .finish_non_exhaustive()
    }
}

impl WarmSandbox {
    /// The scratch folder inside this sandbox (the warm plan's `scratch_dir`): a job's
    /// scratch folder appears there, whatever its path on the host.
    pub fn scratch_dir(&self) -> &Path {
        &self.plan.scratch_dir
    }

    /// Hands the job to the sandbox: a size-capped copy of the host folder `scratch`
    /// (mounted at [`Self::scratch_dir`]), `fds` as fds 1-3, the rlimits of `limits`, and
    /// `payload` for the main process's closure. Returns once the main process is confined
    /// and about to return from [`JobHandoff::receive`], like [`spawn`].
    pub fn start(
        self,
        fds: &ChildFds,
        scratch: &Path,
        limits: &Limits,
        payload: &[u8],
    ) -> Result<SandboxedChild, SandboxError> {
        let WarmSandbox {
            mut child,
            handoff,
            exec_read,
            bp,
            plan,
            ready,
        } = self;
        if !ready {
            let built = match read_records(&exec_read, true) {
                Some((None, notes, true)) => Ok(notes),
                Some((Some(r), _, _)) => Err(describe_record(&bp, &r)),
                Some((None, _, false)) => Err("the warm sandbox ended before it was ready".into()),
                None => Err(format!(
                    "the warm sandbox did not finish its setup within {} s",
                    SETUP_TIMEOUT.as_secs()
                )),
            };
            let notes = built.map_err(|reasons| SandboxError::Unavailable { reasons })?;
            note_weakened(&mut child.isolation, &bp, &notes);
        }
        let path_error = |source| SandboxError::Path {
            what: "scratch folder",
            path: scratch.to_path_buf(),
            source,
        };
        let canonical = scratch.canonicalize().map_err(path_error)?;
        let meta = std::fs::metadata(&canonical).map_err(path_error)?;
        if !meta.is_dir() {
            return Err(SandboxError::InvalidPlan(format!(
                "scratch folder {} is not a folder",
                canonical.display()
            )));
        }
        use std::os::unix::fs::PermissionsExt;
        let owner = Some((SANDBOX_ID, SANDBOX_ID));
        let options = prepare::scratch_options(
            meta.permissions().mode() & 0o7777,
            limits.scratch_bytes,
            owner,
        );
        let mount = prepare::make_scratch(&prepare::cstring(&canonical)?, &options, owner)
            .map_err(|e| {
                match prepare::scratch_error(&canonical, limits.scratch_bytes, String::new(), e) {
                    PrepareError::Plan(e) => e,
                    PrepareError::Sys(_, e) => SandboxError::Io {
                        what: "copy the scratch folder into a tmpfs",
                        source: io::Error::from_raw_os_error(e),
                    },
                }
            })?;
        let job_plan = SandboxPlan {
            limits: limits.clone(),
            ..plan.clone()
        };
        // SAFETY: geteuid cannot fail.
        let rlimits = prepare::rlimits(&job_plan, bp.mode, unsafe { libc::geteuid() });
        let message = encode_handoff(&rlimits, payload);
        let passed = [
            fds.stdout.as_raw_fd(),
            fds.stderr.as_raw_fd(),
            fds.channel.as_raw_fd(),
            mount.as_raw_fd(),
        ];
        sys::send_with_fds(handoff.as_raw_fd(), &message, &passed).map_err(|e| {
            SandboxError::Io {
                what: "hand the job to its warm sandbox",
                source: io::Error::from_raw_os_error(e),
            }
        })?;
        drop((mount, handoff));
        let Some((fatal, notes, _)) = read_records(&exec_read, false) else {
            return Err(SandboxError::Unavailable {
                reasons: format!(
                    "the warm sandbox did not take its job within {} s",
                    SETUP_TIMEOUT.as_secs()
                ),
            });
        };
        if let Some(r) = fatal {
            return Err(SandboxError::Unavailable {
                reasons: describe_record(&bp, &r),
            });
        }
        note_weakened(&mut child.isolation, &bp, &notes);
        if bp.strict && !child.isolation.missing.is_empty() {
            return Err(SandboxError::RequiredIsolationUnavailable {
                reasons: child.isolation.missing.join("; "),
            });
        }
        Ok(child)
    }
}

/// Records setup notes (isolation that could not be applied) in `isolation`.
fn note_weakened(isolation: &mut IsolationReport, bp: &Blueprint, notes: &[Record]) {
    for r in notes {
        let gone = match r.step {
            step::LANDLOCK => Some("landlock"),
            step::SECCOMP => Some("seccomp"),
            _ => None,
        };
        if let Some(gone) = gone {
            isolation.mechanisms.retain(|m| !m.starts_with(gone));
        }
        isolation.missing.push(describe_record(bp, r));
        isolation.level = IsolationLevel::Partial;
    }
}

/// The job message of a warm sandbox: the rlimits, then the caller's payload.
fn encode_handoff(rlimits: &[prepare::Rlimit], payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(4 + rlimits.len() * 20 + payload.len());
    bytes.extend_from_slice(&(rlimits.len() as u32).to_le_bytes());
    for &(resource, soft, hard) in rlimits {
        bytes.extend_from_slice(&resource.to_le_bytes());
        bytes.extend_from_slice(&soft.to_le_bytes());
        bytes.extend_from_slice(&hard.to_le_bytes());
    }
    bytes.extend_from_slice(payload);
    bytes
}

/// [`encode_handoff`] read back: the rlimits and where the payload starts.
fn decode_handoff(bytes: &[u8]) -> Option<(Vec<prepare::Rlimit>, usize)> {
    let count = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    if count > 16 {
        return None;
    }
    let mut rlimits = Vec::with_capacity(count);
    let mut at = 4;
    for _ in 0..count {
        let entry = bytes.get(at..at + 20)?;
        let resource = libc::c_int::from_le_bytes(entry[..4].try_into().ok()?);
        let soft = u64::from_le_bytes(entry[4..12].try_into().ok()?);
        let hard = u64::from_le_bytes(entry[12..20].try_into().ok()?);
        rlimits.push((resource, soft, hard));
        at += 20;
    }
    Some((rlimits, at))
}

/// A successful attempt.
struct Started {
    child: SandboxedChild,
    /// Setup notes: (step, text).
    notes: Vec<(u32, String)>,
    /// For a warm sandbox: what [`WarmSandbox::start`] needs.
    warm: Option<WarmParts>,
}

struct WarmParts {
    handoff: OwnedFd,
    exec_read: OwnedFd,
    bp: Blueprint,
}

fn spawn_core(
    plan: &SandboxPlan,
    fds: ChildFds,
    main: ChildMain,
    overrides: &Overrides,
    warm: bool,
) -> Result<Started, SandboxError> {
    let resolved = prepare::resolve(plan)?;
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let strict = plan.request == IsolationRequest::Full;
    let mut missing = Vec::new();
    let landlock_abi = match landlock::abi() {
        _ if overrides.no_landlock => Err("turned off".to_string()),
        Ok(abi) if abi >= 1 => Ok(abi),
        Ok(_) => Err("abi 0".to_string()),
        Err(e) => Err(io::Error::from_raw_os_error(e).to_string()),
    };
    let seccomp_ok = match (seccomp::available(), seccomp::program(false)) {
        _ if overrides.no_seccomp => Err("turned off".to_string()),
        (Ok(()), Some(_)) => Ok(()),
        (Err(e), _) => Err(io::Error::from_raw_os_error(e).to_string()),
        (_, None) => Err("unsupported architecture".to_string()),
    };
    if plan.request != IsolationRequest::Off {
        if let Err(why) = &landlock_abi {
            missing.push(format!("landlock unavailable: {why}"));
        }
        if let Err(why) = &seccomp_ok {
            missing.push(format!("seccomp unavailable: {why}"));
        }
    }
    if strict && !missing.is_empty() {
        return Err(SandboxError::RequiredIsolationUnavailable {
            reasons: missing.join("; "),
        });
    }
    let mut modes = match plan.request {
        IsolationRequest::Off => vec![Mode::Off],
        IsolationRequest::Full => vec![Mode::UserNamespace, Mode::RootNamespaces],
        IsolationRequest::BestEffort => {
            vec![Mode::UserNamespace, Mode::RootNamespaces, Mode::Confined]
        }
    };
    modes.retain(|m| match m {
        _ if warm => *m == Mode::UserNamespace,
        Mode::UserNamespace => !overrides.no_user_namespace && !overrides.no_namespaces,
        Mode::RootNamespaces => root && !overrides.no_namespaces,
        _ => true,
    });
    let mut failures: Vec<String> = Vec::new();
    for mode in modes {
        let cached = cache_slot(mode)
            .and_then(|i| MODE_FAILURES.lock().unwrap_or_else(PoisonError::into_inner)[i].clone());
        if let Some(reason) = cached {
            failures.push(reason);
            continue;
        }
        let attempt = Attempt {
            mode,
            strict,
            plan,
            resolved: &resolved,
            fds: &fds,
            main: &main,
            landlock_abi: landlock_abi.as_ref().ok().copied(),
            seccomp: seccomp_ok.is_ok(),
        };
        match attempt.run() {
            Ok(Started { child, notes, warm }) => {
                let mut child = child;
                let mut isolation = describe(mode, &attempt, &failures, root);
                missing.append(&mut isolation.missing);
                for (step, text) in notes {
                    let gone = match step {
                        step::LANDLOCK => Some("landlock"),
                        step::SECCOMP => Some("seccomp"),
                        _ => None,
                    };
                    if let Some(gone) = gone {
                        isolation.mechanisms.retain(|m| !m.starts_with(gone));
                    }
                    missing.push(text);
                }
                isolation.missing = missing;
                isolation.level = match mode {
                    Mode::Off => IsolationLevel::None,
                    _ if isolation.missing.is_empty() => IsolationLevel::Full,
                    _ => IsolationLevel::Partial,
                };
                if strict && !isolation.missing.is_empty() {
                    child.kill();
                    return Err(SandboxError::RequiredIsolationUnavailable {
                        reasons: isolation.missing.join("; "),
                    });
                }
                child.isolation = isolation;
                return Ok(Started {
                    child,
                    notes: Vec::new(),
                    warm,
                });
            }
            Err(Failure::ModeUnavailable { reason, cache }) => {
                let reason = format!("{}: {reason}", mode_name(mode));
                if let (true, Some(i)) = (cache, cache_slot(mode)) {
                    MODE_FAILURES.lock().unwrap_or_else(PoisonError::into_inner)[i] =
                        Some(reason.clone());
                }
                failures.push(reason);
            }
            Err(Failure::Fatal(e)) => return Err(e),
        }
    }
    let reasons = failures.join("; ");
    Err(if strict {
        SandboxError::RequiredIsolationUnavailable { reasons }
    } else {
        SandboxError::Unavailable { reasons }
    })
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::UserNamespace => "no user namespace",
        Mode::RootNamespaces => "no namespaces",
        Mode::Confined => "no confinement",
        Mode::Off => "no child process",
    }
}

/// One try at one mode.
struct Attempt<'a> {
    mode: Mode,
    strict: bool,
    plan: &'a SandboxPlan,
    resolved: &'a prepare::Resolved,
    fds: &'a ChildFds,
    main: &'a ChildMain,
    landlock_abi: Option<u32>,
    seccomp: bool,
}

/// Owns a child pid until it is handed over; kills and reaps it otherwise.
struct ChildGuard(Option<libc::pid_t>);

impl ChildGuard {
    fn release(mut self) -> libc::pid_t {
        self.0.take().expect("guard holds a pid")
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            sys::kill(pid, libc::SIGKILL);
            let mut status = 0;
            // SAFETY: rusage is plain data.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            let _ = sys::wait4(pid, &mut status, 0, &mut usage);
        }
    }
}

fn owned(fd: libc::c_int) -> OwnedFd {
    // SAFETY: a fresh fd owned by nobody else.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

fn io_failure(what: &'static str) -> impl Fn(i32) -> Failure {
    move |e| {
        Failure::Fatal(SandboxError::Io {
            what,
            source: io::Error::from_raw_os_error(e),
        })
    }
}

impl Attempt<'_> {
    /// Starts the sandbox in this mode; returns it with the setup notes (step, text).
    fn run(&self) -> Result<Started, Failure> {
        let warm = matches!(self.main, ChildMain::Warm(_));
        let (sync_parent, sync_child) =
            sys::socketpair().map_err(io_failure("create a socket pair"))?;
        let (sync_parent, sync_child) = (owned(sync_parent), owned(sync_child));
        let handoff = if warm {
            let (ours, theirs) =
                sys::seqpacket_pair().map_err(io_failure("create a socket pair"))?;
            Some((owned(ours), owned(theirs)))
        } else {
            None
        };
        let (exec_read, exec_write) = sys::pipe().map_err(io_failure("create a pipe"))?;
        let (exec_read, exec_write) = (owned(exec_read), owned(exec_write));
        let (report_read, report_write) = sys::pipe().map_err(io_failure("create a pipe"))?;
        let (report_read, report_write) = (owned(report_read), owned(report_write));
        let pipes = Pipes {
            sync: sync_child.as_raw_fd(),
            exec: exec_write.as_raw_fd(),
            report: report_write.as_raw_fd(),
            handoff: handoff
                .as_ref()
                .map_or(-1, |(_, theirs)| theirs.as_raw_fd()),
        };
        let bp = prepare::blueprint(
            self.mode,
            self.strict,
            self.plan,
            self.resolved,
            self.fds,
            self.main,
            &pipes,
            self.landlock_abi,
            self.seccomp,
        )
        .map_err(|e| match e {
            PrepareError::Plan(e) => Failure::Fatal(e),
            PrepareError::Sys(what, e) => Failure::ModeUnavailable {
                reason: format!("failed to {what}: {}", io::Error::from_raw_os_error(e)),
                cache: false,
            },
        })?;
        // SAFETY: the child runs run_init, which only makes raw system calls on the blueprint.
        let pid = match unsafe { sys::clone_fork(self.mode.clone_flags()) } {
            Ok(0) => unsafe { child::run_init(&bp, self.main) },
            Ok(pid) => pid,
            Err(e) => {
                let err = io::Error::from_raw_os_error(e);
                return Err(if self.mode.namespaced() {
                    Failure::ModeUnavailable {
                        reason: format!("clone failed: {err}"),
                        cache: true,
                    }
                } else {
                    Failure::Fatal(SandboxError::Io {
                        what: "create the sandbox process",
                        source: err,
                    })
                });
            }
        };
        let guard = ChildGuard(Some(pid));
        drop((sync_child, exec_write, report_write));
        let handoff = handoff.map(|(ours, _theirs)| ours);
        if self.mode == Mode::UserNamespace {
            write_id_maps(pid).map_err(|e| Failure::ModeUnavailable {
                reason: format!("failed to write the uid/gid maps of pid {pid}: {e}"),
                cache: true,
            })?;
        }
        sys::write_all(sync_parent.as_raw_fd(), b"g")
            .map_err(io_failure("start the sandbox process"))?;
        // A warm sandbox finishes its setup on its own: `WarmSandbox::start` reads how.
        let records = if warm {
            Some((None, Vec::new(), true))
        } else {
            read_records(&exec_read, false)
        };
        let Some((fatal, notes, ready)) = records else {
            return Err(Failure::ModeUnavailable {
                reason: format!(
                    "the sandbox did not finish its setup within {} s",
                    SETUP_TIMEOUT.as_secs()
                ),
                cache: false,
            });
        };
        if let Some(r) = fatal {
            drop(guard);
            return Err(self.failure(&bp, &r));
        }
        if warm && !ready {
            return Err(Failure::ModeUnavailable {
                reason: "the warm sandbox ended before it was ready".into(),
                cache: false,
            });
        }
        // SAFETY: report_read is ours; nonblocking reads never wait for a stray writer copy.
        unsafe { libc::fcntl(report_read.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
        let notes = notes
            .iter()
            .map(|r| (r.step, describe_record(&bp, r)))
            .collect();
        let child = SandboxedChild {
            shared: Arc::new(Shared {
                pid: guard.release(),
                namespaced: self.mode.namespaced(),
                state: Mutex::new(State {
                    reaped: false,
                    lifeline: Some(sync_parent),
                }),
            }),
            report: Some(report_read),
            exit: Mutex::new(None),
            isolation: IsolationReport {
                level: IsolationLevel::None,
                missing: Vec::new(),
                mechanisms: Vec::new(),
            },
        };
        let warm = match (handoff, warm) {
            (Some(handoff), true) => Some(WarmParts {
                handoff,
                exec_read,
                bp,
            }),
            _ => None,
        };
        Ok(Started { child, notes, warm })
    }
}

impl Attempt<'_> {
    /// What a fatal setup record means for this attempt.
    fn failure(&self, bp: &Blueprint, r: &Record) -> Failure {
        let source = bp.sources.get(r.index as usize);
        match r.step {
            step::EXEC => Failure::Fatal(SandboxError::Exec {
                program: match self.main {
                    ChildMain::Exec { program, .. } => program.clone(),
                    ChildMain::InProcess(_) | ChildMain::Warm(_) => PathBuf::new(),
                },
                source: io::Error::from_raw_os_error(r.errno),
            }),
            step::SOURCE if matches!(source, Some(prepare::Source::Scratch { .. })) => {
                let name = describe_record(bp, r);
                match prepare::scratch_error(
                    &self.resolved.scratch,
                    self.plan.limits.scratch_bytes,
                    name,
                    r.errno,
                ) {
                    PrepareError::Plan(e) => Failure::Fatal(e),
                    PrepareError::Sys(reason, _) => Failure::ModeUnavailable {
                        reason,
                        cache: false,
                    },
                }
            }
            // Steps that fail the same way for every plan on this machine are remembered.
            step::ENTER_USERNS | step::MAKE_PRIVATE | step::ROOT | step::PIVOT => {
                Failure::ModeUnavailable {
                    reason: describe_record(bp, r),
                    cache: true,
                }
            }
            _ => Failure::ModeUnavailable {
                reason: describe_record(bp, r),
                cache: false,
            },
        }
    }
}

/// Maps uid/gid 0 inside the new user namespace: to 65534 when the grader is root (so the
/// sandbox is unprivileged on the host), to the grader's own ids otherwise.
fn write_id_maps(pid: libc::pid_t) -> io::Result<()> {
    // SAFETY: geteuid/getegid cannot fail.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let (uid, gid) = if uid == 0 {
        (SANDBOX_ID, SANDBOX_ID)
    } else {
        std::fs::write(proc.join("setgroups"), "deny")?;
        (uid, gid)
    };
    std::fs::write(proc.join("uid_map"), format!("0 {uid} 1\n"))?;
    std::fs::write(proc.join("gid_map"), format!("0 {gid} 1\n"))?;
    Ok(())
}

/// How long the sandbox may take to set itself up (copying the scratch folder included).
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Reads setup records until the exec pipe closes: (the fatal one if any, the notes), or
/// `None` if the setup took longer than [`SETUP_TIMEOUT`].
fn read_records(fd: &OwnedFd, until_ready: bool) -> Option<(Option<Record>, Vec<Record>, bool)> {
    const SIZE: usize = std::mem::size_of::<Record>();
    let mut buf = [0u8; SIZE * 16];
    let mut pending = Vec::new();
    let deadline = std::time::Instant::now() + SETUP_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let mut pfd = [libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        match sys::poll(&mut pfd, left.as_millis().min(i32::MAX as u128) as i32) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(_) => break,
        }
        match sys::read(fd.as_raw_fd(), &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => pending.extend_from_slice(&buf[..n]),
        }
        if until_ready
            && records(&pending).any(|r| r.kind == child::READY || r.kind == child::FATAL)
        {
            break;
        }
    }
    let mut notes = Vec::new();
    let mut ready = false;
    for r in records(&pending) {
        match r.kind {
            child::FATAL => return Some((Some(r), notes, ready)),
            child::READY => ready = true,
            _ => notes.push(r),
        }
    }
    Some((None, notes, ready))
}

/// The whole records in `bytes`.
fn records(bytes: &[u8]) -> impl Iterator<Item = Record> + '_ {
    bytes
        .chunks_exact(std::mem::size_of::<Record>())
        // SAFETY: Record is plain repr(C) data of exactly this size.
        .map(|chunk| unsafe { std::ptr::read_unaligned(chunk.as_ptr().cast()) })
}

/// A setup record as a lowercase message naming the step and path.
fn describe_record(bp: &Blueprint, r: &Record) -> String {
    let err = io::Error::from_raw_os_error(r.errno);
    let i = r.index as usize;
    let what = match r.step {
        step::ENTER_USERNS => "enter the user namespace".to_string(),
        step::MAKE_PRIVATE => "make the mount tree private".to_string(),
        step::SOURCE => bp
            .source_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| "prepare a mount".into()),
        step::ROOT => format!("mount the new root on {}", bp.staging.to_string_lossy()),
        step::OP => match bp.ops.get(i) {
            Some(prepare::Op::Proc { .. }) => {
                return format!("no /proc: mounting proc failed: {err}");
            }
            _ => bp
                .op_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| "build the new root".into()),
        },
        step::ROOT_READ_ONLY => "make the new root read-only".to_string(),
        step::PIVOT => "pivot into the new root".to_string(),
        step::HOSTNAME => "set the hostname".to_string(),
        step::SUBREAPER => "become a child subreaper".to_string(),
        step::SIGNALS => "block SIGCHLD".to_string(),
        step::FORK => "fork the main process".to_string(),
        step::STDIO => "set up fds 0-3".to_string(),
        step::CHDIR => format!("enter the scratch folder {}", bp.main.cwd.to_string_lossy()),
        step::IDENTITY => format!("switch to uid {SANDBOX_ID}"),
        step::CAPABILITIES => "drop capabilities".to_string(),
        step::NO_NEW_PRIVS => "set no_new_privs".to_string(),
        step::LANDLOCK => {
            return match bp.main.landlock.as_ref().and_then(|l| l.rule_path(i)) {
                Some(path) => format!(
                    "landlock not applied: rule for {}: {err}",
                    path.to_string_lossy()
                ),
                None => format!("landlock not applied: {err}"),
            };
        }
        step::SECCOMP => return format!("seccomp filter not installed: {err}"),
        step::RLIMIT => format!(
            "set the {} limit",
            rlimit_name(bp.main.rlimits.get(i).map_or(-1, |l| l.0))
        ),
        step::EXEC => "execute the program".to_string(),
        step::HANDOFF => "receive the job in the warm sandbox".to_string(),
        step::ATTACH_SCRATCH => format!(
            "mount the job's scratch folder at {}",
            bp.main.cwd.to_string_lossy()
        ),
        _ => format!("complete setup step {}", r.step),
    };
    format!("failed to {what}: {err}")
}

fn rlimit_name(resource: libc::c_int) -> &'static str {
    let is = |r: libc::__rlimit_resource_t| i64::from(resource) == r as i64;
    if is(libc::RLIMIT_CPU) {
        "cpu time"
    } else if is(libc::RLIMIT_AS) {
        "address space"
    } else if is(libc::RLIMIT_NPROC) {
        "process"
    } else if is(libc::RLIMIT_FSIZE) {
        "file size"
    } else if is(libc::RLIMIT_NOFILE) {
        "open files"
    } else if is(libc::RLIMIT_CORE) {
        "core size"
    } else {
        "resource"
    }
}

/// The mechanisms and the gaps of a successful attempt in `mode`.
fn describe(mode: Mode, attempt: &Attempt, failures: &[String], root: bool) -> IsolationReport {
    let mut mechanisms = Vec::new();
    let mut missing = Vec::new();
    let scratch = attempt.plan.limits.scratch_bytes;
    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    match mode {
        Mode::UserNamespace => {
            let outside = if root { SANDBOX_ID } else { euid };
            mechanisms.push(format!(
                "user namespace: uid 0 inside is uid {outside} on the host, without capabilities"
            ));
        }
        Mode::RootNamespaces => {
            let why = failures
                .first()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default();
            mechanisms.push(format!(
                "main process runs as uid {SANDBOX_ID} without capabilities; its process limit is shared with the host's other uid {SANDBOX_ID} processes{why}"
            ));
        }
        Mode::Confined | Mode::Off => missing.extend(failures.iter().cloned()),
    }
    if mode.namespaced() {
        mechanisms.push("pid namespace: every process of the run dies with it".to_string());
        mechanisms.push(format!(
            "mount namespace: read-only system folders and listed paths, a scratch tmpfs of {scratch} bytes, private /tmp and /dev/shm, minimal /dev, fresh /proc"
        ));
        mechanisms.push("network namespace: no network".to_string());
        mechanisms.push("ipc, uts and cgroup namespaces".to_string());
    } else {
        mechanisms.push(
            "new session and child subreaper: descendants are killed when the run ends".to_string(),
        );
    }
    if mode != Mode::Off {
        mechanisms.push("no_new_privs".to_string());
        if let Some(abi) = attempt.landlock_abi {
            mechanisms.push(landlock::Plan::new(abi).describe());
        }
        if attempt.seccomp {
            mechanisms.push(format!(
                "seccomp filter: {} system calls denied",
                seccomp::denied_count()
            ));
        }
    }
    mechanisms.push(
        "rlimits: cpu time, address space, processes, file size, open files, no core dumps"
            .to_string(),
    );
    match mode {
        Mode::Confined => {
            let scoped = attempt
                .landlock_abi
                .is_some_and(|abi| landlock::Plan::new(abi).scopes_signals());
            missing.push(if scoped {
                "no pid namespace: a process that leaves the process group is found only through the subreaper".to_string()
            } else {
                "no pid namespace: the sandboxed code can kill its reaper, and then its daemons may survive".to_string()
            });
            missing.push(
                "no mount namespace: the scratch folder is the host folder and is not size-capped (the file size limit caps each file); no private /tmp"
                    .to_string(),
            );
            missing.push(if attempt.seccomp {
                "no network namespace: only unix sockets can be created (seccomp)".to_string()
            } else if attempt.landlock_abi.is_some_and(|abi| abi >= 4) {
                "no network namespace: landlock blocks tcp, not udp".to_string()
            } else {
                "no network namespace: the network is reachable".to_string()
            });
            if attempt.landlock_abi.is_none() {
                missing.push("nothing hides the host filesystem (no landlock)".to_string());
            }
            if root {
                missing.push(
                    "running as root outside a user namespace: the process limit does not apply"
                        .to_string(),
                );
            } else {
                missing.push(format!(
                    "the process limit is shared with the other processes of uid {euid}"
                ));
            }
        }
        Mode::Off => missing.push("isolation turned off".to_string()),
        _ => {}
    }
    IsolationReport {
        level: IsolationLevel::None,
        missing,
        mechanisms,
    }
}

/// What isolation this machine gives, found by running `/usr/bin/true` in a best-effort
/// sandbox (no untrusted code runs). For `pykata doctor`.
pub fn probe() -> IsolationReport {
    let failed = |why: String| IsolationReport {
        level: IsolationLevel::None,
        missing: vec![why],
        mechanisms: Vec::new(),
    };
    let dir = match TempDir::new("pykata-probe") {
        Ok(d) => d,
        Err(e) => return failed(format!("failed to create a scratch folder: {e}")),
    };
    let Some(program) = ["/usr/bin/true", "/bin/true"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
    else {
        return failed("no /usr/bin/true to probe the sandbox with".to_string());
    };
    let null = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map(OwnedFd::from)
    };
    let fds = match (null(), null(), null()) {
        (Ok(stdout), Ok(stderr), Ok(channel)) => ChildFds {
            stdout,
            stderr,
            channel,
        },
        _ => return failed("failed to open /dev/null".to_string()),
    };
    let plan = SandboxPlan {
        scratch_dir: dir.path().to_path_buf(),
        read_only: Vec::new(),
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let main = ChildMain::Exec {
        program: program.to_path_buf(),
        args: Vec::new(),
        env: Vec::new(),
    };
    let mut isolation = match spawn(&plan, fds, main) {
        Ok(child) => match child.wait() {
            Ok(ChildExit {
                status: ExitStatusKind::Exited(0),
                ..
            }) => child.isolation.clone(),
            Ok(other) => return failed(format!("the probe ended with {:?}", other.status)),
            Err(e) => return failed(format!("failed to wait for the probe: {e}")),
        },
        Err(e) => return failed(e.to_string()),
    };
    // Claim the filter only if it is seen at work: a denied call must fail inside.
    let claimed = |m: &String| m.starts_with("seccomp filter");
    if isolation.mechanisms.iter().any(claimed) && seccomp_allowed_in(&plan) {
        isolation.mechanisms.retain(|m| !claimed(m));
        isolation.missing.push(
            "seccomp filter not in force: a system call it denies (keyctl) was allowed".into(),
        );
        if isolation.level == IsolationLevel::Full {
            isolation.level = IsolationLevel::Partial;
        }
    }
    isolation
}

/// Whether `keyctl`, which the seccomp filter denies with `EPERM`, succeeds in a sandbox
/// made from `plan` (`false` too when it cannot be told).
fn seccomp_allowed_in(plan: &SandboxPlan) -> bool {
    let null = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map(OwnedFd::from)
    };
    let (Ok(stdout), Ok(stderr), Ok(channel)) = (null(), null(), null()) else {
        return false;
    };
    let fds = ChildFds {
        stdout,
        stderr,
        channel,
    };
    let main = ChildMain::InProcess(Box::new(|| {
        // KEYCTL_GET_KEYRING_ID (0) of the session keyring (-3), creating none: harmless.
        // SAFETY: a system call with integer arguments only.
        let result = unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                0 as std::ffi::c_long,
                -3 as std::ffi::c_long,
                0 as std::ffi::c_long,
            )
        };
        if result >= 0 { 1 } else { 0 }
    }));
    match spawn(plan, fds, main).map(|child| child.wait()) {
        Ok(Ok(exit)) => exit.status == ExitStatusKind::Exited(1),
        _ => false,
    }
}

/// A temporary folder removed on drop (mkdtemp).
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// Creates `$TMPDIR/<prefix>.XXXXXX`.
    pub(crate) fn new(prefix: &str) -> io::Result<TempDir> {
        let template = std::env::temp_dir().join(format!("{prefix}.XXXXXX"));
        let template =
            CString::new(template.into_os_string().into_encoded_bytes()).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidInput, "NUL in temporary folder path")
            })?;
        let raw = template.into_raw();
        // SAFETY: a writable NUL-terminated template; ownership returns to a CString below.
        let made = unsafe { libc::mkdtemp(raw) };
        let template = unsafe { CString::from_raw(raw) };
        if made.is_null() {
            return Err(io::Error::last_os_error());
        }
        let path: OsString = std::os::unix::ffi::OsStringExt::from_vec(template.into_bytes());
        Ok(TempDir(PathBuf::from(path)))
    }

    /// The folder.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
