//! Plain folders of unittest and pytest-style tests, graded without pytest: the counts and
//! the statuses must agree with what `python -m pytest` reported on the same folders
//! (recorded in each fixture's expected.json by tests/plain_vs_pytest.py --regen).

mod common;

use common::{Pykata, fixture};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

const COUNT_KEYS: [&str; 6] = [
    "passed", "failed", "errors", "skipped", "xfailed", "xpassed",
];

fn expected(folder: &str) -> Value {
    let path = fixture(&format!("plain/{folder}/expected.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// pytest's word for a pykata status.
fn pytest_word(status: &str) -> &'static str {
    match status {
        "pass" => "passed",
        "fail" => "failed",
        "skip" => "skipped",
        "xfail" => "xfailed",
        "xpass" => "xpassed",
        _ => "error",
    }
}

/// Grades a fixture folder and checks it against what pytest reported, with pykata's
/// deliberate differences (strict equality) applied.
fn agrees_with_pytest(folder: &str) {
    let want = expected(folder);
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture(&format!("plain/{folder}")))
        .run();
    let report = run.json();
    assert_ne!(run.code, 2, "{folder} could not be graded: {run:#?}");

    let mut statuses: BTreeMap<String, String> = want["tests"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, outcome)| (id.clone(), outcome.as_str().unwrap().to_string()))
        .collect();
    let differs = want["pykata_differs"]["shim"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (id, outcome) in &differs {
        statuses.insert(id.clone(), outcome.as_str().unwrap().to_string());
    }
    let with_subtests = want["subtests"].as_object().cloned().unwrap_or_default();

    let tests = report["tests"].as_array().unwrap();
    let collect_errors: Vec<&str> = tests
        .iter()
        .filter(|test| test["name"].as_str().unwrap().ends_with(" (collection)"))
        .map(|test| test["id"].as_str().unwrap())
        .collect();
    let want_collect: Vec<&str> = want["collect_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file.as_str().unwrap())
        .collect();
    assert_eq!(
        collect_errors, want_collect,
        "{folder}: collection errors differ"
    );

    let got: BTreeMap<String, String> = tests
        .iter()
        .filter(|test| !test["name"].as_str().unwrap().ends_with(" (collection)"))
        .map(|test| {
            (
                test["id"].as_str().unwrap().to_string(),
                pytest_word(test["status"].as_str().unwrap()).to_string(),
            )
        })
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        statuses.keys().collect::<Vec<_>>(),
        "{folder}: pykata collected other tests than pytest"
    );
    for (id, outcome) in &statuses {
        // pytest counts a unittest test whose subtests failed as passed (each failed
        // subtest is counted on its own); pykata fails the test itself.
        if with_subtests.contains_key(id) {
            continue;
        }
        assert_eq!(&got[id], outcome, "{folder}: {id}");
    }

    scores_as_expected(folder, &run, &statuses, &with_subtests, want_collect.len());

    if differs.is_empty() {
        for key in COUNT_KEYS {
            assert_eq!(
                report["counts"][key], want[key],
                "{folder}: count of {key}: {report:#}"
            );
        }
    }
}

/// Checks what pykata made of the statuses: each test's score and max_score, the folder's
/// score, max_score and status, and the exit code, computed here from pytest's statuses
/// (`statuses`, pykata's deliberate differences applied) by pykata's documented rules: a
/// passed, xfailed or xpassed test scores 1 of 1, a failed or erroring test 0 of 1, a
/// skipped test 0 of 0; a unittest test with a failed subtest fails; a collection error is
/// one erroring test; the folder passes only when no test fails or errors.
fn scores_as_expected(
    folder: &str,
    run: &common::Run,
    statuses: &BTreeMap<String, String>,
    subtests: &serde_json::Map<String, Value>,
    collect_errors: usize,
) {
    let report = run.json();
    let mut score = 0.0;
    let mut max_score = collect_errors as f64;
    let tests = report["tests"].as_array().unwrap();
    for (id, outcome) in statuses {
        let failed_subtest = subtests.get(id).is_some_and(|subtests| {
            subtests
                .as_object()
                .unwrap()
                .values()
                .any(|outcome| outcome != "passed" && outcome != "skipped")
        });
        let outcome = if failed_subtest { "failed" } else { outcome };
        let (test_score, test_max) = match outcome {
            "passed" | "xfailed" | "xpassed" => (1.0, 1.0),
            "skipped" => (0.0, 0.0),
            _ => (0.0, 1.0),
        };
        let test = tests
            .iter()
            .find(|test| test["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{folder}: {id} not reported"));
        assert_eq!(
            pytest_word(test["status"].as_str().unwrap()),
            outcome,
            "{folder}: status of {id}: {test:#}"
        );
        assert_eq!(
            test["score"].as_f64(),
            Some(test_score),
            "{folder}: score of {id}: {test:#}"
        );
        // A skipped test reports its max_score but does not count toward the folder's.
        if outcome != "skipped" {
            assert_eq!(
                test["max_score"].as_f64(),
                Some(test_max),
                "{folder}: max_score of {id}: {test:#}"
            );
        }
        score += test_score;
        max_score += test_max;
    }
    let passes = score == max_score;
    assert_eq!(
        report["score"].as_f64(),
        Some(score),
        "{folder}: {report:#}"
    );
    assert_eq!(
        report["max_score"].as_f64(),
        Some(max_score),
        "{folder}: {report:#}"
    );
    assert_eq!(
        report["status"],
        if passes { "pass" } else { "fail" },
        "{folder}: {report:#}"
    );
    assert_eq!(run.code, if passes { 0 } else { 1 }, "{folder}: {run:#?}");
}

#[test]
fn unittest_folder_agrees_with_pytest() {
    agrees_with_pytest("unittest_basic");
}

#[test]
fn pytest_style_folder_agrees_with_pytest() {
    agrees_with_pytest("pytest_style");
}

#[test]
fn mixed_folder_agrees_with_pytest() {
    agrees_with_pytest("mixed");
}

#[test]
fn collection_error_agrees_with_pytest() {
    agrees_with_pytest("collect_error");
    let run = Pykata::new()
        .arg("check")
        .arg(fixture("plain/collect_error"))
        .run()
        .expect_code(1);
    assert!(
        run.stdout.contains("could not import test_broken.py"),
        "{run:#?}"
    );
}

#[test]
fn always_equal_objects_do_not_pass_against_builtins() {
    agrees_with_pytest("strict_equality");
}

#[test]
fn failing_assert_shows_the_compared_values() {
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture("plain/pytest_style"))
        .run()
        .expect_code(1);
    let report = run.json();
    let test = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["id"] == "test_fixtures.py::test_items_dict")
        .expect("the dict comparison test");
    assert_eq!(test["status"], "fail");
    assert!(
        test["expected"].is_string() && test["actual"].is_string(),
        "{test:#}"
    );
    assert!(
        test["message"].as_str().unwrap().starts_with("assert "),
        "{test:#}"
    );
    assert!(report["tests"].as_array().unwrap().iter().all(|test| {
        test["traceback"].as_array().is_none_or(|frames| {
            frames
                .iter()
                .all(|frame| !frame["file"].as_str().unwrap().contains("pykata_harness"))
        })
    }));
}

