//! The learner's commands around a workspace without the full-screen view: quizzes
//! (`pykata quiz`, `pykata verify` on quiz files), the progress file (corrupt, synced,
//! recorded by `check`), `reset`, `list`, and `pykata` outside a workspace.

mod common;

use common::{Pykata, exercise_file};
use std::path::{Path, PathBuf};

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    (dir, workspace)
}

const GOOD_ITEM: &str = r#"
[[item]]
id = "sum"
difficulty = "easy"
question = "What does this print?"
code = "print(sum([1, 2, 3]))"
check = "stdout"
explanation = "sum adds the items."

[[item.option]]
text = "6"
correct = true
why = "1 + 2 + 3."

[[item.option]]
text = "123"
why = "Numbers are not strings."

[[item.option]]
text = "[1, 2, 3]"
why = "sum returns a number."

[[item.option]]
text = "TypeError"
why = "Ints add fine."
"#;

fn quiz_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!("topic = \"{name}\"\ntitle = \"A test quiz\"\n{body}"),
    )
    .unwrap();
    path
}

#[test]
fn verify_accepts_a_good_quiz_file_and_names_file_and_item_of_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = quiz_file(dir.path(), "good", GOOD_ITEM);
    let run = Pykata::new().arg("verify").arg(&good).run().expect_code(0);
    assert!(run.stdout.contains("1 items, 1 run"), "{run:#?}");

    // Two correct options and an option without `why`.
    let two_correct = GOOD_ITEM
        .replace(
            "why = \"Numbers are not strings.\"",
            "correct = true\nwhy = \"x\"",
        )
        .replace("why = \"sum returns a number.\"", "");
    let bad = quiz_file(dir.path(), "bad", &two_correct);
    let run = Pykata::new().arg("verify").arg(&bad).run().expect_code(1);
    let name = bad.display().to_string();
    assert!(
        run.stdout.contains(&format!(
            "{name}: item \"sum\": 2 options are marked correct"
        )),
        "{run:#?}"
    );
    assert!(run.stdout.contains("option c"), "{run:#?}");

    // The code really prints something else than the correct option.
    let wrong_answer = GOOD_ITEM.replace("print(sum([1, 2, 3]))", "print(sum([1, 2, 3, 4]))");
    let wrong = quiz_file(dir.path(), "wrong", &wrong_answer);
    let run = Pykata::new().arg("verify").arg(&wrong).run().expect_code(1);
    assert!(
        run.stdout.contains("item \"sum\": the code prints \"10\""),
        "{run:#?}"
    );

    // Code that fails is a problem too, named the same way.
    let failing = GOOD_ITEM.replace("print(sum([1, 2, 3]))", "import nonexistent_module_x");
    let failing = quiz_file(dir.path(), "failing", &failing);
    let run = Pykata::new()
        .arg("verify")
        .arg(&failing)
        .run()
        .expect_code(1);
    assert!(
        run.stdout
            .contains("item \"sum\": its code could not be run"),
        "{run:#?}"
    );

    // Malformed TOML and unknown keys: the file and line.
    let unknown = quiz_file(
        dir.path(),
        "unknown",
        &GOOD_ITEM.replace("question =", "colour = \"red\"\nquestion ="),
    );
    let run = Pykata::new()
        .arg("verify")
        .arg(&unknown)
        .run()
        .expect_code(2);
    assert!(
        run.stderr.contains(&format!("{}, line", unknown.display()))
            && run.stderr.contains("colour"),
        "{run:#?}"
    );

    // A topic that is not the file's name.
    let misnamed = dir.path().join("other.toml");
    std::fs::write(
        &misnamed,
        format!("topic = \"something\"\ntitle = \"T\"\n{GOOD_ITEM}"),
    )
    .unwrap();
    let run = Pykata::new()
        .arg("verify")
        .arg(&misnamed)
        .run()
        .expect_code(1);
    assert!(run.stdout.contains("must equal the file name"), "{run:#?}");
}

#[test]
fn the_bundled_quizzes_verify() {
    let quizzes: Vec<String> = std::fs::read_dir(common::root().join("quizzes"))
        .unwrap()
        .flatten()
        .map(|entry| entry.path().display().to_string())
        .collect();
    assert!(!quizzes.is_empty());
    let run = Pykata::new()
        .arg("verify")
        .args(&quizzes)
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("0 with problems"), "{run:#?}");
}

