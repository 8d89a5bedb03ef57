//! Grading a class: `pykata batch EXERCISE SUBMISSIONS... --out DIR`. Finds the students,
//! grades each submission on a pool of workers with one secret seed per batch (so the
//! reference runs once), commits every result to the gradebook as it finishes, resumes
//! what an interrupted run left, grades one shard of many, and writes the outputs (grades
//! CSV, JSON Lines, JUnit, per-student feedback, the HTML report) from the gradebook.

pub mod autograder;
pub mod discover;
pub mod gradebook;
pub mod outputs;
pub mod redact;
pub mod report_html;
pub mod similarity;

use crate::assets::Unpacked;
use crate::exercise::{Catalogue, Exercise, has_test_files};
use crate::grade::exercise::grade_exercise;
use crate::grade::folder::grade_folder;
use crate::grade::{Grader, Status, SubmissionReport};
use crate::runner::{choose_engine, fresh_seed};
use crate::settings::{EngineChoice, Isolation, LimitOverrides};
use discover::{Class, Roster, Submission, content_hash, exercise_file, shard_of};
use gradebook::{Gradebook, Row};
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Everything `pykata batch` needs.
#[derive(Debug, Clone)]
pub struct BatchSettings {
    /// A bundled exercise id, an exercise folder, or a plain folder of tests.
    pub exercise: String,
    /// The class folder, or one path per student.
    pub submissions: Vec<PathBuf>,
    /// Where the gradebook and the outputs go.
    pub out: PathBuf,
    /// A roster CSV (ids, names).
    pub roster: Option<PathBuf>,
    /// Submissions graded at once.
    pub jobs: usize,
    /// `(K, N)`: grade only shard K (1-based) of N.
    pub shard: Option<(u32, u32)>,
    /// The batch's seed; `None` reuses the gradebook's, else picks a fresh one.
    pub seed: Option<u64>,
    /// Grade again what the gradebook already holds.
    pub regrade: bool,
    /// No progress bar.
    pub quiet: bool,
    pub engine: EngineChoice,
    pub python: Option<PathBuf>,
    pub limits: LimitOverrides,
    pub isolation: Isolation,
}

/// What is graded against.
#[derive(Debug, Clone)]
pub enum Assignment {
    /// A bundled exercise or an exercise folder: graded against its reference.
    Exercise(Box<Exercise>),
    /// A plain folder of the instructor's tests, run against each student's modules.
    Tests(PathBuf),
}

impl Assignment {
    /// Resolves EXERCISE.
    pub fn resolve(argument: &str) -> anyhow::Result<Assignment> {
        let path = Path::new(argument);
        if path.is_dir() {
            if path.join("exercise.toml").is_file() {
                return Ok(Assignment::Exercise(Box::new(Exercise::from_folder(path)?)));
            }
            if has_test_files(path) {
                return Ok(Assignment::Tests(std::fs::canonicalize(path)?));
            }
            anyhow::bail!(
                "{argument} is neither an exercise folder (no exercise.toml) nor a folder of tests (no test_*.py or *_test.py)"
            );
        }
        let catalogue = Catalogue::bundled()?;
        match catalogue.get(argument) {
            Some(exercise) => Ok(Assignment::Exercise(Box::new(exercise.clone()))),
            None => Err(crate::exercise::ExerciseError::NotFound {
                target: argument.to_string(),
                suggestions: catalogue.suggest(argument),
            }
            .into()),
        }
    }

    /// A short name for reports.
    pub fn name(&self) -> String {
        match self {
            Assignment::Exercise(exercise) => exercise.meta.id.clone(),
            Assignment::Tests(folder) => folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_else(|| "tests".into()),
        }
    }

