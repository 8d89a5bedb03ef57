//! Watch mode in a real terminal: tmux runs `pykata` in a fresh workspace, `send-keys`
//! types, `capture-pane` reads the screen. Skipped, with one line saying so, where tmux is
//! not installed (`.ci/run` installs it).

mod common;

use common::{Pykata, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a screen may take to show what is expected (the machines are shared).
const PATIENCE: Duration = Duration::from_secs(30);

/// One tmux server of our own (its own socket), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(workspace: &Path, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            println!(
                "skipped: tmux is not installed (apt-get install tmux), watch mode not tested"
            );
            return None;
        }
        // Unique even when a pid is reused while an earlier run's server still lingers.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let socket = format!(
            "pykata-test-{}-{nanos}-{}",
            std::process::id(),
            workspace.file_name().unwrap().to_string_lossy()
        );
        // After pykata ends: its exit code, and whether the terminal is back in cooked mode
        // (canonical input and echo on).
        let script = format!(
            "cd '{}' && '{}'; echo \"EXITED:$?\"; stty -a | tr ' ' '\\n' | grep -x -e '-\\?icanon' -e '-\\?echo' | tr '\\n' ' '; echo; sleep 120",
            workspace.display(),
            env!("CARGO_BIN_EXE_pykata")
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args([
                "env",
                "-u",
                "NO_COLOR",
                "TERM=xterm-256color",
                "sh",
                "-c",
                &script,
            ])
            .output()
            .expect("tmux runs");
        assert!(
            status.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        Some(Tmux { socket })
    }

    fn tmux(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", "t", key]);
            // One key at a time: an Escape followed at once by a letter reads as Alt-letter.
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits until the screen shows every one of `texts`; returns the screen.
    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |screen| {
            texts.iter().all(|text| screen.contains(text))
        })
    }

    /// Waits until `ready` holds of the screen; returns the screen.
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if started.elapsed() > PATIENCE {
                panic!("the screen never showed {what}; it shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// The bundled exercises in practice order, as `pykata list` prints them outside a
/// workspace: (id, folder below exercises/).
fn catalogue() -> Vec<(String, PathBuf)> {
    let outside = tempfile::tempdir().unwrap();
    let run = Pykata::new()
        .current_dir(outside.path())
        .arg("list")
        .run()
        .expect_code(0);
    let mut folders = Vec::new();
    find_exercise_folders(&root().join("exercises"), &mut folders);
    run.stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(|id| {
            let folder = folders
                .iter()
                .find(|folder| {
                    std::fs::read_to_string(folder.join("exercise.toml"))
                        .unwrap()
                        .contains(&format!("id = \"{id}\""))
                })
                .unwrap_or_else(|| panic!("no folder for {id}"))
                .clone();
            (id.to_string(), folder)
        })
        .collect()
}

fn find_exercise_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("exercise.toml").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            find_exercise_folders(&entry.path(), out);
        }
    }
}

fn module_of(folder: &Path) -> String {
    let toml = std::fs::read_to_string(folder.join("exercise.toml")).unwrap();
    toml.lines()
        .find_map(|line| line.strip_prefix("module = "))
        .unwrap()
        .trim_matches('"')
        .to_string()
}

