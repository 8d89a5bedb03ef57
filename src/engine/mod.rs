//! Running a Python child: the engines, the harness protocol, and supervision.

pub mod process;
pub mod protocol;
pub mod subprocess;

use crate::settings::Limits;
use process::{RunOutput, make_pipes, supervise};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The interpreter pykata was built against (and so the one the embedded engine runs),
/// when the build recorded one and it still exists; otherwise `python3` from PATH.
pub fn default_python() -> PathBuf {
    if let Some(built) = option_env!("PYKATA_BUILD_PYTHON") {
        let built = PathBuf::from(built);
        if built.exists() {
            return built;
        }
    }
    PathBuf::from("python3")
}

/// Errors of starting or watching a child.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("failed to start {python}: {source}")]
    Spawn {
        python: PathBuf,
        source: std::io::Error,
    },
    #[error("failed to supervise the child process: {0}")]
    Supervise(std::io::Error),
}

/// One run of the harness.
#[derive(Debug, Clone)]
pub struct Job {
    /// Arguments after `pykata_run.py`.
    pub harness_args: Vec<OsString>,
    /// The private scratch folder: the working directory of the run.
    pub scratch: PathBuf,
    /// Limits of the run.
    pub limits: Limits,
}

/// Runs jobs: the one place that knows how a child is started.
#[derive(Debug, Clone)]
pub struct Engine {
    python: PathBuf,
    harness_dir: PathBuf,
}

impl Engine {
    /// The subprocess engine running `python` on the harness in `harness_dir`.
    pub fn subprocess(python: PathBuf, harness_dir: &Path) -> Engine {
        Engine {
            python,
            harness_dir: harness_dir.to_path_buf(),
        }
    }

    /// The interpreter this engine runs.
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// Runs one job to its end and returns what was observed.
    pub fn run(&self, job: &Job) -> Result<RunOutput, EngineError> {
        let (pipes, fds) = make_pipes().map_err(EngineError::Supervise)?;
        let mut args: Vec<OsString> = vec![
            "-I".into(),
            "-B".into(),
            self.harness_dir.join("pykata_run.py").into(),
        ];
        args.extend(job.harness_args.iter().cloned());
        let env = child_environment(&job.scratch);
        let child = subprocess::spawn_python(&self.python, &args, &job.scratch, &env, fds)
            .map_err(|source| EngineError::Spawn {
                python: self.python.clone(),
                source,
            })?;
        supervise(&child, pipes, &job.limits).map_err(EngineError::Supervise)
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