#[test]
fn messages_name_failed_subtests_and_only_equality_gets_a_diff() {
    let unittest = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture("plain/unittest_basic"))
        .run()
        .expect_code(1)
        .json();
    let find = |report: &Value, id: &str| -> Value {
        report["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|test| test["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {report:#}"))
            .clone()
    };
    let amounts = find(&unittest, "test_bank.py::ParseTest::test_amounts");
    let message = amounts["message"].as_str().unwrap();
    assert!(
        message.contains("subtest (text='3.5'): ValueError"),
        "{amounts:#}"
    );
    // Passing subtests are not listed.
    assert!(!message.contains("(text='10')"), "{amounts:#}");
    assert_eq!(amounts["file"], "test_bank.py", "{amounts:#}");

    let pytest_style = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture("plain/pytest_style"))
        .run()
        .expect_code(1)
        .json();
    for id in [
        "test_asserts.py::test_chained_comparison",
        "test_asserts.py::test_in_fails",
    ] {
        let test = find(&pytest_style, id);
        assert!(
            test.get("expected").is_none() && test.get("actual").is_none(),
            "{test:#}"
        );
    }
    let list = find(&pytest_style, "test_asserts.py::test_compare_list_fails");
    assert_eq!(list["expected"], "[0, 2, 4, 7]", "{list:#}");
    assert_eq!(list["actual"], "[0, 2, 4, 6]", "{list:#}");
}