#[test]
fn watch_mode_end_to_end_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    let exercises = catalogue();
    let total = exercises.len();
    let (first, first_folder) = &exercises[0];
    let (second, _) = &exercises[1];
    let first_file = workspace
        .join(first)
        .join(format!("{}.py", module_of(first_folder)));
    let Some(tmux) = Tmux::start(&workspace, 120, 40) else {
        return;
    };

    // The first exercise, its task, 0/N.
    tmux.wait_for(&[
        &format!("pykata  {first}"),
        &format!("0/{total} done"),
        "Task:",
    ]);

    // Nothing grades again by itself (the grader reading the file is no save).
    std::thread::sleep(Duration::from_secs(2));
    let screen = tmux.screen();
    assert!(
        screen.contains("· run 1 "),
        "graded again without a save:\n{screen}"
    );

    // A hint, then one more.
    tmux.keys(&["h"]);
    tmux.wait_for(&["Hints 1/"]);
    tmux.keys(&["h"]);
    tmux.wait_for(&["Hints 2/"]);
    // n does not skip an unsolved exercise; s does not show the solution.
    tmux.keys(&["n"]);
    tmux.wait_for(&["n moves on once this exercise passes"]);
    tmux.keys(&["s"]);
    let screen = tmux.wait_for(&["shown once this exercise passes"]);
    assert!(!screen.contains("Reference solution"), "{screen}");

    // Saving a correct solution as vim does (a new file renamed over the old one): the
    // verdict turns to passed, the progress moves.
    let temporary = first_file.with_extension("py.swp");
    std::fs::copy(first_folder.join("solution.py"), &temporary).unwrap();
    std::fs::rename(&temporary, &first_file).unwrap();
    tmux.wait_for(&[
        &format!("{first} solved"),
        &format!("1/{total} done"),
        "Reference solution",
        "Why it works",
    ]);
    let progress = std::fs::read_to_string(workspace.join("pykata-progress.toml")).unwrap();
    assert!(progress.contains(&format!("\"{first}\"")), "{progress}");
    assert!(
        !progress.contains(&workspace.display().to_string()),
        "{progress}"
    );

    // n: the next exercise.
    tmux.keys(&["n"]);
    tmux.wait_for(&[&format!("pykata  {second}"), &format!("1/{total} done")]);

    // l: the list, filtered by a search; Enter jumps back to the first exercise.
    // Every exercise and one row per quiz topic (the quizzes come last, below the fold).
    let quiz_topics = std::fs::read_dir(common::root().join("quizzes"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|ext| ext == "toml")
        })
        .count();
    tmux.keys(&["l"]);
    tmux.wait_for(&[
        "Exercises and quizzes",
        &format!("({} shown;", total + quiz_topics),
    ]);
    // Filters: status "to do" hides the exercise just solved; a topic filter; back to all.
    tmux.keys(&["f"]);
    let screen = tmux.wait_for(&["status (f): to do"]);
    assert!(!screen.contains("✓ done"), "{screen}");
    tmux.keys(&["f", "f", "t"]);
    let screen = tmux.wait_for(&["status (f): all"]);
    assert!(!screen.contains("topic (t): all"), "{screen}");
    let topics = screen.matches("topic (t): ").count();
    assert_eq!(topics, 1, "{screen}");
    // Each t moves to the next topic, and after the last back to all.
    let filter_line = |screen: &str| {
        screen
            .lines()
            .find(|line| line.contains("topic (t): "))
            .unwrap_or("")
            .to_string()
    };
    let mut line = filter_line(&screen);
    for _ in 0..100 {
        if line.contains("topic (t): all") {
            break;
        }
        tmux.keys(&["t"]);
        let previous = line.clone();
        line = filter_line(
            &tmux.wait_until("the next topic", |screen| filter_line(screen) != previous),
        );
    }
    assert!(line.contains("topic (t): all"), "{line}");

    // A search jumps to an exercise whose starter fails every case with one
    // NotImplementedError: the reason is said once.
    let single_reason = if first == "retry" {
        "lru_cache"
    } else {
        "retry"
    };
    tmux.keys(&["/"]);
    for ch in single_reason.chars() {
        tmux.keys(&[&ch.to_string()]);
    }
    tmux.keys(&["Enter"]);
    tmux.wait_for(&[&format!("search (/): {single_reason}")]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&[
        &format!("pykata  {single_reason}"),
        "Every test fails the same way",
        "NotImplementedError",
    ]);
    assert_eq!(
        screen.matches("NotImplementedError:").count(),
        1,
        "the reason is said once:\n{screen}"
    );

    // Back to the list; a search finds the first exercise, done; Enter continues there.
    tmux.keys(&["l"]);
    tmux.wait_for(&["Exercises and quizzes"]);
    tmux.keys(&["/"]);
    for ch in first.chars() {
        tmux.keys(&[&ch.to_string()]);
    }
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&[&format!("search (/): {first}")]);
    assert!(screen.contains("✓ done"), "{screen}");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&[&format!("continuing with {first}")]);

    // x asks, then resets to the starter and keeps the learner's file.
    tmux.keys(&["x"]);
    tmux.wait_for(&["to its starter?"]);
    tmux.keys(&["y"]);
    tmux.wait_for(&["back to its starter", "Last run: failed"]);
    let starter = std::fs::read_to_string(first_folder.join("starter.py")).unwrap();
    assert_eq!(std::fs::read_to_string(&first_file).unwrap(), starter);
    let backups: Vec<_> = std::fs::read_dir(workspace.join(".pykata-backups"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    // Done stays done: progress is not lost by a reset.
    tmux.wait_for(&[&format!("1/{total} done")]);

    // The terminal is resized: the view is drawn again at the new size.
    tmux.tmux(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    let done = format!("1/{total} done");
    tmux.wait_until("the header drawn 100 columns wide", |screen| {
        let header = screen.lines().next().unwrap_or("");
        header.contains(&done) && header.chars().count() <= 100 && header.chars().count() >= 95
    });

    // z: this topic's quiz; answer the first item.
    tmux.keys(&["z"]);
    tmux.wait_for(&["Quiz:", "a) "]);
    tmux.keys(&["a"]);
    tmux.wait_for(&["Enter next question"]);
    // The title counts the answer (a long item may push the verdict line below the fold).
    let screen = tmux.screen();
    assert!(
        screen.contains("this round 1/1") || screen.contains("this round 0/1"),
        "{screen}"
    );
    let progress = std::fs::read_to_string(workspace.join("pykata-progress.toml")).unwrap();
    assert!(progress.contains("answered = 1"), "{progress}");
    tmux.keys(&["q"]);
    tmux.wait_for(&["Task:"]);

    // q quits; the terminal is usable afterwards.
    tmux.keys(&["q"]);
    let screen = tmux.wait_for(&["EXITED:0"]);
    assert!(
        screen.contains("icanon") && !screen.contains("-icanon") && !screen.contains("-echo "),
        "the terminal was not restored:\n{screen}"
    );
}

#[test]
fn ctrl_c_and_sigterm_restore_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice2");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    let Some(tmux) = Tmux::start(&workspace, 100, 30) else {
        return;
    };
    tmux.wait_for(&["Task:", "Last run: failed"]);
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for(&["EXITED:130"]);
    assert!(!screen.contains("-icanon"), "{screen}");
    drop(tmux);

    // SIGTERM from outside.
    let Some(tmux) = Tmux::start(&workspace, 100, 30) else {
        return;
    };
    tmux.wait_for(&["Task:"]);
    let pid = tmux.tmux(&["list-panes", "-t", "t", "-F", "#{pane_pid}"]);
    let shell = pid.trim();
    let children = Command::new("pgrep")
        .args(["-P", shell, "-x", "pykata"])
        .output()
        .unwrap();
    let pykata = String::from_utf8_lossy(&children.stdout).trim().to_string();
    if pykata.is_empty() {
        println!("skipped the SIGTERM half: pgrep did not find pykata");
        return;
    }
    Command::new("kill")
        .args(["-TERM", &pykata])
        .status()
        .unwrap();
    let screen = tmux.wait_for(&["EXITED:143"]);
    assert!(!screen.contains("-icanon"), "{screen}");
}

