//! Measuring tools shared by the sections: timed commands, the tests' own time of an
//! exercise, the Python interpreters in play, and the machine.

use crate::stats::Samples;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const TESTS_TIME_PY: &str = include_str!("tests_time.py");

/// Runs `command` to its end with stdout and stderr discarded; its wall time and status.
pub fn time_command(command: &mut Command) -> (Duration, ExitStatus) {
    command.stdin(Stdio::null());
    let started = Instant::now();
    let status = command
        .status()
        .unwrap_or_else(|error| panic!("failed to run {command:?}: {error}"));
    (started.elapsed(), status)
}

/// A command whose stdout and stderr go nowhere.
pub fn quiet(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// A quiet command whose fd 3 is /dev/null (the harness's channel when run by hand).
pub fn with_channel_on_devnull(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let devnull = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .expect("failed to open /dev/null");
    let mut command = quiet(program);
    // SAFETY: dup2 is async-signal-safe; the file stays open in the parent (moved into the
    // closure, which the command keeps) until the child has run it.
    unsafe {
        command.pre_exec(move || {
            if libc::dup2(devnull.as_raw_fd(), 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command
}

/// The tests' own time of one exercise and submission, measured on request beside the
/// grades (see tests_time.py): a Python process that keeps the cases and the submission
/// loaded and runs one pass over every case per [`TestsTimer::pass`].
pub struct TestsTimer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// The first pass, in a fresh process.
    pub cold_ms: f64,
    /// Every pass asked for with [`TestsTimer::pass`], in order.
    passes: Vec<f64>,
}

impl TestsTimer {
    /// Starts the process and makes its cold pass and a few warm-up passes.
    pub fn start(
        scratch: &Path,
        harness: &Path,
        cases: &Path,
        submission: &Path,
        module: &str,
        seed: u64,
    ) -> TestsTimer {
        let script = scratch.join("tests_time.py");
        if !script.exists() {
            crate::fixtures::write(&script, TESTS_TIME_PY);
        }
        let mut child = Command::new(pykata::engine::default_python())
            .args(["-I", "-B"])
            .arg(&script)
            .arg(harness)
            .arg(cases)
            .arg(submission)
            .arg(module)
            .arg(seed.to_string())
            .current_dir(scratch)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("failed to run tests_time.py");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut timer = TestsTimer {
            child,
            stdin,
            stdout,
            cold_ms: f64::NAN,
            passes: Vec::new(),
        };
        timer.cold_ms = timer.one();
        for _ in 0..3 {
            timer.one();
        }
        timer
    }

    fn one(&mut self) -> f64 {
        let stdin = self.stdin.as_mut().expect("the timer is running");
        writeln!(stdin, "run")
            .and_then(|()| stdin.flush())
            .expect("tests_time.py stopped");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("tests_time.py stopped");
        let nanos: u64 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("tests_time.py printed {line:?}"));
        nanos as f64 / 1e6
    }

    /// One more pass, recorded; its milliseconds.
    pub fn pass(&mut self) -> f64 {
        let ms = self.one();
        self.passes.push(ms);
        ms
    }

    /// Every recorded pass.
    pub fn passes(&self) -> Samples {
        let mut samples = Samples::default();
        for &ms in &self.passes {
            samples.push(ms);
        }
        samples
    }

    /// The median of all recorded passes: the tests' own time.
    pub fn ms(&self) -> f64 {
        self.passes().median()
    }

    /// The median of the passes recorded around pass `index` (two on each side): what is
    /// subtracted from the wall time measured beside that pass.
    pub fn near(&self, index: usize) -> f64 {
        let from = index.saturating_sub(2);
        let to = (index + 3).min(self.passes.len());
        let mut samples = Samples::default();
        for &ms in &self.passes[from.min(to)..to] {
            samples.push(ms);
        }
        samples.median()
    }
}

impl Drop for TestsTimer {
    fn drop(&mut self) {
        // End of input ends the loop.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// What an interpreter says about itself: `version (executable)`.
pub fn python_identity(python: &Path) -> String {
    let output = Command::new(python)
        .args([
            "-I",
            "-c",
            "import platform, sys; print(platform.python_version(), sys.executable, sys.prefix)",
        ])
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            let mut parts = text.split_whitespace();
            let version = parts.next().unwrap_or("?");
            let executable = parts.next().unwrap_or("?");
            let prefix = parts.next().unwrap_or("?");
            format!("CPython {version}, `{executable}` (sys.prefix `{prefix}`)")
        }
        _ => format!("`{}` (did not run)", python.display()),
    }
}

/// The pykata binary cargo built for this benchmark.
pub fn pykata_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pykata"))
}

/// The machine, the date and the commit, for the record.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub machine: String,
    pub date: String,
    pub commit: String,
    pub python: String,
    /// The 1-minute load average when the run started (the machines are shared).
    pub load_before: String,
    /// The same when the run ended; filled in by [`Provenance::finish`].
    pub load_after: String,
    /// Other pykata benchmarks seen running during this one (their pids).
    pub concurrent: std::collections::BTreeSet<u32>,
}

impl Provenance {
    /// Gathers it now.
    pub fn gather() -> Provenance {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
            .unwrap_or_else(|| "unknown CPU".into());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string();
        let machine = format!("{cores} cores ({cpu}), {memory_gib:.0} GiB RAM, Linux {kernel}");
        let date = run_text(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
            .unwrap_or_else(|| "unknown date".into());
        let root = env!("CARGO_MANIFEST_DIR");
        let commit =
            run_text(Command::new("git").args(["-C", root, "rev-parse", "--short", "HEAD"]))
                .map(|hash| {
                    // No optional index refresh: this must not touch the repository.
                    let dirty =
                        run_text(Command::new("git").env("GIT_OPTIONAL_LOCKS", "0").args([
                            "-C",
                            root,
                            "status",
                            "--porcelain",
                            "--untracked-files=no",
                        ]))
                        .is_some_and(|status| !status.is_empty());
                    if dirty {
                        format!("{hash} (with uncommitted changes)")
                    } else {
                        hash
                    }
                })
                .unwrap_or_else(|| "unknown commit".into());
        Provenance {
            machine,
            date,
            commit,
            python: python_identity(&pykata::engine::default_python()),
            load_before: load_average(),
            load_after: String::new(),
            concurrent: other_benchmarks(),
        }
    }

    /// Looks again for other benchmarks (call it between sections).
    pub fn check_concurrent(&mut self) {
        let others = other_benchmarks();
        if !others.is_empty() {
            eprintln!(
                "pykata_bench: WARNING: another pykata benchmark is running (pids {others:?}): \
                 the two disturb each other's figures"
            );
        }
        self.concurrent.extend(others);
    }

    /// Records the load average at the end of the run.
    pub fn finish(&mut self) {
        self.load_after = load_average();
        self.check_concurrent();
    }
}

/// Other processes running this benchmark (not this one, nor a zygote it started).
fn other_benchmarks() -> std::collections::BTreeSet<u32> {
    let own = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Default::default();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own)
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmdline.split(|&byte| byte == 0).collect();
            let program = args.first().copied().unwrap_or_default();
            String::from_utf8_lossy(program).contains("pykata_bench")
                && args.iter().any(|arg| *arg == b"--bench")
        })
        .collect()
}

/// The 1-minute load average.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The trimmed stdout of a command that succeeded.
fn run_text(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}
