//! The command line: clap definitions, their resolution into settings, and the dispatch of
//! each command. The only module that knows clap.

use crate::assets::Unpacked;
use crate::exercise::Catalogue;
use crate::grade::Grader;
use crate::report::reporter_for;
use crate::runner::{check, choose_engine, fresh_seed};
use crate::settings::{CheckSettings, ColorMode, EngineChoice, Format, Isolation, LimitOverrides};
use crate::verify::{exercises_to_verify, verify_exercise};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Grades Python code: bundled exercises against their reference, and plain folders of
/// unittest or pytest-style tests.
#[derive(Debug, Parser)]
#[command(name = "pykata", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a practice workspace: each bundled exercise's task and starter file.
    Init {
        /// Where to create it.
        #[arg(default_value = "pykata-practice")]
        dir: PathBuf,
    },
    /// Grade submissions: bundled exercise ids, exercise folders, or plain test folders.
    Check(CheckArgs),
    /// List the bundled exercises.
    List,
    /// Show which engines and which isolation this machine gives.
    Doctor,
    /// Once your file passes: the reference solution and why it works.
    Explain {
        /// Your solved file named after the exercise's module (retry.py, lru_cache.py...),
        /// or an exercise id or folder with --submission.
        #[arg(value_name = "PATH")]
        path: String,
        /// The file to grade for an exercise id or folder.
        #[arg(long, value_name = "FILE")]
        submission: Option<PathBuf>,
    },
    /// Show the hints of an exercise.
    Hint {
        /// The exercise id (see `pykata list`).
        id: String,
    },
    /// Check exercises as an author: references pass, starters and mutants fail.
    Verify {
        /// Bundled exercise ids or exercise folders; none means the whole catalogue.
        exercises: Vec<String>,
        /// Interpreter to run (implies the subprocess engine).
        #[arg(long)]
        python: Option<PathBuf>,
        /// Engine that runs Python.
        #[arg(long, value_enum, default_value = "auto")]
        engine: EngineArg,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EngineArg {
    Auto,
    Embedded,
    Subprocess,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// What to grade: a bundled exercise id, an exercise folder, a plain folder of test
    /// files and the modules they import, or a learner's file named after a bundled
    /// exercise's module (lru_cache.py).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// The file to grade for an exercise id or exercise folder.
    #[arg(long, value_name = "FILE")]
    submission: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Engine that runs Python.
    #[arg(long, value_enum, default_value = "auto")]
    engine: EngineArg,
    /// Python interpreter to run (implies the subprocess engine).
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
    /// Seed of the randomised cases (default: a fresh one per run, shown in the report).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Wall-clock limit of one run, in seconds (default: the exercise's, else 10; 60 for
    /// plain folders).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// CPU-time limit of one run, in seconds (default: the exercise's, else 10).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    cpu_limit: Option<u64>,
    /// Memory (address space) limit of each process of a run, in MiB (default: the
    /// exercise's, else 1024).
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(64..=1_048_576))]
    memory_limit: Option<u64>,
    /// Refuse to grade unless the machine gives full isolation (for CI and batch grading).
    #[arg(long, conflicts_with = "no_sandbox")]
    require_sandbox: bool,
    /// Run without the sandbox: only limits and the kill of the process tree. Only for
    /// code you trust.
    #[arg(long)]
    no_sandbox: bool,
    /// How many submissions are graded at once (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Show the names and details of hidden cases (for instructors; learners see only
    /// whether each hidden case passed and its points).
    #[arg(long)]
    show_hidden: bool,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err("the timeout must be above 0 and at most 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

impl CheckArgs {
    fn into_settings(self) -> CheckSettings {
        CheckSettings {
            targets: self.paths,
            submission: self.submission,
            format: match self.format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
            },
            engine: engine_choice(self.engine, &self.python),
            python: self.python,
            seed: self.seed,
            limits: LimitOverrides {
                wall_time: self.timeout,
                cpu_seconds: self.cpu_limit,
                memory_bytes: self.memory_limit.map(|mib| mib << 20),
            },
            isolation: if self.require_sandbox {
                Isolation::Required
            } else if self.no_sandbox {
                Isolation::Off
            } else {
                Isolation::BestEffort
            },
            color: match self.color {
                ColorArg::Auto => ColorMode::Auto,
                ColorArg::Always => ColorMode::Always,
                ColorArg::Never => ColorMode::Never,
            },
            jobs: self.jobs.unwrap_or_else(default_jobs).max(1),
            show_hidden: self.show_hidden,
        }
    }
}

