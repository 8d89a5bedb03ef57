//! Exercises: the bundled catalogue, exercise folders on disk, their `exercise.toml`, and
//! the resolution of a command-line PATH into something to grade.

mod target;

pub use target::{Target, has_test_files, resolve_target};

use crate::assets::{Unpacked, catalogue};
use include_dir::Dir;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Errors of finding and reading exercises.
#[derive(Debug, thiserror::Error)]
pub enum ExerciseError {
    #[error("no such file, folder or exercise: {target}{}", suggestion_text(.suggestions))]
    NotFound {
        target: String,
        suggestions: Vec<String>,
    },
    #[error("malformed exercise.toml at {path}{}: {message}", location_text(*.line, *.column))]
    Malformed {
        path: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("failed to read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is missing from the exercise folder")]
    MissingFile { path: String },
    #[error(
        "which file should be graded for exercise {id}? pass --submission FILE (for example --submission {module}.py)"
    )]
    NeedsSubmission { id: String, module: String },
    #[error("the submission {path} does not exist")]
    SubmissionNotFound { path: String },
    #[error("the submission {path} is not a file")]
    SubmissionNotAFile { path: String },
    #[error(
        "{path} holds no test files (test_*.py or *_test.py) and no exercise.toml: nothing to grade"
    )]
    NoTests { path: String },
    #[error("{path} is a file that is neither a bundled exercise's module nor a test file")]
    UnknownFile { path: String },
}

fn suggestion_text(suggestions: &[String]) -> String {
    match suggestions {
        [] => " (run `pykata list` to see the bundled exercises)".to_string(),
        [one] => format!(" (did you mean {one}?)"),
        many => format!(" (did you mean one of: {}?)", many.join(", ")),
    }
}

fn location_text(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(", line {line}, column {column}"),
        (Some(line), None) => format!(", line {line}"),
        _ => String::new(),
    }
}

/// How hard an exercise is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    /// The lowercase name, as written in exercise.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// The `[limits]` table of exercise.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseLimits {
    /// Wall-clock limit of each case (and of loading the submission), in seconds.
    pub timeout_seconds: Option<f64>,
    /// CPU-time limit of one run, in seconds.
    pub cpu_seconds: Option<u64>,
    /// Address-space limit of each process, in MiB.
    pub memory_mb: Option<u64>,
}

/// The content of exercise.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseMeta {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub difficulty: Difficulty,
    /// About how long a learner preparing for an interview needs, in minutes.
    #[serde(default)]
    pub estimated_minutes: Option<u32>,
    /// The learner's module: `lru_cache` means the file lru_cache.py.
    pub module: String,
    #[serde(default)]
    pub hints: Vec<String>,
    #[serde(default)]
    pub limits: ExerciseLimits,
}

