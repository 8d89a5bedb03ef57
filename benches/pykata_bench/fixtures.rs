//! Everything the benchmarks grade, generated in a temporary folder: a minimal exercise,
//! plain unittest folders, lru_cache submissions, and the virtual environment with pytest.

use pykata::assets::catalogue;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pytest version of the comparison (the one tests/plain_folders.rs records against).
pub const PYTEST_VERSION: &str = "9.2.0";

/// The bundled exercises the benchmarks grade, as (catalogue path, id); each id is also
/// its module's name.
pub const BUNDLED: [(&str, &str); 3] = [
    ("decorators/retry", "retry"),
    ("data_structures/lru_cache", "lru_cache"),
    ("decorators/rate_limiter", "rate_limiter"),
];

/// A temporary folder that the sandboxed children (an unprivileged user) can read.
pub fn temp_root() -> tempfile::TempDir {
    let root = tempfile::Builder::new()
        .prefix("pykata-bench-")
        .tempdir()
        .expect("failed to create a temporary folder");
    readable(root.path());
    root
}

/// Makes a folder readable and searchable by everyone (tempdirs are 0700).
pub fn readable(folder: &Path) {
    fs::set_permissions(folder, fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|error| panic!("failed to chmod {}: {error}", folder.display()));
}

/// Creates `folder` (and its parents) readable by everyone.
pub fn make_dir(folder: &Path) {
    fs::create_dir_all(folder)
        .unwrap_or_else(|error| panic!("failed to create {}: {error}", folder.display()));
    readable(folder);
}

/// Writes a file, panicking with its path on failure.
pub fn write(path: &Path, text: &str) {
    fs::write(path, text)
        .unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
}

/// The text of a file of the bundled catalogue, e.g. `decorators/retry/solution.py`.
pub fn bundled_text(relative: &str) -> String {
    catalogue()
        .get_file(relative)
        .and_then(|file| file.contents_utf8())
        .unwrap_or_else(|| panic!("exercises/{relative} is not in the catalogue"))
        .to_string()
}

/// The minimal exercise: five cases that cost almost nothing, so that a grade's wall time
/// is pykata's own overhead.
pub const MINIMAL_ID: &str = "bench_add";
pub const MINIMAL_MODULE: &str = "adder";

const MINIMAL_TOML: &str = r#"id = "bench_add"
title = "Add two values (pykata's benchmark exercise)"
topic = "bench"
difficulty = "easy"
module = "adder"
hints = ["return a + b", "return a + b", "return a + b"]
"#;

const MINIMAL_CASES: &str = r#""""Cases of pykata's benchmark exercise: cheap on purpose (tens of microseconds)."""
from pykata_harness import case, random_case

REQUIRED = ["add"]


@case("adds two ints")
def ints(t):
    t.call("add(1, 2)", t.module.add, 1, 2)


@case("adds two floats")
def floats(t):
    t.call("add(0.5, 0.25)", t.module.add, 0.5, 0.25)


@case("concatenates strings")
def strings(t):
    t.call("add('a', 'b')", t.module.add, "a", "b")


@case("raises TypeError on mixed types")
def mixed(t):
    t.call("add(1, 'b')", t.module.add, 1, "b")


@random_case("random ints", runs=5)
def random_ints(t, rng):
    a, b = rng.randrange(1000), rng.randrange(1000)
    t.call(f"add({a}, {b})", t.module.add, a, b)
"#;

/// The reference solution of the minimal exercise (also the graded submission).
pub const MINIMAL_SOLUTION: &str = "def add(a, b):\n    return a + b\n";

/// Writes the minimal exercise folder under `root`; returns it.
pub fn minimal_exercise(root: &Path) -> PathBuf {
    let folder = root.join("bench_add");
    make_dir(&folder);
    write(&folder.join("exercise.toml"), MINIMAL_TOML);
    write(&folder.join("cases.py"), MINIMAL_CASES);
    write(&folder.join("solution.py"), MINIMAL_SOLUTION);
    write(&folder.join("starter.py"), "def add(a, b):\n    pass\n");
    folder
}