#[test]
fn manual_run_grades_only_on_r_and_polling_is_announced() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice3");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    let exercises = catalogue();
    let (first, first_folder) = &exercises[0];
    let first_file = workspace
        .join(first)
        .join(format!("{}.py", module_of(first_folder)));

    // Polling (as on network file systems): announced, and saves are still seen.
    let mut args = std::fs::read_to_string(first_folder.join("solution.py")).unwrap();
    args.push('\n');
    let poll_script = workspace.join("poll.sh");
    std::fs::write(
        &poll_script,
        format!("exec '{}' watch --poll\n", env!("CARGO_BIN_EXE_pykata")),
    )
    .unwrap();
    let Some(tmux) = start_with(&workspace, &format!("sh '{}'", poll_script.display())) else {
        return;
    };
    tmux.wait_for(&["checking for saves every", "Last run: failed"]);
    // A save in place.
    std::fs::write(&first_file, &args).unwrap();
    tmux.wait_for(&[&format!("{first} solved")]);
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXITED:0"]);
    drop(tmux);

    // --manual-run: a save changes nothing until r. (Fresh progress: no state file.)
    std::fs::copy(first_folder.join("starter.py"), &first_file).unwrap();
    std::fs::remove_file(workspace.join("pykata-progress.toml")).unwrap();
    let manual_script = workspace.join("manual.sh");
    std::fs::write(
        &manual_script,
        format!(
            "exec '{}' watch --manual-run\n",
            env!("CARGO_BIN_EXE_pykata")
        ),
    )
    .unwrap();
    let Some(tmux) = start_with(&workspace, &format!("sh '{}'", manual_script.display())) else {
        return;
    };
    tmux.wait_for(&["manual run: press r", "Last run: failed"]);
    let temporary = workspace.join(first).join(".save.tmp");
    std::fs::write(&temporary, &args).unwrap();
    std::fs::rename(&temporary, &first_file).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        tmux.screen().contains("Last run: failed"),
        "{}",
        tmux.screen()
    );
    tmux.keys(&["r"]);
    tmux.wait_for(&[&format!("{first} solved")]);
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXITED:0"]);
}

