//! The grader's side: starting (and restarting) the zygote process, sending it jobs, and
//! the handle to each job's child.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::wire::{self, Hello, Reply, Request};
use super::{EmbeddedError, EmbeddedJob, ZYGOTE_ARG, ZygoteInfo};
use crate::engine::process::{ChildExit, ChildFds, RunningChild, poll_in, poll_until};
use crate::sandbox::{self, ExitReport, IsolationReport};

/// How to start the zygote.
#[derive(Debug, Clone)]
pub struct ZygoteOptions {
    /// The folder holding `pykata_run.py` and `pykata_harness/`.
    pub harness_dir: PathBuf,
    /// The zygote's executable (run with [`ZYGOTE_ARG`] first); `None`:
    /// [`super::zygote_program`], `pykata-zygote` beside the running executable.
    pub program: Option<PathBuf>,
    /// Also import `pytest` in the zygote, when it is installed.
    pub preload_pytest: bool,
    /// The zygote's whole environment (nothing of the grader's leaks in). Its locale
    /// variables (`LANG`, `LC_*`) set the interpreter's locale and stdio encodings for every
    /// child, as a job's environment does for a fresh `python3`: give it the jobs' locale.
    /// `PYTHON*` variables are ignored (isolated mode). Each job then replaces `os.environ`.
    pub env: Vec<(String, String)>,
    /// Start each job in a sandbox built ahead of it where the machine allows
    /// (`crate::sandbox::spawn_warm`); `false`: build each job's sandbox when it comes.
    pub warm_sandboxes: bool,
    /// How long Python may take to start and import the harness.
    pub start_timeout: Duration,
    /// How long the zygote may take to answer a job request (the sandbox set up, the
    /// scratch folder copied in), including the time it spends starting the jobs that other
    /// threads sent before.
    pub reply_timeout: Duration,
}

impl ZygoteOptions {
    /// The defaults for a harness folder.
    pub fn new(harness_dir: impl Into<PathBuf>) -> ZygoteOptions {
        ZygoteOptions {
            harness_dir: harness_dir.into(),
            program: None,
            preload_pytest: false,
            env: vec![
                ("LANG".into(), "C.UTF-8".into()),
                ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
            ],
            warm_sandboxes: true,
            start_timeout: Duration::from_secs(60),
            reply_timeout: Duration::from_secs(90),
        }
    }

    /// The modules the zygote imports before it says it is ready (`?name`: only if it
    /// exists): what an exercise's first job needs. The rest of the harness and the
    /// standard library it uses (`ZYGOTE_PRELOAD` in the harness) are imported between jobs.
    fn preload(&self) -> Vec<String> {
        let mut modules: Vec<String> = ["pykata_harness.main", "?pykata_harness.exercise"]
            .map(String::from)
            .to_vec();
        if self.preload_pytest {
            modules.push("?pytest".into());
        }
        modules
    }
}

/// The grader's handle on the zygote: shared by every grading thread (`&self` everywhere).
///
/// The zygote process starts on the first [`Zygote::spawn`] (or [`Zygote::info`]). If it has
/// died since, the next job restarts it once and is retried. Dropping the `Zygote` (and every
/// [`EmbeddedChild`] it made) stops the zygote.
pub struct Zygote {
    options: ZygoteOptions,
    program: PathBuf,
    current: Mutex<Option<Arc<Process>>>,
}

impl Zygote {
    /// A zygote for the harness in `harness_dir`, from `pykata-zygote`; it starts lazily.
    pub fn start(harness_dir: &std::path::Path) -> Result<Zygote, EmbeddedError> {
        Zygote::with_options(ZygoteOptions::new(harness_dir))
    }

    /// A zygote started as `options` say; it starts lazily.
    pub fn with_options(options: ZygoteOptions) -> Result<Zygote, EmbeddedError> {
        let program = match &options.program {
            Some(program) => program.clone(),
            None => super::zygote_program()?,
        };
        Ok(Zygote {
            options,
            program,
            current: Mutex::new(None),
        })
    }

    /// Starts the zygote if it is not running, and says what interpreter it embeds.
    pub fn info(&self) -> Result<ZygoteInfo, EmbeddedError> {
        Ok(self.process()?.info.clone())
    }

    /// The zygote's pid, if it has been started (for diagnostics and tests).
    pub fn pid(&self) -> Option<u32> {
        let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        current.as_ref().map(|p| p.pid)
    }

