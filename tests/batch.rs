//! `pykata batch` and `pykata merge` through the real binary: a generated class (correct,
//! partly correct, wrong, hostile, missing and malformed submissions), a batch killed with
//! SIGKILL and resumed, shards merged to the same gradebook as one run, and every output
//! parsed as its format says.

mod common;

use common::{Pykata, Run, exercise_file, fixture};
use std::path::{Path, PathBuf};

fn correct() -> String {
    std::fs::read_to_string(fixture("solutions/lru_cache/plain_dict.py")).unwrap()
}

fn mutant() -> String {
    std::fs::read_to_string(exercise_file(
        "data_structures/lru_cache/mutants/contains_refreshes.py",
    ))
    .unwrap()
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A class in GitHub Classroom's layout, with one student of each kind.
fn generated_class(root: &Path) -> PathBuf {
    let class = root.join("class");
    let folder = |login: &str| class.join(format!("hw3-lru-{login}"));
    write(&folder("alice").join("lru_cache.py"), correct());
    write(&folder("bob").join("src/solution.py"), mutant());
    write(
        &folder("carol").join("lru_cache.py"),
        "class LRUCache:\n    def __init__(self, capacity):\n        pass\n",
    );
    write(
        &folder("dave").join("lru_cache.py"),
        "def broken(:\n    pass\n",
    );
    write(
        &folder("eve").join("lru_cache.py"),
        "print('::error file=x::forged')\nwhile True:\n    pass\n",
    );
    write(
        &folder("frank").join("lru_cache.py"),
        [0u8, 159, 146, 150, 0, 1],
    );
    std::fs::create_dir_all(folder("grace")).unwrap();
    let huge = folder("heidi").join("lru_cache.py");
    write(&huge, "");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    // A link to another student's file (git keeps symbolic links).
    std::fs::create_dir_all(folder("mallory")).unwrap();
    std::os::unix::fs::symlink(
        folder("alice").join("lru_cache.py"),
        folder("mallory").join("lru_cache.py"),
    )
    .unwrap();
    write(&folder("ivan").join("lru_cache.py"), correct());
    write(&folder("Ivan").join("lru_cache.py"), mutant());
    class
}

fn roster(root: &Path) -> PathBuf {
    let path = root.join("roster.csv");
    write(
        &path,
        "login,name\nalice,Alice Liddell\nbob,Bob Builder\ncarol,Carol Danvers\ndave,Dave Bowman\neve,Eve Moneypenny\nfrank,Frank Poole\ngrace,Grace Hopper\nheidi,Heidi Klum\nivan,Ivan Ivanov\nzoe,Zoe Missing\nalice,Alice Again\n",
    );
    path
}

fn batch(exercise: &str, submissions: &Path, out: &Path) -> Pykata {
    Pykata::new()
        .args(["batch", exercise])
        .arg(submissions)
        .arg("--out")
        .arg(out)
        .args(["--timeout", "3"])
}

fn csv_rows(out: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(out.join("grades.csv"))
        .unwrap();
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], id: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|row| row[0].eq_ignore_ascii_case(id))
        .unwrap_or_else(|| panic!("no row for {id}: {rows:?}"))
}