/// Like `Tmux::start`, running `command` instead of plain `pykata`.
fn start_with(workspace: &Path, command: &str) -> Option<Tmux> {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed (apt-get install tmux), watch mode not tested");
        return None;
    }
    let socket = format!(
        "pykata-test-{}-{}-{}",
        std::process::id(),
        workspace.file_name().unwrap().to_string_lossy(),
        command.len()
    );
    let script = format!(
        "cd '{}' && {command}; echo \"EXITED:$?\"; sleep 120",
        workspace.display()
    );
    let status = Command::new("tmux")
        .args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
        ])
        .args(["-x", "120", "-y", "40", "sh", "-c", &script])
        .status()
        .expect("tmux runs");
    assert!(status.success());
    Some(Tmux { socket })
}

#[test]
fn outside_a_workspace_pykata_offers_to_make_one_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let Some(tmux) = Tmux::start(&empty, 120, 40) else {
        return;
    };
    tmux.wait_for(&["Create one in ./pykata-practice"]);
    tmux.keys(&["y", "Enter"]);
    tmux.wait_for(&["Task:", "0/", "Last run: failed"]);
    assert!(empty.join("pykata-practice/pykata-progress.toml").is_file());
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXITED:0", "cd` there"]);
}

#[test]
fn the_last_exercise_solved_leads_to_the_final_screen() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice5");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    let exercises = catalogue();
    let total = exercises.len();
    let (first, first_folder) = &exercises[0];
    // Every exercise but the first is done already (as a synced progress file would say).
    let others: Vec<String> = exercises[1..]
        .iter()
        .map(|(id, _)| format!("\"{id}\""))
        .collect();
    std::fs::write(
        workspace.join("pykata-progress.toml"),
        format!("current = \"{first}\"\ndone = [{}]\n", others.join(", ")),
    )
    .unwrap();
    let Some(tmux) = Tmux::start(&workspace, 120, 40) else {
        return;
    };
    tmux.wait_for(&[&format!("{}/{total} done", total - 1), "Last run: failed"]);
    let file = workspace
        .join(first)
        .join(format!("{}.py", module_of(first_folder)));
    std::fs::copy(first_folder.join("solution.py"), &file).unwrap();
    tmux.wait_for(&[&format!("{total}/{total} done"), "Every exercise is done!"]);
    tmux.keys(&["n"]);
    tmux.wait_for(&[&format!("All {total} exercises done"), "answered right"]);
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXITED:0"]);
}

#[test]
fn a_corrupt_progress_file_is_said_on_screen_and_progress_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("practice6");
    Pykata::new()
        .arg("init")
        .arg(&workspace)
        .run()
        .expect_code(0);
    std::fs::write(
        workspace.join("pykata-progress.toml"),
        "<<<<<<< HEAD\ndone = [\n",
    )
    .unwrap();
    let Some(tmux) = Tmux::start(&workspace, 140, 40) else {
        return;
    };
    tmux.wait_for(&["could not be read", "fresh progress", "0/"]);
    assert!(workspace.join("pykata-progress.toml.bad").is_file());
    tmux.keys(&["q"]);
    tmux.wait_for(&["EXITED:0"]);
}
