//! What the reports promise, checked on what the binary prints: hidden cases stay hidden
//! unless `--show-hidden`; a fresh seed per run really changes the random inputs; every
//! JSON line (error lines included) carries exactly the documented keys; and a starter whose
//! every case fails for one reason gets that reason once.

mod common;

use common::{Pykata, exercise_file, fixture};
use serde_json::Value;

/// The fixture exercise with two hidden cases, and a submission that fails exactly those.
fn hidden_exercise() -> std::path::PathBuf {
    fixture("exercises/hidden_cases")
}

fn hidden_failing_submission() -> std::path::PathBuf {
    fixture("exercises/hidden_cases_submissions/scaling.py")
}

/// `HIDDEN` is in every hidden case's name and label, and in what the submission prints
/// during a hidden case only.
const HIDDEN_MARK: &str = "HIDDEN";

fn check_hidden(format: &str, extra: &[&str]) -> common::Run {
    Pykata::new()
        .args(["check", "--format", format, "--seed", "11"])
        .args(extra)
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(hidden_failing_submission())
        .run()
        .expect_code(1)
}

#[test]
fn hidden_cases_show_only_their_verdict_and_points_by_default() {
    let human = check_hidden("human", &[]);
    let json = check_hidden("json", &[]);
    for run in [&human, &json] {
        assert!(
            !run.stdout.contains(HIDDEN_MARK) && !run.stderr.contains(HIDDEN_MARK),
            "a hidden case's name, message or output leaked: {run:#?}"
        );
    }

    let report = json.json();
    let tests = report["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4, "{report:#}");
    let hidden: Vec<&Value> = tests.iter().filter(|test| test["hidden"] == true).collect();
    assert_eq!(hidden.len(), 2, "{report:#}");
    for (number, test) in hidden.iter().enumerate() {
        assert_eq!(
            test["name"],
            format!("hidden case {}", number + 1),
            "{test:#}"
        );
        assert_eq!(test["status"], "fail", "{test:#}");
        assert_eq!(test["message"], "", "{test:#}");
        assert_eq!(test["score"], 0.0, "{test:#}");
        for key in [
            "expected",
            "actual",
            "output",
            "traceback",
            "file",
            "line",
            "id",
        ] {
            assert!(test.get(key).is_none(), "{key} of a hidden case: {test:#}");
        }
    }
    // Their points count: 2 and 3 of the 7.
    assert_eq!(hidden[0]["max_score"], 2.0);
    assert_eq!(hidden[1]["max_score"], 3.0);
    assert_eq!(
        (report["score"].as_f64(), report["max_score"].as_f64()),
        (Some(2.0), Some(7.0))
    );
    assert_eq!(report["status"], "fail");

    assert!(human.stdout.contains("✗ hidden case 1\n"), "{human:#?}");
    assert!(human.stdout.contains("✗ hidden case 2\n"), "{human:#?}");
    assert!(
        human.stdout.contains("2/4 tests passed, score 2/7"),
        "{human:#?}"
    );
}

#[test]
fn show_hidden_shows_hidden_cases_to_instructors() {
    let human = check_hidden("human", &["--show-hidden"]);
    for shown in [
        "HIDDEN-NAME a negative factor (hidden from learners)",
        "scale([5], -2) HIDDEN-LABEL returned [10], expected [-10]",
        "HIDDEN-RANDOM-NAME",
        "HIDDEN-OUTPUT-MARK [5] -2",
    ] {
        assert!(human.stdout.contains(shown), "{shown}: {human:#?}");
    }
    let report = check_hidden("json", &["--show-hidden"]).json();
    let hidden: Vec<&Value> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|test| test["hidden"] == true)
        .collect();
    assert_eq!(hidden[0]["name"], "HIDDEN-NAME a negative factor");
    assert!(
        hidden[0]["message"]
            .as_str()
            .unwrap()
            .contains("HIDDEN-LABEL"),
        "{report:#}"
    );
    assert!(
        hidden[1]["output"]
            .as_str()
            .unwrap()
            .contains("HIDDEN-OUTPUT-MARK"),
        "{report:#}"
    );
}

#[test]
fn hidden_cases_stay_hidden_when_every_case_fails_the_same_way() {
    for format in ["human", "json"] {
        let run = Pykata::new()
            .args(["check", "--format", format])
            .arg(hidden_exercise())
            .arg("--submission")
            .arg(hidden_exercise().join("starter.py"))
            .run()
            .expect_code(1);
        assert!(!run.stdout.contains(HIDDEN_MARK), "{run:#?}");
        assert!(run.stdout.contains("write scale()"), "{run:#?}");
    }
}

/// The inputs a random case drew, as the submission printed them ("called with ...").
fn drawn_inputs(report: &Value) -> String {
    let case = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|test| test["name"] == "random lists and positive factors")
        .unwrap_or_else(|| panic!("the random case: {report:#}"));
    let output = case["output"].as_str().unwrap().to_string();
    assert_eq!(output.matches("called with").count(), 4, "{report:#}");
    output
}

