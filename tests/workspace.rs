//! `pykata init`: the practice workspace a learner starts from.

mod common;

use common::{Pykata, exercise_file};

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
