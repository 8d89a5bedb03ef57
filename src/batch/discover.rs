//! Finding the students in SUBMISSIONS: one sub-folder or one file per student (GitHub
//! Classroom's `<assignment>-<login>` folders give the login), the file to grade in each,
//! the roster, and every problem with the input as a reason attached to that student.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The largest file a submission may hold.
pub const FILE_BYTES_CAP: u64 = 2 << 20;
/// The largest submission folder.
pub const FOLDER_BYTES_CAP: u64 = 32 << 20;

/// One student's submission as found on disk.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The student id (a login, a file stem).
    pub id: String,
    /// Where it was found: a file or a folder.
    pub path: PathBuf,
    /// Why it cannot be graded, when it cannot.
    pub problem: Option<String>,
}

/// Every submission of a class, sorted by id, and notes about what was skipped.
#[derive(Debug, Default)]
pub struct Class {
    pub submissions: Vec<Submission>,
    pub notes: Vec<String>,
}

/// Reads SUBMISSIONS: one folder is the class folder (one entry per student); several
/// paths are one student each.
pub fn discover(arguments: &[PathBuf]) -> Result<Class, String> {
    let mut class = Class::default();
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let entries: Vec<PathBuf> = if let [folder] = arguments
        && folder.is_dir()
    {
        let read = std::fs::read_dir(folder).map_err(|error| {
            format!(
                "failed to read the submissions folder {}: {error}",
                folder.display()
            )
        })?;
        let mut entries: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .collect();
        entries.sort();
        entries
    } else {
        arguments.to_vec()
    };
    // Absolute paths (links not resolved): the gradebook's paths stay valid from any folder.
    let entries: Vec<PathBuf> = entries
        .into_iter()
        .map(|path| std::path::absolute(&path).unwrap_or(path))
        .collect();
    for path in entries {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        if path.is_dir() {
            found.push((name, path));
        } else if path.extension().is_some_and(|ext| ext == "py") {
            let stem = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push((stem, path));
        } else if path.exists() {
            class.notes.push(format!(
                "{} skipped: not a folder or a .py file",
                path.display()
            ));
        } else {
            found.push((name, path));
        }
    }
    let prefix = classroom_prefix(&found);
    let mut by_id: BTreeMap<String, Vec<Submission>> = BTreeMap::new();
    for (name, path) in found {
        let id = name.strip_prefix(&prefix).unwrap_or(&name).to_string();
        let problem = readable_problem(&path);
        by_id
            .entry(id.to_lowercase())
            .or_default()
            .push(Submission { id, path, problem });
    }
    for (_, mut same) in by_id {
        if same.len() > 1 {
            let paths: Vec<String> = same.iter().map(|s| s.path.display().to_string()).collect();
            let mut first = same.remove(0);
            first.problem = Some(format!(
                "duplicate student id {}: submitted as {}; grade one of them",
                first.id,
                paths.join(" and ")
            ));
            class.submissions.push(first);
        } else {
            class.submissions.extend(same);
        }
    }
    Ok(class)
}

/// The `<assignment>-` prefix GitHub Classroom puts before every login, when every folder
/// shares one (and there are at least two).
fn classroom_prefix(found: &[(String, PathBuf)]) -> String {
    let folders: Vec<&str> = found
        .iter()
        .filter(|(_, path)| path.is_dir())
        .map(|(name, _)| name.as_str())
        .collect();
    if folders.len() < 2 || folders.len() != found.len() {
        return String::new();
    }
    let mut prefix = folders[0].to_string();
    for name in &folders[1..] {
        while !name.starts_with(&prefix) {
            prefix.pop();
        }
    }
    match prefix.rfind('-') {
        Some(dash) => prefix[..=dash].to_string(),
        None => String::new(),
    }
}

