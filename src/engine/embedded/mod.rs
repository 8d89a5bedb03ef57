//! The embedded engine: a zygote process that initialises CPython once (through pyo3),
//! imports the harness, then starts one sandbox per job whose main process is a copy of the
//! zygote.
//!
//! ```text
//!  grader (threads)                     zygote (one thread, Python initialised)
//!                                       between jobs: preload modules, then build warm
//!                                       sandboxes: PyOS_BeforeFork, sandbox::spawn_warm ─►
//!                                       init (PID 1, no Python) ─► main (PID 2):
//!                                       PyOS_AfterFork_Child, waits in JobHandoff::receive
//!  Zygote::spawn ── control socket ──►  recv job + [job socket, stdout, stderr, channel]
//!                                       take a warm sandbox of the job's shape (or build
//!                                       one now); WarmSandbox::start(scratch copy, fds,
//!                                       rlimits, job) ─► main: mounts the scratch, confines
//!                                       itself, chdir, run_child(argv)
//!  EmbeddedChild ◄── job socket ──────  Started{init pid, IsolationReport} + report pipe
//!    .kill() ── Kill (or hang-up) ───►  SandboxedChild::kill
//!    .wait() ◄── report pipe ─────────  the init's report, as soon as the main process ends
//!           ◄── job socket ──────────  (SIGCHLD) SandboxedChild::try_wait ─► Exited{ChildExit}
//! ```
//!
//! **Warm sandboxes.** Between jobs (never while a request waits) the zygote builds
//! sandboxes ahead of their jobs for the shapes of the latest jobs (a shape: the read-only
//! paths and the isolation demanded), two for the latest shape and one for each of two
//! others; while jobs run, only one, and only when the latest shape has none left (a build
//! takes CPU from the running jobs). The zygote only clones the sandbox's init; the init and
//! the main process finish the build on their own while the zygote goes on. The
//! namespaces, the new root, the fork of the main process and `PyOS_AfterFork_Child` are
//! then off the job's path, which costs the scratch copy, the main process's confinement
//! (Landlock, seccomp, capabilities, rlimits) and the harness.
//!
//! Two more things keep a job's own path short. While it waits, a warm main process copies
//! the pages of the zygote's memory that a job writes to (`MADV_POPULATE_WRITE`; which
//! pages was learned once, by running the first bundled exercise's reference solution in a
//! forked, trusted child and reading its page map), instead of the job taking a
//! copy-on-write fault for each. And once confined, it makes a sibling process that shares
//! its memory and does nothing (`hold_memory_past_exit`), so that its exit, the last step
//! before the init reports how the job ended, does not wait for that memory to be freed:
//! the sibling dies with the PID namespace, after the report.
//! Every job runs in a warm sandbox, built on the spot when none is ready, unless the
//! grader is not root (the job's scratch tmpfs is made by the zygote as root) or
//! `ZygoteOptions::warm_sandboxes` is off; then each job's sandbox is built when it comes,
//! with `sandbox::spawn`. Inside a warm sandbox the scratch folder is at the zygote's
//! `pykata-warm-scratch-*` path, not the job's host path: the zygote rewrites the job's paths
//! under its scratch folder (arguments, working directory, environment) before the handoff.
//!
//! **Channel encoding.** The zygote hands the harness's channel a native encoder
//! (`encoder.rs`, through `channel.use_native_encoder` in `bootstrap.prepare`): every job's
//! channel writes its JSON lines with it, the same bytes as the harness's json path (which
//! the subprocess engine uses), without a Python str per value.
//!
//! **Preloading.** The zygote says it is ready once Python is initialised and the harness's
//! exercise mode is imported; the rest of `ZYGOTE_PRELOAD` and the harness's warm-up are
//! done between jobs, one module at a time, so a one-shot `pykata check` does not wait for
//! them.
//!
//! **The zygote's executable.** The zygote is `pykata-zygote` ([`ZYGOTE_PROGRAM`], a second
//! binary of this package that `cargo install` puts beside `pykata`; [`zygote_program`]),
//! started with [`ZYGOTE_ARG`] first; it reports its [`BUILD_ID`], and one built from other
//! sources (a stale `pykata-zygote` beside a rebuilt `pykata`) is refused, as a missing one
//! is (`--engine auto` then falls back to the subprocess engine, with a notice). It is
//! fresh (so it never forks a process that has
//! threads), and it embeds no catalogue: `pykata` embeds the bundled exercises
//! (`crate::assets::register_catalogue`), its zygote does not, so no job forked from the
//! zygote has a reference solution, a mutant or an explanation in its memory. Nothing the
//! grader sends it holds one either: a job is paths, arguments and an environment; its
//! files reach the sandbox as a copy made without a buffer in the zygote's memory
//! (`crate::sandbox`'s `copy_tree`, `sendfile`). The page-learning run above executes a
//! reference solution only in a forked child that exits; the zygote reads none
//! (docs/SECURITY.md, "What a submission can see"; `tests/secrets.rs`).
//! Each job has its own socket, so jobs from several grader threads run at once without a
//! multiplexing protocol. The wire format is in `wire.rs`.
//!
//! The job's process is made by `crate::sandbox` with the job's [`SandboxPlan`], exactly as
//! the subprocess engine's: same namespaces, read-only view, rlimits, Landlock, seccomp,
//! and the kill of the whole tree, so the zygote is the sandbox's "grader" (it holds
//! each sandbox's lifeline: if the zygote dies, every sandbox it started dies too). The
//! sandbox's init is a copy of the zygote made between `PyOS_BeforeFork` and
//! `PyOS_AfterFork_Parent` that makes only raw system calls; the main process calls
//! `PyOS_AfterFork_Child` before anything else, and no untrusted code runs before the
//! sandbox is complete. Only the zygote knows the sandboxes' pids unreaped, so a kill
//! travels to it as a message and it calls `SandboxedChild::kill` (race-free, and right in
//! every isolation mode, including the ones without a PID namespace).
//!
//! The interpreter is the one pykata was built against (`build.rs`: rpath to its LIBDIR,
//! [`BUILD_PYTHON`]), initialised like `python3 -I -B`, and the child does what
//! `python3 -I -B HARNESS/pykata_run.py ARGV...` would (`bootstrap.py`), so both engines
//! give the same verdicts. Known differences: every child of one zygote shares the zygote's
//! string-hash seed (set iteration order is stable within a zygote's life), and modules the
//! zygote imported are already in `sys.modules`.

