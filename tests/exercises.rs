//! The bundled catalogue through the real binary: references and correct alternatives
//! pass, starters and mutants fail with useful messages, and the JSON contract holds.

mod common;

use common::{Pykata, check_json, exercise_file, fixture, root};
use std::path::PathBuf;

/// Every bundled exercise as `(id, folder below exercises/)`, found by walking the
/// catalogue, so an exercise added to it is tested without touching this file.
fn bundled_exercises() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for topic in sorted_entries(&root().join("exercises")) {
        for folder in sorted_entries(&topic) {
            let toml = folder.join("exercise.toml");
            if !toml.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&toml).unwrap();
            let meta: toml::Table =
                toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", toml.display()));
            let id = meta["id"].as_str().unwrap().to_string();
            let relative = folder
                .strip_prefix(root().join("exercises"))
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push((id, relative));
        }
    }
    assert!(found.len() >= 3, "the catalogue looks empty: {found:?}");
    found
}

fn sorted_entries(folder: &std::path::Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    entries.sort();
    entries
}

fn python_files(folder: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    files
}

/// Runs `check` on every item, a few at a time (each runs the real binary), and fails with
/// every problem found rather than the first.
fn check_all<T: Sync>(items: &[T], check: impl Fn(&T) -> Result<(), String> + Sync) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let problems = std::sync::Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(at) else { break };
                    if let Err(problem) = check(item) {
                        problems.lock().unwrap().push(problem);
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn references_pass_with_full_score() {
    check_all(&bundled_exercises(), |(id, folder)| {
        let run = check_json(id, &exercise_file(&format!("{folder}/solution.py")));
        let report = run.json();
        if run.code != 0 || report["status"] != "pass" || report["score"] != report["max_score"] {
            return Err(format!("{id}: the reference does not pass: {report:#}"));
        }
        if report["tests"].as_array().unwrap().len() < 5 {
            return Err(format!("{id} has too few cases"));
        }
        Ok(())
    });
}

#[test]
fn starters_fail() {
    check_all(&bundled_exercises(), |(id, folder)| {
        let run = check_json(id, &exercise_file(&format!("{folder}/starter.py")));
        let report = run.json();
        if run.code != 1
            || report["status"] == "pass"
            || report["score"].as_f64().unwrap() >= report["max_score"].as_f64().unwrap()
        {
            return Err(format!("{id}: the starter does not fail: {report:#}"));
        }
        Ok(())
    });
}

#[test]
fn correct_solutions_written_differently_pass() {
    let mut solutions = Vec::new();
    for (id, _) in bundled_exercises() {
        let files = python_files(&fixture(&format!("solutions/{id}")));
        assert!(
            !files.is_empty(),
            "{id} needs at least one alternative solution in tests/fixtures/solutions/{id}/"
        );
        solutions.extend(files.into_iter().map(|file| (id.clone(), file)));
    }
    check_all(&solutions, |(id, solution)| {
        let run = check_json(id, solution);
        if run.code != 0 {
            return Err(format!(
                "{} should pass: {}",
                solution.display(),
                run.stdout
            ));
        }
        Ok(())
    });
}

#[test]
fn mutants_fail_with_their_expected_message() {
    let mut mutants = Vec::new();
    for (id, folder) in bundled_exercises() {
        let files = python_files(&exercise_file(&format!("{folder}/mutants")));
        assert!(files.len() >= 4, "{id} needs at least 4 mutants");
        mutants.extend(files.into_iter().map(|file| (id.clone(), file)));
    }
    check_all(&mutants, |(id, mutant)| {
        let source = std::fs::read_to_string(mutant).unwrap();
        let expect = source
            .lines()
            .find_map(|line| line.strip_prefix("# expect:"))
            .ok_or_else(|| format!("{} has no # expect: line", mutant.display()))?
            .trim()
            .to_string();
        let run = check_json(id, mutant);
        if run.code != 1 {
            return Err(format!("{} should fail: {run:#?}", mutant.display()));
        }
        let report = run.json();
        let messages: Vec<&str> = report["tests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|test| test["status"] != "pass")
            .filter_map(|test| test["message"].as_str())
            .collect();
        if !messages.iter().any(|message| message.contains(&expect)) {
            return Err(format!(
                "{}: no message contains {expect:?}: {messages:#?}",
                mutant.display()
            ));
        }
        Ok(())
    });
}

#[test]
fn verify_passes_on_the_catalogue() {
    let run = Pykata::new().arg("verify").run();
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(
        run.stdout.contains(&format!(
            "{} exercises verified, 0 with problems",
            bundled_exercises().len()
        )),
        "{run:#?}"
    );
}

#[test]
fn verify_reports_a_broken_exercise() {
    // A copy of retry whose reference does not load and which has no mutants.
    let dir = tempfile::tempdir().unwrap();
    let source = exercise_file("decorators/retry");
    for name in [
        "exercise.toml",
        "README.md",
        "explain.md",
        "starter.py",
        "cases.py",
    ] {
        std::fs::copy(source.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("solution.py"), "def retry(:\n").unwrap();
    let run = Pykata::new()
        .arg("verify")
        .arg(dir.path())
        .run()
        .expect_code(1);
    assert!(
        run.stdout.contains("the reference solution does not pass"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("mutants/ holds no mutants"), "{run:#?}");
}

#[test]
fn verify_asks_for_at_least_two_hints() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("exercises/hidden_cases");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let mutants = dir.path().join("mutants");
    std::fs::create_dir(&mutants).unwrap();
    std::fs::write(
        mutants.join("doubles.py"),
        "# expect: returned [2, 4], expected [3, 6]\n# why: ignores the factor.\ndef scale(values, factor):\n    return [value * 2 for value in values]\n",
    )
    .unwrap();
    let verify = || Pykata::new().arg("verify").arg(dir.path()).run();
    verify().expect_code(0);

    let toml_path = dir.path().join("exercise.toml");
    let mut meta: toml::Table =
        toml::from_str(&std::fs::read_to_string(&toml_path).unwrap()).unwrap();
    meta.insert("hints".into(), toml::Value::Array(vec!["only one".into()]));
    std::fs::write(&toml_path, toml::to_string(&meta).unwrap()).unwrap();
    let run = verify().expect_code(1);
    assert!(
        run.stdout
            .contains("exercise.toml has 1 hints; give at least 2"),
        "{run:#?}"
    );
}

#[test]
fn json_lines_follow_the_contract_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        exercise_file("decorators/retry/solution.py"),
        dir.path().join("retry.py"),
    )
    .unwrap();
    std::fs::copy(
        exercise_file("data_structures/lru_cache/starter.py"),
        dir.path().join("lru_cache.py"),
    )
    .unwrap();
    let run = Pykata::new()
        .args(["check", "--format", "json", "--seed", "3", "--jobs", "2"])
        .arg(dir.path().join("retry.py"))
        .arg(dir.path().join("lru_cache.py"))
        .arg("no-such-thing")
        .run();
    // A missing PATH means pykata could not grade everything: exit 2 wins over 1.
    assert_eq!(run.code, 2, "{run:#?}");
    let reports = run.json_lines();
    assert_eq!(reports.len(), 3);
    assert!(reports[0]["path"].as_str().unwrap().ends_with("retry.py"));
    assert_eq!(reports[0]["status"], "pass");
    assert_eq!(reports[1]["status"], "fail");
    assert_eq!(reports[2]["status"], "error");
    for report in &reports[..2] {
        for key in [
            "path",
            "status",
            "score",
            "max_score",
            "tests",
            "seed",
            "engine",
        ] {
            assert!(report.get(key).is_some(), "missing {key}: {report:#}");
        }
        for test in report["tests"].as_array().unwrap() {
            for key in ["name", "status", "message"] {
                assert!(test.get(key).is_some(), "test missing {key}: {test:#}");
            }
        }
        assert_eq!(report["seed"], 3);
    }
}

#[test]
fn the_same_seed_gives_the_same_results() {
    let mutant = python_files(&exercise_file("data_structures/lru_cache/mutants")).remove(0);
    let strip = |mut report: serde_json::Value| {
        report.as_object_mut().unwrap().remove("duration");
        report
    };
    let first = strip(check_json("lru_cache", &mutant).json());
    let second = strip(check_json("lru_cache", &mutant).json());
    assert_eq!(first, second);
}

/// Later submissions of one call are graded against the cached reference run, whose lines
/// they reuse when identical (`Transcript::parse_reusing`): each must get the report it
/// gets alone, where the reference runs beside it and nothing is reused.
#[test]
fn later_submissions_of_a_call_get_the_same_reports_as_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![exercise_file("data_structures/lru_cache/solution.py")];
    // Mutants caught only by the wall-clock case can pass or fail with the machine's load,
    // which says nothing about the reuse of the reference's lines: they are left out.
    files.extend(
        python_files(&exercise_file("data_structures/lru_cache/mutants"))
            .into_iter()
            .filter(|mutant| {
                !std::fs::read_to_string(mutant)
                    .unwrap()
                    .contains("# expect: time per get/put")
            }),
    );
    files.push(exercise_file("data_structures/lru_cache/solution.py"));
    let copies: Vec<PathBuf> = files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let copy = dir.path().join(index.to_string()).join("lru_cache.py");
            std::fs::create_dir(copy.parent().unwrap()).unwrap();
            std::fs::copy(file, &copy).unwrap();
            copy
        })
        .collect();
    // The duration and the measured figures in the timing case's message vary by run.
    let strip = |mut report: serde_json::Value| {
        report.as_object_mut().unwrap().remove("duration");
        let digits = |text: &str| text.replace(|c: char| c.is_ascii_digit(), "N");
        for test in report["tests"].as_array_mut().unwrap() {
            for key in ["message", "expected", "actual"] {
                if let Some(text) = test[key].as_str().map(digits) {
                    test[key] = text.into();
                }
            }
        }
        report
    };
    let together = Pykata::new()
        .args(["check", "--format", "json", "--seed", "11", "--jobs", "1"])
        .args(&copies)
        .run()
        .json_lines();
    assert_eq!(together.len(), copies.len());
    let statuses: Vec<&str> = together
        .iter()
        .map(|report| report["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&"pass"));
    assert_eq!(statuses.last(), Some(&"pass"));
    assert!(
        statuses[1..statuses.len() - 1].iter().all(|s| *s == "fail"),
        "{statuses:?}"
    );
    for (copy, report) in copies.iter().zip(together) {
        let alone = Pykata::new()
            .args(["check", "--format", "json", "--seed", "11"])
            .arg(copy)
            .run()
            .json();
        assert_eq!(strip(report), strip(alone), "{}", copy.display());
    }
}

#[test]
fn a_file_named_after_a_module_is_graded_as_that_exercise() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("retry.py");
    std::fs::copy(exercise_file("decorators/retry/solution.py"), &file).unwrap();
    let run = Pykata::new().arg("check").arg(&file).run().expect_code(0);
    assert!(run.stdout.contains("retry ("), "{run:#?}");
    assert!(run.stdout.contains("passed"), "{run:#?}");
}