fn grade_with_seed(seed: Option<&str>) -> Value {
    let mut command = Pykata::new().args(["check", "--format", "json"]);
    if let Some(seed) = seed {
        command = command.args(["--seed", seed]);
    }
    command
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(hidden_failing_submission())
        .run()
        .expect_code(1)
        .json()
}

#[test]
fn runs_without_a_seed_draw_other_random_inputs() {
    let first = grade_with_seed(None);
    let second = grade_with_seed(None);
    let (seed1, seed2) = (
        first["seed"].as_u64().unwrap(),
        second["seed"].as_u64().unwrap(),
    );
    assert_ne!(seed1, seed2, "two runs got the same seed");
    assert_ne!(
        drawn_inputs(&first),
        drawn_inputs(&second),
        "two runs with seeds {seed1} and {seed2} drew the same inputs"
    );
    // And the seed a report shows replays exactly those inputs.
    let replay = grade_with_seed(Some(&seed1.to_string()));
    assert_eq!(replay["seed"].as_u64(), Some(seed1));
    assert_eq!(drawn_inputs(&replay), drawn_inputs(&first));
}

/// The keys README.md documents for a JSON line, a test and an error; `true` marks the
/// keys every line (every test, every error) has.
const LINE_KEYS: &[(&str, bool)] = &[
    ("path", true),
    ("kind", true),
    ("exercise", false),
    ("submission", false),
    ("status", true),
    ("score", true),
    ("max_score", true),
    ("tests", true),
    ("verdict", false),
    ("error", false),
    ("output", false),
    ("notes", false),
    ("seed", true),
    ("engine", true),
    ("counts", false),
    ("isolation", false),
    ("common_failure", false),
    ("duration", true),
];
const TEST_KEYS: &[(&str, bool)] = &[
    ("id", false),
    ("name", true),
    ("status", true),
    ("message", true),
    ("expected", false),
    ("actual", false),
    ("output", false),
    ("score", true),
    ("max_score", true),
    ("hidden", false),
    ("file", false),
    ("line", false),
    ("traceback", false),
];
const ERROR_KEYS: &[(&str, bool)] = &[
    ("origin", true),
    ("kind", true),
    ("message", true),
    ("file", false),
    ("line", false),
    ("column", false),
    ("text", false),
    ("traceback", false),
];

