//! The one place where a job's child enters the sandbox, and what it is told to build.
//!
//! Placeholder: the sandbox module (`src/sandbox/`) will provide the real plan type and the
//! function; replace the two items below with a re-export of them. The plan crosses the
//! zygote socket, so it must stay `Serialize + Deserialize`.

use serde::{Deserialize, Serialize};

/// What the sandbox should build for one job (limits, namespaces, allowed paths...).
/// Empty for now: no isolation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPlan {}

/// Called in the forked child, after its stdio and channel are in place and every other
/// inherited descriptor is closed, before the working directory changes and before any
/// untrusted code (the harness imports the submission) runs. Returning an error makes the
/// child print it to its stderr and exit with status 71 (EX_OSERR).
///
/// A no-op until the sandbox lands.
pub(super) fn enter_sandbox(plan: &SandboxPlan) -> std::io::Result<()> {
    let _ = plan;
    Ok(())
}

/// Creates the job's process. Today a plain `fork()`; the sandbox replaces it with a
/// `clone(2)` into new namespaces (PID, mount, network, ...), which returns the same way.
///
/// Returns `Ok(0)` in the child and the child's pid (as the zygote sees it) in the zygote.
/// Called with the GIL held, between `PyOS_BeforeFork` and `PyOS_AfterFork_*`, in the
/// single-threaded zygote: it must not call into Python.
pub(super) fn fork_process(plan: &SandboxPlan) -> std::io::Result<libc::pid_t> {
    let _ = plan;
    // SAFETY: the zygote has exactly one thread (checked at start-up), so the child gets a
    // consistent copy of the whole process.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(pid)
}