#[test]
fn grades_a_generated_class() {
    let dir = tempfile::tempdir().unwrap();
    let class = generated_class(dir.path());
    let out = dir.path().join("out");
    let run = batch("lru_cache", &class, &out)
        .arg("--roster")
        .arg(roster(dir.path()))
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("outputs in"), "{run:#?}");
    assert!(run.stderr.contains("lists alice twice"), "{run:#?}");
    assert!(
        !run.stderr.contains('█'),
        "no progress bar when stderr is not a terminal"
    );

    let rows = csv_rows(&out);
    let header = &rows[0];
    assert_eq!(&header[..5], ["id", "name", "score", "max", "status"]);
    assert_eq!(header.last().unwrap(), "note");
    let cases = header.len() - 6;
    assert!(cases >= 10);
    let possible = &rows[1];
    assert_eq!(possible[0], "Points Possible");
    let total: f64 = possible[5..5 + cases]
        .iter()
        .map(|points| points.parse::<f64>().unwrap())
        .sum();
    assert_eq!(possible[2].parse::<f64>().unwrap(), total);

    let alice = row(&rows, "alice");
    assert_eq!(
        (alice[1].as_str(), alice[4].as_str()),
        ("Alice Liddell", "pass")
    );
    assert_eq!(alice[2], alice[3]);
    let bob = row(&rows, "bob");
    assert_eq!(bob[4], "fail");
    let bob_score: f64 = bob[2].parse().unwrap();
    assert!(
        bob_score > 0.0 && bob_score < total,
        "partial credit: {bob:?}"
    );
    let case_sum: f64 = bob[5..5 + cases]
        .iter()
        .map(|s| s.parse::<f64>().unwrap())
        .sum();
    assert_eq!(case_sum, bob_score, "the total is the sum of the cases");
    let carol = row(&rows, "carol");
    assert_ne!(carol[4], "pass");
    assert!(carol[2].parse::<f64>().unwrap() < bob_score);
    let dave = row(&rows, "dave");
    assert_eq!(dave[4], "error");
    assert!(dave.last().unwrap().contains("line 1"), "{dave:?}");
    let eve = row(&rows, "eve");
    assert_eq!(eve[4], "error");
    assert!(eve.last().unwrap().contains("time limit"), "{eve:?}");
    for (id, reason) in [
        ("frank", "binary file"),
        ("grace", "empty folder"),
        ("heidi", "too large"),
        ("ivan", "duplicate student id"),
        ("mallory", "symbolic link refused"),
    ] {
        let student = row(&rows, id);
        assert_eq!(student[4], "error", "{student:?}");
        assert!(student.last().unwrap().contains(reason), "{student:?}");
    }
    let zoe = row(&rows, "zoe");
    assert_eq!((zoe[4].as_str(), zoe[2].as_str()), ("missing", "0"));
    assert!(zoe.last().unwrap().contains("no submission"));

    // results.jsonl: one object per student, the same scores.
    let text = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len() - 2);
    let bob_line = lines.iter().find(|line| line["id"] == "bob").unwrap();
    assert_eq!(bob_line["score"].as_f64().unwrap(), bob_score);

    // junit.xml: one suite per student.
    let xml = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    let document = roxmltree::Document::parse(&xml).expect("valid XML");
    let suites = document
        .descendants()
        .filter(|node| node.has_tag_name("testsuite"))
        .count();
    assert_eq!(suites, rows.len() - 2);

    // Per student: feedback and both results.json, without the secret seed.
    let seed = seed_of(&out);
    for id in ["alice", "bob", "dave", "eve", "frank", "zoe"] {
        let folder = out.join("students").join(id);
        let feedback = std::fs::read_to_string(folder.join("feedback.md")).unwrap();
        assert!(feedback.contains("Score:"), "{feedback}");
        let exercism: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join("exercism/results.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(exercism["version"], 3);
        let gradescope: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join("gradescope/results.json")).unwrap(),
        )
        .unwrap();
        assert!(gradescope["score"].is_number());
        for text in [feedback, exercism.to_string(), gradescope.to_string()] {
            assert!(
                !text.contains(&seed.to_string()),
                "the seed leaked for {id}"
            );
        }
    }
    let bob_feedback = std::fs::read_to_string(out.join("students/bob/feedback.md")).unwrap();
    assert!(bob_feedback.contains("✗"));
}

fn seed_of(out: &Path) -> u64 {
    let connection = rusqlite::Connection::open(out.join("gradebook.sqlite")).unwrap();
    let seed: String = connection
        .query_row("SELECT value FROM meta WHERE key = 'seed'", [], |row| {
            row.get(0)
        })
        .unwrap();
    seed.parse().unwrap()
}