/// Why a submission cannot be read, if it cannot: missing, unreadable, empty, too big,
/// binary.
fn readable_problem(path: &Path) -> Option<String> {
    // A symbolic link could point at another student's work or at a file of the grading
    // machine: a submission is graded only as the files it holds itself.
    if std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink()) {
        return Some(format!(
            "symbolic link refused: {} is a link, not a file or folder of its own",
            path.display()
        ));
    }
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return Some(format!("cannot read {}: {error}", path.display())),
    };
    if metadata.is_dir() {
        let mut files = Vec::new();
        if let Err(error) = walk(path, &mut files) {
            return Some(format!(
                "cannot read the folder {}: {error}",
                path.display()
            ));
        }
        if let Some(link) = first_link(path) {
            return Some(format!(
                "symbolic link refused: {} is a link, not a file of its own",
                link.display()
            ));
        }
        if files.is_empty() {
            return Some(format!("empty folder: {} holds no file", path.display()));
        }
        let total: u64 = files.iter().map(|(_, size)| size).sum();
        if total > FOLDER_BYTES_CAP {
            return Some(format!(
                "folder too large: {} holds {} MiB (the limit is {} MiB)",
                path.display(),
                total >> 20,
                FOLDER_BYTES_CAP >> 20
            ));
        }
        return files
            .iter()
            .filter(|(file, _)| file.extension().is_some_and(|ext| ext == "py"))
            .find_map(|(file, _)| file_problem(file));
    }
    file_problem(path)
}

fn file_problem(file: &Path) -> Option<String> {
    let size = match std::fs::metadata(file) {
        Ok(metadata) => metadata.len(),
        Err(error) => return Some(format!("cannot read {}: {error}", file.display())),
    };
    if size > FILE_BYTES_CAP {
        return Some(format!(
            "file too large: {} is {} MiB (the limit is {} MiB)",
            file.display(),
            size >> 20,
            FILE_BYTES_CAP >> 20
        ));
    }
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => return Some(format!("cannot read {}: {error}", file.display())),
    };
    if bytes.is_empty() {
        return Some(format!("empty file: {}", file.display()));
    }
    if bytes.contains(&0) || std::str::from_utf8(&bytes).is_err() {
        return Some(format!(
            "binary file: {} is not UTF-8 Python source",
            file.display()
        ));
    }
    None
}

/// The first symbolic link below `folder` (hidden folders and caches left out).
fn first_link(folder: &Path) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    entries.into_iter().find_map(|entry| {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__pycache__" {
            return None;
        }
        let kind = entry.file_type().ok()?;
        if kind.is_symlink() {
            Some(entry.path())
        } else if kind.is_dir() {
            first_link(&entry.path())
        } else {
            None
        }
    })
}

/// Every file below `folder` (hidden folders, caches and symbolic links left out), with
/// its size.
pub fn walk(folder: &Path, files: &mut Vec<(PathBuf, u64)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push((entry.path(), entry.metadata()?.len()));
        }
    }
    Ok(())
}

/// The file to grade for an exercise whose module is `module`: the submission itself when
/// it is a file; in a folder `<module>.py`, else `solution.py`, else its only `.py` file.
pub fn exercise_file(submission: &Path, module: &str) -> Result<PathBuf, String> {
    if submission.is_file() {
        return Ok(submission.to_path_buf());
    }
    let mut files = Vec::new();
    walk(submission, &mut files).map_err(|error| error.to_string())?;
    let python: Vec<&PathBuf> = files
        .iter()
        .map(|(file, _)| file)
        .filter(|file| file.extension().is_some_and(|ext| ext == "py"))
        .collect();
    let named = |wanted: &str| {
        python
            .iter()
            .filter(|file| file.file_name().is_some_and(|name| name == wanted))
            .min_by_key(|file| file.components().count())
            .map(|file| (*file).clone())
    };
    if let Some(file) = named(&format!("{module}.py")).or_else(|| named("solution.py")) {
        return Ok(file);
    }
    match python.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(format!(
            "no Python file in {}: expected {module}.py",
            submission.display()
        )),
        many => Err(format!(
            "no {module}.py in {} and {} other Python files: name the file {module}.py",
            submission.display(),
            many.len()
        )),
    }
}