#[test]
fn human_report_explains_a_wrong_answer_with_context() {
    let mutants = python_files(&exercise_file("data_structures/lru_cache/mutants"));
    let run = Pykata::new()
        .args(["check", "lru_cache", "--seed", "11", "--submission"])
        .arg(&mutants[0])
        .run()
        .expect_code(1);
    assert!(run.stdout.contains("✗"), "{run:#?}");
    assert!(run.stdout.contains("expected"), "{run:#?}");
    assert!(run.stdout.contains("tests passed, score"), "{run:#?}");
    assert!(
        !run.stdout.contains("Traceback (most recent call last)"),
        "{run:#?}"
    );
}

#[test]
fn colour_only_on_a_terminal_or_when_asked() {
    let mutants = python_files(&exercise_file("data_structures/lru_cache/mutants"));
    let grade = |extra: &[&str]| {
        // NO_COLOR unset: on a pipe, "auto" alone must keep the report plain.
        Pykata::new()
            .env_remove("NO_COLOR")
            .args(["check", "lru_cache", "--seed", "11"])
            .args(extra)
            .arg("--submission")
            .arg(&mutants[0])
            .run()
            .expect_code(1)
    };
    let piped = grade(&[]);
    assert!(
        !piped.stdout.contains("\u{1b}["),
        "colour codes when piped: {piped:#?}"
    );
    let forced = grade(&["--color", "always"]);
    assert!(
        forced.stdout.contains("\u{1b}["),
        "no colour with --color always: {forced:#?}"
    );
}