fn gradings(out: &Path) -> Vec<(String, u32)> {
    let connection = rusqlite::Connection::open(out.join("gradebook.sqlite")).unwrap();
    let mut statement = connection
        .prepare("SELECT id, gradings FROM results WHERE report IS NOT NULL ORDER BY id")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A class whose every submission takes a moment to load.
fn slow_class(root: &Path, students: usize) -> PathBuf {
    let class = root.join("slow");
    for n in 0..students {
        let body = if n % 3 == 0 { mutant() } else { correct() };
        write(
            &class.join(format!("student{n:02}.py")),
            format!("import time\ntime.sleep(0.4)\n{body}"),
        );
    }
    class
}

#[test]
fn a_killed_batch_resumes_with_nothing_lost_or_graded_twice() {
    let dir = tempfile::tempdir().unwrap();
    let class = slow_class(dir.path(), 12);
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(["batch", "lru_cache"])
        .arg(&class)
        .arg("--out")
        .arg(&out)
        .args(["--jobs", "1", "--seed", "11", "--quiet"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let committed = loop {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing was committed"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        if out.join("gradebook.sqlite").exists() {
            let committed = std::panic::catch_unwind(|| gradings(&out)).unwrap_or_default();
            if committed.len() >= 3 {
                break committed.len();
            }
        }
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = gradings(&out);
    assert!(before.len() >= committed && before.len() < 12, "{before:?}");

    let resumed = batch("lru_cache", &class, &out)
        .args(["--jobs", "2"])
        .run()
        .expect_code(1);
    let expected = format!(
        "{} graded, {} already in the gradebook",
        12 - before.len(),
        before.len()
    );
    assert!(
        resumed.stderr.contains(&expected),
        "{expected}: {resumed:#?}"
    );
    let after = gradings(&out);
    assert_eq!(after.len(), 12);
    assert!(after.iter().all(|(_, count)| *count == 1), "{after:?}");

    // Nothing changed, nothing graded; --regrade grades everything again.
    let again = batch("lru_cache", &class, &out).run();
    assert!(again.stderr.contains("0 graded, 12 already"), "{again:#?}");
    let fresh = dir.path().join("fresh");
    batch("lru_cache", &class, &fresh)
        .args(["--seed", "11"])
        .run()
        .expect_code(1);
    assert_eq!(
        std::fs::read_to_string(out.join("grades.csv")).unwrap(),
        std::fs::read_to_string(fresh.join("grades.csv")).unwrap()
    );
    // A changed submission is graded again, alone.
    write(&class.join("student01.py"), mutant());
    let changed = batch("lru_cache", &class, &out).run();
    assert!(
        changed.stderr.contains("1 graded, 11 already"),
        "{changed:#?}"
    );
    let regraded = batch("lru_cache", &class, &out).arg("--regrade").run();
    assert!(
        regraded.stderr.contains("12 graded, 0 already"),
        "{regraded:#?}"
    );
}

#[test]
fn three_shards_merge_to_the_same_gradebook_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    for n in 0..9 {
        let body = if n % 2 == 0 { correct() } else { mutant() };
        write(&class.join(format!("s{n}.py")), body);
    }
    let whole = dir.path().join("whole");
    batch("lru_cache", &class, &whole)
        .args(["--seed", "5"])
        .run()
        .expect_code(1);
    let no_seed = batch("lru_cache", &class, &dir.path().join("x"))
        .args(["--shard", "1/3"])
        .run()
        .expect_code(2);
    assert!(no_seed.stderr.contains("--shard needs --seed"));
    let mut shards = Vec::new();
    let mut graded = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("shard{k}"));
        let run: Run = batch("lru_cache", &class, &out)
            .args(["--seed", "5", "--shard", &format!("{k}/3")])
            .run();
        graded += gradings(&out).len();
        shards.push(out);
        assert!(run.code == 0 || run.code == 1, "{run:#?}");
    }
    assert_eq!(graded, 9, "every student in exactly one shard");
    let merged = dir.path().join("merged");
    Pykata::new()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .run()
        .expect_code(1);
    for file in ["grades.csv", "junit.xml"] {
        assert_eq!(
            std::fs::read_to_string(whole.join(file))
                .unwrap()
                .replace(|c: char| c.is_ascii_digit(), ""),
            std::fs::read_to_string(merged.join(file))
                .unwrap()
                .replace(|c: char| c.is_ascii_digit(), ""),
            "{file}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(whole.join("grades.csv")).unwrap(),
        std::fs::read_to_string(merged.join("grades.csv")).unwrap()
    );
    // Another seed is refused.
    let other = dir.path().join("other");
    batch("lru_cache", &class, &other)
        .args(["--seed", "6", "--shard", "1/3"])
        .run();
    let refused = Pykata::new()
        .arg("merge")
        .arg(&shards[0])
        .arg(&other)
        .arg("--out")
        .arg(dir.path().join("bad"))
        .run()
        .expect_code(2);
    assert!(refused.stderr.contains("another seed"), "{refused:#?}");
}

#[test]
fn a_plain_test_folder_runs_against_each_students_modules() {
    let dir = tempfile::tempdir().unwrap();
    let tests = dir.path().join("tests");
    write(
        &tests.join("test_shapes.py"),
        "import unittest\nfrom shapes import area\n\nclass T(unittest.TestCase):\n    def test_unit(self):\n        self.assertEqual(area(1), 1)\n\n    def test_two(self):\n        self.assertEqual(area(2), 4)\n",
    );
    let class = dir.path().join("class");
    write(
        &class.join("ann/shapes.py"),
        "def area(side):\n    return side * side\n",
    );
    write(
        &class.join("ben/shapes.py"),
        "def area(side):\n    return side\n",
    );
    // A student's own test file does not replace or add to the instructor's.
    write(
        &class.join("ben/test_shapes.py"),
        "def test_fake():\n    assert True\n",
    );
    write(&class.join("cid.py"), "def area(side):\n    return 0\n");
    let out = dir.path().join("out");
    batch(tests.to_str().unwrap(), &class, &out)
        .run()
        .expect_code(1);
    let rows = csv_rows(&out);
    assert_eq!(row(&rows, "ann")[4], "pass");
    let ben = row(&rows, "ben");
    assert_eq!(
        (ben[2].as_str(), ben[3].as_str(), ben[4].as_str()),
        ("1", "2", "fail")
    );
    let cid = row(&rows, "cid");
    assert_eq!(cid[4], "error");
    assert!(cid.last().unwrap().contains("one folder per student"));
}

#[test]
fn hidden_cases_count_but_never_reach_a_learner() {
    let dir = tempfile::tempdir().unwrap();
    let exercise = dir.path().join("my_lru");
    let source = exercise_file("data_structures/lru_cache");
    std::fs::create_dir_all(&exercise).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), exercise.join(entry.file_name())).unwrap();
        }
    }
    let cases = exercise.join("cases.py");
    let text = std::fs::read_to_string(&cases).unwrap();
    let hidden_name = "`key in cache` does not change recency";
    let marked = text.replacen(
        &format!("@case(\"{hidden_name}\""),
        &format!("@case(\"{hidden_name}\", hidden=True, points=3"),
        1,
    );
    assert_ne!(marked, text, "the case to hide was not found");
    std::fs::write(&cases, marked).unwrap();
    let class = dir.path().join("class");
    write(&class.join("bob.py"), mutant());
    let out = dir.path().join("out");
    batch(exercise.to_str().unwrap(), &class, &out)
        .run()
        .expect_code(1);
    let rows = csv_rows(&out);
    let column = rows[0]
        .iter()
        .position(|name| name.starts_with(hidden_name))
        .expect("the instructor sees the hidden case");
    assert_eq!(rows[1][column], "3");
    assert_eq!(row(&rows, "bob")[column], "0");
    // The instructor's results.jsonl has the hidden case's own failure message; no
    // learner-facing file may.
    let results = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    let hidden_message = results
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .flat_map(|line| {
            line["report"]["tests"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .find(|test| test["name"] == hidden_name)
        .and_then(|test| test["message"].as_str().map(str::to_string))
        .expect("results.jsonl names the hidden case");
    assert!(!hidden_message.is_empty(), "{results}");
    for file in [
        "feedback.md",
        "exercism/results.json",
        "gradescope/results.json",
    ] {
        let text = std::fs::read_to_string(out.join("students/bob").join(file)).unwrap();
        let first_line = hidden_message.lines().next().unwrap();
        assert!(!text.contains(first_line), "{file}: {text}");
        assert!(!text.contains("does not change recency"), "{file}: {text}");
        assert!(text.contains("hidden case"), "{file}: {text}");
    }
}
