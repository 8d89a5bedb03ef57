//! `pykata doctor`: which engines and which isolation this machine gives.

use crate::assets::Unpacked;
use crate::engine::{Engine, default_python, subprocess::probe_interpreter};
use crate::sandbox::{IsolationLevel, IsolationReport};
use crate::settings::Isolation;

/// What the doctor found.
#[derive(Debug)]
pub struct Diagnosis {
    /// The interpreter the subprocess engine runs by default, or why it cannot run.
    pub python: Result<String, String>,
    /// Whether the embedded engine starts, or why not.
    pub embedded: Result<(), String>,
    /// What the sandbox gives on this machine.
    pub isolation: IsolationReport,
    /// Whether the embedded engine starts each job in a sandbox built ahead of it (it needs
    /// a root grader and the user-namespace design).
    pub warm_sandboxes: bool,
    /// Whether pytest is importable for the default interpreter (plain folders that need
    /// more than pykata's built-in runner).
    pub pytest: bool,
}

impl Diagnosis {
    /// Whether everything pykata can use is there.
    pub fn healthy(&self) -> bool {
        self.python.is_ok() && self.embedded.is_ok() && self.isolation.level == IsolationLevel::Full
    }
}

/// Examines this machine. Runs no untrusted code.
pub fn diagnose() -> Diagnosis {
    // First, while this process has no other thread: the probe runs code in a forked child.
    let isolation = crate::sandbox::probe();
    let python = default_python();
    let interpreter = probe_interpreter(&python)
        .map(|found| found.executable.display().to_string())
        .map_err(|error| format!("{}: {error}", python.display()));
    let embedded = Unpacked::new()
        .map_err(|error| format!("failed to unpack the harness: {error}"))
        .and_then(|unpacked| {
            Engine::embedded(&unpacked.harness, Isolation::BestEffort)
                .map(drop)
                .map_err(|error| error.to_string())
        });
    let pytest = std::process::Command::new(&python)
        .args(["-I", "-c", "import pytest"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let user_namespace = isolation
        .mechanisms
        .iter()
        .any(|mechanism| mechanism.starts_with("user namespace"));
    Diagnosis {
        python: interpreter,
        warm_sandboxes: embedded.is_ok() && root && user_namespace,
        embedded,
        isolation,
        pytest,
    }
}