#[test]
fn learner_output_is_shown_with_the_failing_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lru_cache.py");
    let starter =
        std::fs::read_to_string(exercise_file("data_structures/lru_cache/starter.py")).unwrap();
    std::fs::write(&file, format!("print('debugging at import')\n{starter}")).unwrap();
    let run = Pykata::new().arg("check").arg(&file).run().expect_code(1);
    assert!(run.stdout.contains("debugging at import"), "{run:#?}");
}

#[test]
fn list_and_hint_show_the_catalogue() {
    let run = Pykata::new().arg("list").run().expect_code(0);
    for (id, _) in bundled_exercises() {
        assert!(run.stdout.contains(&id), "{run:#?}");
    }
    let run = Pykata::new()
        .args(["hint", "lru_cache"])
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("1. "), "{run:#?}");
    let run = Pykata::new()
        .args(["hint", "lru_cach"])
        .run()
        .expect_code(2);
    // Other ids may be as near to the typo (ttl_cache is): lru_cache must be among them.
    let offered = run.stderr.split("did you mean").nth(1).unwrap_or_default();
    assert!(offered.contains("lru_cache"), "{run:#?}");
}

#[test]
fn works_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let solution = root().join("exercises/decorators/retry/solution.py");
    Pykata::new()
        .current_dir(dir.path())
        .args(["check", "retry", "--submission"])
        .arg(solution)
        .run()
        .expect_code(0);
}

