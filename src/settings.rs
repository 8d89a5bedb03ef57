//! Resolved settings: what the core needs to know, after the command line, the exercise's
//! own limits and the defaults have been merged. The core never sees clap.

use std::path::PathBuf;
use std::time::Duration;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Coloured (on a terminal) report for people.
    Human,
    /// JSON Lines: one object per graded path.
    Json,
    /// One JUnit XML document for the whole run.
    Junit,
    /// TAP version 14.
    Tap,
    /// Gradescope's results.json, one object per graded path per line.
    Gradescope,
    /// exercism's results.json (version 3), one object per graded path per line.
    Exercism,
    /// GitHub Actions workflow commands: groups, annotations, a step summary.
    Github,
}

/// When the human report uses colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

/// Which engine runs the Python children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineChoice {
    /// The fastest engine that works on this machine.
    Auto,
    /// The zygote with CPython embedded (fails when it cannot start).
    Embedded,
    /// A fresh `python3` process per run.
    Subprocess,
}

/// How many times one graded PATH's run is restarted after a limit stopped it in the
/// middle of a test or case (the tests after it then run in a fresh child). Past this, the
/// tests not yet run are reported as not run: a submission that hangs in every test costs
/// at most `RESTARTS + 1` times the per-test limit.
pub const RESTARTS: u32 = 3;

/// What each test adds to the whole run's time limit ([`Limits::run_time`]).
pub const RUN_TIME_PER_TEST: Duration = Duration::from_secs(1);

/// How long the grader waits for a child to exit once it has sent its completion record;
/// then it ends the child and keeps the results (a thread or process left running by the
/// submission costs nothing more).
pub const EXIT_GRACE: Duration = Duration::from_millis(200);

/// Resource limits for one child run. Defaults come from [`Limits::default`], an
/// exercise's `[limits]` table overrides them, and the command line overrides both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time of each test or case, and of what comes before the first one
    /// (loading the submission, collecting the tests). The whole run has
    /// [`Limits::run_time`].
    pub wall_time: Duration,
    /// CPU time of the run's main process, in seconds.
    pub cpu_seconds: u64,
    /// Address space of each process of the run.
    pub memory_bytes: u64,
    /// Processes and threads of the run.
    pub processes: u64,
    /// Largest file the run may write.
    pub file_size_bytes: u64,
    /// Open files of each process.
    pub open_files: u64,
    /// Size of the writable scratch folder (and of /tmp inside the sandbox).
    pub scratch_bytes: u64,
    /// Captured stdout plus stderr; past this the output is cut and the run fails.
    pub output_bytes: usize,
    /// Bytes accepted on the private results channel.
    pub channel_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall_time: Duration::from_secs(10),
            cpu_seconds: 10,
            memory_bytes: 1 << 30,
            processes: 64,
            file_size_bytes: 16 << 20,
            open_files: 256,
            scratch_bytes: 64 << 20,
            output_bytes: 1 << 20,
            channel_bytes: 64 << 20,
        }
    }
}

impl Limits {
    /// The wall-clock limit of a whole run of `tests` tests (or cases), restarts included:
    /// the per-test limit times `RESTARTS + 1`, plus `RUN_TIME_PER_TEST` per test. Before
    /// the tests are known, `tests` is 0.
    pub fn run_time(&self, tests: usize) -> Duration {
        self.wall_time.saturating_mul(RESTARTS + 1).saturating_add(
            RUN_TIME_PER_TEST.saturating_mul(u32::try_from(tests).unwrap_or(u32::MAX)),
        )
    }

    /// The part the sandbox enforces.
    pub fn sandbox(&self) -> crate::sandbox::Limits {
        crate::sandbox::Limits {
            cpu_seconds: self.cpu_seconds,
            memory_bytes: self.memory_bytes,
            processes: self.processes,
            file_size_bytes: self.file_size_bytes,
            open_files: self.open_files,
            scratch_bytes: self.scratch_bytes,
        }
    }
}

/// CPU-time limit of each run of a plain folder, in seconds (an exercise's run has
/// `Limits::default().cpu_seconds` unless its exercise.toml says otherwise).
pub const FOLDER_CPU_SECONDS: u64 = 60;

