//! Running a Python child: the engines, the harness protocol, and supervision.

pub mod embedded;
pub mod process;
pub mod protocol;
pub mod subprocess;

use crate::sandbox::{ChildMain, SandboxPlan};
use crate::settings::{Isolation, Limits};
use process::{RunOutput, make_pipes, supervise};
use protocol::KnownLines;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The interpreter pykata was built against (and so the one the embedded engine runs),
/// when it still exists; otherwise `python3` from PATH.
pub fn default_python() -> PathBuf {
    let built = PathBuf::from(embedded::BUILD_PYTHON);
    if built.exists() {
        built
    } else {
        PathBuf::from("python3")
    }
}

/// Errors of starting or watching a child.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot use the Python interpreter {python}: {reason}")]
    Interpreter {
        python: PathBuf,
        reason: std::io::Error,
    },
    #[error("failed to start the sandboxed child: {0}")]
    Sandbox(#[from] crate::sandbox::SandboxError),
    #[error("failed to supervise the child process: {0}")]
    Supervise(std::io::Error),
    #[error("the embedded engine failed: {0}")]
    Embedded(#[from] embedded::EmbeddedError),
}

/// One run of the harness.
#[derive(Debug, Clone)]
pub struct Job {
    /// Arguments after `pykata_run.py`.
    pub harness_args: Vec<OsString>,
    /// The private scratch folder: the working directory of the run.
    pub scratch: PathBuf,
    /// Files or folders the run may read besides the interpreter and the harness (an
    /// exercise's cases.py). Nothing else of the grader's is visible.
    pub visible: Vec<PathBuf>,
    /// Limits of the run.
    pub limits: Limits,
    /// The lines an earlier run sent, with their messages: the same lines in this run are
    /// not parsed again (the reference's, for a submission of the same exercise and seed).
    pub known_lines: Option<Arc<KnownLines>>,
    /// The whole run this job is part of: a run restarted after a test that a limit
    /// stopped shares the whole run's time limit with the runs before it.
    pub clock: RunClock,
}

/// When a whole run (all the children of one graded PATH) started, and how many tests it
/// has as far as known yet (0: not known; the child's `collected` message tells).
#[derive(Debug, Clone, Copy)]
pub struct RunClock {
    pub started: Instant,
    pub tests: usize,
}

impl RunClock {
    /// A run starting now, its tests not known yet.
    pub fn now() -> RunClock {
        RunClock {
            started: Instant::now(),
            tests: 0,
        }
    }
}

/// Which engine an [`Engine`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// A fresh interpreter process per run.
    Subprocess,
    /// A fork of the zygote per run.
    Embedded,
}

impl EngineKind {
    /// The name used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Subprocess => "subprocess",
            EngineKind::Embedded => "embedded",
        }
    }
}

/// Runs jobs: the one place that knows how a child is started.
pub struct Engine {
    interpreter: subprocess::Interpreter,
    harness_dir: PathBuf,
    zygote: Option<embedded::Zygote>,
    isolation: Isolation,
}

impl Engine {
    /// The subprocess engine running `python` on the harness in `harness_dir`.
    pub fn subprocess(
        python: &Path,
        harness_dir: &Path,
        isolation: Isolation,
    ) -> Result<Engine, EngineError> {
        let interpreter =
            subprocess::probe_interpreter(python).map_err(|reason| EngineError::Interpreter {
                python: python.to_path_buf(),
                reason,
            })?;
        Ok(Engine {
            interpreter,
            harness_dir: harness_dir.to_path_buf(),
            zygote: None,
            isolation,
        })
    }

    /// The embedded engine, its zygote started and checked now so that a machine where it
    /// cannot work is known before any grading.
    pub fn embedded(harness_dir: &Path, isolation: Isolation) -> Result<Engine, EngineError> {
        let zygote = embedded::Zygote::start(harness_dir)?;
        // The zygote is the interpreter: what it says of itself is what the sandbox must show.
        let info = zygote.info()?;
        let interpreter = subprocess::Interpreter::new(
            PathBuf::from(&info.executable),
            [
                PathBuf::from(&info.prefix),
                PathBuf::from(&info.base_prefix),
            ],
        );
        Ok(Engine {
            interpreter,
            harness_dir: harness_dir.to_path_buf(),
            zygote: Some(zygote),
            isolation,
        })
    }