impl ExerciseMeta {
    /// Parses exercise.toml text; `path` names the file in errors.
    pub fn parse(text: &str, path: &str) -> Result<ExerciseMeta, ExerciseError> {
        let meta: ExerciseMeta = toml::from_str(text).map_err(|error| {
            let (line, column) = match error.span() {
                Some(span) => {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            ExerciseError::Malformed {
                path: path.to_string(),
                line,
                column,
                message: error.message().trim().to_string(),
            }
        })?;
        let invalid = |message: String| ExerciseError::Malformed {
            path: path.to_string(),
            line: None,
            column: None,
            message,
        };
        if !is_identifier(&meta.module) {
            return Err(invalid(format!(
                "module = {:?} is not a Python module name",
                meta.module
            )));
        }
        if meta
            .estimated_minutes
            .is_some_and(|minutes| !(1..=600).contains(&minutes))
        {
            return Err(invalid("estimated_minutes must be from 1 to 600".into()));
        }
        if let Some(seconds) = meta.limits.timeout_seconds
            && !(seconds > 0.0 && seconds <= 3600.0)
        {
            return Err(invalid(format!(
                "limits.timeout_seconds = {seconds} must be above 0 and at most 3600"
            )));
        }
        if meta
            .limits
            .cpu_seconds
            .is_some_and(|seconds| !(1..=3600).contains(&seconds))
        {
            return Err(invalid("limits.cpu_seconds must be from 1 to 3600".into()));
        }
        if meta
            .limits
            .memory_mb
            .is_some_and(|mib| !(64..=65_536).contains(&mib))
        {
            return Err(invalid("limits.memory_mb must be from 64 to 65536".into()));
        }
        Ok(meta)
    }

    /// The exercise's own wall-clock limit of each case, if it sets one.
    pub fn timeout(&self) -> Option<Duration> {
        self.limits.timeout_seconds.map(Duration::from_secs_f64)
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(first) if first == '_' || first.is_ascii_alphabetic())
        && chars.all(|ch| ch == '_' || ch.is_ascii_alphanumeric())
}

/// Where an exercise's files live.
#[derive(Debug, Clone)]
pub enum Source {
    /// In the binary, at this path below `exercises/`.
    Bundled(PathBuf),
    /// In a folder on disk.
    Folder(PathBuf),
}

/// One exercise.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub meta: ExerciseMeta,
    pub source: Source,
}

impl Exercise {
    /// Loads an exercise folder on disk.
    pub fn from_folder(folder: &Path) -> Result<Exercise, ExerciseError> {
        let path = folder.join("exercise.toml");
        let text = read_text(&path)?;
        let meta = ExerciseMeta::parse(&text, &path.display().to_string())?;
        // Children run in their own scratch folders: they need an absolute path.
        let folder = std::fs::canonicalize(folder).map_err(|source| ExerciseError::Read {
            path: folder.display().to_string(),
            source,
        })?;
        Ok(Exercise {
            meta,
            source: Source::Folder(folder),
        })
    }

    /// The folder holding the exercise's files on disk (bundled exercises are unpacked).
    pub fn folder(&self, unpacked: &Unpacked) -> PathBuf {
        match &self.source {
            Source::Bundled(relative) => unpacked.exercises.join(relative),
            Source::Folder(folder) => folder.clone(),
        }
    }

    /// The text of one of the exercise's files (README.md, explain.md, starter.py, ...).
    pub fn file_text(&self, name: &str) -> Result<String, ExerciseError> {
        match &self.source {
            Source::Bundled(relative) => catalogue()
                .get_file(relative.join(name))
                .and_then(|file| file.contents_utf8())
                .map(str::to_owned)
                .ok_or_else(|| ExerciseError::MissingFile {
                    path: format!("exercises/{}/{name}", relative.display()),
                }),
            Source::Folder(folder) => {
                let path = folder.join(name);
                if !path.exists() {
                    return Err(ExerciseError::MissingFile {
                        path: path.display().to_string(),
                    });
                }
                read_text(&path)
            }
        }
    }