fn has_documented_keys(what: &str, object: &Value, keys: &[(&str, bool)]) {
    let object = object
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {object:#}"));
    for key in object.keys() {
        assert!(
            keys.iter().any(|(known, _)| known == key),
            "{what}: {key} is not documented in README.md: {object:#?}"
        );
    }
    for (key, always) in keys {
        assert!(
            !always || object.contains_key(*key),
            "{what}: missing {key}: {object:#?}"
        );
    }
}

#[test]
fn every_json_line_carries_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: std::path::PathBuf, folder: &str, name: &str| {
        let folder = dir.path().join(folder);
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy(from, folder.join(name)).unwrap();
        folder.join(name)
    };
    let run = Pykata::new()
        .args(["check", "--format", "json", "--seed", "5", "--jobs", "2"])
        .arg(copy(
            exercise_file("decorators/retry/solution.py"),
            "ok",
            "retry.py",
        ))
        .arg(copy(
            exercise_file("data_structures/lru_cache/starter.py"),
            "starter",
            "lru_cache.py",
        ))
        .arg(copy(
            fixture("bad/syntax_error/retry.py"),
            "syntax",
            "retry.py",
        ))
        .arg(fixture("plain/mixed"))
        .arg(fixture("plain/unittest_basic"))
        .arg(fixture("plain/no_tests"))
        .arg("no-such-exercise")
        .arg(fixture("bad/malformed_exercise"))
        .arg(fixture("bad/loop/retry.py"))
        .args(["--timeout", "2"])
        .run()
        .expect_code(2);
    let lines = run.json_lines();
    let statuses: Vec<&str> = lines
        .iter()
        .map(|line| line["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "pass", "fail", "error", "fail", "fail", "error", "error", "error", "error"
        ],
        "{run:#?}"
    );
    let mut test_statuses = std::collections::BTreeSet::new();
    for line in &lines {
        let path = line["path"].as_str().unwrap();
        has_documented_keys(path, line, LINE_KEYS);
        assert!(
            ["pass", "fail", "error"].contains(&line["status"].as_str().unwrap()),
            "{line:#}"
        );
        assert!(["exercise", "folder"].contains(&line["kind"].as_str().unwrap()));
        assert!(
            ["embedded", "subprocess"].contains(&line["engine"].as_str().unwrap()),
            "{path}: engine {}",
            line["engine"]
        );
        // Exercises have a seed; folders, and paths that name nothing, have null.
        if line.get("exercise").is_some() {
            assert_eq!(line["seed"], 5, "{line:#}");
        } else {
            assert!(line["seed"].is_null(), "{line:#}");
        }
        assert!(line["duration"].is_number());
        for test in line["tests"].as_array().unwrap() {
            has_documented_keys(&format!("{path}: a test"), test, TEST_KEYS);
            test_statuses.insert(test["status"].as_str().unwrap().to_string());
        }
        if let Some(error) = line.get("error") {
            has_documented_keys(&format!("{path}: error"), error, ERROR_KEYS);
            assert!(["submission", "grader"].contains(&error["origin"].as_str().unwrap()));
            assert!(!error["message"].as_str().unwrap().is_empty());
        }
        if let Some(verdict) = line.get("verdict") {
            assert!(
                [
                    "time_limit",
                    "cpu_time_limit",
                    "memory_limit",
                    "output_limit",
                    "crashed",
                    "exited_early"
                ]
                .contains(&verdict["kind"].as_str().unwrap()),
                "{verdict:#}"
            );
        }
        if let Some(counts) = line.get("counts") {
            for key in [
                "passed", "failed", "errors", "skipped", "xfailed", "xpassed",
            ] {
                assert!(counts[key].is_u64(), "{counts:#}");
            }
        }
    }
    // Every test status the README lists occurs in this run.
    let documented = ["error", "fail", "pass", "skip", "xfail"];
    for status in documented {
        assert!(
            test_statuses.contains(status),
            "no {status} test: {test_statuses:?}"
        );
    }
    assert!(lines[2]["error"]["line"].is_u64(), "{:#}", lines[2]);
    assert_eq!(lines[8]["verdict"]["kind"], "time_limit", "{:#}", lines[8]);
}

#[test]
fn a_starter_failing_for_one_reason_is_told_so_once() {
    let run = Pykata::new()
        .args(["check", "retry", "--seed", "1", "--submission"])
        .arg(exercise_file("decorators/retry/starter.py"))
        .run()
        .expect_code(1);
    let out = &run.stdout;
    // The reason and its source line once, then the first case as an example.
    assert_eq!(out.matches("raise NotImplementedError").count(), 1, "{out}");
    assert_eq!(
        out.matches("NotImplementedError: write retry()").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("retry.py:8: NotImplementedError: write retry()"),
        "{out}"
    );
    assert!(
        out.contains("cases failed, all with the same error"),
        "{out}"
    );
    assert!(out.lines().count() <= 10, "not short: {out}");
    assert!(out.contains("0/16 tests passed"), "{out}");

    // JSON keeps one entry per case, and says the common reason once.
    let report = Pykata::new()
        .args([
            "check",
            "retry",
            "--format",
            "json",
            "--seed",
            "1",
            "--submission",
        ])
        .arg(exercise_file("decorators/retry/starter.py"))
        .run()
        .json();
    assert_eq!(report["tests"].as_array().unwrap().len(), 16);
    assert_eq!(
        report["common_failure"]["message"],
        "NotImplementedError: write retry()"
    );
    assert_eq!(report["common_failure"]["file"], "retry.py");
    assert_eq!(report["common_failure"]["line"], 8);
    assert_eq!(report["common_failure"]["tests"], 16);
    // Each entry keeps its own traceback, down to the starter's line.
    for test in report["tests"].as_array().unwrap() {
        let frames = test["traceback"]
            .as_array()
            .unwrap_or_else(|| panic!("{test:#}"));
        let last = frames.last().unwrap();
        assert_eq!(
            (&last["file"], &last["line"]),
            (&"retry.py".into(), &8.into()),
            "{test:#}"
        );
    }

    // Also where the case expected another exception (LRUCache(0) must raise ValueError).
    let report = common::check_json(
        "lru_cache",
        &exercise_file("data_structures/lru_cache/starter.py"),
    )
    .json();
    let first = &report["tests"][0];
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("expected it to raise ValueError"),
        "{first:#}"
    );
    let frames = first["traceback"]
        .as_array()
        .unwrap_or_else(|| panic!("{first:#}"));
    assert_eq!(frames.last().unwrap()["file"], "lru_cache.py", "{first:#}");

    // Failures with different reasons are each shown.
    let mutant = exercise_file("decorators/retry/mutants/ignores_backoff.py");
    let report = common::check_json("retry", &mutant).json();
    assert!(report.get("common_failure").is_none(), "{report:#}");
}