#[test]
fn a_relative_exercise_folder_works() {
    let run = Pykata::new()
        .current_dir(&root())
        .args([
            "check",
            "exercises/decorators/retry",
            "--format",
            "json",
            "--submission",
        ])
        .arg("tests/fixtures/bad/missing_function/retry.py")
        .run()
        .expect_code(1);
    assert_eq!(run.json()["error"]["kind"], "missing", "{run:#?}");
    Pykata::new()
        .current_dir(&root())
        .args(["verify", "exercises/decorators/retry"])
        .run()
        .expect_code(0);
}

/// The embedded engine's zygote executes the bundled cases files once
/// (`exercise.execute_bundled_cases`); a run uses that module only while the file on disk
/// still holds the source it was executed from, and executes the file itself otherwise.
#[test]
fn executed_bundled_cases_are_used_only_for_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.py");
    let write_cases = |name: &str| {
        std::fs::write(
            &cases,
            format!(
                "from pykata_harness import case\nREQUIRED = []\n\n@case({name:?})\n\
                 def only(t):\n    t.note('ran', 1)\n"
            ),
        )
        .unwrap();
    };
    write_cases("first");
    let script = r#"
import sys
path, harness = sys.argv[1:]
sys.path.insert(0, harness)
from pykata_harness.exercise import execute_bundled_cases, load_cases, precompile_cases
from pykata_harness.loader import CASES_MODULE
execute_bundled_cases([path])
assert CASES_MODULE not in sys.modules, "the zygote keeps no cases module loaded"
specs, required = load_cases(path)
executed = sys.modules[CASES_MODULE]
again, _ = load_cases(path)
print(specs[0].name, again[0].function is specs[0].function)
# Compiling ahead skips a file executed from the same source (the zygote then keeps its
# warm sandboxes), and compiles it once it has changed.
print(precompile_cases([path]))
with open(path, "a") as handle:
    handle.write("\n@case('added')\ndef added(t):\n    pass\n")
print(precompile_cases([path]), precompile_cases([path]))
changed, _ = load_cases(path)
print([spec.name for spec in changed], sys.modules[CASES_MODULE] is executed)
"#;
    let output = std::process::Command::new(env!("PYKATA_BUILD_PYTHON"))
        .args(["-I", "-c", script])
        .arg(&cases)
        .arg(root().join("harness"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout,
        "first True\nFalse\nTrue False\n['first', 'added'] False\n"
    );
}