#[test]
fn quiz_asks_one_key_per_item_and_keeps_scores_in_the_workspace() {
    let (_dir, workspace) = workspace();
    let run = Pykata::new()
        .current_dir(&workspace)
        .args(["quiz", "fundamentals", "--count", "1"])
        .stdin_text("a\n")
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("a) "), "{run:#?}");
    assert!(
        run.stdout.contains("✓ Right") || run.stdout.contains("✗ Not quite"),
        "{run:#?}"
    );
    // The chosen option's explanation, and the overall explanation.
    assert!(run.stdout.lines().count() > 8, "{run:#?}");
    let progress = std::fs::read_to_string(workspace.join("pykata-progress.toml")).unwrap();
    assert!(progress.contains("[quiz.\"fundamentals/"), "{progress}");
    assert!(progress.contains("answered = 1"), "{progress}");

    // `list` shows the quiz's progress.
    let run = Pykata::new()
        .current_dir(&workspace)
        .arg("list")
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("quiz fundamentals"), "{run:#?}");

    // A wrong key is asked again; q stops.
    let run = Pykata::new()
        .current_dir(&workspace)
        .args(["quiz", "--count", "2"])
        .stdin_text("z\nq\n")
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("press a letter from a to"), "{run:#?}");
    assert!(run.stdout.contains("0/0 right"), "{run:#?}");

    let run = Pykata::new()
        .current_dir(&workspace)
        .args(["quiz", "fundamental"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("the topics are:"), "{run:#?}");
}

#[test]
fn a_corrupt_progress_file_means_fresh_progress_with_a_notice() {
    let (_dir, workspace) = workspace();
    let state = workspace.join("pykata-progress.toml");
    std::fs::write(&state, "done = [\"retry\"\n\u{0}garbage").unwrap();
    let run = Pykata::new()
        .current_dir(&workspace)
        .arg("list")
        .run()
        .expect_code(0);
    assert!(
        run.stderr
            .contains("pykata-progress.toml could not be read"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("0/"), "{run:#?}");
    assert!(workspace.join("pykata-progress.toml.bad").is_file());
}

#[test]
fn check_in_a_workspace_records_progress_reset_keeps_a_backup() {
    let (_dir, workspace) = workspace();
    let learner_file = workspace.join("retry/retry.py");
    std::fs::copy(exercise_file("decorators/retry/solution.py"), &learner_file).unwrap();
    Pykata::new()
        .current_dir(&workspace)
        .args(["check", "retry/retry.py"])
        .run()
        .expect_code(0);
    let progress = std::fs::read_to_string(workspace.join("pykata-progress.toml")).unwrap();
    assert!(progress.contains("done = [\"retry\"]"), "{progress}");
    // Plain TOML with no absolute path: it syncs between machines.
    assert!(
        !progress.contains(&*workspace.to_string_lossy()),
        "{progress}"
    );

    let run = Pykata::new()
        .current_dir(&workspace.join("retry"))
        .arg("list")
        .run()
        .expect_code(0);
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("done") && line.contains("retry")),
        "{run:#?}"
    );

    // reset: the starter is back, the learner's file is kept.
    let solved = std::fs::read_to_string(&learner_file).unwrap();
    let run = Pykata::new()
        .current_dir(&workspace)
        .args(["reset", "retry"])
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("back to its starter"), "{run:#?}");
    let starter = std::fs::read_to_string(exercise_file("decorators/retry/starter.py")).unwrap();
    assert_eq!(std::fs::read_to_string(&learner_file).unwrap(), starter);
    let backups: Vec<_> = std::fs::read_dir(workspace.join(".pykata-backups"))
        .unwrap()
        .flatten()
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap())
        .collect();
    assert_eq!(backups, vec![solved]);

    // hint and a mistyped reset keep working as before.
    Pykata::new()
        .current_dir(&workspace)
        .args(["hint", "retry"])
        .run()
        .expect_code(0);
    let run = Pykata::new()
        .current_dir(&workspace)
        .args(["reset", "retri"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("did you mean retry?"), "{run:#?}");
    // The reference solution never lands in the workspace.
    let reference = std::fs::read_to_string(exercise_file("decorators/retry/solution.py")).unwrap();
    for entry in walk(&workspace) {
        if entry
            .file_name()
            .is_some_and(|name| name == ".pykata-backups")
        {
            continue;
        }
        if entry.is_file() && !entry.starts_with(workspace.join(".pykata-backups")) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            assert!(
                !text.contains(reference.trim()),
                "{} holds the reference",
                entry.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn outside_a_workspace_pykata_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let run = Pykata::new().current_dir(dir.path()).run().expect_code(2);
    assert!(
        run.stderr
            .contains("pykata init pykata-practice && cd pykata-practice && pykata"),
        "{run:#?}"
    );
    let run = Pykata::new()
        .current_dir(dir.path())
        .args(["reset", "retry"])
        .run()
        .expect_code(2);
    assert!(run.stderr.contains("not in a pykata workspace"), "{run:#?}");
}
