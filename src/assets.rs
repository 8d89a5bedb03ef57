//! The files embedded in the binary (the harness, the bundled catalogue and quizzes) and their
//! unpacking into a private folder, so `pykata` works from any folder with nothing else
//! installed.

use include_dir::{Dir, DirEntry, include_dir};
use std::io;
use std::path::{Path, PathBuf};

/// The Python harness (`harness/`).
pub static HARNESS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/harness");

/// The harness's modules compiled by the interpreter pykata was built against (build.rs):
/// `__pycache__` folders laid out as the harness, written beside its sources.
pub static HARNESS_BYTECODE: Dir<'static> = include_dir!("$OUT_DIR/harness-bytecode");

/// The bundled exercises (`exercises/`).
pub static EXERCISES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");

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
        write_dir(&EXERCISES, &exercises, Skip::Pycache)?;
        Ok(Unpacked {
            _root: root,
            harness,
            exercises,
        })
    }
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
