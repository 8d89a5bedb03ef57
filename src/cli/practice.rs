//! The learner's commands around a workspace: `pykata` (watch mode, and the offer to make a
//! workspace outside one), `quiz`, `reset`, `list`, and the progress `check` records.

use crate::assets::Unpacked;
use crate::exercise::{Catalogue, ExerciseError};
use crate::grade::{Grader, Status, SubmissionReport};
use crate::progress::{Progress, find_workspace, is_workspace};
use crate::report::{Event, Reporter};
use crate::runner::{choose_engine, fresh_seed};
use crate::settings::{EngineChoice, Isolation, LimitOverrides};
use anyhow::{Context, bail};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The folder `pykata` offers to create outside a workspace.
const PRACTICE_DIR: &str = "pykata-practice";

/// `pykata` / `pykata watch`.
pub fn watch(mut settings: crate::watch::WatchSettings) -> anyhow::Result<u8> {
    let cwd = std::env::current_dir().context("failed to read the current folder")?;
    let root = match find_workspace(&cwd) {
        Some(root) => root,
        None => match offer_workspace(&cwd)? {
            Some(root) => root,
            None => return Ok(2),
        },
    };
    let unpacked = Unpacked::new().context("failed to unpack the harness")?;
    let (engine, notice) =
        choose_engine(EngineChoice::Auto, None, Isolation::BestEffort, &unpacked)?;
    settings.notice = notice;
    let grader = Grader::new(engine, unpacked, fresh_seed(), LimitOverrides::default());
    let exit = crate::watch::run(&root, grader, &settings)?;
    if root != std::fs::canonicalize(&cwd).unwrap_or(cwd) {
        println!(
            "Your workspace is {}: `cd` there and run `pykata` to go on.",
            root.display()
        );
    }
    Ok(exit.exit_code())
}

/// Outside a workspace: offers to open ./pykata-practice, or to create it; on a terminal
/// only. Returns the workspace to open.
fn offer_workspace(cwd: &Path) -> anyhow::Result<Option<PathBuf>> {
    let candidate = cwd.join(PRACTICE_DIR);
    let exists = is_workspace(&candidate);
    let interactive = io::stdin().is_terminal() && io::stdout().is_terminal();
    if !interactive {
        eprintln!(
            "{} is not a pykata workspace. Make one and start practising:\n    pykata init {PRACTICE_DIR} && cd {PRACTICE_DIR} && pykata",
            cwd.display()
        );
        return Ok(None);
    }
    if exists {
        print!("This folder is not a pykata workspace, but ./{PRACTICE_DIR} is. Open it? [Y/n] ");
    } else {
        print!(
            "This folder is not a pykata workspace. Create one in ./{PRACTICE_DIR} and start practising? [Y/n] "
        );
    }
    io::stdout().flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    if !matches!(answer.trim().to_lowercase().as_str(), "" | "y" | "yes") {
        println!("Nothing done. Later: pykata init {PRACTICE_DIR} && cd {PRACTICE_DIR} && pykata");
        return Ok(None);
    }
    if !exists {
        let catalogue = Catalogue::bundled()?;
        let outcome = crate::workspace::init(&candidate, &catalogue)?;
        println!(
            "Created ./{PRACTICE_DIR} ({} files).",
            outcome.created.len()
        );
    }
    Ok(Some(std::fs::canonicalize(&candidate)?))
}

/// The workspace of the current folder, or an error saying how to make one.
fn workspace_here() -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("failed to read the current folder")?;
    find_workspace(&cwd).ok_or_else(|| {
        anyhow::anyhow!(
            "{} is not in a pykata workspace (make one with `pykata init {PRACTICE_DIR}`)",
            cwd.display()
        )
    })
}

/// Loads a workspace's progress, printing its notice (an unreadable file) on stderr.
fn load_progress(root: &Path) -> Progress {
    let loaded = Progress::load(root);
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    loaded.progress
}

/// `pykata quiz [TOPIC] [--count N]`.
pub fn quiz(topic: Option<String>, count: usize) -> anyhow::Result<u8> {
    let quizzes = crate::quiz::bundled()?;
    if let Some(topic) = &topic {
        crate::quiz::find(&quizzes, topic)?;
    }
    let cwd = std::env::current_dir().context("failed to read the current folder")?;
    let root = find_workspace(&cwd);
    let mut progress = match &root {
        Some(root) => load_progress(root),
        None => {
            eprintln!(
                "note: not in a pykata workspace: your scores are not kept (`pykata init` makes one)"
            );
            Progress::default()
        }
    };
    let items = crate::quiz::ask::pick_items(&quizzes, topic.as_deref(), &progress, count);
    if items.is_empty() {
        bail!("no quiz item to ask");
    }
    let mut save = |progress: &Progress| match &root {
        Some(root) => progress.save(root),
        None => Ok(()),
    };
    crate::quiz::ask::ask(&quizzes, &items, &mut progress, &mut save)?;
    Ok(0)
}