    /// The exercise version: a hash of every file of the exercise or test folder.
    pub fn version(&self, unpacked: &Unpacked) -> String {
        let folder = match self {
            Assignment::Exercise(exercise) => exercise.folder(unpacked),
            Assignment::Tests(folder) => folder.clone(),
        };
        content_hash(&folder)
    }
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct BatchSummary {
    pub graded: usize,
    /// Already in the gradebook with the same content, version and seed.
    pub kept: usize,
    /// Input problems recorded without grading.
    pub problems: usize,
    pub students: usize,
    pub all_passed: bool,
}

/// Runs a batch: grades, commits, writes the outputs.
pub fn run(settings: &BatchSettings) -> anyhow::Result<BatchSummary> {
    let assignment = Assignment::resolve(&settings.exercise)?;
    let roster = settings
        .roster
        .as_deref()
        .map(Roster::read)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let class = discover::discover(&settings.submissions).map_err(anyhow::Error::msg)?;
    fs_err::create_dir_all(&settings.out)?;
    let gradebook = Gradebook::open(&settings.out)?;
    let unpacked = Unpacked::new()?;
    let version = assignment.version(&unpacked);

    let seed = match (settings.seed, gradebook.meta("seed")?) {
        (Some(seed), _) => seed,
        (None, Some(recorded)) => recorded.parse().unwrap_or_else(|_| fresh_seed()),
        (None, None) if settings.shard.is_some() => anyhow::bail!(
            "--shard needs --seed: every shard must grade with the same seed (keep it secret, e.g. in a CI secret)"
        ),
        (None, None) => fresh_seed(),
    };
    gradebook.set_meta("seed", &seed.to_string())?;
    gradebook.set_meta("exercise", &assignment.name())?;
    gradebook.set_meta("exercise_version", &version)?;
    gradebook.set_meta("pykata_version", env!("CARGO_PKG_VERSION"))?;
    let shard_text = settings
        .shard
        .map_or_else(|| "1/1".to_string(), |(k, n)| format!("{k}/{n}"));
    gradebook.set_meta("shard", &shard_text)?;
    if let Some(roster) = &roster {
        gradebook.set_meta("roster", &serde_json::to_string(roster)?)?;
    }

    let in_shard = |id: &str| match settings.shard {
        Some((k, n)) => shard_of(id, n) == k - 1,
        None => true,
    };
    let Class { submissions, notes } = class;
    let submissions: Vec<Submission> = submissions
        .into_iter()
        .filter(|s| in_shard(&s.id))
        .collect();
    for note in &notes {
        eprintln!("pykata: {note}");
    }
    let ids: HashSet<String> = submissions.iter().map(|s| s.id.clone()).collect();
    gradebook.retain(&ids)?;

    let mut summary = BatchSummary {
        students: submissions.len(),
        ..Default::default()
    };
    let mut queue: Vec<(Submission, PathBuf, String)> = Vec::new();
    for submission in submissions {
        let graded_path = match (&submission.problem, &assignment) {
            (Some(problem), _) => Err(problem.clone()),
            (None, Assignment::Exercise(exercise)) => {
                exercise_file(&submission.path, &exercise.meta.module)
            }
            (None, Assignment::Tests(_)) if !submission.path.is_dir() => Err(format!(
                "{} is a file: grading with a folder of tests needs one folder per student, holding the modules the tests import",
                submission.path.display()
            )),
            (None, Assignment::Tests(_)) => Ok(submission.path.clone()),
        };
        match graded_path {
            Err(problem) => {
                summary.problems += 1;
                gradebook.record(&problem_row(&submission, &problem, &version, seed))?;
            }
            Ok(path) => {
                let hash = content_hash(&path);
                if !settings.regrade
                    && gradebook.is_current(&submission.id, &hash, &version, seed)?
                {
                    summary.kept += 1;
                } else {
                    queue.push((submission, path, hash));
                }
            }
        }
    }

    if !queue.is_empty() {
        let (engine, notice) = choose_engine(
            settings.engine,
            settings.python.as_deref(),
            settings.isolation,
            &unpacked,
        )?;
        if let Some(notice) = notice {
            eprintln!("pykata: {notice}");
        }
        let grader = Grader::new(engine, unpacked, seed, settings.limits);
        let progress = progress_bar(queue.len(), settings.quiet);
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<(usize, SubmissionReport)>();
        let mut failure = None;
        std::thread::scope(|scope| {
            for _ in 0..settings.jobs.clamp(1, queue.len()) {
                let sender = sender.clone();
                let (next, queue, grader, assignment) = (&next, &queue, &grader, &assignment);
                scope.spawn(move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::SeqCst);
                        let Some((submission, path, _)) = queue.get(index) else {
                            break;
                        };
                        let report = grade(grader, assignment, &submission.id, path);
                        if sender.send((index, report)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            for (index, report) in receiver {
                let (submission, _, hash) = &queue[index];
                let row = graded_row(submission, hash, &version, seed, report);
                if let Err(error) = gradebook.record(&row) {
                    failure = Some(error);
                    // Stop handing out work: nothing more could be saved.
                    next.store(usize::MAX / 2, Ordering::SeqCst);
                    break;
                }
                summary.graded += 1;
                progress.inc(1);
            }
        });
        progress.finish_and_clear();
        if let Some(error) = failure {
            return Err(error.into());
        }
    }

    let rows = gradebook.rows()?;
    let written = outputs::write_all(
        &settings.out,
        &assignment.name(),
        &rows,
        roster.as_ref(),
        &|id: &str| in_shard(id),
    )?;
    summary.all_passed = written.all_passed;
    Ok(summary)
}

/// Grades one student's submission.
fn grade(grader: &Grader, assignment: &Assignment, id: &str, path: &Path) -> SubmissionReport {
    match assignment {
        Assignment::Exercise(exercise) => grade_exercise(grader, id, exercise, path),
        Assignment::Tests(tests) => match merged_folder(path, tests) {
            Ok(folder) => grade_folder(grader, id, folder.path()),
            Err(error) => SubmissionReport::unusable(
                id,
                crate::grade::TargetKind::Folder,
                crate::grade::GradeError::grader(
                    "input",
                    format!("failed to prepare {}: {error}", path.display()),
                ),
            ),
        },
    }
}

/// A folder holding the student's modules and the instructor's tests. The student's own
/// test files and conftest.py are left out, so only the instructor's tests run.
fn merged_folder(student: &Path, tests: &Path) -> std::io::Result<tempfile::TempDir> {
    let merged = tempfile::Builder::new()
        .prefix("pykata-batch-")
        .tempdir_in(crate::settings::temp_root())?;
    let is_test = |file: &Path| {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name == "conftest.py"
            || (name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py")))
    };
    let mut files = Vec::new();
    discover::walk(student, &mut files)?;
    for (file, _) in files {
        if is_test(&file) {
            continue;
        }
        let target = merged
            .path()
            .join(file.strip_prefix(student).unwrap_or(&file));
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::copy(&file, target)?;
    }
    let mut files = Vec::new();
    discover::walk(tests, &mut files)?;
    for (file, _) in files {
        let target = merged
            .path()
            .join(file.strip_prefix(tests).unwrap_or(&file));
        if let Some(parent) = target.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::copy(&file, target)?;
    }
    Ok(merged)
}

fn problem_row(submission: &Submission, problem: &str, version: &str, seed: u64) -> Row {
    Row {
        id: submission.id.clone(),
        source: submission.path.display().to_string(),
        content_hash: String::new(),
        exercise_version: version.to_string(),
        seed,
        status: "error".into(),
        score: 0.0,
        max_score: 0.0,
        note: problem.to_string(),
        report: None,
        gradings: 0,
    }
}

fn graded_row(
    submission: &Submission,
    hash: &str,
    version: &str,
    seed: u64,
    report: SubmissionReport,
) -> Row {
    let status = match report.status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
    };
    Row {
        id: submission.id.clone(),
        source: submission.path.display().to_string(),
        content_hash: hash.to_string(),
        exercise_version: version.to_string(),
        seed,
        status: status.into(),
        score: report.score,
        max_score: report.max_score,
        note: crate::report::junit::run_problem(&report).unwrap_or_default(),
        report: Some(report),
        gradings: 0,
    }
}

/// The progress bar on stderr, with rate and ETA; hidden when stderr is not a terminal.
fn progress_bar(length: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(length as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} graded  {per_sec}  ETA {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// `pykata merge SHARD_DIR... --out DIR`: joins shards' gradebooks, refusing ones made
/// with another exercise version or seed, and writes the outputs.
pub fn merge(shards: &[PathBuf], out: &Path) -> anyhow::Result<BatchSummary> {
    anyhow::ensure!(!shards.is_empty(), "give the shards' out folders to merge");
    let mut reference: Option<(String, String, String)> = None;
    let mut rows: Vec<Row> = Vec::new();
    let mut roster: Option<Roster> = None;
    for shard in shards {
        anyhow::ensure!(
            shard.join(gradebook::FILE).is_file(),
            "{} holds no gradebook ({})",
            shard.display(),
            gradebook::FILE
        );
        let book = Gradebook::open(shard)?;
        let key = (
            book.meta("exercise")?.unwrap_or_default(),
            book.meta("exercise_version")?.unwrap_or_default(),
            book.meta("seed")?.unwrap_or_default(),
        );
        match &reference {
            None => reference = Some(key.clone()),
            Some(first) if first.1 != key.1 => anyhow::bail!(
                "{} was graded with another version of the exercise ({} against {}): regrade it with the same exercise files",
                shard.display(),
                &key.1[..12.min(key.1.len())],
                &first.1[..12.min(first.1.len())]
            ),
            Some(first) if first.2 != key.2 => anyhow::bail!(
                "{} was graded with another seed: every shard must use the same --seed",
                shard.display()
            ),
            Some(_) => {}
        }
        if roster.is_none()
            && let Some(text) = book.meta("roster")?
        {
            roster = serde_json::from_str(&text).ok();
        }
        for row in book.rows()? {
            if let Some(existing) = rows.iter().find(|other| other.id == row.id) {
                anyhow::ensure!(
                    existing.content_hash == row.content_hash,
                    "{} is in two shards with different submissions",
                    row.id
                );
                continue;
            }
            rows.push(row);
        }
    }
    let (exercise, version, seed) = reference.unwrap_or_default();
    fs_err::create_dir_all(out)?;
    let book = Gradebook::open(out)?;
    book.set_meta("exercise", &exercise)?;
    book.set_meta("exercise_version", &version)?;
    book.set_meta("seed", &seed)?;
    book.set_meta("shard", "1/1")?;
    book.set_meta("pykata_version", env!("CARGO_PKG_VERSION"))?;
    if let Some(roster) = &roster {
        book.set_meta("roster", &serde_json::to_string(roster)?)?;
    }
    let ids: HashSet<String> = rows.iter().map(|row| row.id.clone()).collect();
    book.retain(&ids)?;
    for row in &rows {
        book.copy_row(row)?;
    }
    let rows = book.rows()?;
    let written = outputs::write_all(out, &exercise, &rows, roster.as_ref(), &|_: &str| true)?;
    Ok(BatchSummary {
        students: rows.len(),
        all_passed: written.all_passed,
        ..Default::default()
    })
}
