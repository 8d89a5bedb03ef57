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

/// Resource limits for one child run. Defaults come from [`Limits::default`], an
/// exercise's `[limits]` table overrides them, and the command line overrides both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time for the whole run.
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
