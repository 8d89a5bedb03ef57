//! The learner's practice workspace: one folder per bundled exercise with its task and the
//! starter file to edit, and the progress file (`crate::progress`). Existing files are never
//! overwritten; a reset keeps a backup of the learner's file.

use crate::exercise::{Catalogue, Exercise, ExerciseError};
use std::path::{Path, PathBuf};

/// What `init` wrote and what it left alone.
#[derive(Debug, Default)]
pub struct InitOutcome {
    pub created: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
}

/// Creates (or completes) a practice workspace in `root`.
pub fn init(root: &Path, catalogue: &Catalogue) -> Result<InitOutcome, ExerciseError> {
    let mut outcome = InitOutcome::default();
    let write_new = |path: PathBuf, text: &str, outcome: &mut InitOutcome| {
        if path.exists() {
            outcome.kept.push(path);
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent).map_err(|source| ExerciseError::Read {
                path: parent.display().to_string(),
                source,
            })?;
        }
        fs_err::write(&path, text).map_err(|source| ExerciseError::Read {
            path: path.display().to_string(),
            source,
        })?;
        outcome.created.push(path);
        Ok::<(), ExerciseError>(())
    };

    let mut index = String::from(
        "# pykata practice\n\nRun `pykata` in this folder: it shows the current exercise and grades \
         your file every time you save it. Work through the exercises in this order. Each folder \
         holds the task (README.md) and the file you edit. Without the full-screen view: \
         `pykata check FOLDER/FILE.py` grades a file, `pykata hint ID` gives a hint, \
         `pykata quiz` asks quiz questions. Your progress is kept in pykata-progress.toml.\n\n",
    );
    for (number, exercise) in catalogue.exercises().iter().enumerate() {
        let meta = &exercise.meta;
        let folder = root.join(&meta.id);
        write_new(
            folder.join("README.md"),
            &exercise.file_text("README.md")?,
            &mut outcome,
        )?;
        write_new(
            folder.join(format!("{}.py", meta.module)),
            &exercise.file_text("starter.py")?,
            &mut outcome,
        )?;
        index.push_str(&format!(
            "{}. `{}/{}.py`: {} ({}, {})\n",
            number + 1,
            meta.id,
            meta.module,
            meta.title,
            meta.topic,
            meta.difficulty.as_str()
        ));
    }
    write_new(root.join("README.md"), &index, &mut outcome)?;
    let state = root.join(crate::progress::STATE_FILE);
    if state.exists() {
        outcome.kept.push(state);
    } else {
        crate::progress::Progress::default()
            .save(root)
            .map_err(|source| ExerciseError::Read {
                path: state.display().to_string(),
                source,
            })?;
        outcome.created.push(state);
    }
    Ok(outcome)
}

/// The learner's file of `exercise` in the workspace at `root`.
pub fn exercise_file(root: &Path, exercise: &Exercise) -> PathBuf {
    root.join(&exercise.meta.id)
        .join(format!("{}.py", exercise.meta.module))
}

/// The folder where resets keep the learner's files.
pub const BACKUP_DIR: &str = ".pykata-backups";

/// Puts the starter back in the learner's file of `exercise`, keeping the old file (when it
/// exists and differs) in `.pykata-backups/`; returns the backup's path.
pub fn reset(root: &Path, exercise: &Exercise) -> Result<Option<PathBuf>, ExerciseError> {
    let file = exercise_file(root, exercise);
    let starter = exercise.file_text("starter.py")?;
    let io_error = |path: &Path| {
        let path = path.display().to_string();
        move |source| ExerciseError::Read { path, source }
    };
    let mut backup = None;
    if let Ok(old) = std::fs::read(&file)
        && old != starter.as_bytes()
    {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let folder = root.join(BACKUP_DIR);
        fs_err::create_dir_all(&folder).map_err(io_error(&folder))?;
        let path = folder.join(format!("{}-{seconds}.py", exercise.meta.id));
        fs_err::write(&path, old).map_err(io_error(&path))?;
        backup = Some(path);
    }
    if let Some(parent) = file.parent() {
        fs_err::create_dir_all(parent).map_err(io_error(parent))?;
    }
    fs_err::write(&file, starter).map_err(io_error(&file))?;
    Ok(backup)
}
