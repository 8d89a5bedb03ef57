//! The one small builder every CLI test uses: run the real `pykata` binary, capture its
//! exit code and output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path below tests/fixtures.
pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

/// A path below exercises/.
pub fn exercise_file(relative: &str) -> PathBuf {
    root().join("exercises").join(relative)
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON Lines of stdout, parsed.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|error| panic!("not JSON ({error}): {line}\n{self:#?}"))
            })
            .collect()
    }

    /// The single JSON object of a one-PATH run.
    pub fn json(&self) -> serde_json::Value {
        let mut lines = self.json_lines();
        assert_eq!(lines.len(), 1, "expected one JSON line: {self:#?}");
        lines.remove(0)
    }

    /// Asserts the exit code, showing everything when it differs.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "unexpected exit code: {self:#?}");
        self
    }
}

/// Builds one invocation of `pykata`.
pub struct Pykata {
    command: Command,
    stdin: Option<String>,
}

impl Pykata {
    pub fn new() -> Pykata {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pykata"));
        command.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
        Pykata {
            command,
            stdin: None,
        }
    }

    /// Text given on stdin (otherwise stdin is empty).
    pub fn stdin_text(mut self, text: &str) -> Pykata {
        self.stdin = Some(text.to_string());
        self
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Pykata {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Pykata
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Pykata {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Pykata {
        self.command.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Pykata {
        self.command.current_dir(dir);
        self
    }

    pub fn run(mut self) -> Run {
        let output = match self.stdin.take() {
            None => self.command.output(),
            Some(text) => {
                use std::io::Write;
                let mut child = self
                    .command
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("failed to run the pykata binary");
                let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
                child.wait_with_output()
            }
        }
        .expect("failed to run the pykata binary");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `pykata check EXERCISE --submission FILE --format json --seed 7`.
pub fn check_json(exercise: &str, submission: &Path) -> Run {
    Pykata::new()
        .args([
            "check",
            exercise,
            "--format",
            "json",
            "--seed",
            "7",
            "--submission",
        ])
        .arg(submission)
        .run()
}

/// Why this machine cannot give full isolation, found without asking pykata (so a pykata
/// regression cannot make a test skip itself): new mount, pid, network, ipc and uts
/// namespaces (inside a new user namespace unless root), Landlock and seccomp. `None` when
/// it can, or when `PYKATA_TEST_REQUIRE_SANDBOX` is set (the tests then fail instead).
pub fn machine_lacks_full_isolation() -> Option<String> {
    static WHY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if std::env::var_os("PYKATA_TEST_REQUIRE_SANDBOX").is_some() {
        return None;
    }
    WHY.get_or_init(|| {
        use std::os::unix::process::CommandExt;
        // SAFETY: geteuid cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let mut flags = libc::CLONE_NEWNS
            | libc::CLONE_NEWPID
            | libc::CLONE_NEWNET
            | libc::CLONE_NEWIPC
            | libc::CLONE_NEWUTS;
        if !root {
            flags |= libc::CLONE_NEWUSER;
        }
        let mut command = Command::new("/bin/sh");
        command.args(["-c", "exit 0"]);
        // SAFETY: unshare is a plain system call, allowed between fork and exec.
        unsafe {
            command.pre_exec(move || {
                if libc::unshare(flags) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        if let Err(error) = command.status() {
            return Some(format!("no new namespaces: {error}"));
        }
        // SAFETY: asks for the Landlock ABI version (flag 1), with no ruleset.
        let abi = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<u8>(),
                0usize,
                1u32,
            )
        };
        if abi < 1 {
            return Some("no Landlock".into());
        }
        // SAFETY: reads this process's seccomp mode.
        if unsafe { libc::prctl(libc::PR_GET_SECCOMP) } < 0 {
            return Some("no seccomp".into());
        }
        None
    })
    .clone()
}

/// Prints the one line that says a test was skipped for want of full isolation, and
/// returns true, when the machine lacks it.
pub fn skip_without_full_isolation(test: &str) -> bool {
    match machine_lacks_full_isolation() {
        Some(why) => {
            println!(
                "skipped {test}: it needs full isolation, which this machine does not give ({why}); set PYKATA_TEST_REQUIRE_SANDBOX=1 to make it fail instead"
            );
            true
        }
        None => false,
    }
}
