//! The gradebook: an SQLite database in the out folder, one row per student, committed as
//! each submission finishes (WAL journal, so a kill at any moment, SIGKILL included, loses
//! at most the submissions still being graded). A row is current when it was graded with
//! the same exercise version, submission content and seed; those are not graded again.

use crate::grade::SubmissionReport;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// The file name of the gradebook in the out folder.
pub const FILE: &str = "gradebook.sqlite";

/// Errors of the gradebook, naming its file.
#[derive(Debug, thiserror::Error)]
#[error("gradebook {path}: {source}")]
pub struct GradebookError {
    pub path: String,
    #[source]
    pub source: rusqlite::Error,
}

/// One student's row.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    /// The submission's path as found.
    pub source: String,
    /// Empty when the submission was not graded (an input problem).
    pub content_hash: String,
    pub exercise_version: String,
    pub seed: u64,
    /// `pass`, `fail` or `error`.
    pub status: String,
    pub score: f64,
    pub max_score: f64,
    /// Why the status is what it is, when it is not self-evident.
    pub note: String,
    /// The full report, when the submission was graded.
    pub report: Option<SubmissionReport>,
    /// How many times this row was graded and committed.
    pub gradings: u32,
}

/// An open gradebook.
pub struct Gradebook {
    connection: Connection,
    path: PathBuf,
}

impl Gradebook {
    /// Opens (or creates) the gradebook of the out folder `dir`.
    pub fn open(dir: &Path) -> Result<Gradebook, GradebookError> {
        let path = dir.join(FILE);
        let wrap = |source| GradebookError {
            path: path.display().to_string(),
            source,
        };
        let connection = Connection::open(&path).map_err(wrap)?;
        // WAL with synchronous=NORMAL survives the death of this process at any moment;
        // only a crash of the whole machine may lose the last commits.
        connection
            .execute_batch(
                "PRAGMA journal_mode=WAL;
                 PRAGMA synchronous=NORMAL;
                 PRAGMA busy_timeout=5000;
                 CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS results (
                     id TEXT PRIMARY KEY,
                     source TEXT NOT NULL,
                     content_hash TEXT NOT NULL,
                     exercise_version TEXT NOT NULL,
                     seed INTEGER NOT NULL,
                     status TEXT NOT NULL,
                     score REAL NOT NULL,
                     max_score REAL NOT NULL,
                     note TEXT NOT NULL,
                     report TEXT,
                     gradings INTEGER NOT NULL DEFAULT 0
                 );",
            )
            .map_err(wrap)?;
        Ok(Gradebook { connection, path })
    }

    fn wrap(&self, source: rusqlite::Error) -> GradebookError {
        GradebookError {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// A value of the meta table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, GradebookError> {
        self.connection
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|error| self.wrap(error))
    }

    /// Sets a value of the meta table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), GradebookError> {
        self.connection
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(drop)
            .map_err(|error| self.wrap(error))
    }

    /// Whether `id` was already graded with this content, exercise version and seed.
    pub fn is_current(
        &self,
        id: &str,
        content_hash: &str,
        exercise_version: &str,
        seed: u64,
    ) -> Result<bool, GradebookError> {
        self.connection
            .query_row(
                "SELECT 1 FROM results WHERE id = ?1 AND content_hash = ?2
                 AND exercise_version = ?3 AND seed = ?4 AND report IS NOT NULL",
                params![id, content_hash, exercise_version, seed as i64],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(|error| self.wrap(error))
    }

    /// Writes one row and commits it. A graded row counts one more grading.
    pub fn record(&self, row: &Row) -> Result<(), GradebookError> {
        let report = row
            .report
            .as_ref()
            .map(|report| serde_json::to_string(report).unwrap_or_default());
        let graded = i64::from(report.is_some());
        self.connection
            .execute(
                "INSERT INTO results (id, source, content_hash, exercise_version, seed, status,
                     score, max_score, note, report, gradings)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(id) DO UPDATE SET source = excluded.source,
                     content_hash = excluded.content_hash,
                     exercise_version = excluded.exercise_version, seed = excluded.seed,
                     status = excluded.status, score = excluded.score,
                     max_score = excluded.max_score, note = excluded.note,
                     report = excluded.report, gradings = gradings + ?11",
                params![
                    row.id,
                    row.source,
                    row.content_hash,
                    row.exercise_version,
                    row.seed as i64,
                    row.status,
                    row.score,
                    row.max_score,
                    row.note,
                    report,
                    graded,
                ],
            )
            .map(drop)
            .map_err(|error| self.wrap(error))
    }

    /// Copies a row as it is (for merging shards), keeping its count of gradings.
    pub fn copy_row(&self, row: &Row) -> Result<(), GradebookError> {
        self.connection
            .execute("DELETE FROM results WHERE id = ?1", [&row.id])
            .map_err(|error| self.wrap(error))?;
        self.record(&Row {
            gradings: 0,
            ..row.clone()
        })?;
        self.connection
            .execute(
                "UPDATE results SET gradings = ?2 WHERE id = ?1",
                params![row.id, row.gradings],
            )
            .map(drop)
            .map_err(|error| self.wrap(error))
    }

    /// Removes the rows of students not in `keep`.
    pub fn retain(
        &self,
        keep: &std::collections::HashSet<String>,
    ) -> Result<usize, GradebookError> {
        let stale: Vec<String> = self
            .rows()?
            .into_iter()
            .map(|row| row.id)
            .filter(|id| !keep.contains(id))
            .collect();
        for id in &stale {
            self.connection
                .execute("DELETE FROM results WHERE id = ?1", [id])
                .map_err(|error| self.wrap(error))?;
        }
        Ok(stale.len())
    }

    /// Every row, by id.
    pub fn rows(&self) -> Result<Vec<Row>, GradebookError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT id, source, content_hash, exercise_version, seed, status, score,
                     max_score, note, report, gradings FROM results ORDER BY id",
            )
            .map_err(|error| self.wrap(error))?;
        let rows = statement
            .query_map([], |row| {
                let report: Option<String> = row.get(9)?;
                Ok(Row {
                    id: row.get(0)?,
                    source: row.get(1)?,
                    content_hash: row.get(2)?,
                    exercise_version: row.get(3)?,
                    seed: row.get::<_, i64>(4)? as u64,
                    status: row.get(5)?,
                    score: row.get(6)?,
                    max_score: row.get(7)?,
                    note: row.get(8)?,
                    report: report.and_then(|text| serde_json::from_str(&text).ok()),
                    gradings: row.get(10)?,
                })
            })
            .map_err(|error| self.wrap(error))?;
        rows.collect::<Result<Vec<Row>, _>>()
            .map_err(|error| self.wrap(error))
    }
}