/// `--python` implies the subprocess engine: only it runs any interpreter.
fn engine_choice(engine: EngineArg, python: &Option<PathBuf>) -> EngineChoice {
    match (engine, python) {
        (_, Some(_)) | (EngineArg::Subprocess, _) => EngineChoice::Subprocess,
        (EngineArg::Auto, None) => EngineChoice::Auto,
        (EngineArg::Embedded, None) => EngineChoice::Embedded,
    }
}

/// The number of cores, the default width of the worker pool.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| cores.get())
}

/// Runs the command line; errors are printed as one `error:` line and exit with 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let mut stderr = anstream::stderr();
            let red = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(stderr, "{red}error{red:#}: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let Some(command) = cli.command else {
        Cli::parse_from(["pykata", "--help"]);
        return Ok(0);
    };
    match command {
        Command::Check(args) => {
            let settings = args.into_settings();
            let mut reporter = reporter_for(settings.format, settings.color);
            let stats = check(&settings, reporter.as_mut())?;
            Ok(stats.exit_code())
        }
        Command::Init { dir } => {
            let catalogue = Catalogue::bundled()?;
            let outcome = crate::workspace::init(&dir, &catalogue)?;
            let mut out = anstream::stdout();
            writeln!(
                out,
                "Practice workspace in {}: {} files created, {} existing files kept.",
                dir.display(),
                outcome.created.len(),
                outcome.kept.len()
            )?;
            if let Some(first) = catalogue.exercises().first() {
                let file = dir
                    .join(&first.meta.id)
                    .join(format!("{}.py", first.meta.module));
                writeln!(
                    out,
                    "Start with {}/README.md, edit {}, then run:",
                    dir.join(&first.meta.id).display(),
                    file.display()
                )?;
                writeln!(out, "    pykata check {}", file.display())?;
            }
            Ok(0)
        }
        Command::Doctor => {
            let diagnosis = crate::doctor::diagnose();
            let mut out = anstream::stdout();
            let (green, red, yellow) = (
                anstyle::AnsiColor::Green.on_default(),
                anstyle::AnsiColor::Red.on_default(),
                anstyle::AnsiColor::Yellow.on_default(),
            );
            match &diagnosis.python {
                Ok(python) => writeln!(out, "{green}ok{green:#}   python: {python}")?,
                Err(why) => writeln!(out, "{red}FAIL{red:#} python: {why}")?,
            }
            match &diagnosis.embedded {
                Ok(()) => writeln!(
                    out,
                    "{green}ok{green:#}   embedded engine: CPython {} embedded",
                    crate::engine::embedded::BUILD_PYTHON_VERSION
                )?,
                Err(why) => writeln!(
                    out,
                    "{red}FAIL{red:#} embedded engine: {why} (the subprocess engine is used instead)"
                )?,
            }
            if diagnosis.warm_sandboxes {
                writeln!(
                    out,
                    "{green}ok{green:#}   warm sandboxes: each job starts in a sandbox built ahead of it"
                )?;
            } else if diagnosis.embedded.is_ok() {
                writeln!(
                    out,
                    "{yellow}note{yellow:#} warm sandboxes: off (they need pykata to run as root, with user namespaces): each job's sandbox is built when the job comes, a few milliseconds more per job"
                )?;
            }
            let isolation = &diagnosis.isolation;
            let (style, word) = match isolation.level {
                crate::sandbox::IsolationLevel::Full => (green, "full"),
                crate::sandbox::IsolationLevel::Partial => (yellow, "partial"),
                crate::sandbox::IsolationLevel::None => (red, "none"),
            };
            writeln!(out, "{style}{word:<4}{style:#} isolation")?;
            for mechanism in &isolation.mechanisms {
                writeln!(out, "       + {mechanism}")?;
            }
            for missing in &isolation.missing {
                writeln!(out, "       - {missing}")?;
            }
            if diagnosis.pytest {
                writeln!(
                    out,
                    "{green}ok{green:#}   pytest: installed (used for plain folders that need more than pykata's runner)"
                )?;
            } else {
                writeln!(
                    out,
                    "{yellow}note{yellow:#} pytest: not installed (pykata's built-in runner handles unittest and common pytest features)"
                )?;
            }
            Ok(if diagnosis.healthy() { 0 } else { 1 })
        }
        Command::List => {
            let catalogue = Catalogue::bundled()?;
            let mut out = anstream::stdout();
            for exercise in catalogue.exercises() {
                let meta = &exercise.meta;
                let minutes = meta
                    .estimated_minutes
                    .map_or_else(String::new, |minutes| format!("~{minutes} min"));
                writeln!(
                    out,
                    "{:<20} {:<16} {:<7} {:<8} {}",
                    meta.id,
                    meta.topic,
                    meta.difficulty.as_str(),
                    minutes,
                    meta.title
                )?;
            }
            Ok(0)
        }
        Command::Explain { path, submission } => {
            let file = submission.clone().unwrap_or_else(|| PathBuf::from(&path));
            let settings = CheckSettings {
                targets: vec![path],
                submission,
                format: Format::Human,
                engine: EngineChoice::Auto,
                python: None,
                seed: None,
                limits: LimitOverrides::default(),
                color: ColorMode::Auto,
                jobs: 1,
                isolation: Isolation::BestEffort,
                show_hidden: false,
            };
            let mut collected = crate::report::Collector::default();
            check(&settings, &mut collected)?;
            let Some(report) = collected.reports.first() else {
                bail!("{} was not graded", file.display());
            };
            // The exercise graded: bundled, or an exercise folder on disk.
            let exercise = match (&report.exercise, report.is_unusable()) {
                (Some(_), false) => match crate::exercise::resolve_target(
                    &settings.targets[0],
                    settings.submission.as_deref(),
                    &Catalogue::bundled()?,
                ) {
                    Ok(crate::exercise::Target::Exercise { exercise, .. }) => Some(*exercise),
                    _ => None,
                },
                _ => None,
            };
            let Some(exercise) = exercise else {
                bail!(
                    "{} is not a file of a bundled exercise: {}",
                    file.display(),
                    report
                        .error
                        .as_ref()
                        .map_or("name it after the exercise's module", |error| error
                            .message
                            .as_str())
                );
            };
            if report.status != crate::grade::Status::Pass {
                bail!(
                    "{} does not pass yet ({}/{} points): the explanation and the reference solution of {} are shown once it does (`pykata check {}`)",
                    file.display(),
                    report.score,
                    report.max_score,
                    exercise.meta.id,
                    file.display()
                );
            }
            let mut out = anstream::stdout();
            writeln!(out, "{}", exercise.file_text("explain.md")?.trim_end())?;
            writeln!(
                out,
                "\n## The reference solution\n\n```python\n{}```",
                exercise.file_text("solution.py")?
            )?;
            Ok(0)
        }
        Command::Hint { id } => {
            let catalogue = Catalogue::bundled()?;
            let Some(exercise) = catalogue.get(&id) else {
                bail!(crate::exercise::ExerciseError::NotFound {
                    suggestions: catalogue.suggest(&id),
                    target: id,
                });
            };
            let mut out = anstream::stdout();
            writeln!(
                out,
                "Hints for {} ({}):",
                exercise.meta.id, exercise.meta.title
            )?;
            for (number, hint) in exercise.meta.hints.iter().enumerate() {
                writeln!(out, "{}. {hint}", number + 1)?;
            }
            Ok(0)
        }
        Command::Verify {
            exercises,
            python,
            engine,
        } => {
            let catalogue = Catalogue::bundled()?;
            let exercises = exercises_to_verify(&exercises, &catalogue)?;
            let unpacked = Unpacked::new().context("failed to unpack the harness")?;
            let (engine, notice) = choose_engine(
                engine_choice(engine, &python),
                python.as_deref(),
                Isolation::BestEffort,
                &unpacked,
            )?;
            if let Some(notice) = notice {
                eprintln!("note: {notice}");
            }
            let grader = Grader::new(engine, unpacked, fresh_seed(), LimitOverrides::default());
            let mut out = anstream::stdout();
            let mut failed = 0;
            for exercise in &exercises {
                let verification = verify_exercise(&grader, exercise);
                let green = anstyle::AnsiColor::Green.on_default();
                let red = anstyle::AnsiColor::Red.on_default();
                if verification.problems.is_empty() {
                    writeln!(
                        out,
                        "{green}ok{green:#}   {} ({} checks)",
                        verification.id, verification.checks
                    )?;
                } else {
                    failed += 1;
                    writeln!(out, "{red}FAIL{red:#} {}", verification.id)?;
                    for problem in &verification.problems {
                        writeln!(out, "       {problem}")?;
                    }
                }
            }
            writeln!(
                out,
                "{} exercises verified, {failed} with problems (seed {})",
                exercises.len(),
                grader.seed
            )?;
            Ok(if failed == 0 { 0 } else { 1 })
        }
    }
}