#[test]
fn a_syntax_error_and_a_missing_name_are_said_once() {
    for (bad, said) in [
        ("syntax_error", "syntax error"),
        ("missing_function", "does not define"),
    ] {
        let run = Pykata::new()
            .args(["check", "retry", "--submission"])
            .arg(fixture(&format!("bad/{bad}/retry.py")))
            .run()
            .expect_code(1);
        assert_eq!(run.stdout.matches(said).count(), 1, "{bad}: {run:#?}");
        assert!(run.stdout.lines().count() <= 10, "{bad}: {run:#?}");
    }
}

#[test]
fn the_solved_message_of_an_exercise_folder_suggests_an_explain_that_works() {
    let solution = hidden_exercise().join("solution.py");
    let run = Pykata::new()
        .arg("check")
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(&solution)
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("pykata explain"), "{run:#?}");
    let explained = Pykata::new()
        .arg("explain")
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(&solution)
        .run()
        .expect_code(0);
    assert!(
        explained.stdout.contains("A list comprehension builds"),
        "{explained:#?}"
    );
    assert!(
        explained.stdout.contains("return [value * factor"),
        "{explained:#?}"
    );
}

#[test]
fn a_plain_folder_whose_tests_all_hit_one_stub_is_told_so_once() {
    let folder = fixture("said_once/stub_folder");
    let run = Pykata::new().arg("check").arg(&folder).run().expect_code(1);
    let out = &run.stdout;
    assert!(out.contains("✓ test_passes_without_add"), "{out}");
    assert!(
        out.contains("3 tests failed, all with the same error:"),
        "{out}"
    );
    assert!(
        out.contains("calc.py:2: NotImplementedError: write add()"),
        "{out}"
    );
    assert_eq!(out.matches("raise NotImplementedError").count(), 1, "{out}");
    assert!(out.contains("1/4 tests passed, score 1/4"), "{out}");
    let report = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(&folder)
        .run()
        .json();
    assert_eq!(report["tests"].as_array().unwrap().len(), 4);
    assert_eq!(report["common_failure"]["tests"], 3, "{report:#}");
    assert_eq!(report["common_failure"]["file"], "calc.py", "{report:#}");
}

#[test]
fn a_passing_case_does_not_stop_the_others_reason_from_being_said_once() {
    let submission = fixture("said_once/one_case_done/scaling.py");
    let run = Pykata::new()
        .arg("check")
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(&submission)
        .run()
        .expect_code(1);
    let out = &run.stdout;
    assert!(out.contains("✓ scale([1, 2], 3) is [3, 6]"), "{out}");
    assert!(
        out.contains("3 cases failed, all with the same error:"),
        "{out}"
    );
    assert!(!out.contains(HIDDEN_MARK), "{out}");
    let report = Pykata::new()
        .args(["check", "--format", "json"])
        .arg(hidden_exercise())
        .arg("--submission")
        .arg(&submission)
        .run()
        .json();
    assert_eq!(report["common_failure"]["tests"], 3, "{report:#}");
    assert_eq!(report["common_failure"]["line"], 7, "{report:#}");
}

#[test]
fn the_human_report_of_several_paths_ends_with_their_counts() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: std::path::PathBuf, folder: &str, name: &str| {
        let folder = dir.path().join(folder);
        std::fs::create_dir(&folder).unwrap();
        std::fs::copy(from, folder.join(name)).unwrap();
        folder.join(name)
    };
    let run = Pykata::new()
        .args(["check", "--seed", "4"])
        .arg(copy(
            exercise_file("decorators/retry/solution.py"),
            "a",
            "retry.py",
        ))
        .arg(copy(
            exercise_file("decorators/retry/solution.py"),
            "b",
            "retry.py",
        ))
        .arg(copy(
            exercise_file("decorators/retry/starter.py"),
            "c",
            "retry.py",
        ))
        .arg(copy(fixture("bad/syntax_error/retry.py"), "d", "retry.py"))
        .arg("no-such-exercise")
        .run()
        .expect_code(2);
    assert!(
        run.stdout
            .contains("4 graded: 2 passed, 1 failed, 1 errors, 1 could not be graded"),
        "{run:#?}"
    );
}