mod client;
mod encoder;
mod error;
mod python;
mod wire;
mod zygote;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use client::{ChildKiller, EmbeddedChild, Zygote, ZygoteOptions};
pub use error::EmbeddedError;

use crate::sandbox::SandboxPlan;

/// The hidden first argument the zygote's executable expects.
pub const ZYGOTE_ARG: &str = "__pykata-zygote";

/// The zygote's executable, installed beside `pykata`.
pub const ZYGOTE_PROGRAM: &str = "pykata-zygote";

/// The zygote's executable when it is not beside the running one ([`set_zygote_program`]).
static PROGRAM: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Makes [`zygote_program`] this path: for a program that is not installed beside
/// `pykata-zygote` (the benchmark passes cargo's `CARGO_BIN_EXE_pykata-zygote`). The first
/// call wins.
pub fn set_zygote_program(path: impl Into<PathBuf>) {
    let _ = PROGRAM.set(path.into());
}

/// The zygote's executable: the one [`set_zygote_program`] gave, else `pykata-zygote` in
/// the folder of the running executable (symbolic links resolved, as the kernel reports
/// it). An error when it is not there: then `pykata` falls back to the subprocess engine
/// (`--engine auto`) or says what is missing.
pub fn zygote_program() -> Result<PathBuf, EmbeddedError> {
    let program = match PROGRAM.get() {
        Some(program) => program.clone(),
        None => {
            let exe = std::env::current_exe().map_err(EmbeddedError::CurrentExe)?;
            exe.with_file_name(ZYGOTE_PROGRAM)
        }
    };
    if program.is_file() {
        Ok(program)
    } else {
        Err(EmbeddedError::ZygoteMissing(program))
    }
}

/// The Python executable pykata was built against (`sys.executable` of the interpreter pyo3
/// linked; never a pyenv shim). The embedded interpreter is this Python, and it is the
/// subprocess engine's default.
pub const BUILD_PYTHON: &str = env!("PYKATA_BUILD_PYTHON");

/// `BUILD_PYTHON`'s version, e.g. `3.11.7`. The zygote refuses to start if the libpython it
/// loaded is another version.
pub const BUILD_PYTHON_VERSION: &str = env!("PYKATA_BUILD_PYTHON_VERSION");

/// A digest of the sources this was built from (build.rs): the zygote reports its own, and
/// the grader refuses a zygote built from other sources.
pub const BUILD_ID: &str = env!("PYKATA_BUILD_ID");

/// One run of the harness: what `python3 -I -B HARNESS/pykata_run.py ARGV...` would run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedJob {
    /// The harness's arguments, e.g. `["--channel-fd", "3", "exercise", "--cases", ...]`.
    pub argv: Vec<String>,
    /// The child's working directory: the job's scratch folder (`sandbox.scratch_dir`).
    pub cwd: PathBuf,
    /// The child's whole environment (`os.environ` is replaced by this).
    pub env: Vec<(String, String)>,
    /// What the sandbox builds around the child, as for the subprocess engine. Its
    /// read-only paths must include the zygote's Python installation ([`ZygoteInfo::prefix`]
    /// and [`ZygoteInfo::base_prefix`], for modules imported after the fork) and the harness
    /// folder.
    pub sandbox: SandboxPlan,
}

/// What the zygote's interpreter says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZygoteInfo {
    /// `sys.version`.
    pub version: String,
    /// `sys.executable`.
    pub executable: String,
    /// `sys.prefix`.
    pub prefix: String,
    /// `sys.base_prefix`.
    pub base_prefix: String,
    /// The folder `os.py` was imported from.
    pub stdlib: String,
    /// `sys.argv[0]` of every child: the harness's `pykata_run.py`.
    pub argv0: String,
    /// The modules imported before the zygote said it was ready (the rest of the
    /// harness's `ZYGOTE_PRELOAD` is imported between jobs and not listed).
    pub preloaded: Vec<String>,
    /// Optional modules of that list that are not installed (e.g. `pytest`).
    pub missing: Vec<String>,
    /// The libpython shared library the zygote loaded.
    #[serde(default)]
    pub libpython: String,
    /// The zygote's [`BUILD_ID`].
    #[serde(default)]
    pub build: String,
}

/// The zygote executable's `main`: runs the zygote (the arguments must start with
/// [`ZYGOTE_ARG`]) and never returns.
pub fn run_zygote() -> ! {
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|arg| arg == ZYGOTE_ARG) {
        zygote::main(args.collect())
    }
    eprintln!(
        "{ZYGOTE_PROGRAM} is the embedded engine's zygote: pykata starts it; run pykata instead"
    );
    std::process::exit(2)
}
