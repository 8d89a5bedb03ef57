//! Where pytest would put the rootdir of a plain folder: the first folder, from the given
//! one upwards, whose pytest.ini / .pytest.ini / pytest.toml / .pytest.toml, pyproject.toml
//! with a `[tool.pytest.ini_options]` (or `[tool.pytest]`) table, tox.ini with a `[pytest]`
//! section or setup.cfg with a `[tool:pytest]` section holds pytest's settings; failing
//! that, the first with a pyproject.toml (pytest >= 8.1), then with a setup.py; failing
//! that, the given folder. The search stops below the filesystem's root and the home
//! folder, and after a few levels. So
//! `pykata check tests/` grades what `pytest tests/` run at the repository's root does:
//! the rootdir is copied into the run, and the tests collected are those under `tests/`.

use std::path::{Path, PathBuf};

/// How many folders upwards the search looks (a repository's tests are rarely deeper).
const MAX_LEVELS: usize = 8;

/// The rootdir for `folder` (canonical) and `folder`'s path relative to it.
pub fn find(folder: &Path) -> (PathBuf, PathBuf) {
    let Ok(start) = folder.canonicalize() else {
        return (folder.to_path_buf(), PathBuf::new());
    };
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let found = search(&start, &home, has_pytest_settings)
        .or_else(|| search(&start, &home, |dir| dir.join("pyproject.toml").is_file()))
        .or_else(|| search(&start, &home, |dir| dir.join("setup.py").is_file()));
    match found {
        Some(root) => {
            let relative = start
                .strip_prefix(&root)
                .unwrap_or(Path::new(""))
                .to_path_buf();
            (root, relative)
        }
        None => (start, PathBuf::new()),
    }
}

fn search(start: &Path, home: &Option<PathBuf>, test: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    for dir in start.ancestors().take(MAX_LEVELS) {
        if dir.parent().is_none() || home.as_deref() == Some(dir) {
            return None; // never the filesystem's root or the home folder itself
        }
        if test(dir) {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// Does `dir` hold a configuration file with pytest settings?
fn has_pytest_settings(dir: &Path) -> bool {
    if ["pytest.ini", ".pytest.ini", "pytest.toml", ".pytest.toml"]
        .iter()
        .any(|name| dir.join(name).is_file())
    {
        return true;
    }
    let holds = |name: &str, headers: &[&str]| {
        std::fs::read_to_string(dir.join(name)).is_ok_and(|text| {
            text.lines().any(|line| {
                let line = line.trim();
                headers.contains(&line)
            })
        })
    };
    holds(
        "pyproject.toml",
        &["[tool.pytest.ini_options]", "[tool.pytest]"],
    ) || holds("tox.ini", &["[pytest]"])
        || holds("setup.cfg", &["[tool:pytest]"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_folder_upwards_with_pytest_settings_is_the_rootdir() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("repo");
        std::fs::create_dir_all(root.join("tests/unit")).unwrap();
        std::fs::write(root.join("setup.cfg"), "[metadata]\nname = x\n").unwrap();
        // no pytest settings anywhere: the folder itself
        let (found, relative) = find(&root.join("tests/unit"));
        assert_eq!(found, root.join("tests/unit"));
        assert_eq!(relative, PathBuf::new());
        std::fs::write(
            root.join("pyproject.toml"),
            "[project]\nname = \"x\"\n\n[tool.pytest.ini_options]\naddopts = \"-ra\"\n",
        )
        .unwrap();
        let (found, relative) = find(&root.join("tests/unit"));
        assert_eq!(found, root);
        assert_eq!(relative, PathBuf::from("tests/unit"));
    }

    #[test]
    fn a_setup_py_marks_the_rootdir_when_no_file_has_pytest_settings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("tests")).unwrap();
        std::fs::write(root.join("setup.py"), "").unwrap();
        let (found, relative) = find(&root.join("tests"));
        assert_eq!((found, relative), (root, PathBuf::from("tests")));
    }
}