    /// Starts `job` in a new sandbox made by the zygote (`job.sandbox`), with `fds` as its
    /// stdout, stderr and channel. Returns once the sandbox is set up and the job is about
    /// to run, not when it ends. The grader's copies of `fds` are closed on return, so the
    /// read ends see end of file once the job (and all it started) is gone.
    ///
    /// A sandbox that cannot be set up is [`EmbeddedError::Sandbox`].
    pub fn spawn(&self, job: EmbeddedJob, fds: ChildFds) -> Result<EmbeddedChild, EmbeddedError> {
        let mut paths = [&job.cwd, &job.sandbox.scratch_dir]
            .into_iter()
            .chain(&job.sandbox.read_only);
        if let Some(path) = paths.find(|p| p.to_str().is_none()) {
            return Err(EmbeddedError::NonUtf8Path(path.clone()));
        }
        let process = self.process()?;
        match process.try_spawn(&job, &fds, self.options.reply_timeout) {
            Err(Attempt::ZygoteGone) => {}
            other => return other.map_err(Attempt::into_error),
        }
        let process = self.restart(&process)?;
        process
            .try_spawn(&job, &fds, self.options.reply_timeout)
            .map_err(Attempt::into_error)
    }

    /// The running zygote, started if there is none.
    fn process(&self) -> Result<Arc<Process>, EmbeddedError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(process) = &*current {
            return Ok(process.clone());
        }
        let process = Arc::new(Process::launch(&self.program, &self.options)?);
        *current = Some(process.clone());
        Ok(process)
    }

    /// Replaces `dead` with a new zygote, unless another thread already did.
    fn restart(&self, dead: &Arc<Process>) -> Result<Arc<Process>, EmbeddedError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(process) = current.as_ref().filter(|p| !Arc::ptr_eq(p, dead)) {
            return Ok(process.clone());
        }
        // Forget the dead one first: if the new one fails to start, the next job tries again.
        *current = None;
        let process = Arc::new(Process::launch(&self.program, &self.options)?);
        *current = Some(process.clone());
        Ok(process)
    }
}

/// How one attempt to start a job went wrong.
enum Attempt {
    /// The zygote is dead (its socket is closed): restart it and try again.
    ZygoteGone,
    /// Anything else: give up.
    Failed(EmbeddedError),
}

impl Attempt {
    fn into_error(self) -> EmbeddedError {
        match self {
            Attempt::ZygoteGone => EmbeddedError::Died,
            Attempt::Failed(err) => err,
        }
    }
}

/// One zygote process. Kept alive by the [`Zygote`] and by every child it started.
struct Process {
    pid: u32,
    child: Mutex<Child>,
    /// `None` only while dropping.
    control: Option<OwnedFd>,
    info: ZygoteInfo,
    /// The zygote's `--warm-scratch` folder, removed after the zygote has ended.
    _warm_scratch: Option<tempfile::TempDir>,
}

impl Process {
    fn launch(
        program: &std::path::Path,
        options: &ZygoteOptions,
    ) -> Result<Process, EmbeddedError> {
        let (ours, theirs) = wire::seqpacket_pair()?;
        // Move the zygote's end above 3, so that the dup2 onto 3 below can neither be a
        // no-op (keeping close-on-exec) nor be clobbered by Command's own stdio set-up.
        let theirs = dup_above(theirs.as_fd(), 4)?;
        let raw = theirs.as_raw_fd();
        let mut command = Command::new(program);
        command
            .arg(ZYGOTE_ARG)
            .arg("--control-fd")
            .arg("3")
            .arg("--harness")
            .arg(&options.harness_dir)
            .env_clear()
            .envs(options.env.iter().map(|(key, value)| (key, value)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C at the terminal is the grader's to handle,
            // and reaches neither the zygote nor its children.
            .process_group(0);
        for module in options.preload() {
            command.arg("--preload").arg(module);
        }
        // The grader's executable (`pykata`, which embeds the catalogue) is hidden from the
        // zygote's sandboxes as from the grader's own (`crate::sandbox::hide`).
        if let Ok(grader) = std::env::current_exe() {
            command.arg("--hide").arg(grader);
        }
        // The empty folder every warm sandbox's scratch is made from; this process removes
        // it, whatever becomes of the zygote.
        let warm_scratch = if options.warm_sandboxes {
            let dir = tempfile::Builder::new()
                .prefix("pykata-warm-scratch-")
                .tempdir_in(crate::settings::temp_root())?;
            command.arg("--warm-scratch").arg(dir.path());
            Some(dir)
        } else {
            None
        };
        // SAFETY: dup2 is async-signal-safe, as required between fork and exec.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(raw, 3) < 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().map_err(|source| EmbeddedError::Launch {
            program: program.to_owned(),
            source,
        })?;
        drop(theirs);
        let mut process = Process {
            pid: child.id(),
            child: Mutex::new(child),
            control: Some(ours),
            info: ZygoteInfo::default(),
            _warm_scratch: warm_scratch,
        };
        if !wire::wait_readable(process.control(), Some(options.start_timeout))? {
            return Err(EmbeddedError::Timeout(options.start_timeout));
        }
        let hello = wire::recv(process.control())?;
        match hello {
            Some(packet) => match packet.parse::<Hello>()? {
                Hello::Ready { info } => {
                    if info.build != super::BUILD_ID {
                        return Err(EmbeddedError::OtherBuild(program.to_path_buf()));
                    }
                    process.info = *info;
                    Ok(process)
                }
                Hello::Failed { message } => Err(EmbeddedError::NotReady(message)),
            },
            None => {
                let status = process
                    .child
                    .get_mut()
                    .unwrap_or_else(|e| e.into_inner())
                    .wait()?;
                Err(EmbeddedError::DiedAtStart(status.to_string()))
            }
        }
    }