#[test]
fn a_test_that_needs_pytest_errors_alone_and_says_how_to_get_it() {
    agrees_with_pytest("needs_pytest");
    // A Python without pytest: the built-in runner errors the one test alone.
    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python_without_pytest())
        .arg(fixture("plain/needs_pytest"))
        .run()
        .expect_code(1);
    let report = run.json();
    let tests = report["tests"].as_array().unwrap();
    let needs = tests
        .iter()
        .find(|test| test["id"] == "test_temperature.py::test_raises_group")
        .expect("the RaisesGroup test");
    assert_eq!(needs["status"], "error", "{needs:#}");
    let message = needs["message"].as_str().unwrap();
    assert!(
        message.contains("pytest.RaisesGroup") && message.contains("install pytest"),
        "{message}"
    );
    let passed = tests.iter().filter(|test| test["status"] == "pass").count();
    assert_eq!(passed, 3, "{report:#}");
}

#[test]
fn ini_options_hooks_and_fixtures_of_a_real_suite_agree_with_pytest() {
    agrees_with_pytest("suite_config");
}

#[test]
fn strict_markers_make_an_unregistered_mark_a_collection_error() {
    agrees_with_pytest("strict_markers");
}

#[test]
fn options_that_do_not_change_outcomes_are_ignored_with_one_notice() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("pyproject.toml"),
        "[tool.pytest.ini_options]\naddopts = \"--cov=calc --cov-report=term -p xdist -n 4 --timeout=30 -ra --tb=short --maxfail=1\"\nrequired_plugins = [\"pytest-cov\"]\n",
    )
    .unwrap();
    std::fs::write(
        folder.path().join("test_calc.py"),
        "def test_a():\n    assert 1 == 2\n\ndef test_b():\n    pass\n",
    )
    .unwrap();
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(folder.path())
        .run()
        .expect_code(1);
    let report = run.json();
    let notes = report["notes"].as_array().expect("a notice");
    assert_eq!(notes.len(), 1, "{report:#}");
    let note = notes[0].as_str().unwrap();
    for option in [
        "--cov=calc",
        "-n 4",
        "--timeout=30",
        "-p xdist",
        "pytest-cov",
    ] {
        assert!(note.contains(option), "{option} missing from {note}");
    }
    // --maxfail=1 changes outcomes: the run stops after the first failure, as pytest's
    let tests = report["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 1, "{report:#}");
    assert_eq!(tests[0]["status"], "fail");
    let human = Pykata::new().arg("check").arg(folder.path()).run();
    assert!(human.stdout.contains("note: "), "{human:#?}");
}

/// A virtual environment with the pytest version the fixtures were recorded with, made
/// once under the target folder from the Python package index (PyPI), or the interpreter
/// `PYKATA_TEST_PYTEST_PYTHON` names. `None`, with one line saying why, when neither works
/// (offline); `PYKATA_TEST_REQUIRE_PYPI=1` makes that a failure instead.
fn python_with_pytest() -> Option<PathBuf> {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let made = PYTHON.get_or_init(|| {
        if let Some(python) = std::env::var_os("PYKATA_TEST_PYTEST_PYTHON") {
            return Ok(PathBuf::from(python));
        }
        let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pytest-venv");
        let python = venv.join("bin/python");
        let ready = venv.join("ready");
        if ready.exists() {
            return Ok(python);
        }
        let status = std::process::Command::new(pykata::engine::default_python())
            .args(["-m", "venv", "--clear"])
            .arg(&venv)
            .status();
        if !status.is_ok_and(|status| status.success()) {
            return Err(format!(
                "failed to create the virtual environment {}",
                venv.display()
            ));
        }
        let status = std::process::Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "pytest==9.2.0",
            ])
            .status();
        if !status.is_ok_and(|status| status.success()) {
            return Err(format!(
                "failed to install pytest 9.2.0 from the Python package index into {}",
                venv.display()
            ));
        }
        std::fs::write(&ready, "").unwrap();
        Ok(python)
    });
    match made {
        Ok(python) => Some(python.clone()),
        Err(why) if std::env::var_os("PYKATA_TEST_REQUIRE_PYPI").is_some() => panic!("{why}"),
        Err(why) => {
            println!(
                "skipped: this test needs pytest from PyPI ({why}); set PYKATA_TEST_PYTEST_PYTHON to a Python that has pytest 9.2.0"
            );
            None
        }
    }
}

/// A Python without pytest, whatever the build Python has installed: a virtual environment
/// of the build Python made without pip or any package (no network needed).
fn python_without_pytest() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bare-venv");
            let python = venv.join("bin/python");
            if !python.exists() {
                let status = std::process::Command::new(pykata::engine::default_python())
                    .args(["-m", "venv", "--clear", "--without-pip"])
                    .arg(&venv)
                    .status()
                    .unwrap();
                assert!(status.success(), "failed to create {}", venv.display());
            }
            let has_pytest = std::process::Command::new(&python)
                .args(["-I", "-c", "import pytest"])
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap()
                .success();
            assert!(!has_pytest, "{} imports pytest", python.display());
            python
        })
        .clone()
}

