//! Grading a list of targets: resolution, a bounded pool of workers, and events emitted in
//! the order the targets were given, whatever order they finish in.

use crate::assets::Unpacked;
use crate::engine::{Engine, default_python};
use crate::exercise::{Catalogue, ExerciseError, Target, resolve_target};
use crate::grade::exercise::grade_exercise;
use crate::grade::folder::grade_folder;
use crate::grade::{GradeError, Grader, SubmissionReport, TargetKind};
use crate::report::{Event, Reporter, RunStats};
use crate::settings::{CheckSettings, EngineChoice, Isolation};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Errors that stop a whole run before anything is graded.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the bundled catalogue is broken: {0}")]
    Catalogue(#[from] ExerciseError),
    #[error("failed to unpack the harness: {0}")]
    Unpack(std::io::Error),
    #[error("failed to write the report: {0}")]
    Report(std::io::Error),
    #[error(transparent)]
    Engine(#[from] crate::engine::EngineError),
}

/// A seed for randomised cases, different on every run.
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish() % 1_000_000_000
}

/// Grades every target of `settings`, reporting as it goes.
pub fn check(settings: &CheckSettings, reporter: &mut dyn Reporter) -> Result<RunStats, RunError> {
    let started = Instant::now();
    let catalogue = Catalogue::bundled()?;
    let targets: Vec<Result<Target, ExerciseError>> = settings
        .targets
        .iter()
        .map(|argument| resolve_target(argument, settings.submission.as_deref(), &catalogue))
        .collect();
    let unpacked = Unpacked::new().map_err(RunError::Unpack)?;
    let (engine, notice) = choose_engine(
        settings.engine,
        settings.python.as_deref(),
        settings.isolation,
        &unpacked,
    )?;
    let seed = settings.seed.unwrap_or_else(fresh_seed);
    let mut grader = Grader::new(engine, unpacked, seed, settings.limits);
    grader.folder_env = settings.folder_env.clone();

    reporter
        .report(&Event::RunStarted {
            targets: targets.len(),
            seed,
        })
        .map_err(RunError::Report)?;
    if let Some(message) = notice {
        reporter
            .report(&Event::Notice { message })
            .map_err(RunError::Report)?;
    }
    let mut stats = RunStats::default();
    let mut report_error = None;
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, SubmissionReport)>();
    std::thread::scope(|scope| {
        for _ in 0..settings.jobs.clamp(1, targets.len().max(1)) {
            let sender = sender.clone();
            let (next, targets, grader) = (&next, &targets, &grader);
            let arguments = &settings.targets;
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(target) = targets.get(index) else {
                        break;
                    };
                    let report = grade_one(grader, &arguments[index], target);
                    if sender.send((index, report)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut warned = false;
        let mut emitted = 0;
        for (index, report) in receiver {
            waiting.insert(index, report);
            while let Some(mut report) = waiting.remove(&emitted) {
                if !settings.show_hidden {
                    report.redact_hidden();
                }
                stats.record(&report);
                if let Some(message) = isolation_notice(settings, &report, &mut warned)
                    && report_error.is_none()
                {
                    report_error = reporter.report(&Event::Notice { message }).err();
                }
                if report_error.is_none() {
                    report_error = reporter
                        .report(&Event::SubmissionFinished {
                            index: emitted,
                            report: &report,
                        })
                        .err();
                }
                emitted += 1;
            }
        }
    });
    if let Some(error) = report_error {
        return Err(RunError::Report(error));
    }
    stats.duration = started.elapsed();
    reporter
        .report(&Event::RunFinished { stats: &stats })
        .map_err(RunError::Report)?;
    Ok(stats)
}

/// The engine the settings ask for; `auto` falls back to the subprocess engine, with a
/// notice, where the embedded one cannot start.
pub fn choose_engine(
    choice: EngineChoice,
    python: Option<&std::path::Path>,
    isolation: Isolation,
    unpacked: &Unpacked,
) -> Result<(Engine, Option<String>), RunError> {
    let subprocess = || {
        let python = python.map_or_else(default_python, std::path::Path::to_path_buf);
        Engine::subprocess(&python, &unpacked.harness, isolation)
    };
    match choice {
        EngineChoice::Subprocess => Ok((subprocess()?, None)),
        EngineChoice::Embedded => Ok((Engine::embedded(&unpacked.harness, isolation)?, None)),
        EngineChoice::Auto => match Engine::embedded(&unpacked.harness, isolation) {
            Ok(engine) => Ok((engine, None)),
            Err(error) => Ok((
                subprocess()?,
                Some(format!("{error}; using the subprocess engine instead")),
            )),
        },
    }
}

/// A notice, once per run, that the sandbox gave less than full isolation (unless the user
/// turned it off).
fn isolation_notice(
    settings: &CheckSettings,
    report: &SubmissionReport,
    warned: &mut bool,
) -> Option<String> {
    let isolation = report.isolation.as_ref()?;
    if *warned || settings.isolation == Isolation::Off || isolation.level == "full" {
        return None;
    }
    *warned = true;
    Some(format!(
        "grading with {} isolation: {} (run `pykata doctor`; --require-sandbox refuses to grade like this)",
        isolation.level,
        isolation.missing.join("; ")
    ))
}

fn grade_one(
    grader: &Grader,
    argument: &str,
    target: &Result<Target, ExerciseError>,
) -> SubmissionReport {
    match target {
        Ok(Target::Exercise {
            exercise,
            submission,
        }) => grade_exercise(grader, argument, exercise, submission),
        Ok(Target::Folder { path }) => grade_folder(grader, argument, path),
        Err(error) => {
            let kind = match error {
                ExerciseError::NoTests { .. } => TargetKind::Folder,
                _ => TargetKind::Exercise,
            };
            let mut report = SubmissionReport::unusable(
                argument,
                kind,
                GradeError::grader("input", error.to_string()),
            );
            // Every line names the engine of the run, even one that graded nothing.
            report.engine = grader.engine_name().to_string();
            report
        }
    }
}
