//! Every bad input gets a clear message naming the file (and the line where there is
//! one), the right exit code, and never a panic.

mod common;

use common::{Pykata, check_json, fixture};

fn no_panic(run: &common::Run) {
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains("panicked"), "pykata panicked: {run:#?}");
        assert!(
            !text.contains("RUST_BACKTRACE"),
            "pykata panicked: {run:#?}"
        );
    }
}

#[test]
fn missing_path_suggests_the_closest_exercise() {
    let run = Pykata::new()
        .args(["check", "retyr", "--submission", "x.py"])
        .run()
        .expect_code(2);
    no_panic(&run);
    assert!(
        run.stdout
            .contains("no such file, folder or exercise: retyr (did you mean retry?)"),
        "{run:#?}"
    );
}

#[test]
fn missing_path_in_json_is_an_error_line() {
    let run = Pykata::new()
        .args(["check", "/no/such/folder", "--format", "json"])
        .run()
        .expect_code(2);
    let report = run.json();
    assert_eq!(report["path"], "/no/such/folder");
    assert_eq!(report["status"], "error");
    assert_eq!(report["error"]["origin"], "grader");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/no/such/folder")
    );
}

#[test]
fn missing_submission_file_names_it() {
    let run = Pykata::new()
        .args(["check", "retry", "--submission", "/no/such/retry.py"])
        .run()
        .expect_code(2);
    assert!(
        run.stdout
            .contains("the submission /no/such/retry.py does not exist"),
        "{run:#?}"
    );
}

#[test]
fn exercise_id_without_submission_says_what_to_pass() {
    let run = Pykata::new().args(["check", "retry"]).run().expect_code(2);
    assert!(run.stdout.contains("pass --submission FILE"), "{run:#?}");
}

#[test]
fn syntax_error_shows_file_line_and_caret() {
    let run = check_json("retry", &fixture("bad/syntax_error/retry.py")).expect_code(1);
    let report = run.json();
    assert_eq!(report["status"], "error");
    let error = &report["error"];
    assert_eq!(error["kind"], "syntax");
    assert_eq!(error["origin"], "submission");
    assert_eq!(error["file"], "retry.py");
    assert_eq!(error["line"], 1);
    assert!(
        error["text"]
            .as_str()
            .unwrap()
            .contains("def retry(times=3:")
    );

    let human = Pykata::new()
        .args(["check", "retry", "--submission"])
        .arg(fixture("bad/syntax_error/retry.py"))
        .run()
        .expect_code(1);
    no_panic(&human);
    assert!(human.stdout.contains("retry.py:1:"), "{human:#?}");
    assert!(human.stdout.contains('^'), "{human:#?}");
    assert!(
        !human.stdout.contains("pykata_harness"),
        "harness internals leaked: {human:#?}"
    );
}

#[test]
fn missing_function_is_named() {
    let report = check_json("retry", &fixture("bad/missing_function/retry.py"))
        .expect_code(1)
        .json();
    assert_eq!(report["error"]["kind"], "missing");
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("retry.py") && message.contains("retry"),
        "{message}"
    );
}

#[test]
fn empty_file_is_reported_as_empty() {
    let report = check_json("retry", &fixture("bad/empty/retry.py"))
        .expect_code(1)
        .json();
    assert_eq!(report["error"]["kind"], "empty");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("retry.py")
    );
}

#[test]
fn binary_and_non_utf8_files_are_named_with_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("retry.py");
    std::fs::write(&binary, b"\x7fELF\x00\x01\x02\x00binary").unwrap();
    let report = check_json("retry", &binary).expect_code(1).json();
    assert_eq!(report["error"]["kind"], "binary");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("retry.py")
    );

    let latin1 = dir.path().join("latin1").join("retry.py");
    std::fs::create_dir_all(latin1.parent().unwrap()).unwrap();
    std::fs::write(&latin1, b"# ok\n# caf\xe9\ndef retry(times=3):\n    pass\n").unwrap();
    let report = check_json("retry", &latin1).expect_code(1).json();
    assert_eq!(report["error"]["kind"], "encoding");
    assert_eq!(report["error"]["line"], 2);
}

#[test]
fn import_error_shows_the_learners_line() {
    let report = check_json("retry", &fixture("bad/import_error/retry.py"))
        .expect_code(1)
        .json();
    assert_eq!(report["error"]["kind"], "import");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("helper_that_does_not_exist")
    );
    let frames = report["error"]["traceback"].as_array().unwrap();
    assert!(
        frames.iter().all(|frame| frame["file"] == "retry.py"),
        "{frames:?}"
    );
}

#[test]
fn malformed_exercise_toml_names_path_and_line() {
    let folder = fixture("bad/malformed_exercise");
    let run = Pykata::new()
        .args(["check", "--submission", "x.py"])
        .arg(&folder)
        .run()
        .expect_code(2);
    no_panic(&run);
    assert!(
        run.stdout.contains("malformed exercise.toml at"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("exercise.toml, line 3"), "{run:#?}");
}

#[test]
fn folder_without_tests_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calc.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    let run = Pykata::new()
        .arg("check")
        .arg(dir.path())
        .run()
        .expect_code(2);
    assert!(run.stdout.contains("holds no test files"), "{run:#?}");
}

#[test]
fn infinite_loop_is_a_time_limit() {
    let run = Pykata::new()
        .args([
            "check",
            "retry",
            "--format",
            "json",
            "--timeout",
            "1",
            "--submission",
        ])
        .arg(fixture("bad/loop/retry.py"))
        .run()
        .expect_code(1);
    let report = run.json();
    assert_eq!(report["verdict"]["kind"], "time_limit", "{report:#}");
    assert_eq!(report["verdict"]["limit_seconds"], 1.0);
    assert_eq!(report["score"], 0.0);
}

#[test]
fn output_flood_is_capped_and_an_output_limit() {
    let run = check_json("retry", &fixture("bad/flood/retry.py")).expect_code(1);
    assert!(
        run.stdout.len() < 64 * 1024,
        "the report was not capped: {} bytes",
        run.stdout.len()
    );
    let report = run.json();
    assert_eq!(report["verdict"]["kind"], "output_limit", "{report:#}");
    assert!(
        report["output"]
            .as_str()
            .unwrap()
            .contains("[output truncated")
    );
}

#[test]
fn early_exit_fails_closed() {
    let report = check_json("retry", &fixture("bad/exits_early/retry.py"))
        .expect_code(1)
        .json();
    assert_eq!(report["verdict"]["kind"], "exited_early", "{report:#}");
    assert_eq!(report["status"], "error");
    assert_eq!(report["score"], 0.0);
}

#[test]
fn bad_arguments_exit_2() {
    let run = Pykata::new()
        .args(["check", "retry", "--format", "yaml"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("yaml"), "{run:#?}");
    let run = Pykata::new()
        .args(["check", "retry", "--timeout", "0"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("timeout"), "{run:#?}");
}
