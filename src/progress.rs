//! A workspace's progress: which exercises are done, which one is current, how many hints
//! were shown, and quiz scores. Kept in `pykata-progress.toml` at the workspace's root: plain
//! TOML with no absolute path, so a workspace can be synced between machines with git. Read
//! tolerantly (an unreadable file means fresh progress, with a notice, and the bad file is
//! kept aside) and written atomically (a temporary file renamed over the old one).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The state file's name, at the root of a workspace. Its presence marks a workspace.
pub const STATE_FILE: &str = "pykata-progress.toml";

/// Quiz scores of one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizScore {
    /// How many times it was answered.
    pub answered: u32,
    /// How many of those answers were right.
    pub correct: u32,
    /// Whether the last answer was right.
    pub last_correct: bool,
}

/// The content of the state file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The exercise watch mode opens on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Exercises that have passed, by id.
    #[serde(default)]
    pub done: Vec<String>,
    /// How many hints were shown, by exercise id.
    #[serde(default)]
    pub hints: BTreeMap<String, usize>,
    /// Quiz scores by full item id (`topic/id`).
    #[serde(default)]
    pub quiz: BTreeMap<String, QuizScore>,
}

/// Progress as loaded, and what to tell the learner about it.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    /// Set when the file was there but could not be used.
    pub notice: Option<String>,
}

impl Progress {
    /// Whether `id` has passed.
    pub fn is_done(&self, id: &str) -> bool {
        self.done.iter().any(|done| done == id)
    }

    /// Records that `id` passed; true when it is new.
    pub fn mark_done(&mut self, id: &str) -> bool {
        if self.is_done(id) {
            return false;
        }
        self.done.push(id.to_string());
        true
    }

    /// Records an answer to a quiz item.
    pub fn record_answer(&mut self, full_id: &str, correct: bool) {
        let score = self.quiz.entry(full_id.to_string()).or_default();
        score.answered += 1;
        score.correct += u32::from(correct);
        score.last_correct = correct;
    }

    /// Whether a quiz item was ever answered right.
    pub fn quiz_solved(&self, full_id: &str) -> bool {
        self.quiz
            .get(full_id)
            .is_some_and(|score| score.correct > 0)
    }

    /// Reads the state file of the workspace at `root`. Missing means fresh; unreadable
    /// means fresh with a notice, the bad file renamed to `pykata-progress.toml.bad`.
    pub fn load(root: &Path) -> Loaded {
        let path = root.join(STATE_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    progress: Progress::default(),
                    notice: None,
                };
            }
            Err(error) => {
                return Loaded {
                    progress: Progress::default(),
                    notice: Some(format!(
                        "{STATE_FILE} could not be read ({error}): starting with fresh progress"
                    )),
                };
            }
        };
        let parsed = std::str::from_utf8(&text)
            .map_err(|_| "it is not UTF-8 text".to_string())
            .and_then(|text| {
                toml::from_str::<Progress>(text).map_err(|error| error.message().trim().to_string())
            });
        match parsed {
            Ok(progress) => Loaded {
                progress,
                notice: None,
            },
            Err(why) => {
                let aside = root.join(format!("{STATE_FILE}.bad"));
                let kept = std::fs::rename(&path, &aside).is_ok();
                Loaded {
                    progress: Progress::default(),
                    notice: Some(format!(
                        "{STATE_FILE} could not be read ({why}): starting with fresh progress{}",
                        if kept {
                            format!("; the old file is kept as {STATE_FILE}.bad")
                        } else {
                            String::new()
                        }
                    )),
                }
            }
        }
    }

    /// Writes the state file atomically: a temporary file beside it, renamed over it.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        let text = format!(
            "# pykata progress: exercises done, hints shown, quiz scores.\n# Plain TOML with no absolute path: commit it to sync a workspace between machines.\n{}",
            toml::to_string(self).map_err(std::io::Error::other)?
        );
        let mut file = tempfile::Builder::new()
            .prefix(".pykata-progress-")
            .suffix(".tmp")
            .tempfile_in(root)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(root.join(STATE_FILE))
            .map_err(|error| error.error)?;
        Ok(())
    }
}

/// The workspace that holds `start` (it or a parent folder has the state file, or the
/// README.md `pykata init` writes).
pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
}

/// Whether `dir` is a workspace's root.
pub fn is_workspace(dir: &Path) -> bool {
    dir.join(STATE_FILE).is_file()
        || std::fs::read_to_string(dir.join("README.md"))
            .is_ok_and(|text| text.starts_with("# pykata practice"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corrupt_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Progress::load(dir.path()).progress, Progress::default());
        let mut progress = Progress::default();
        progress.mark_done("retry");
        progress.current = Some("lru_cache".into());
        progress.hints.insert("retry".into(), 2);
        progress.record_answer("fundamentals/x", true);
        progress.save(dir.path()).unwrap();
        let loaded = Progress::load(dir.path());
        assert_eq!(loaded.progress, progress);
        assert!(loaded.notice.is_none());

        std::fs::write(dir.path().join(STATE_FILE), "done = [oops\n").unwrap();
        let loaded = Progress::load(dir.path());
        assert_eq!(loaded.progress, Progress::default());
        assert!(loaded.notice.unwrap().contains("fresh progress"));
        assert!(dir.path().join("pykata-progress.toml.bad").exists());
    }
}