/// A hash of a submission's content: the file, or every file of the folder with its
/// relative path.
pub fn content_hash(path: &Path) -> String {
    let mut hasher = Sha256::new();
    if path.is_dir() {
        let mut files = Vec::new();
        let _ = walk(path, &mut files);
        for (file, _) in files {
            let relative = file.strip_prefix(path).unwrap_or(&file);
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update([0]);
            hasher.update(std::fs::read(&file).unwrap_or_default());
            hasher.update([0]);
        }
    } else {
        hasher.update(std::fs::read(path).unwrap_or_default());
    }
    hex(&hasher.finalize())
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The shard (0-based, of `count`) a student belongs to: stable across runs and machines.
pub fn shard_of(id: &str, count: u32) -> u32 {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
}

/// A roster: student ids in order, with names.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Roster {
    pub students: Vec<(String, String)>,
    /// Problems found in the roster (a student listed twice), shown in the report.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Roster {
    /// Reads a roster CSV: a header naming an id column (`id`, `login`, `username`,
    /// `github_username`, `student_id`, `email`) and optionally a name column (`name`,
    /// `full_name`, `roster_identifier`); without such a header, the first column is the id
    /// and the second the name.
    pub fn read(path: &Path) -> Result<Roster, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("failed to read the roster {}: {error}", path.display()))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut rows: Vec<Vec<String>> = Vec::new();
        for (number, record) in reader.records().enumerate() {
            let record = record.map_err(|error| {
                format!(
                    "malformed roster {} at line {}: {error}",
                    path.display(),
                    number + 1
                )
            })?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        let ids = [
            "id",
            "login",
            "username",
            "github_username",
            "student_id",
            "email",
        ];
        let names = ["name", "full_name", "roster_identifier", "student_name"];
        let (id_column, name_column, skip) = match rows.first() {
            Some(header)
                if header
                    .iter()
                    .any(|cell| ids.contains(&cell.to_lowercase().as_str())) =>
            {
                let find = |wanted: &[&str]| {
                    header
                        .iter()
                        .position(|cell| wanted.contains(&cell.to_lowercase().as_str()))
                };
                (find(&ids).unwrap_or(0), find(&names), 1)
            }
            _ => (0, Some(1), 0),
        };
        let mut roster = Roster::default();
        let mut seen = std::collections::HashSet::new();
        for (number, row) in rows.iter().enumerate().skip(skip) {
            let id = row.get(id_column).cloned().unwrap_or_default();
            if id.is_empty() {
                continue;
            }
            if !seen.insert(id.to_lowercase()) {
                roster.notes.push(format!(
                    "the roster {} lists {id} twice (line {}): the first line is used",
                    path.display(),
                    number + 1
                ));
                continue;
            }
            let name = name_column
                .and_then(|column| row.get(column).cloned())
                .unwrap_or_default();
            roster.students.push((id, name));
        }
        if roster.students.is_empty() {
            return Err(format!("the roster {} lists no student", path.display()));
        }
        Ok(roster)
    }

    /// The name of `id`, if the roster lists it (ids compare without case).
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.students
            .iter()
            .find(|(listed, _)| listed.eq_ignore_ascii_case(id))
            .map(|(_, name)| name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classroom_prefix_is_cut_at_the_last_dash() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["hw1-lru-alice", "hw1-lru-bob-2"] {
            std::fs::create_dir(tmp.path().join(name)).unwrap();
        }
        let found: Vec<(String, PathBuf)> = ["hw1-lru-alice", "hw1-lru-bob-2"]
            .iter()
            .map(|name| (name.to_string(), tmp.path().join(name)))
            .collect();
        assert_eq!(classroom_prefix(&found), "hw1-lru-");
    }

    #[test]
    fn shards_are_stable_and_cover_everyone() {
        let counts = (0..300).fold([0; 3], |mut counts, n| {
            counts[shard_of(&format!("student{n}"), 3) as usize] += 1;
            counts
        });
        assert!(counts.iter().all(|count| *count > 60), "{counts:?}");
        assert_eq!(shard_of("alice", 3), shard_of("alice", 3));
    }
}