/// The default limits in one paragraph, as `pykata check --help` and the README state
/// them (a test checks that the README says the same).
pub fn limits_summary() -> String {
    let limits = Limits::default();
    let per_test = limits.wall_time.as_secs();
    format!(
        "Default limits: each test (of a plain folder) or case (of an exercise) may take {per_test} s of wall-clock time (an exercise's limits.timeout_seconds, or --timeout, sets it; loading and collecting before the first test get the same). The whole run may take {} times that plus {} s per test. When a limit stops a run in a test, that test fails with the limit's verdict and a fresh run grades the tests after it, at most {RESTARTS} times; the tests left after that are reported as not run. Output: {} MiB on stdout and on stderr each (what a test prints beyond the {} KiB kept for its report counts). CPU: {} s per run ({FOLDER_CPU_SECONDS} s for plain folders; --cpu-limit). Memory: {} MiB of address space per process (--memory-limit). Once the run has reported its last result, it has {} s to exit before it is ended.",
        RESTARTS + 1,
        RUN_TIME_PER_TEST.as_secs(),
        limits.output_bytes >> 20,
        CAPTURE_KEPT_BYTES >> 10,
        limits.cpu_seconds,
        limits.memory_bytes >> 20,
        EXIT_GRACE.as_secs_f64(),
    )
}

/// What the harness keeps of a test's own output for its report (`cases.OUTPUT_LIMIT`,
/// `folder.capture.LIMIT`, in characters); the rest goes to the run's stdout.
pub const CAPTURE_KEPT_BYTES: usize = 64 * 1024;

/// Per-run overrides of [`Limits`] given on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOverrides {
    /// `--timeout SECONDS`.
    pub wall_time: Option<Duration>,
    /// `--cpu-limit SECONDS`.
    pub cpu_seconds: Option<u64>,
    /// `--memory-limit MIB`.
    pub memory_bytes: Option<u64>,
}

/// How much isolation a run demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isolation {
    /// Use what the machine gives; say what is missing.
    BestEffort,
    /// Refuse to grade with less than full isolation (`--require-sandbox`).
    Required,
    /// No sandbox: only limits and the kill of the process tree (`--no-sandbox`).
    Off,
}

impl Isolation {
    /// The sandbox's request for this setting.
    pub fn request(self) -> crate::sandbox::IsolationRequest {
        match self {
            Isolation::BestEffort => crate::sandbox::IsolationRequest::BestEffort,
            Isolation::Required => crate::sandbox::IsolationRequest::Full,
            Isolation::Off => crate::sandbox::IsolationRequest::Off,
        }
    }
}

/// Everything `pykata check` needs.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    /// What to grade: bundled exercise ids, exercise folders, plain test folders or files.
    pub targets: Vec<String>,
    /// The file to grade for an exercise id or exercise folder.
    pub submission: Option<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Engine choice.
    pub engine: EngineChoice,
    /// Interpreter for the subprocess engine; `None` means the one pykata was built against.
    pub python: Option<PathBuf>,
    /// Seed of randomised cases; `None` picks one per run.
    pub seed: Option<u64>,
    /// Limit overrides.
    pub limits: LimitOverrides,
    /// Colour in the human report.
    pub color: ColorMode,
    /// How many children may run at once.
    pub jobs: usize,
    /// How much isolation to demand.
    pub isolation: Isolation,
    /// Environment variables passed into plain folders' runs (`--env NAME`), with their
    /// values.
    pub folder_env: Vec<(String, String)>,
    /// Show hidden cases' names and details (instructors); by default a hidden case only
    /// says whether it passed and what it scored.
    pub show_hidden: bool,
}

/// Where pykata makes its private temporary folders (the unpacked harness and catalogue,
/// each run's scratch folder): `$TMPDIR` when it is set; otherwise `/dev/shm` when it is a
/// tmpfs this process may write to, else the system's temporary folder. These folders
/// live for one command or one run: in memory, making and removing a run's scratch folder
/// takes a tenth of what it takes on a journalling disk file system (about 0.1 ms against
/// 0.9 ms per run on ext4 here).
pub fn temp_root() -> PathBuf {
    if std::env::var_os("TMPDIR").is_some_and(|dir| !dir.is_empty()) {
        return std::env::temp_dir();
    }
    let shm = std::path::Path::new("/dev/shm");
    if is_writable_tmpfs(shm) {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

fn is_writable_tmpfs(path: &std::path::Path) -> bool {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    // SAFETY: statfs fills the zeroed struct; access only reads the path.
    unsafe {
        let mut stat: libc::statfs = std::mem::zeroed();
        libc::statfs(c_path.as_ptr(), &mut stat) == 0
            && stat.f_type as i64 == TMPFS_MAGIC
            && libc::access(c_path.as_ptr(), libc::W_OK | libc::X_OK) == 0
    }
}
