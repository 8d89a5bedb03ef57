//! `pykata gradescope EXERCISE --out autograder.zip`: the bundle holds an executable
//! setup.sh and run_autograder and the crate source, and its run_autograder, run in a
//! simulated /autograder with this pykata on PATH, writes a valid results.json.
//! (setup.sh itself, which installs Rust and builds pykata, needs root and the network:
//! it is not run here.)

mod common;

use common::{Pykata, exercise_file};
use std::path::Path;
use std::process::Command;

fn unpack(zip_path: &Path, into: &Path) -> Vec<(String, u32)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().to_string();
        let mode = entry.unix_mode().unwrap_or(0);
        let target = into.join(&name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut file = std::fs::File::create(&target).unwrap();
        std::io::copy(&mut entry, &mut file).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode & 0o777)).unwrap();
        entries.push((name, mode));
    }
    entries
}

fn run_autograder(root: &Path) -> serde_json::Value {
    let binary_dir = Path::new(env!("CARGO_BIN_EXE_pykata")).parent().unwrap();
    let path = format!(
        "{}:{}",
        binary_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new(root.join("source/run_autograder"))
        .env("AUTOGRADER_ROOT", root)
        .env("PATH", path)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(root.join("results/results.json")).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("invalid JSON ({error}): {text}"))
}

#[test]
fn the_bundle_grades_a_submission_in_a_simulated_autograder() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("autograder.zip");
    Pykata::new()
        .args(["gradescope", "lru_cache", "--out"])
        .arg(&zip)
        .run()
        .expect_code(0);
    let root = dir.path().join("autograder");
    let entries = unpack(&zip, &root.join("source"));
    for script in ["setup.sh", "run_autograder"] {
        let (_, mode) = entries.iter().find(|(name, _)| name == script).unwrap();
        assert_eq!(mode & 0o111, 0o111, "{script} is executable");
    }
    for part in [
        "pykata-src/Cargo.toml",
        "pykata-src/Cargo.lock",
        "pykata-src/src/main.rs",
    ] {
        assert!(entries.iter().any(|(name, _)| name == part), "{part}");
    }
    assert!(!entries.iter().any(|(name, _)| name.contains("/target/")));

    std::fs::create_dir_all(root.join("submission/src")).unwrap();
    std::fs::copy(
        exercise_file("data_structures/lru_cache/mutants/contains_refreshes.py"),
        root.join("submission/src/lru_cache.py"),
    )
    .unwrap();
    let results = run_autograder(&root);
    let tests = results["tests"].as_array().unwrap();
    assert!(tests.iter().any(|test| test["status"] == "failed"));
    let score = results["score"].as_f64().unwrap();
    assert!(score > 0.0 && score < 16.0, "{results}");

    // No file to grade: still a valid results.json that says why.
    std::fs::remove_file(root.join("submission/src/lru_cache.py")).unwrap();
    std::fs::write(root.join("submission/notes.txt"), "hello").unwrap();
    let results = run_autograder(&root);
    assert_eq!(results["score"], 0);
    assert!(results["output"].as_str().unwrap().contains("lru_cache.py"));
}