    /// Which engine this is.
    pub fn kind(&self) -> EngineKind {
        if self.zygote.is_some() {
            EngineKind::Embedded
        } else {
            EngineKind::Subprocess
        }
    }

    /// The interpreter this engine runs.
    pub fn python(&self) -> &Path {
        &self.interpreter.executable
    }

    /// What the sandbox of a job must build.
    fn sandbox_plan(&self, job: &Job) -> SandboxPlan {
        let mut read_only = self.interpreter.folders.clone();
        read_only.push(self.harness_dir.clone());
        read_only.extend(job.visible.iter().cloned());
        SandboxPlan {
            scratch_dir: job.scratch.clone(),
            read_only,
            limits: job.limits.sandbox(),
            request: self.isolation.request(),
        }
    }

    /// Runs one job to its end and returns what was observed.
    pub fn run(&self, job: &Job) -> Result<RunOutput, EngineError> {
        let (pipes, fds) = make_pipes().map_err(EngineError::Supervise)?;
        let env = child_environment(&job.scratch);
        if let Some(zygote) = &self.zygote {
            let text = |value: &OsString| value.to_string_lossy().into_owned();
            let embedded_job = embedded::EmbeddedJob {
                argv: job.harness_args.iter().map(text).collect(),
                cwd: job.scratch.clone(),
                env: env
                    .iter()
                    .map(|(key, value)| (text(key), text(value)))
                    .collect(),
                sandbox: self.sandbox_plan(job),
            };
            let child = zygote.spawn(embedded_job, fds)?;
            let isolation = Some(child.isolation().clone());
            return supervise(
                &child,
                pipes,
                &job.limits,
                job.clock,
                isolation,
                job.known_lines.as_deref(),
            )
            .map_err(EngineError::Supervise);
        }
        let mut args: Vec<OsString> = vec![
            "-I".into(),
            "-B".into(),
            self.harness_dir.join("pykata_run.py").into(),
        ];
        args.extend(job.harness_args.iter().cloned());
        let main = ChildMain::Exec {
            program: self.interpreter.executable.clone(),
            args,
            env,
        };
        let child = crate::sandbox::spawn(&self.sandbox_plan(job), fds, main)?;
        let isolation = child.isolation.clone();
        supervise(
            &child,
            pipes,
            &job.limits,
            job.clock,
            Some(isolation),
            job.known_lines.as_deref(),
        )
        .map_err(EngineError::Supervise)
    }
}

impl Engine {
    /// Runs a stand-alone Python snippet in the sandbox: `python -I -c CODE` with no input,
    /// `scratch` as its working folder, nothing of the grader's visible. `pykata verify`
    /// runs quiz items' code with it.
    pub fn run_snippet(
        &self,
        code: &str,
        scratch: &Path,
        limits: &Limits,
    ) -> Result<RunOutput, EngineError> {
        let (pipes, fds) = make_pipes().map_err(EngineError::Supervise)?;
        let job = Job {
            harness_args: Vec::new(),
            scratch: scratch.to_path_buf(),
            visible: Vec::new(),
            limits: *limits,
            known_lines: None,
            clock: RunClock::now(),
        };
        let main = ChildMain::Exec {
            program: self.interpreter.executable.clone(),
            args: vec!["-I".into(), "-B".into(), "-c".into(), code.into()],
            env: child_environment(scratch),
        };
        let child = crate::sandbox::spawn(&self.sandbox_plan(&job), fds, main)?;
        let isolation = child.isolation.clone();
        supervise(&child, pipes, limits, job.clock, Some(isolation), None)
            .map_err(EngineError::Supervise)
    }
}

/// The whole environment of a child: nothing of the grader's leaks in.
fn child_environment(scratch: &Path) -> Vec<(OsString, OsString)> {
    vec![
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ("LANG".into(), "C.UTF-8".into()),
        ("HOME".into(), scratch.as_os_str().to_owned()),
        ("TMPDIR".into(), scratch.as_os_str().to_owned()),
    ]
}