/// `pykata reset ID`.
pub fn reset(id: &str) -> anyhow::Result<u8> {
    let root = workspace_here()?;
    let catalogue = Catalogue::bundled()?;
    let Some(exercise) = catalogue.get(id) else {
        bail!(ExerciseError::NotFound {
            suggestions: catalogue.suggest(id),
            target: id.to_string(),
        });
    };
    let backup = crate::workspace::reset(&root, exercise)?;
    let file = crate::workspace::exercise_file(&root, exercise);
    println!("{} is back to its starter.", file.display());
    if let Some(backup) = backup {
        println!("Your previous file is kept as {}.", backup.display());
    }
    Ok(0)
}

/// `pykata list`: the catalogue; inside a workspace, with each exercise's status and the
/// quizzes' progress.
pub fn list() -> anyhow::Result<u8> {
    let catalogue = Catalogue::bundled()?;
    let cwd = std::env::current_dir().context("failed to read the current folder")?;
    let root = find_workspace(&cwd);
    let progress = root.as_deref().map(load_progress);
    let mut out = anstream::stdout();
    for exercise in catalogue.exercises() {
        let meta = &exercise.meta;
        let minutes = meta
            .estimated_minutes
            .map_or_else(String::new, |minutes| format!("~{minutes} min"));
        if let Some(progress) = &progress {
            let status = if progress.is_done(&meta.id) {
                "done"
            } else if progress.current.as_deref() == Some(meta.id.as_str()) {
                "current"
            } else {
                "todo"
            };
            write!(out, "{status:<8} ")?;
        }
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
    if let Some(progress) = &progress {
        let done = catalogue
            .exercises()
            .iter()
            .filter(|exercise| progress.is_done(&exercise.meta.id))
            .count();
        writeln!(out, "{done}/{} exercises done", catalogue.exercises().len())?;
        for quiz in crate::quiz::bundled()? {
            let solved = quiz
                .items
                .iter()
                .filter(|item| progress.quiz_solved(&quiz.full_id(item)))
                .count();
            writeln!(
                out,
                "quiz {:<24} {solved}/{} answered right",
                quiz.topic,
                quiz.items.len()
            )?;
        }
    }
    Ok(0)
}

/// Records, in their workspaces, the exercises `pykata check` found passing in a learner's
/// own file of a workspace.
pub fn record_passes(reports: &[SubmissionReport]) {
    let Ok(catalogue) = Catalogue::bundled() else {
        return;
    };
    for report in reports {
        let (Status::Pass, Some(id), Some(submission)) =
            (report.status, &report.exercise, &report.submission)
        else {
            continue;
        };
        let Some(exercise) = catalogue.get(id) else {
            continue;
        };
        let Ok(file) = std::fs::canonicalize(submission) else {
            continue;
        };
        let Some(root) = file.parent().and_then(find_workspace) else {
            continue;
        };
        if crate::workspace::exercise_file(&root, exercise) != file {
            continue;
        }
        let mut progress = load_progress(&root);
        if progress.mark_done(id)
            && let Err(error) = progress.save(&root)
        {
            eprintln!(
                "note: could not save {}: {error}",
                root.join(crate::progress::STATE_FILE).display()
            );
        }
    }
}

/// Sends every event to two reporters.
pub struct Both<'a>(pub &'a mut dyn Reporter, pub &'a mut dyn Reporter);

impl Reporter for Both<'_> {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        self.0.report(event)?;
        self.1.report(event)
    }
}

/// Whether a `pykata verify` argument names quizzes: a bundled quiz's topic, a `.toml` file
/// other than exercise.toml, or a folder of them without exercise.toml.
pub fn is_quiz_argument(argument: &str) -> bool {
    let path = Path::new(argument);
    if path.is_file() {
        return path.extension().is_some_and(|ext| ext == "toml")
            && path.file_name().is_some_and(|name| name != "exercise.toml");
    }
    if path.is_dir() {
        return !path.join("exercise.toml").exists() && !toml_files(path).is_empty();
    }
    crate::quiz::bundled().is_ok_and(|quizzes| quizzes.iter().any(|quiz| quiz.topic == argument))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The quizzes `pykata verify` checks: those its arguments name, or every bundled quiz when
/// it has no argument.
pub fn quizzes_to_verify(
    arguments: &[String],
    everything: bool,
) -> anyhow::Result<Vec<crate::quiz::Quiz>> {
    if everything {
        return Ok(crate::quiz::bundled()?);
    }
    let mut quizzes = Vec::new();
    for argument in arguments {
        let path = Path::new(argument);
        if path.is_file() {
            quizzes.push(crate::quiz::Quiz::from_file(path)?);
        } else if path.is_dir() {
            for file in toml_files(path) {
                quizzes.push(crate::quiz::Quiz::from_file(&file)?);
            }
        } else {
            let bundled = crate::quiz::bundled()?;
            quizzes.push(crate::quiz::find(&bundled, argument)?.clone());
        }
    }
    Ok(quizzes)
}