#[test]
fn a_folder_that_needs_pytest_runs_under_real_pytest_when_installed() {
    let Some(python) = python_with_pytest() else {
        return;
    };
    let want = expected("needs_pytest");
    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python)
        .arg(fixture("plain/needs_pytest"))
        .run()
        .expect_code(0);
    let statuses: BTreeMap<String, String> = want["tests"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, outcome)| (id.clone(), outcome.as_str().unwrap().to_string()))
        .collect();
    let subtests = want["subtests"].as_object().cloned().unwrap_or_default();
    scores_as_expected("needs_pytest", &run, &statuses, &subtests, 0);
    let report = run.json();
    for key in COUNT_KEYS {
        assert_eq!(
            report["counts"][key], want[key],
            "count of {key}: {report:#}"
        );
    }
}

#[test]
fn honest_user_types_equal_builtins_and_the_always_equal_trick_is_explained() {
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture("plain/strict_equality"))
        .run();
    let report = run.json();
    let status = |id: &str| {
        report["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|test| test["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing: {report:#}"))
            .clone()
    };
    for id in [
        "test_strict.py::test_honest_user_types_equal_builtins",
        "test_strict.py::HonestUnittest::test_user_types",
    ] {
        assert_eq!(status(id)["status"], "pass", "{:#}", status(id));
    }
    let liar = status("test_strict.py::test_always_equal_object");
    assert_eq!(liar["status"], "fail");
    assert!(
        liar["message"]
            .as_str()
            .unwrap()
            .contains("always-equal trick"),
        "{liar:#}"
    );
}

/// A repository as cloned: pyproject.toml with pytest settings at the root, the package
/// beside `tests/`, a test file outside `tests/`.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir_all(root.join("mypkg")).unwrap();
    std::fs::create_dir_all(root.join("tests/unit")).unwrap();
    std::fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"mypkg\"\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("mypkg/__init__.py"),
        "def double(x):\n    return 2 * x\n",
    )
    .unwrap();
    std::fs::write(
        root.join("tests/unit/test_double.py"),
        "from mypkg import double\n\ndef test_double():\n    assert double(2) == 4\n",
    )
    .unwrap();
    std::fs::write(
        root.join("tests/test_env.py"),
        "import os\n\ndef test_env():\n    assert os.environ.get('GREETING') == 'hi'\n",
    )
    .unwrap();
    std::fs::write(
        root.join("test_outside.py"),
        "def test_outside():\n    pass\n",
    )
    .unwrap();
    repo
}