    fn control(&self) -> BorrowedFd<'_> {
        self.control
            .as_ref()
            .expect("control socket is open until drop")
            .as_fd()
    }

    /// Sends one job and waits for the child's pid.
    fn try_spawn(
        self: &Arc<Self>,
        job: &EmbeddedJob,
        fds: &ChildFds,
        timeout: Duration,
    ) -> Result<EmbeddedChild, Attempt> {
        let (ours, theirs) = wire::seqpacket_pair().map_err(|e| Attempt::Failed(e.into()))?;
        let passed = [
            theirs.as_fd(),
            fds.stdout.as_fd(),
            fds.stderr.as_fd(),
            fds.channel.as_fd(),
        ];
        match wire::send(self.control(), job, &passed) {
            Ok(()) => {}
            Err(err) if is_disconnect(&err) => return Err(Attempt::ZygoteGone),
            Err(err) => return Err(Attempt::Failed(err.into())),
        }
        // Only the zygote holds the other end now: if it dies, we read end of file.
        drop(theirs);
        let deadline = Instant::now() + timeout;
        if !wire::wait_readable(ours.as_fd(), Some(deadline - Instant::now()))
            .map_err(|e| Attempt::Failed(e.into()))?
        {
            return Err(Attempt::Failed(EmbeddedError::Timeout(timeout)));
        }
        let packet = match wire::recv(ours.as_fd()) {
            Ok(Some(packet)) => packet,
            Ok(None) => return Err(Attempt::ZygoteGone),
            Err(err) if is_disconnect(&err) => return Err(Attempt::ZygoteGone),
            Err(err) => return Err(Attempt::Failed(err.into())),
        };
        let reply = packet
            .parse::<Reply>()
            .map_err(|e| Attempt::Failed(e.into()))?;
        match reply {
            Reply::Started { pid, isolation } => Ok(EmbeddedChild {
                pid: pid as u32,
                isolation,
                killer: ChildKiller {
                    job_socket: Arc::new(ours),
                },
                exit: Mutex::new(None),
                report: Mutex::new(packet.fds.into_iter().next()),
                _zygote: self.clone(),
            }),
            Reply::Refused {
                message,
                sandbox: true,
            } => Err(Attempt::Failed(EmbeddedError::Sandbox(message))),
            Reply::Refused { message, .. } => Err(Attempt::Failed(EmbeddedError::Refused(message))),
            other => Err(Attempt::Failed(EmbeddedError::Refused(format!(
                "unexpected answer to a job request: {other:?}"
            )))),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Closing the control socket tells the zygote to kill its children and exit.
        drop(self.control.take());
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            match child.try_wait() {
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                _ => return,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn is_disconnect(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::NotConnected
    )
}

/// A close-on-exec duplicate of `fd` numbered `min` or above.
fn dup_above(fd: BorrowedFd<'_>, min: i32) -> io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC on a descriptor we hold returns a new one we own.
    let new = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, min) };
    if new < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// Kills a job's sandbox from any thread, any number of times, also after the
/// [`EmbeddedChild`] is dropped: asks the zygote, which alone holds the sandbox unreaped (so
/// the kill can never reach a recycled pid) and which kills it the way its isolation mode
/// requires (SIGKILL to the init of a PID namespace, or the init's lifeline).
#[derive(Debug, Clone)]
pub struct ChildKiller {
    /// The grader's end of the job socket.
    job_socket: Arc<OwnedFd>,
}

impl ChildKiller {
    /// Asks the zygote to kill every process of the job. Does nothing once the job has
    /// ended or the zygote is gone (its sandboxes die with it). Never blocks.
    pub fn kill(&self) {
        // A full queue already holds a kill request; a closed socket means nothing is left.
        let _ = wire::send_nowait(self.job_socket.as_fd(), &Request::Kill);
    }
}

/// One job: a sandbox started by the zygote, its main process a copy of the zygote. Dropping
/// it before it was waited for kills the job.
#[derive(Debug)]
pub struct EmbeddedChild {
    /// Host pid of the sandbox's init.
    pid: u32,
    isolation: IsolationReport,
    /// Also the job socket the zygote reports on.
    killer: ChildKiller,
    /// How it ended, once known; the lock also serialises reads of the job socket.
    exit: Mutex<Option<ChildExit>>,
    /// The sandbox init's report pipe (`sandbox::read_exit_report`), until it closes: how
    /// the main process ended, known as soon as it ends. Locked after `exit`.
    report: Mutex<Option<OwnedFd>>,
    _zygote: Arc<Process>,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl EmbeddedChild {
    /// The host pid of the job's sandbox init (the job's main process is its child).
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// The isolation this job got (the zygote's `SandboxedChild::isolation`).
    pub fn isolation(&self) -> &IsolationReport {
        &self.isolation
    }

    /// Kills every process of the job (through the zygote: see [`ChildKiller`]). Callable
    /// from any thread, also while another blocks in `wait`; does nothing once the job has
    /// ended.
    pub fn kill(&self) {
        self.killer.kill();
    }

    /// A handle that kills this job from anywhere, even after the child is dropped.
    pub fn killer(&self) -> ChildKiller {
        self.killer.clone()
    }

    /// Waits for the job to end (its sandbox included) and returns how its main process
    /// ended (again on later calls).
    pub fn wait(&self) -> io::Result<ChildExit> {
        match self.wait_timeout(None)? {
            Some(exit) => Ok(exit),
            None => unreachable!("waiting without a timeout returns only when the child ended"),
        }
    }

    /// Like [`EmbeddedChild::wait`], but gives up after `timeout` with `Ok(None)`.
    pub fn wait_timeout(
        &self,
        timeout: impl Into<Option<Duration>>,
    ) -> io::Result<Option<ChildExit>> {
        let mut exit = self.exit.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(exit) = *exit {
            return Ok(Some(exit));
        }
        let mut report = self.report.lock().unwrap_or_else(|e| e.into_inner());
        let socket = self.killer.job_socket.as_fd();
        let deadline = timeout.into().map(|t| Instant::now() + t);
        // The init's report comes first, straight from the init; the zygote's word (once it
        // has reaped the init) is what is left when the init was killed before it reported.
        loop {
            let mut fds = vec![poll_in(socket.as_raw_fd())];
            if let Some(fd) = report.as_ref() {
                fds.push(poll_in(fd.as_raw_fd()));
            }
            if poll_until(&mut fds, deadline)? == 0 {
                return Ok(None);
            }
            if fds.get(1).is_some_and(|fd| fd.revents != 0) {
                if let Some(fd) = report.as_ref() {
                    match sandbox::read_exit_report(fd.as_fd()) {
                        ExitReport::Ended(ended) => {
                            *exit = Some(ended);
                            return Ok(Some(ended));
                        }
                        ExitReport::Pending => {}
                        ExitReport::Missing => *report = None,
                    }
                }
                continue;
            }
            if fds[0].revents != 0 {
                break;
            }
        }
        let gone = || io::Error::other("the zygote died before reporting how the child ended");
        let packet = wire::recv(socket)?.ok_or_else(gone)?;
        match packet.parse::<Reply>()? {
            Reply::Exited { exit: ended } => {
                // The init has ended: a report it wrote is in its pipe by now.
                let ended = match report
                    .as_ref()
                    .map(|fd| sandbox::read_exit_report(fd.as_fd()))
                {
                    Some(ExitReport::Ended(reported)) => reported,
                    _ => ended,
                };
                *exit = Some(ended);
                Ok(Some(ended))
            }
            Reply::Lost { message } => Err(io::Error::other(message)),
            other => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("unexpected message from the zygote: {other:?}"),
            )),
        }
    }
}

impl RunningChild for EmbeddedChild {
    fn kill(&self) {
        EmbeddedChild::kill(self);
    }

    fn wait(&self) -> io::Result<ChildExit> {
        EmbeddedChild::wait(self)
    }
}

impl Drop for EmbeddedChild {
    fn drop(&mut self) {
        if self
            .exit
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .is_none()
        {
            self.kill();
        }
    }
}
