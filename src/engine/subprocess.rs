//! The subprocess engine: a fresh `python3 -I` per run, for any interpreter, started inside
//! the sandbox.

use crate::engine::process::{ChildExit, RunningChild};
use crate::sandbox::SandboxedChild;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

impl RunningChild for SandboxedChild {
    fn kill(&self) {
        SandboxedChild::kill(self);
    }

    fn wait(&self) -> io::Result<ChildExit> {
        SandboxedChild::wait(self)
    }
}

/// What the sandbox must show of an interpreter for it to run: its real executable and the
/// installation folders it loads its standard library and packages from.
#[derive(Debug, Clone)]
pub struct Interpreter {
    /// `sys.executable`: absolute, never a pyenv shim.
    pub executable: PathBuf,
    /// `sys.prefix`, `sys.base_prefix`, ... that are not already system folders.
    pub folders: Vec<PathBuf>,
}

/// The oldest Python the harness runs on (README.md says the same).
pub const MINIMUM_PYTHON: (u32, u32) = (3, 9);

/// Whether `version` ("3.11.7") is at least [`MINIMUM_PYTHON`].
fn is_supported_version(version: &str) -> bool {
    let mut parts = version.split('.').map(|part| part.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (major, minor) >= MINIMUM_PYTHON,
        _ => false,
    }
}

/// Asks `python` (trusted: the grader's own choice, run outside the sandbox) where it lives.
pub fn probe_interpreter(python: &Path) -> io::Result<Interpreter> {
    let output = Command::new(python)
        .args([
            // -E -s rather than -I, which Python 2 refuses before it could say its version.
            "-E",
            "-s",
            "-c",
            // Written to run on any Python, so that an old one gets a version message.
            "import sys\nprint('%d.%d.%d' % tuple(sys.version_info[:3]))\nprint(sys.executable)\nfor p in set([sys.prefix, getattr(sys, 'base_prefix', sys.prefix), sys.exec_prefix, getattr(sys, 'base_exec_prefix', sys.exec_prefix)]): print(p)",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "it failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or_default();
    if !is_supported_version(version) {
        return Err(io::Error::other(format!(
            "it is Python {version}, and pykata needs CPython {}.{} or newer",
            MINIMUM_PYTHON.0, MINIMUM_PYTHON.1
        )));
    }
    let mut lines = lines.map(PathBuf::from);
    let executable = lines
        .next()
        .filter(|path| path.is_absolute())
        .ok_or_else(|| io::Error::other("it did not report sys.executable"))?;
    Ok(Interpreter::new(executable, lines))
}

impl Interpreter {
    /// An interpreter from its executable and its installation folders (system folders and
    /// duplicates left out: the sandbox shows those anyway).
    pub fn new(executable: PathBuf, folders: impl IntoIterator<Item = PathBuf>) -> Interpreter {
        let mut kept: Vec<PathBuf> = Vec::new();
        for folder in folders {
            if folder.is_absolute() && !is_system_folder(&folder) && !kept.contains(&folder) {
                kept.push(folder);
            }
        }
        Interpreter {
            executable,
            folders: kept,
        }
    }
}

/// Folders the sandbox shows anyway (read-only system folders).
fn is_system_folder(folder: &Path) -> bool {
    folder == Path::new("/")
        || ["/usr", "/bin", "/lib", "/lib64", "/sbin"]
            .iter()
            .any(|system| folder.starts_with(system))
}

#[cfg(test)]
mod version_tests {
    #[test]
    fn versions_below_3_9_are_refused() {
        for (version, supported) in [
            ("3.9.0", true),
            ("3.13.0", true),
            ("3.10.2", true),
            ("4.0.0", true),
            ("3.8.18", false),
            ("2.7.18", false),
            ("", false),
        ] {
            assert_eq!(super::is_supported_version(version), supported, "{version}");
        }
    }
}