fn ids_and_statuses(report: &Value) -> BTreeMap<String, String> {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|test| {
            (
                test["id"].as_str().unwrap().to_string(),
                test["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_tests_folder_is_graded_from_its_rootdir_as_pytest_tests_does() {
    let repo = repository();
    for (given, want) in [
        // `pytest tests/unit`: that folder only, ids from the rootdir, the package found
        (
            repo.path().join("tests/unit"),
            vec![("tests/unit/test_double.py::test_double", "pass")],
        ),
        // `pytest` at the root: testpaths
        (
            repo.path().to_path_buf(),
            vec![
                ("tests/test_env.py::test_env", "pass"),
                ("tests/unit/test_double.py::test_double", "pass"),
            ],
        ),
    ] {
        let run = Pykata::new()
            .args(["check", "--format", "json", "--env", "GREETING=hi"])
            .arg(&given)
            .run()
            .expect_code(0);
        let got = ids_and_statuses(&run.json());
        let want: BTreeMap<String, String> = want
            .into_iter()
            .map(|(id, status)| (id.to_string(), status.to_string()))
            .collect();
        assert_eq!(got, want, "{}", given.display());
    }
    // without --env the variable does not reach the run
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .env("GREETING", "hi")
        .arg(repo.path().join("tests"))
        .run()
        .expect_code(1);
    assert_eq!(
        ids_and_statuses(&run.json())["tests/test_env.py::test_env"],
        "fail"
    );
}

#[test]
fn pythonpath_passes_with_env_and_an_installed_copy_shadowing_the_folder_is_reported() {
    let repo = repository();
    // a src layout, and an "installed" older copy elsewhere on PYTHONPATH
    std::fs::create_dir_all(repo.path().join("src")).unwrap();
    std::fs::rename(repo.path().join("mypkg"), repo.path().join("src/mypkg")).unwrap();
    let installed = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(installed.path().join("mypkg")).unwrap();
    std::fs::write(
        installed.path().join("mypkg/__init__.py"),
        "def double(x):\n    return x + x + 1\n",
    )
    .unwrap();
    let run = Pykata::new()
        .args(["check", "--format", "json", "--env", "PYTHONPATH"])
        .env("PYTHONPATH", installed.path())
        .arg(repo.path().join("tests/unit"))
        .run()
        .expect_code(1);
    let report = run.json();
    assert_eq!(
        ids_and_statuses(&report)["tests/unit/test_double.py::test_double"],
        "fail",
        "{report:#}"
    );
    let notes = report["notes"].as_array().expect("a notice");
    assert!(
        notes.iter().any(|note| {
            let note = note.as_str().unwrap();
            note.contains("mypkg") && note.contains("shadows")
        }),
        "{report:#}"
    );
    // PYTHONPATH pointing into the repository reaches its copy in the run
    let run = Pykata::new()
        .args(["check", "--format", "json", "--env"])
        .arg(format!("PYTHONPATH={}", repo.path().join("src").display()))
        .arg(repo.path().join("tests/unit"))
        .run()
        .expect_code(0);
    assert!(run.json()["notes"].is_null(), "{:#}", run.json());
}

#[test]
fn doctests_of_modules_and_text_files_agree_with_pytest() {
    agrees_with_pytest("doctests");
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(fixture("plain/doctests"))
        .run()
        .expect_code(1);
    let report = run.json();
    let broken = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["id"] == "mathy.py::mathy.broken")
        .expect("the failing doctest");
    let message = broken["message"].as_str().unwrap();
    assert!(
        message.contains("Expected:") && message.contains("Got:"),
        "{message}"
    );
}

#[test]
fn a_test_may_serve_and_call_itself_on_the_private_loopback() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("test_server.py"),
        r#"import socket
import threading


def test_echo_server_on_loopback():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def serve():
        conn, _ = server.accept()
        conn.sendall(conn.recv(5).upper())
        conn.close()

    threading.Thread(target=serve).start()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"hello")
        assert client.recv(5) == b"HELLO"
"#,
    )
    .unwrap();
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(folder.path())
        .run();
    let report = run.json();
    if report["isolation"]["level"] == "full" {
        assert_eq!(report["tests"][0]["status"], "pass", "{report:#}");
    }
}

#[test]
fn import_mode_importlib_lets_test_files_share_a_basename() {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path();
    std::fs::write(
        root.join("pytest.ini"),
        "[pytest]\naddopts = --import-mode=importlib\n",
    )
    .unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        std::fs::write(
            root.join(sub).join("test_same.py"),
            format!("def test_{sub}():\n    assert __name__ == '{sub}.test_same'\n"),
        )
        .unwrap();
    }
    let run = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(root)
        .run()
        .expect_code(0);
    let got = ids_and_statuses(&run.json());
    assert_eq!(
        got.into_iter().collect::<Vec<_>>(),
        vec![
            ("a/test_same.py::test_a".to_string(), "pass".to_string()),
            ("b/test_same.py::test_b".to_string(), "pass".to_string())
        ]
    );
}

#[test]
fn a_custom_collector_errors_alone_without_pytest_and_runs_under_pytest_with_it() {
    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python_without_pytest())
        .arg(fixture("plain/custom_collector"))
        .run()
        .expect_code(1);
    let got = ids_and_statuses(&run.json());
    assert_eq!(
        got.into_iter().collect::<Vec<_>>(),
        vec![
            ("test_plain.py::test_plain".to_string(), "pass".to_string()),
            ("test_sums.yaml".to_string(), "error".to_string()),
        ]
    );
    assert!(run.stdout.contains("custom collector"), "{run:#?}");

    let Some(python) = python_with_pytest() else {
        return;
    };
    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python)
        .arg(fixture("plain/custom_collector"))
        .run()
        .expect_code(1);
    let got = ids_and_statuses(&run.json());
    assert_eq!(
        got.into_iter().collect::<Vec<_>>(),
        vec![
            ("test_plain.py::test_plain".to_string(), "pass".to_string()),
            ("test_sums.yaml::ok".to_string(), "pass".to_string()),
            ("test_sums.yaml::wrong".to_string(), "fail".to_string()),
        ]
    );
}

#[test]
fn ignore_deselect_and_mark_and_keyword_expressions_select_as_pytest_does() {
    agrees_with_pytest("selection");
}