/// Writes `count` small plain unittest folders under `root/folders`; returns them.
pub fn unittest_folders(root: &Path, count: usize) -> Vec<PathBuf> {
    let parent = root.join("folders");
    make_dir(&parent);
    (0..count)
        .map(|index| {
            let folder = parent.join(format!("hw{index:04}"));
            make_dir(&folder);
            let factor = index % 7 + 2;
            write(
                &folder.join("calc.py"),
                &format!(
                    "\"\"\"Homework {index}: small arithmetic helpers.\"\"\"\n\n\
                     def add(a, b):\n    return a + b\n\n\n\
                     def scale(values, factor={factor}):\n    return [v * factor for v in values]\n\n\n\
                     def mean(values):\n    if not values:\n        raise ValueError(\"mean of nothing\")\n    \
                     return sum(values) / len(values)\n"
                ),
            );
            write(
                &folder.join("test_calc.py"),
                &format!(
                    "import unittest\n\nfrom calc import add, mean, scale\n\n\n\
                     class CalcTest(unittest.TestCase):\n\
                     \x20   def test_add(self):\n        self.assertEqual(add(2, {index}), {sum})\n\n\
                     \x20   def test_add_strings(self):\n        self.assertEqual(add(\"a\", \"b\"), \"ab\")\n\n\
                     \x20   def test_scale(self):\n        self.assertEqual(scale([1, 2]), [{factor}, {double}])\n\n\
                     \x20   def test_mean(self):\n        self.assertAlmostEqual(mean([1, 2, 4]), 7 / 3)\n\n\
                     \x20   def test_mean_of_nothing(self):\n        with self.assertRaises(ValueError):\n            mean([])\n\n\n\
                     if __name__ == \"__main__\":\n    unittest.main()\n",
                    sum = index + 2,
                    double = 2 * factor,
                ),
            );
            folder
        })
        .collect()
}

/// lru_cache submissions that grade in well under a second each: the reference, the
/// alternative solutions of tests/fixtures, and the mutants that are not deliberately slow.
fn lru_cache_variants() -> Vec<(String, String)> {
    let mut variants = vec![(
        "solution".to_string(),
        bundled_text("data_structures/lru_cache/solution.py"),
    )];
    let alternatives =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/solutions/lru_cache");
    let mut files: Vec<PathBuf> = fs::read_dir(&alternatives)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in files {
        if let Ok(text) = fs::read_to_string(&file) {
            let name = file.file_stem().unwrap_or_default().to_string_lossy();
            variants.push((format!("alternative {name}"), text));
        }
    }
    // list_of_keys and min_timestamp_eviction are O(n) per operation: a second or more
    // each in the cases that measure complexity, which would make this a test of them.
    let mutants = catalogue()
        .get_dir("data_structures/lru_cache/mutants")
        .expect("lru_cache has mutants");
    let mut mutant_files: Vec<_> = mutants.files().collect();
    mutant_files.sort_by_key(|file| file.path());
    for file in mutant_files {
        let name = file
            .path()
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        if name == "list_of_keys" || name == "min_timestamp_eviction" {
            continue;
        }
        if let Some(text) = file.contents_utf8() {
            variants.push((format!("mutant {name}"), text.to_string()));
        }
    }
    variants
}

/// Writes `count` lru_cache submissions, each `root/submissions/NNNN/lru_cache.py`, cycling
/// through the variants and each made unique by a comment; returns the files.
pub fn lru_cache_submissions(root: &Path, count: usize) -> Vec<PathBuf> {
    let variants = lru_cache_variants();
    let parent = root.join("submissions");
    make_dir(&parent);
    (0..count)
        .map(|index| {
            let folder = parent.join(format!("{index:04}"));
            make_dir(&folder);
            let (name, text) = &variants[index % variants.len()];
            let file = folder.join("lru_cache.py");
            write(&file, &format!("# submission {index} ({name})\n{text}"));
            file
        })
        .collect()
}

/// The virtual environment with pytest, made once (from the Python package index) under the
/// target folder, or where `PYKATA_BENCH_VENV` says; returns its python.
pub fn bench_venv() -> PathBuf {
    let venv = std::env::var_os("PYKATA_BENCH_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-venv"));
    let python = venv.join("bin/python");
    let ready = venv.join("ready");
    if ready.exists() {
        return python;
    }
    eprintln!(
        "pykata_bench: creating {} with pytest=={PYTEST_VERSION}",
        venv.display()
    );
    let status = Command::new(pykata::engine::default_python())
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .status()
        .expect("failed to run python -m venv");
    assert!(status.success(), "failed to create {}", venv.display());
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("pytest=={PYTEST_VERSION}"))
        .status()
        .expect("failed to run pip");
    assert!(
        status.success(),
        "failed to install pytest into {} (this needs the Python package index)",
        venv.display()
    );
    write(&ready, "");
    python
}
