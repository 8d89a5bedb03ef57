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

/// A plain folder whose one test passes only when the run's working folder (its scratch
/// folder, as the sandbox shows it) is under `root`.
fn folder_expecting_scratch_under(root: &std::path::Path) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("test_where.py"),
        format!(
            "import os\nimport unittest\n\n\nclass Where(unittest.TestCase):\n    \
             def test_scratch_root(self):\n        \
             self.assertTrue(os.getcwd().startswith({:?}), os.getcwd())\n",
            format!("{}/", root.display())
        ),
    )
    .unwrap();
    folder
}

#[test]
fn temporary_folders_go_to_tmpdir_when_it_is_set() {
    let tmpdir = tempfile::tempdir().unwrap();
    let root = tmpdir.path().canonicalize().unwrap();
    let folder = folder_expecting_scratch_under(&root);
    let run = Pykata::new()
        .env("TMPDIR", &root)
        .args(["check", "--format", "json"])
        .arg(folder.path())
        .run()
        .expect_code(0);
    assert_eq!(run.json()["status"], "pass", "{run:#?}");
    let left: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert!(left.is_empty(), "pykata left {left:?} in TMPDIR");
}

#[test]
fn temporary_folders_go_to_dev_shm_without_tmpdir() {
    let shm = std::path::Path::new("/dev/shm");
    let writable_tmpfs = std::process::Command::new("stat")
        .args(["-f", "-c", "%T", "/dev/shm"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "tmpfs");
    if !writable_tmpfs {
        eprintln!("skipped: /dev/shm is not a tmpfs on this machine");
        return;
    }
    let folder = folder_expecting_scratch_under(shm);
    let run = Pykata::new()
        .env_remove("TMPDIR")
        .args(["check", "--format", "json"])
        .arg(folder.path())
        .run()
        .expect_code(0);
    assert_eq!(run.json()["status"], "pass", "{run:#?}");
}
