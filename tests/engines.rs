//! Both engines give the same verdicts: every bundled exercise's reference, starter,
//! mutants and alternative solutions, the bad-input fixtures and the plain-folder fixtures,
//! graded once with each engine and the same seed, must produce the same results.

mod common;

use common::{Pykata, exercise_file, fixture, root};
use serde_json::Value;
use std::path::PathBuf;

/// Copies every submission we have into its own folder as MODULE.py, so one `pykata check`
/// call grades them all.
fn submissions(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut add = |module: &str, source: PathBuf| {
        let folder = dir.join(format!("{}", paths.len()));
        std::fs::create_dir_all(&folder).unwrap();
        let target = folder.join(format!("{module}.py"));
        std::fs::copy(&source, &target).unwrap();
        paths.push(target);
    };
    for (module, folder) in [
        ("retry", "decorators/retry"),
        ("lru_cache", "data_structures/lru_cache"),
        ("rate_limiter", "decorators/rate_limiter"),
    ] {
        for name in ["solution.py", "starter.py"] {
            add(module, exercise_file(&format!("{folder}/{name}")));
        }
        for sub in [
            exercise_file(&format!("{folder}/mutants")),
            fixture(&format!("solutions/{module}")),
        ] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(sub)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for file in files
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "py"))
            {
                add(module, file);
            }
        }
    }
    for bad in [
        "syntax_error",
        "missing_function",
        "empty",
        "import_error",
        "exits_early",
    ] {
        add("retry", fixture(&format!("bad/{bad}/retry.py")));
    }
    paths
}

/// What must agree between engines: everything but timings and the engine's name.
fn verdicts(run: &common::Run) -> Vec<Value> {
    run.json_lines()
        .into_iter()
        .map(|report| {
            let tests: Vec<Value> = report["tests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|test| {
                    let message = mask_measurements(test["message"].as_str().unwrap_or_default());
                    serde_json::json!([test["name"], test["status"], message])
                })
                .collect();
            serde_json::json!({
                "path": report["path"],
                "status": report["status"],
                "score": report["score"],
                "max_score": report["max_score"],
                "verdict": report["verdict"]["kind"],
                "error": report["error"]["kind"],
                "counts": report["counts"],
                "tests": tests,
            })
        })
        .collect()
}

/// Messages may hold what a run measured (a timing ratio, an object's address): mask the
/// numbers, keep the words.
fn mask_measurements(message: &str) -> String {
    let mut masked = String::new();
    let mut chars = message.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_ascii_digit() {
            while chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphanumeric())
            {
                chars.next();
            }
            masked.push('#');
        } else {
            masked.push(ch);
        }
    }
    masked
}

fn grade_with(engine: &str, paths: &[PathBuf]) -> common::Run {
    Pykata::new()
        .current_dir(&root())
        .args([
            "check", "--format", "json", "--seed", "2024", "--jobs", "2", "--engine", engine,
        ])
        .args(paths)
        .run()
}

#[test]
fn both_engines_agree_on_every_exercise_submission() {
    let dir = tempfile::tempdir().unwrap();
    let paths = submissions(dir.path());
    assert!(paths.len() > 40, "too few submissions: {}", paths.len());
    let embedded = grade_with("embedded", &paths);
    let subprocess = grade_with("subprocess", &paths);
    assert_eq!(embedded.code, subprocess.code);
    let (embedded, subprocess) = (verdicts(&embedded), verdicts(&subprocess));
    assert_eq!(embedded.len(), paths.len());
    for (a, b) in embedded.iter().zip(&subprocess) {
        assert_eq!(a, b, "the engines disagree");
    }
}

#[test]
fn both_engines_agree_on_plain_folders() {
    let paths: Vec<PathBuf> = [
        "unittest_basic",
        "pytest_style",
        "mixed",
        "collect_error",
        "strict_equality",
    ]
    .iter()
    .map(|name| fixture(&format!("plain/{name}")))
    .collect();
    let embedded = grade_with("embedded", &paths);
    let subprocess = grade_with("subprocess", &paths);
    assert_eq!(embedded.code, subprocess.code);
    for (a, b) in verdicts(&embedded).iter().zip(&verdicts(&subprocess)) {
        assert_eq!(a, b, "the engines disagree");
    }
}

#[test]
fn embedded_engine_is_reported() {
    let run = Pykata::new()
        .args([
            "check",
            "retry",
            "--format",
            "json",
            "--engine",
            "embedded",
            "--submission",
        ])
        .arg(exercise_file("decorators/retry/solution.py"))
        .run()
        .expect_code(0);
    assert_eq!(run.json()["engine"], "embedded");
}

/// The unpacked harness carries bytecode compiled at build time: the interpreter pykata was
/// built against (both engines' default) loads every harness module from it instead of
/// compiling the source, and compiles the source when it no longer matches (checked-hash
/// pycs: a stale pyc is never used).
#[test]
fn the_harness_is_loaded_from_its_build_time_bytecode_while_it_matches() {
    let unpacked = pykata::assets::Unpacked::new().unwrap();
    let harness = &unpacked.harness;
    let script = r#"
import os, pkgutil, sys
harness = sys.argv[1]
sys.path.insert(0, harness)
import pykata_harness
names = [m.name for m in pkgutil.walk_packages(pykata_harness.__path__, "pykata_harness.")]
for name in names:
    __import__(name)
print(len(names) + 1)
"#;
    let loads = |harness: &std::path::Path| {
        let output = std::process::Command::new(env!("PYKATA_BUILD_PYTHON"))
            .args(["-I", "-B", "-v", "-c", script])
            .arg(harness)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stderr}");
        let modules: usize = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap();
        let prefix = format!("# code object from '{}", harness.display());
        let from_bytecode = stderr
            .lines()
            .filter(|line| line.starts_with(&prefix) && line.ends_with(".pyc'"))
            .count();
        let from_source: Vec<&str> = stderr
            .lines()
            .filter(|line| {
                line.starts_with(&format!("# code object from {}", harness.display()))
                    && line.ends_with(".py")
            })
            .collect();
        (modules, from_bytecode, from_source.join("\n"))
    };
    let (modules, from_bytecode, from_source) = loads(harness);
    assert!(modules > 20, "only {modules} harness modules found");
    assert_eq!(
        from_bytecode, modules,
        "compiled from source:\n{from_source}"
    );
    assert_eq!(from_source, "");

    // A changed source: its pyc no longer matches and is not used.
    let cases = harness.join("pykata_harness").join("cases.py");
    let mut source = std::fs::read_to_string(&cases).unwrap();
    source.push_str("\nCHANGED = True\n");
    std::fs::write(&cases, source).unwrap();
    let (_, from_bytecode, from_source) = loads(harness);
    assert_eq!(from_bytecode, modules - 1);
    assert!(
        from_source.ends_with("pykata_harness/cases.py"),
        "{from_source}"
    );
}
