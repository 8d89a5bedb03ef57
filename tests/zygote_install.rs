//! `pykata` finds its zygote, `pykata-zygote`, in its own folder: without it, `--engine
//! auto` grades with the subprocess engine and says why, and `--engine embedded` fails with
//! a message that names the missing file; the zygote run by hand says what it is.

mod common;

use std::path::Path;
use std::process::Command;

use common::exercise_file;

/// Runs a copy of `pykata` that has no `pykata-zygote` beside it.
fn lonely_pykata(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let copy = dir.join("pykata");
    if !copy.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_pykata"), &copy).unwrap();
    }
    let output = Command::new(&copy)
        .args(args)
        .arg(exercise_file("decorators/retry/solution.py"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (
        output.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn without_its_zygote_pykata_falls_back_to_the_subprocess_engine_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let zygote = dir.path().join("pykata-zygote");
    let args = ["check", "retry", "--format", "json", "--submission"];
    let (code, json, stderr) = lonely_pykata(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["engine"], "subprocess", "{json}");
    assert_eq!(json["status"], "pass", "{json}");
    assert!(
        stderr.contains(&format!("{} is missing", zygote.display()))
            && stderr.contains("using the subprocess engine instead"),
        "{stderr}"
    );

    let args = ["check", "retry", "--engine", "embedded", "--submission"];
    let (code, _, stderr) = lonely_pykata(dir.path(), &args);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("{} is missing", zygote.display()))
            && stderr.contains("cargo install --path ."),
        "{stderr}"
    );
}

#[test]
fn beside_its_zygote_pykata_uses_the_embedded_engine() {
    let zygote = Path::new(env!("CARGO_BIN_EXE_pykata-zygote"));
    assert_eq!(
        zygote.parent(),
        Path::new(env!("CARGO_BIN_EXE_pykata")).parent(),
        "cargo builds both executables into one folder"
    );
    let run = common::Pykata::new()
        .args(["check", "retry", "--format", "json", "--submission"])
        .arg(exercise_file("decorators/retry/solution.py"))
        .run()
        .expect_code(0);
    assert_eq!(run.json()["engine"], "embedded", "{}", run.stderr);
    assert!(!run.stderr.contains("zygote"), "{}", run.stderr);
}

#[test]
fn the_zygote_run_by_hand_says_what_it_is() {
    let output = Command::new(env!("CARGO_BIN_EXE_pykata-zygote"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("embedded engine's zygote") && stderr.contains("run pykata instead"),
        "{stderr}"
    );
}
