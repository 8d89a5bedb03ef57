//! The command line: clap definitions, their resolution into settings, and the dispatch of
//! each command. The only module that knows clap.

mod practice;

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
#[command(
    name = "pykata",
    version,
    about,
    propagate_version = true,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Without a command: watch mode (`pykata watch`), with its options.
    #[command(flatten)]
    watch: WatchArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Practise in a workspace (the default): the current exercise, graded on every save.
    Watch(WatchArgs),
    /// Answer quiz questions in the terminal, one key per option.
    Quiz {
        /// The quiz's topic (fundamentals, concurrency...); none means every topic.
        topic: Option<String>,
        /// How many questions.
        #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
        count: u64,
    },
    /// Put an exercise's starter back in the workspace (your file is kept in .pykata-backups/).
    Reset {
        /// The exercise id (see `pykata list`).
        id: String,
    },
    /// Create a practice workspace: each bundled exercise's task and starter file.
    Init {
        /// Where to create it.
        #[arg(default_value = "pykata-practice")]
        dir: PathBuf,
    },
    /// Grade submissions: bundled exercise ids, exercise folders, or plain test folders.
    #[command(after_help = crate::settings::limits_summary())]
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
    /// Grade a class: every student's submission, a gradebook that survives interruption,
    /// grades.csv, per-student feedback and report.html.
    #[command(after_help = crate::settings::limits_summary())]
    Batch(BatchArgs),
    /// Join shards' out folders (from `batch --shard K/N`) into one gradebook and outputs.
    Merge {
        /// The shards' out folders.
        #[arg(required = true, value_name = "DIR")]
        shards: Vec<PathBuf>,
        /// Where the merged gradebook and outputs go.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Build a Gradescope autograder zip (setup.sh, run_autograder) for an exercise.
    Gradescope {
        /// A bundled exercise id or an exercise folder.
        #[arg(value_name = "EXERCISE")]
        exercise: String,
        /// The zip to write.
        #[arg(long, value_name = "FILE", default_value = "autograder.zip")]
        out: PathBuf,
    },
    /// Check exercises and quizzes as an author: references pass, starters and mutants fail,
    /// every quiz item is well formed and its code prints its correct option.
    Verify {
        /// Bundled exercise ids, exercise folders, quiz topics or quiz files (*.toml); none
        /// means the whole catalogue and every bundled quiz.
        exercises: Vec<String>,
        /// Interpreter to run (implies the subprocess engine).
        #[arg(long)]
        python: Option<PathBuf>,
        /// Engine that runs Python.
        #[arg(long, value_enum, default_value = "auto")]
        engine: EngineArg,
    },
}

#[derive(Debug, Default, clap::Args)]
struct WatchArgs {
    /// Grade only when you press r, not on every save.
    #[arg(long)]
    manual_run: bool,
    /// Look for saves by polling, for file systems whose events do not arrive (pykata
    /// switches to it by itself on network file systems and WSL's Windows drives).
    #[arg(long)]
    poll: bool,
    /// Measure save to verdict: save the current exercise's file N times, through the real
    /// loop on a headless screen, and print the times.
    #[arg(long, value_name = "N", hide = true, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    bench: Option<u64>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Junit,
    Tap,
    Gradescope,
    Exercism,
    Github,
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
    #[command(flatten)]
    limits: LimitArgs,
    /// How many submissions are graded at once (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorArg,
    /// Pass an environment variable into a plain folder's run, with its value here
    /// (`--env PYTHONPATH`) or a given one (`--env NAME=VALUE`); repeatable. Plain
    /// folders' runs otherwise see none of pykata's environment.
    #[arg(long = "env", value_name = "NAME", value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// Show the names and details of hidden cases (for instructors; learners see only
    /// whether each hidden case passed and its points).
    #[arg(long)]
    show_hidden: bool,
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) => (name.to_string(), value.to_string()),
        None => (
            text.to_string(),
            std::env::var(text).map_err(|_| format!("{text} is not set in this environment"))?,
        ),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("{name:?} is not an environment variable name"));
    }
    if value.contains('\0') {
        return Err(format!("the value of {name} holds a NUL byte"));
    }
    Ok((name, value))
}

