//! Turning a command-line PATH into a [`Target`]: a bundled exercise id, an exercise
//! folder, a plain folder of tests, or a learner's file named after a bundled module.

use super::{Catalogue, Exercise, ExerciseError};
use std::path::{Path, PathBuf};

/// Something `pykata check` grades.
#[derive(Debug, Clone)]
pub enum Target {
    /// An exercise, graded against its reference.
    Exercise {
        exercise: Box<Exercise>,
        submission: PathBuf,
    },
    /// A plain folder of unittest or pytest-style tests and the modules they import.
    Folder { path: PathBuf },
}

/// Resolves one PATH argument.
pub fn resolve_target(
    argument: &str,
    submission: Option<&Path>,
    catalogue: &Catalogue,
) -> Result<Target, ExerciseError> {
    let path = Path::new(argument);
    if path.is_dir() {
        if path.join("exercise.toml").exists() {
            let exercise = Exercise::from_folder(path)?;
            let default = path.join(format!("{}.py", exercise.meta.module));
            let submission = match submission {
                Some(file) => file.to_path_buf(),
                None if default.is_file() => default,
                None => {
                    return Err(ExerciseError::NeedsSubmission {
                        id: exercise.meta.id.clone(),
                        module: exercise.meta.module.clone(),
                    });
                }
            };
            return exercise_target(exercise, submission);
        }
        if !has_test_files(path) {
            return Err(ExerciseError::NoTests {
                path: argument.to_string(),
            });
        }
        return Ok(Target::Folder {
            path: path.to_path_buf(),
        });
    }
    if path.is_file() {
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(exercise) = catalogue.by_module(&stem)
            && path.extension().is_some_and(|ext| ext == "py")
        {
            return exercise_target(exercise.clone(), path.to_path_buf());
        }
        return Err(ExerciseError::UnknownFile {
            path: argument.to_string(),
        });
    }
    if let Some(exercise) = catalogue.get(argument) {
        let Some(submission) = submission else {
            return Err(ExerciseError::NeedsSubmission {
                id: exercise.meta.id.clone(),
                module: exercise.meta.module.clone(),
            });
        };
        return exercise_target(exercise.clone(), submission.to_path_buf());
    }
    Err(ExerciseError::NotFound {
        target: argument.to_string(),
        suggestions: catalogue.suggest(argument),
    })
}

fn exercise_target(exercise: Exercise, submission: PathBuf) -> Result<Target, ExerciseError> {
    if !submission.exists() {
        return Err(ExerciseError::SubmissionNotFound {
            path: submission.display().to_string(),
        });
    }
    if !submission.is_file() {
        return Err(ExerciseError::SubmissionNotAFile {
            path: submission.display().to_string(),
        });
    }
    Ok(Target::Exercise {
        exercise: Box::new(exercise),
        submission,
    })
}

/// Whether a folder (or one below it, skipping hidden and tool folders) holds a file
/// named like a test: `test_*.py` or `*_test.py`.
pub fn has_test_files(folder: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            !(name.starts_with('.')
                || matches!(
                    name.as_str(),
                    "__pycache__" | "node_modules" | "venv" | "build" | "dist"
                ))
                && has_test_files(&path)
        } else {
            name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
        }
    })
}
