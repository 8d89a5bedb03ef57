//! `pykata init`: the practice workspace a learner starts from.

mod common;

use common::{Pykata, exercise_file, fixture};

#[test]
fn init_writes_tasks_and_starters_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice");
    let run = Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("pykata check"), "{run:#?}");
    for (id, module) in [
        ("retry", "retry"),
        ("lru_cache", "lru_cache"),
        ("rate_limiter", "rate_limiter"),
    ] {
        assert!(
            workspace.join(id).join("README.md").is_file(),
            "{id} README missing"
        );
        assert!(
            workspace.join(id).join(format!("{module}.py")).is_file(),
            "{id} starter missing"
        );
    }
    assert!(
        std::fs::read_to_string(workspace.join("README.md"))
            .unwrap()
            .contains("retry/retry.py")
    );

    // The starter fails; the learner's work is graded and never overwritten by a second init.
    let learner_file = workspace.join("retry/retry.py");
    Pykata::new()
        .arg("check")
        .arg(&learner_file)
        .run()
        .expect_code(1);
    std::fs::copy(exercise_file("decorators/retry/solution.py"), &learner_file).unwrap();
    let again = Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    assert!(again.stdout.contains("0 files created"), "{again:#?}");
    Pykata::new()
        .arg("check")
        .arg(&learner_file)
        .run()
        .expect_code(0);
}

#[test]
fn explain_shows_the_reference_only_once_solved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lru_cache.py");
    std::fs::copy(exercise_file("data_structures/lru_cache/starter.py"), &file).unwrap();
    let run = Pykata::new().arg("explain").arg(&file).run().expect_code(2);
    assert!(run.stderr.contains("does not pass yet"), "{run:#?}");
    assert!(
        !run.stdout.contains("class LRUCache"),
        "the reference leaked: {run:#?}"
    );

    std::fs::copy(fixture("solutions/lru_cache/linked_list.py"), &file).unwrap();
    let check = Pykata::new().arg("check").arg(&file).run().expect_code(0);
    assert!(check.stdout.contains("pykata explain"), "{check:#?}");
    let run = Pykata::new().arg("explain").arg(&file).run().expect_code(0);
    let reference =
        std::fs::read_to_string(exercise_file("data_structures/lru_cache/solution.py")).unwrap();
    assert!(run.stdout.contains(reference.trim()), "{run:#?}");
    let explanation =
        std::fs::read_to_string(exercise_file("data_structures/lru_cache/explain.md")).unwrap();
    assert!(
        run.stdout.contains(explanation.lines().next().unwrap()),
        "{run:#?}"
    );
}
