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

    if differs.is_empty() {
        for key in COUNT_KEYS {
            assert_eq!(
                report["counts"][key], want[key],
                "{folder}: count of {key}: {report:#}"
            );
        }
    }
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
fn a_test_that_needs_pytest_errors_alone_and_says_how_to_get_it() {
    agrees_with_pytest("needs_pytest");
    let run = Pykata::new()
        .args(["check", "--format", "json"])
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
/// once under the target folder (from the Python package index).
fn python_with_pytest() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pytest-venv");
            let python = venv.join("bin/python");
            let ready = venv.join("ready");
            if ready.exists() {
                return python;
            }
            let status = std::process::Command::new(pykata::engine::default_python())
                .args(["-m", "venv", "--clear"])
                .arg(&venv)
                .status()
                .unwrap();
            assert!(status.success(), "failed to create {}", venv.display());
            let status = std::process::Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "pytest==9.2.0",
                ])
                .status()
                .unwrap();
            assert!(
                status.success(),
                "failed to install pytest into {} (this test needs the Python package index)",
                venv.display()
            );
            std::fs::write(&ready, "").unwrap();
            python
        })
        .clone()
}

#[test]
fn a_folder_that_needs_pytest_runs_under_real_pytest_when_installed() {
    let want = expected("needs_pytest");
    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python_with_pytest())
        .arg(fixture("plain/needs_pytest"))
        .run()
        .expect_code(0);
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
        .args(["check", "--format", "json"])
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

    let run = Pykata::new()
        .args(["check", "--format", "json", "--python"])
        .arg(python_with_pytest())
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
