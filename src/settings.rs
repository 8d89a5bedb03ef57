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
    /// Captured stdout plus stderr; past this the output is cut and the run fails.
    pub output_bytes: usize,
    /// Bytes accepted on the private results channel.
    pub channel_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall_time: Duration::from_secs(10),
            output_bytes: 1 << 20,
            channel_bytes: 64 << 20,
        }
    }
}

/// Per-run overrides of [`Limits`] given on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitOverrides {
    /// `--timeout SECONDS`.
    pub wall_time: Option<Duration>,
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
}
