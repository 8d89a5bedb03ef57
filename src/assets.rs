//! The files embedded in the binary (the harness, the bundled catalogue and quizzes) and their
//! unpacking into a private folder, so `pykata` works from any folder with nothing else
//! installed.
//!
//! The catalogue (reference solutions, mutants, explanations) is not part of this library:
//! the `pykata` executable embeds it (`src/main.rs`, with [`bundled_catalogue!`]) and hands
//! it over with [`register_catalogue`] before anything else. The embedded engine's zygote,
//! `pykata-zygote`, links this library without it, so no process forked from the zygote
//! (every job of that engine) has a reference solution in its memory (docs/SECURITY.md).

use include_dir::{Dir, DirEntry, include_dir};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The Python harness (`harness/`).
pub static HARNESS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/harness");

/// The harness's modules compiled by the interpreter pykata was built against (build.rs):
/// `__pycache__` folders laid out as the harness, written beside its sources.
pub static HARNESS_BYTECODE: Dir<'static> = include_dir!("$OUT_DIR/harness-bytecode");

/// The bundled exercises (`exercises/`) as an `include_dir::Dir`, embedded in the crate
/// that expands this (only the `pykata` executable and the benchmark, never this library):
/// `static CATALOGUE: include_dir::Dir<'static> = pykata::bundled_catalogue!();`.
#[macro_export]
macro_rules! bundled_catalogue {
    () => {
        include_dir::include_dir!("$CARGO_MANIFEST_DIR/exercises")
    };
}

/// The catalogue the executable registered; none (an empty folder) until it does.
static CATALOGUE: OnceLock<&'static Dir<'static>> = OnceLock::new();

/// An empty catalogue: what a program that registered none sees.
static EMPTY: Dir<'static> = Dir::new("", &[]);

/// Hands the library the bundled exercises (see [`bundled_catalogue!`]); the first call
/// wins. Call it first thing in `main`.
pub fn register_catalogue(catalogue: &'static Dir<'static>) {
    let _ = CATALOGUE.set(catalogue);
}

/// The bundled exercises, laid out as `exercises/`: the registered catalogue, or an empty
/// one.
pub fn catalogue() -> &'static Dir<'static> {
    CATALOGUE.get().copied().unwrap_or(&EMPTY)
}

/// The bundled quizzes (`quizzes/`): never unpacked, read from the binary.
pub static QUIZZES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/quizzes");

/// The embedded files written out to a private temporary folder, removed on drop. Each
/// pykata process unpacks its own copy, so nothing a previous run left behind (or a
/// submission tampered with) is ever trusted.
pub struct Unpacked {
    _root: tempfile::TempDir,
    /// Folder holding `pykata_run.py` and `pykata_harness/`.
    pub harness: PathBuf,
    /// Folder holding the catalogue, laid out as `exercises/`.
    pub exercises: PathBuf,
}

impl Unpacked {
    /// Writes the harness and the catalogue out.
    pub fn new() -> io::Result<Unpacked> {
        let root = tempfile::Builder::new()
            .prefix("pykata-")
            .tempdir_in(crate::settings::temp_root())?;
        // The sandboxed child runs as an unprivileged user: it must be able to read the
        // harness and the cases file that the sandbox shows it (nothing else of this folder
        // is visible inside).
        std::fs::set_permissions(
            root.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )?;
        let harness = root.path().join("harness");
        let exercises = root.path().join("exercises");
        write_dir(&HARNESS, &harness, Skip::Pycache)?;
        write_dir(&HARNESS_BYTECODE, &harness, Skip::Nothing)?;
        write_dir(catalogue(), &exercises, Skip::Pycache)?;
        restrict_secrets(&exercises)?;
        Ok(Unpacked {
            _root: root,
            harness,
            exercises,
        })
    }
}

/// The files of an exercise that no sandboxed child may read: the reference solution, the
/// mutants and the explanation.
pub const SECRET_FILES: [&str; 3] = ["solution.py", "mutants", "explain.md"];

/// Makes the secret files of every unpacked exercise below `folder` readable by their owner
/// only (the grader), a second wall behind the sandbox, which shows a job only its own
/// exercise's `cases.py`: the sandboxed child runs as another user (65534) whenever the
/// grader is root.
fn restrict_secrets(folder: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for entry in fs_err::read_dir(folder)? {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        for name in SECRET_FILES {
            let secret = path.join(name);
            if let Ok(meta) = std::fs::symlink_metadata(&secret) {
                let mode = if meta.is_dir() { 0o700 } else { 0o600 };
                fs_err::set_permissions(&secret, std::fs::Permissions::from_mode(mode))?;
            }
        }
        restrict_secrets(&path)?;
    }
    Ok(())
}

/// What `write_dir` leaves out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// `__pycache__` folders: whatever a developer's checkout had when it was built.
    Pycache,
    Nothing,
}

fn write_dir(dir: &Dir<'_>, destination: &Path, skip: Skip) -> io::Result<()> {
    fs_err::create_dir_all(destination)?;
    for entry in dir.entries() {
        let name = entry.path().file_name().unwrap_or_default();
        if skip == Skip::Pycache && name == "__pycache__" {
            continue;
        }
        match entry {
            DirEntry::Dir(sub) => write_dir(sub, &destination.join(name), skip)?,
            DirEntry::File(file) => fs_err::write(destination.join(name), file.contents())?,
        }
    }
    Ok(())
}