    /// Names of the files in `mutants/`, sorted.
    pub fn mutant_names(&self) -> Vec<String> {
        let mut names: Vec<String> = match &self.source {
            Source::Bundled(relative) => catalogue()
                .get_dir(relative.join("mutants"))
                .map(|dir| {
                    dir.files()
                        .filter_map(|file| file.path().file_name())
                        .map(|name| name.to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default(),
            Source::Folder(folder) => fs_err::read_dir(folder.join("mutants"))
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|entry| entry.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default(),
        };
        names.retain(|name| name.ends_with(".py"));
        names.sort();
        names
    }
}

fn read_text(path: &Path) -> Result<String, ExerciseError> {
    std::fs::read_to_string(path).map_err(|source| ExerciseError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// The exercises bundled in the binary, in practice order: easier first, then by topic
/// and id.
#[derive(Debug, Clone)]
pub struct Catalogue {
    exercises: Vec<Exercise>,
}

/// The order of the topics within a difficulty, as a learner meets them: functions and
/// decorators, then generators, the data model, data structures. Other topics follow.
const TOPIC_PATH: [&str; 4] = ["decorators", "generators", "data_model", "data_structures"];

impl Catalogue {
    /// Reads every `exercise.toml` embedded in the binary (`assets::register_catalogue`).
    pub fn bundled() -> Result<Catalogue, ExerciseError> {
        let mut exercises = Vec::new();
        collect_bundled(catalogue(), &mut exercises)?;
        exercises.sort_by(|a, b| {
            let key = |meta: &ExerciseMeta| {
                let rank = TOPIC_PATH
                    .iter()
                    .position(|topic| *topic == meta.topic)
                    .unwrap_or(TOPIC_PATH.len());
                (meta.difficulty, rank, meta.topic.clone(), meta.id.clone())
            };
            key(&a.meta).cmp(&key(&b.meta))
        });
        Ok(Catalogue { exercises })
    }

    /// All exercises in practice order.
    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    /// The exercise with this id.
    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises
            .iter()
            .find(|exercise| exercise.meta.id == id)
    }

    /// The exercise whose learner module is `module` (lru_cache.py -> lru_cache).
    pub fn by_module(&self, module: &str) -> Option<&Exercise> {
        self.exercises
            .iter()
            .find(|exercise| exercise.meta.module == module)
    }

    /// The ids closest to a mistyped one, best first.
    pub fn suggest(&self, wanted: &str) -> Vec<String> {
        let mut scored: Vec<(f64, &str)> = self
            .exercises
            .iter()
            .map(|exercise| {
                let id = exercise.meta.id.as_str();
                (strsim::jaro_winkler(wanted, id), id)
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(3)
            .map(|(_, id)| id.to_string())
            .collect()
    }
}

fn collect_bundled(dir: &Dir<'static>, out: &mut Vec<Exercise>) -> Result<(), ExerciseError> {
    if let Some(file) = dir.get_file(dir.path().join("exercise.toml")) {
        let path = format!("exercises/{}", file.path().display());
        let text = file
            .contents_utf8()
            .ok_or_else(|| ExerciseError::Malformed {
                path: path.clone(),
                line: None,
                column: None,
                message: "the file is not UTF-8".into(),
            })?;
        out.push(Exercise {
            meta: ExerciseMeta::parse(text, &path)?,
            source: Source::Bundled(dir.path().to_path_buf()),
        });
        return Ok(());
    }
    for sub in dir.dirs() {
        collect_bundled(sub, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_toml_names_line_and_column() {
        let text = "id = \"x\"\ntitle = \"X\"\ntopic = \"t\"\ndifficulty = \"easy\"\nmodule = \"x\"\nhints = [\"a\",\n";
        let error = ExerciseMeta::parse(text, "ex/exercise.toml").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("malformed exercise.toml at ex/exercise.toml, line 6"),
            "{message}"
        );
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let base = "id = \"x\"\ntitle = \"X\"\ntopic = \"t\"\nmodule = \"x\"\n";
        let unknown = format!("{base}difficulty = \"easy\"\ncolour = \"red\"\n");
        assert!(
            ExerciseMeta::parse(&unknown, "e.toml")
                .unwrap_err()
                .to_string()
                .contains("colour")
        );
        let bad_difficulty = format!("{base}difficulty = \"extreme\"\n");
        assert!(
            ExerciseMeta::parse(&bad_difficulty, "e.toml")
                .unwrap_err()
                .to_string()
                .contains("line 5")
        );
        let bad_module = "id = \"x\"\ntitle = \"X\"\ntopic = \"t\"\ndifficulty = \"easy\"\nmodule = \"my-module\"\n";
        assert!(
            ExerciseMeta::parse(bad_module, "e.toml")
                .unwrap_err()
                .to_string()
                .contains("not a Python module name")
        );
    }

    #[test]
    fn suggestions_find_near_misses() {
        let catalogue = Catalogue {
            exercises: ["retry", "lru_cache", "rate_limiter"]
                .iter()
                .map(|id| Exercise {
                    meta: ExerciseMeta::parse(
                        &format!("id = \"{id}\"\ntitle = \"T\"\ntopic = \"t\"\ndifficulty = \"easy\"\nmodule = \"{id}\"\n"),
                        "e.toml",
                    )
                    .unwrap(),
                    source: Source::Folder(PathBuf::from(id)),
                })
                .collect(),
        };
        assert_eq!(catalogue.suggest("lru_cach"), vec!["lru_cache"]);
        assert!(catalogue.suggest("zzzzzz").is_empty());
    }
}