#[derive(Debug, clap::Args)]
struct BatchArgs {
    /// A bundled exercise id, an exercise folder (with hidden cases), or a plain folder of
    /// tests run against each student's modules.
    #[arg(value_name = "EXERCISE")]
    exercise: String,
    /// One folder with one sub-folder or .py file per student, or one path per student.
    #[arg(required = true, value_name = "SUBMISSIONS")]
    submissions: Vec<PathBuf>,
    /// Where the gradebook and the outputs go.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// A CSV mapping student ids to names; lists students with no submission.
    #[arg(long, value_name = "CSV")]
    roster: Option<PathBuf>,
    /// How many submissions are graded at once (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Grade only shard K of N (a stable split by student id); needs --seed.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(u32, u32)>,
    /// The batch's seed (default: the gradebook's, else a fresh secret one).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Grade again what the gradebook already holds.
    #[arg(long)]
    regrade: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Engine that runs Python.
    #[arg(long, value_enum, default_value = "auto")]
    engine: EngineArg,
    /// Python interpreter to run (implies the subprocess engine).
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// The limit and isolation options of `check` and `batch`.
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// Wall-clock limit of each test or case, in seconds (default: the exercise's
    /// limits.timeout_seconds, else 10); the whole run gets a multiple (below).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// CPU-time limit of one run, in seconds (default: the exercise's, else 10; 60 for
    /// plain folders).
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
}

impl LimitArgs {
    /// The limits asked for, over the defaults.
    fn overrides(&self) -> LimitOverrides {
        LimitOverrides {
            wall_time: self.timeout,
            cpu_seconds: self.cpu_limit,
            memory_bytes: self.memory_limit.map(|mib| mib << 20),
        }
    }

    /// The isolation asked for.
    fn isolation(&self) -> Isolation {
        if self.require_sandbox {
            Isolation::Required
        } else if self.no_sandbox {
            Isolation::Off
        } else {
            Isolation::BestEffort
        }
    }
}

fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?} is not K/N (like 2/3)"))?;
    let (k, n): (u32, u32) = (
        k.trim()
            .parse()
            .map_err(|_| format!("{k:?} is not a number"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("{n:?} is not a number"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok((k, n))
}

impl BatchArgs {
    fn into_settings(self) -> crate::batch::BatchSettings {
        crate::batch::BatchSettings {
            exercise: self.exercise,
            submissions: self.submissions,
            out: self.out,
            roster: self.roster,
            jobs: self.jobs.unwrap_or_else(default_jobs).max(1),
            shard: self.shard,
            seed: self.seed,
            regrade: self.regrade,
            quiet: self.quiet,
            engine: engine_choice(self.engine, &self.python),
            python: self.python,
            limits: self.limits.overrides(),
            isolation: self.limits.isolation(),
        }
    }
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
                FormatArg::Junit => Format::Junit,
                FormatArg::Tap => Format::Tap,
                FormatArg::Gradescope => Format::Gradescope,
                FormatArg::Exercism => Format::Exercism,
                FormatArg::Github => Format::Github,
            },
            engine: engine_choice(self.engine, &self.python),
            python: self.python,
            seed: self.seed,
            limits: self.limits.overrides(),
            isolation: self.limits.isolation(),
            color: match self.color {
                ColorArg::Auto => ColorMode::Auto,
                ColorArg::Always => ColorMode::Always,
                ColorArg::Never => ColorMode::Never,
            },
            jobs: self.jobs.unwrap_or_else(default_jobs).max(1),
            folder_env: self.env,
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
    let command = cli.command.unwrap_or(Command::Watch(cli.watch));
    match command {
        Command::Watch(args) => crate::cli::practice::watch(crate::watch::WatchSettings {
            manual_run: args.manual_run,
            poll: args.poll,
            bench: args.bench.map(|saves| saves as usize),
            notice: None,
        }),
        Command::Quiz { topic, count } => crate::cli::practice::quiz(topic, count as usize),
        Command::Reset { id } => crate::cli::practice::reset(&id),
        Command::Check(args) => {
            let settings = args.into_settings();
            let mut collected = crate::report::Collector::default();
            let stats = {
                let mut reporter = reporter_for(settings.format, settings.color);
                let mut both = crate::cli::practice::Both(reporter.as_mut(), &mut collected);
                check(&settings, &mut both)?
            };
            crate::cli::practice::record_passes(&collected.reports);
            Ok(stats.exit_code())
        }
        Command::Batch(args) => {
            let settings = args.into_settings();
            let summary = crate::batch::run(&settings)?;
            eprintln!(
                "pykata: {} students: {} graded, {} already in the gradebook, {} could not be graded; outputs in {}",
                summary.students,
                summary.graded,
                summary.kept,
                summary.problems,
                settings.out.display()
            );
            Ok(if summary.all_passed { 0 } else { 1 })
        }
        Command::Merge { shards, out } => {
            let summary = crate::batch::merge(&shards, &out)?;
            eprintln!(
                "pykata: merged {} shards, {} students; outputs in {}",
                shards.len(),
                summary.students,
                out.display()
            );
            Ok(if summary.all_passed { 0 } else { 1 })
        }
        Command::Gradescope { exercise, out } => {
            crate::batch::autograder::build(&exercise, &out)?;
            eprintln!("pykata: wrote {}", out.display());
            Ok(0)
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
            writeln!(
                out,
                "Start practising (pykata grades your file every time you save it):"
            )?;
            writeln!(out, "    cd {} && pykata", dir.display())?;
            if let Some(first) = catalogue.exercises().first() {
                let file = dir
                    .join(&first.meta.id)
                    .join(format!("{}.py", first.meta.module));
                writeln!(
                    out,
                    "Or without the full-screen view: read {}/README.md, edit {}, then `pykata check {}`.",
                    dir.join(&first.meta.id).display(),
                    file.display(),
                    file.display()
                )?;
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
        Command::List => crate::cli::practice::list(),
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
                folder_env: Vec::new(),
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
            let (quiz_arguments, exercise_arguments): (Vec<String>, Vec<String>) = exercises
                .iter()
                .cloned()
                .partition(|argument| crate::cli::practice::is_quiz_argument(argument));
            let quizzes =
                crate::cli::practice::quizzes_to_verify(&quiz_arguments, exercises.is_empty())?;
            let exercises = if exercise_arguments.is_empty() && !exercises.is_empty() {
                Vec::new()
            } else {
                exercises_to_verify(&exercise_arguments, &catalogue)?
            };
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
            let mut quiz_failed = 0;
            let mut items = 0;
            for quiz in &quizzes {
                let verification = crate::quiz::verify::verify_quiz(&grader, quiz);
                items += verification.items;
                let green = anstyle::AnsiColor::Green.on_default();
                let red = anstyle::AnsiColor::Red.on_default();
                if verification.problems.is_empty() {
                    writeln!(
                        out,
                        "{green}ok{green:#}   {} ({} items, {} run)",
                        verification.path, verification.items, verification.runs
                    )?;
                } else {
                    quiz_failed += 1;
                    writeln!(out, "{red}FAIL{red:#} {}", verification.path)?;
                    for problem in &verification.problems {
                        writeln!(out, "       {problem}")?;
                    }
                }
            }
            if !exercises.is_empty() || quizzes.is_empty() {
                writeln!(
                    out,
                    "{} exercises verified, {failed} with problems (seed {})",
                    exercises.len(),
                    grader.seed
                )?;
            }
            if !quizzes.is_empty() {
                writeln!(
                    out,
                    "{} quiz files ({items} items) verified, {quiz_failed} with problems",
                    quizzes.len()
                )?;
            }
            Ok(if failed == 0 && quiz_failed == 0 {
                0
            } else {
                1
            })
        }
    }
}
