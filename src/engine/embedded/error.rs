//! Errors of the embedded engine.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// Why the embedded engine could not start the zygote or a job.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// The path of the running binary, beside which the zygote is installed, is unknown.
    #[error("failed to find the pykata executable, beside which the zygote is installed")]
    CurrentExe(#[source] io::Error),
    /// The zygote's executable is not installed beside `pykata`.
    #[error(
        "the embedded engine's zygote {} is missing (`cargo install --path .` installs it \
         beside pykata)", .0.display()
    )]
    ZygoteMissing(PathBuf),
    /// The zygote's executable was built from other sources than `pykata`.
    #[error(
        "the embedded engine's zygote {} is from another build of pykata (reinstall both: \
         `cargo install --path .`; in a checkout, `cargo build` builds both)", .0.display()
    )]
    OtherBuild(PathBuf),
    /// The zygote process could not be started.
    #[error("failed to start the zygote process {program}")]
    Launch {
        /// The executable that was started.
        program: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// Python could not be initialised or the harness could not be imported.
    #[error("the embedded Python did not start: {0}")]
    NotReady(String),
    /// The zygote exited before saying it was ready.
    #[error("the zygote exited before it was ready ({0})")]
    DiedAtStart(String),
    /// The zygote did not answer in time.
    #[error("the zygote did not answer within {0:?}")]
    Timeout(Duration),
    /// The zygote died, was restarted, and died again before starting the job.
    #[error("the zygote died twice while starting a job")]
    Died,
    /// The zygote received the job but did not start it.
    #[error("the zygote refused the job: {0}")]
    Refused(String),
    /// The job's sandbox could not be set up: the plan is wrong, or the isolation it demands
    /// is missing on this machine (the message is the zygote's `SandboxError`).
    #[error("{0}")]
    Sandbox(String),
    /// A path of the job (its working directory, a path of its sandbox plan) is not UTF-8
    /// (the wire carries text).
    #[error("a path of the job is not valid UTF-8: {0}")]
    NonUtf8Path(PathBuf),
    /// A system call on the grader's side failed.
    #[error("failed to talk to the zygote")]
    Io(#[from] io::Error),
}
