//! The learner's practice workspace: one folder per bundled exercise with its task and the
//! starter file to edit. Existing files are never overwritten.

use crate::exercise::{Catalogue, ExerciseError};
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
        "# pykata practice\n\nWork through the exercises in this order. Each folder holds the task \
         (README.md) and the file you edit. Grade a file with `pykata check FOLDER/FILE.py`; \
         `pykata hint ID` gives a hint.\n\n",
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
    Ok(outcome)
}
