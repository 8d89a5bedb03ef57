//! The red-team suite (issue 3): hostile submissions in `tests/fixtures/hostile/`, each with
//! the verdict it must get (`cases.toml`) and what must still hold on the host after pykata
//! has exited.
//!
//! One test per case and engine (`embedded::CASE`, `subprocess::CASE`). A case is staged
//! into a fresh folder with its placeholders filled in (`@@TMP@@` the host's temp folder,
//! `@@CASE@@` the case and engine, `@@MARKER@@`, `@@PORT@@`, `@@TOKEN@@`), graded by the
//! real binary with `--format json --engine ENGINE`, and then every check runs and every
//! failure is reported together:
//!
//! - pykata exited with code 1 (never 0, 2 or a panic) and printed one JSON line per target
//!   whose `status`, `verdict` and score match the manifest;
//! - the canary file (`TMP/redteam-pykata-CASE.ENGINE-canary`) still exists with its
//!   content, mode and owner; a hidden canary with a random name is untouched too;
//! - nothing else named `TMP/redteam-pykata-CASE.ENGINE-*` exists, and the staged submission
//!   files are unchanged, with nothing added beside them;
//! - no process whose command line holds the case's marker is left (after up to 2 s);
//! - nothing connected to the TCP/UDP/abstract-Unix listeners of the case's `port`;
//! - pykata's output holds none of: the secret in its environment
//!   (`PYKATA_REDTEAM_SECRET`), the canary's content, the hidden canary's name or content,
//!   `@@TOKEN@@`, the `REDTEAM-ESCAPED` line a fixture prints when an attack worked, and
//!   the case's own `forbid_output`.
//!
//! A case with `needs_sandbox = true` also fails when pykata reports less than full
//! isolation (`"isolation": {"level": ...}` in its JSON; missing means `none`), even when
//! every check held: the failure message says which, so a run without the sandbox shows
//! what already holds.
//!
//! `PYKATA_REDTEAM_ARGS` adds arguments to every pykata command, e.g.
//! `PYKATA_REDTEAM_ARGS=--no-sandbox cargo test --test redteam` to see which cases hold
//! without isolation. The fixtures bound their attacks (6 GiB of memory, 400 processes,
//! 200 MiB of disk, only the test's own files, signals only to their own parent) so that
//! even a run without the sandbox leaves the machine usable.

mod common;

use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Wall-clock time after which the test gives up on pykata itself and kills it.
const PYKATA_GUARD: Duration = Duration::from_secs(20);
/// How long processes carrying the case's marker may take to disappear.
const STRAGGLER_WAIT: Duration = Duration::from_secs(2);
/// `--timeout` of a case that does not set its own.
const DEFAULT_TIMEOUT: f64 = 5.0;
/// What pykata may take beyond a case's limit (`within`, else its timeout) to answer.
const ANSWER_SLACK: f64 = 2.0;
/// What a fixture prints when one of its attacks worked.
const ESCAPED: &str = "REDTEAM-ESCAPED";

/// The engines every case runs on: a hostile submission gets whichever one the grader's
/// machine picks (`auto` prefers the embedded one; `--python` implies the subprocess one).
#[derive(Debug, Clone, Copy)]
enum EngineUnderTest {
    Embedded,
    Subprocess,
}

impl EngineUnderTest {
    fn name(self) -> &'static str {
        match self {
            EngineUnderTest::Embedded => "embedded",
            EngineUnderTest::Subprocess => "subprocess",
        }
    }

    /// Added to the case's port, so both engines' runs of a case can listen at once.
    fn port_offset(self) -> u16 {
        match self {
            EngineUnderTest::Embedded => 0,
            EngineUnderTest::Subprocess => 1,
        }
    }
}

macro_rules! redteam_cases {
    ($($name:ident),* $(,)?) => {
        /// Every case, in the order of the manifest's sections.
        const CASES: &[&str] = &[$(stringify!($name)),*];

        /// Every case on the embedded engine (`cargo test --test redteam embedded::`).
        mod embedded {
            $(
                #[test]
                fn $name() {
                    super::run_case(stringify!($name), super::EngineUnderTest::Embedded);
                }
            )*
        }

        /// Every case on the subprocess engine (`cargo test --test redteam subprocess::`).
        mod subprocess {
            $(
                #[test]
                fn $name() {
                    super::run_case(stringify!($name), super::EngineUnderTest::Subprocess);
                }
            )*
        }
    };
}

redteam_cases! {
    // resources and verdicts
    loop_at_import,
    loop_in_case,
    sleep_forever,
    signals_ignored,
    self_cpu_limit,
    memory_bomb_import,
    memory_bomb_case,
    fork_bomb,
    thread_never_ends,
    flood_stdout_import,
    flood_stderr_case,
    flood_channel,
    disk_fill,
    huge_file,
    many_files,
    recursion_segfault,
    ctypes_segfault_case,
    // processes
    close_all_fds,
    kill_parent,
    orphan_setsid,
    double_fork_daemon,
    daemon_keeps_output_open,
    orphan_same_group,
    atexit_daemon,
    // files outside the scratch folder
    write_outside_open,
    delete_outside_open,
    write_outside_shell,
    write_outside_ctypes,
    symlink_hardlink_escape,
    chmod_setuid,
    overwrite_original_submission,
    // secrets
    read_canary_file,
    read_etc_shadow,
    env_secret,
    proc_parent_environ,
    proc_pid1_cmdline,
    proc_mountinfo,
    // network and devices
    net_connect_localhost,
    net_raw_socket,
    dev_mem,
    // integrity of the verdict
    read_reference,
    read_reference_proc,
    read_other_submission,
    tamper_harness_files,
    tamper_reference_files,
    tamper_cases_in_process,
    gc_patch_harness,
    sys_exit_import,
    os_exit_import,
    sys_exit_in_case,
    os_exit_in_case,
    fake_stdout_results,
    forge_channel_fds,
    forge_then_exit,
    always_equal,
    int_subclass,
    patch_builtins,
    // system calls the sandbox refuses
    ptrace_attempt,
    mount_unshare,
    seccomp_syscalls,
    // plain folders
    plain_patch_assert_equal,
    plain_builtins_assertionerror,
    plain_failure_exception,
    plain_fake_pytest_module,
    plain_patch_reporter,
    plain_gc_patch,
    plain_patch_testcase_run,
    plain_forge_channel,
    plain_exit_in_test,
    plain_keyboard_interrupt,
    plain_always_equal,
    // a hang, a flood or a crash costs one test, not the grade
    plain_hang_one_test,
    plain_flood_one_test,
    plain_thread_after_tests,
    plain_fork_bomb_test,
    exercise_hang_one_case,
}

#[test]
fn manifest_fixtures_and_tests_agree() {
    let manifest = manifest();
    let listed: Vec<&str> = manifest.keys().map(String::as_str).collect();
    let mut tests = CASES.to_vec();
    tests.sort_unstable();
    assert_eq!(
        listed, tests,
        "cases.toml and the tests of redteam.rs differ"
    );
    assert!(
        CASES.len() >= 45,
        "the suite needs at least 45 hostile cases"
    );

    let mut folders: Vec<String> = std::fs::read_dir(hostile_dir())
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(
        folders, listed,
        "tests/fixtures/hostile/ and cases.toml differ"
    );

    // Each engine's run of a case listens on its own port (see port_offset).
    let mut ports = BTreeMap::new();
    for (name, case) in manifest {
        case.validate(name);
        if let Some(port) = case.port {
            for engine in [EngineUnderTest::Embedded, EngineUnderTest::Subprocess] {
                let port = port + engine.port_offset();
                if let Some(other) = ports.insert(port, name) {
                    panic!("{name} and {other} share port {port}: keep ports 2 apart");
                }
            }
        }
    }
}

// ------------------------------------------------------------------------- the manifest

/// One string or a list of accepted ones.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn accepts(&self, value: &str) -> bool {
        match self {
            OneOrMany::One(one) => one == value,
            OneOrMany::Many(many) => many.iter().any(|one| one == value),
        }
    }

    fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(one) => vec![one.as_str()],
            OneOrMany::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// What one graded PATH must get.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// For a case with several targets: the file, relative to the case's folder.
    #[serde(default)]
    path: Option<String>,
    /// `pass`, `fail` or `error` (or a list of accepted ones).
    status: OneOrMany,
    /// The verdict's `kind`, or `none` for no verdict.
    verdict: OneOrMany,
    #[serde(default)]
    max_score: Option<f64>,
    #[serde(default)]
    min_score: Option<f64>,
    /// At least this many tests reported with status fail or error.
    #[serde(default)]
    failed_at_least: Option<usize>,
    /// The report's `max_score` must be exactly this.
    #[serde(default)]
    out_of: Option<f64>,
    /// Tests by name: the status each must have, optionally followed by `: ` and a piece
    /// of its message (`"fail: time limit: this test took longer than 2 s"`).
    #[serde(default)]
    tests: BTreeMap<String, String>,
}

/// One case of cases.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the hostile submission attempts.
    attempts: String,
    /// Whether the case can only hold under full isolation.
    needs_sandbox: bool,
    /// Graded as `check EXERCISE --submission CASE/MODULE.py`.
    #[serde(default)]
    exercise: Option<String>,
    /// Graded as `check CASE/` (a plain folder).
    #[serde(default)]
    folder: bool,
    /// Graded as `check CASE/PATH...` in one command, in this order.
    #[serde(default)]
    targets: Vec<Expect>,
    #[serde(default)]
    timeout: Option<f64>,
    #[serde(default)]
    jobs: Option<u32>,
    /// A port the test listens on (TCP and UDP on 127.0.0.1 and ::1) before the run.
    #[serde(default)]
    port: Option<u16>,
    /// More strings that must not appear in pykata's output (`@@HOST_PID1@@`: the host's
    /// PID 1 program; `@@REPO@@`: this repository's path).
    #[serde(default)]
    forbid_output: Vec<String>,
    #[serde(default)]
    status: Option<OneOrMany>,
    #[serde(default)]
    verdict: Option<OneOrMany>,
    #[serde(default)]
    max_score: Option<f64>,
    #[serde(default)]
    min_score: Option<f64>,
    #[serde(default)]
    failed_at_least: Option<usize>,
    #[serde(default)]
    out_of: Option<f64>,
    #[serde(default)]
    tests: BTreeMap<String, String>,
    /// pykata must answer within this many seconds plus [`ANSWER_SLACK`] (default: the
    /// case's timeout, one test's limit).
    #[serde(default)]
    within: Option<f64>,
}

impl Case {
    fn validate(&self, name: &str) {
        let modes = [
            self.exercise.is_some(),
            self.folder,
            !self.targets.is_empty(),
        ];
        assert_eq!(
            modes.iter().filter(|mode| **mode).count(),
            1,
            "{name}: set exactly one of exercise, folder and targets"
        );
        assert!(
            !self.attempts.trim().is_empty(),
            "{name}: say what it attempts"
        );
        if self.targets.is_empty() {
            assert!(
                self.status.is_some() && self.verdict.is_some(),
                "{name}: status and verdict are required"
            );
        } else {
            assert!(
                self.status.is_none()
                    && self.verdict.is_none()
                    && self.max_score.is_none()
                    && self.out_of.is_none()
                    && self.tests.is_empty(),
                "{name}: with targets, expectations go in each target"
            );
            assert!(
                self.targets.iter().all(|target| target.path.is_some()),
                "{name}: every target needs a path"
            );
        }
        for expect in self.expectations() {
            for status in expect.status.values() {
                assert!(
                    ["pass", "fail", "error"].contains(&status),
                    "{name}: unknown status {status}"
                );
            }
            for verdict in expect.verdict.values() {
                assert!(
                    [
                        "none",
                        "time_limit",
                        "cpu_time_limit",
                        "memory_limit",
                        "output_limit",
                        "crashed",
                        "exited_early"
                    ]
                    .contains(&verdict),
                    "{name}: unknown verdict {verdict}"
                );
            }
        }
        assert!(
            self.expectations()
                .iter()
                .any(|expect| !expect.status.accepts("pass")),
            "{name}: a hostile case must expect at least one graded path not to pass"
        );
    }

    /// The expectations, one per graded PATH, in command-line order.
    fn expectations(&self) -> Vec<Expect> {
        if !self.targets.is_empty() {
            return self.targets.clone();
        }
        vec![Expect {
            path: None,
            status: self.status.clone().expect("validated"),
            verdict: self.verdict.clone().expect("validated"),
            max_score: self.max_score,
            min_score: self.min_score,
            failed_at_least: self.failed_at_least,
            out_of: self.out_of,
            tests: self.tests.clone(),
        }]
    }
}

fn hostile_dir() -> PathBuf {
    common::fixture("hostile")
}

fn manifest() -> &'static BTreeMap<String, Case> {
    static MANIFEST: OnceLock<BTreeMap<String, Case>> = OnceLock::new();
    MANIFEST.get_or_init(|| {
        let path = hostile_dir().join("cases.toml");
        let text = std::fs::read_to_string(&path).expect("read tests/fixtures/hostile/cases.toml");
        toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    })
}

// ------------------------------------------------------------------------- running one case

/// What a case's run showed: the checks that failed, and the isolation pykata reported.
struct Outcome {
    failures: Vec<String>,
    isolation: String,
}

fn run_case(name: &str, engine: EngineUnderTest) {
    let case = manifest()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not in cases.toml"));
    case.validate(name);
    if case.needs_sandbox && common::skip_without_full_isolation(&format!("red-team case {name}")) {
        return;
    }
    let outcome = run_and_check(name, case, engine);
    let full = outcome.isolation == "full";
    if outcome.failures.is_empty() && (full || !case.needs_sandbox) {
        return;
    }
    let mut message = format!(
        "red-team case {name} on the {} engine ({})\n  isolation reported by pykata: {}; needs_sandbox = {}\n",
        engine.name(),
        case.attempts,
        outcome.isolation,
        case.needs_sandbox
    );
    if outcome.failures.is_empty() {
        message.push_str(
            "  every check held, but this case needs full isolation and pykata reported less\n",
        );
    } else {
        message.push_str(&format!("  {} check(s) failed:\n", outcome.failures.len()));
        for failure in &outcome.failures {
            message.push_str(&format!("  - {}\n", failure.replace('\n', "\n    ")));
        }
    }
    panic!("{message}");
}

fn run_and_check(name: &str, case: &Case, engine: EngineUnderTest) -> Outcome {
    let temp = std::env::temp_dir();
    // Both engines' runs of a case may run at once: each has its own paths, marker and port.
    let run_id = format!("{name}.{}", engine.name());
    let port = case.port.map(|port| port + engine.port_offset());
    let marker = format!("pykata-redteam-marker[{run_id}]");
    // Host paths do not start with "pykata-": a cleanup of pykata's own temp folders
    // (`rm -f /tmp/pykata-*`) must not be mistaken for an attack.
    let prefix = format!("redteam-pykata-{run_id}-");
    let canary_path = temp.join(format!("{prefix}canary"));
    let canary_content = format!("pykata-redteam-canary-{}", random_token(name, 1));
    let hidden_path = temp.join(format!(".redteam-pykata-hidden-{}", random_token(name, 2)));
    let hidden_content = format!("pykata-redteam-hidden-{}", random_token(name, 3));
    let secret = format!("pykata-redteam-secret-{}", random_token(name, 4));
    let token = format!("pykata-redteam-token-{}", random_token(name, 5));

    // The host before the run: nothing left by an earlier run, the canaries in place.
    kill_marked(&marker);
    remove_prefixed(&temp, &prefix);
    std::fs::write(&canary_path, &canary_content).expect("write the canary");
    std::fs::set_permissions(&canary_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&hidden_path, &hidden_content).expect("write the hidden canary");
    let canary_before = std::fs::metadata(&canary_path).unwrap();
    let listeners = port.map(|port| Listeners::bind(port, &run_id));

    let mut failures = Vec::new();
    let placeholders = [
        ("@@TMP@@", temp.to_string_lossy().into_owned()),
        ("@@CASE@@", run_id.clone()),
        ("@@MARKER@@", marker.clone()),
        (
            "@@PORT@@",
            port.map(|port| port.to_string()).unwrap_or_default(),
        ),
        ("@@TOKEN@@", token.clone()),
    ];
    let stage = tempfile::Builder::new()
        .prefix("redteam-pykata-stage-")
        .tempdir()
        .expect("create a staging folder");
    let staged = stage_fixture(&hostile_dir().join(name), stage.path(), &placeholders);

    // The run.
    let mut args: Vec<String> = vec!["check".into(), "--engine".into(), engine.name().into()];
    if let Some(exercise) = &case.exercise {
        let module = staged
            .keys()
            .find(|path| path.extension().is_some_and(|ext| ext == "py"))
            .expect("an exercise case holds its module file");
        args.push(exercise.clone());
        args.push("--submission".into());
        args.push(module.to_string_lossy().into_owned());
    } else if case.folder {
        args.push(stage.path().to_string_lossy().into_owned());
    } else {
        for target in &case.targets {
            let path = stage
                .path()
                .join(target.path.as_deref().expect("validated"));
            args.push(path.to_string_lossy().into_owned());
        }
    }
    let timeout = case.timeout.unwrap_or(DEFAULT_TIMEOUT);
    args.extend(["--format", "json", "--seed", "7", "--timeout"].map(String::from));
    args.push(timeout.to_string());
    if let Some(jobs) = case.jobs {
        args.extend(["--jobs".to_string(), jobs.to_string()]);
    }
    if let Ok(extra) = std::env::var("PYKATA_REDTEAM_ARGS") {
        args.extend(extra.split_whitespace().map(String::from));
    }
    let started = Instant::now();
    let run = run_pykata(&args, &secret, &mut failures);
    let took = started.elapsed().as_secs_f64();
    let allowed = case.within.unwrap_or(timeout) + ANSWER_SLACK;
    if took > allowed {
        failures.push(format!(
            "pykata took {took:.2} s to answer, more than the case's limit plus {ANSWER_SLACK} s ({allowed} s)"
        ));
    }

    // The verdicts.
    let expectations = case.expectations();
    let output = format!("{}\n{}", run.stdout, run.stderr);
    if run.code != 1 {
        failures.push(format!(
            "pykata exited with {}, expected 1",
            run.code_text()
        ));
    }
    if run.stdout.contains("-0.0") {
        failures.push("pykata's JSON prints -0.0".into());
    }
    if output.contains("panicked") || output.contains("RUST_BACKTRACE") {
        failures.push("pykata panicked".into());
    }
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| match serde_json::from_str::<Json>(line) {
            Ok(json) => Some(json),
            Err(error) => {
                failures.push(format!(
                    "stdout holds a line that is not JSON ({error}): {}",
                    clip(line)
                ));
                None
            }
        })
        .collect();
    let isolation = isolation_level(&lines);
    if lines.len() != expectations.len() {
        failures.push(format!(
            "expected {} JSON line(s), got {}",
            expectations.len(),
            lines.len()
        ));
    }
    for (index, (expect, report)) in expectations.iter().zip(&lines).enumerate() {
        let label = expect
            .path
            .clone()
            .unwrap_or_else(|| format!("path {}", index + 1));
        check_report(&label, expect, report, &mut failures);
    }

    // The host after the run.
    let host_pid1 = host_pid1_program();
    let mut forbidden = vec![
        ("the secret of pykata's environment", secret.clone()),
        ("the canary's content", canary_content.clone()),
        ("the hidden canary's content", hidden_content.clone()),
        (
            "the hidden canary's name",
            hidden_path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        ),
        ("the other submission's token", token.clone()),
        ("an escape report of the submission", ESCAPED.to_string()),
    ];
    for extra in &case.forbid_output {
        let text = extra
            .replace("@@HOST_PID1@@", &host_pid1)
            .replace("@@REPO@@", &common::root().to_string_lossy());
        if !text.is_empty() {
            forbidden.push(("a forbidden string of the case", text));
        }
    }
    for (what, text) in &forbidden {
        if let Some(at) = output.find(text.as_str()) {
            failures.push(format!(
                "pykata's output shows {what}: ...{}...",
                around(&output, at, text.len())
            ));
        }
    }
    check_canary(&canary_path, &canary_content, &canary_before, &mut failures);
    match std::fs::read_to_string(&hidden_path) {
        Ok(content) if content == hidden_content => {}
        _ => failures.push(format!(
            "the hidden canary {} changed",
            hidden_path.display()
        )),
    }
    for leftover in prefixed(&temp, &prefix) {
        if leftover != canary_path {
            failures.push(format!(
                "a file outside the scratch folder was created: {}",
                leftover.display()
            ));
        }
    }
    check_staged(stage.path(), &staged, &mut failures);
    let stragglers = wait_for_marked(&marker);
    if !stragglers.is_empty() {
        failures.push(format!(
            "{} process(es) started by the submission outlived pykata: {}",
            stragglers.len(),
            stragglers
                .iter()
                .take(5)
                .map(|(pid, cmdline)| format!("{pid} `{cmdline}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        kill_marked(&marker);
    }
    if let Some(listeners) = listeners {
        failures.extend(listeners.contacts());
    }

    remove_prefixed(&temp, &prefix);
    let _ = std::fs::remove_file(&hidden_path);
    Outcome {
        failures,
        isolation,
    }
}

fn check_report(label: &str, expect: &Expect, report: &Json, failures: &mut Vec<String>) {
    let status = report["status"].as_str().unwrap_or("(missing)");
    let verdict = match &report["verdict"] {
        Json::Null => "none".to_string(),
        verdict => verdict["kind"]
            .as_str()
            .unwrap_or("(malformed)")
            .to_string(),
    };
    let score = report["score"].as_f64().unwrap_or(f64::NAN);
    let summary = format!(
        "status {status}, verdict {verdict}, score {score}/{}",
        report["max_score"]
    );
    if !expect.status.accepts(status) {
        failures.push(format!(
            "{label}: status {status}, expected {} ({summary}){}",
            expect.status.values().join(" or "),
            failing_tests(report)
        ));
    }
    if !expect.verdict.accepts(&verdict) {
        failures.push(format!(
            "{label}: verdict {verdict}, expected {} ({summary}){}",
            expect.verdict.values().join(" or "),
            error_text(report)
        ));
    }
    // A missing score (NaN) fails both bounds.
    if let Some(max) = expect.max_score
        && (score.is_nan() || score > max)
    {
        failures.push(format!(
            "{label}: score {score} is above the allowed {max} ({summary})"
        ));
    }
    if let Some(min) = expect.min_score
        && (score.is_nan() || score < min)
    {
        failures.push(format!(
                "{label}: score {score} is below {min}: the attack broke the grading of the rest ({summary}){}{}",
                failing_tests(report),
                error_text(report)
            ));
    }
    if let Some(out_of) = expect.out_of
        && report["max_score"].as_f64() != Some(out_of)
    {
        failures.push(format!(
            "{label}: max_score {}, expected {out_of} ({summary})",
            report["max_score"]
        ));
    }
    for (name, wanted) in &expect.tests {
        let (status, fragment) = wanted.split_once(": ").unwrap_or((wanted, ""));
        let found = report["tests"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|test| test["name"].as_str() == Some(name.as_str()));
        match found {
            None => failures.push(format!(
                "{label}: no test named {name}; tests: {}",
                test_statuses(report)
            )),
            Some(test) => {
                let message = test["message"].as_str().unwrap_or("");
                if test["status"].as_str() != Some(status) || !message.contains(fragment) {
                    failures.push(format!(
                        "{label}: test {name} is {} ({}), expected {wanted}",
                        test["status"],
                        clip(message)
                    ));
                }
            }
        }
    }
    if let Some(least) = expect.failed_at_least {
        let failed = report["tests"]
            .as_array()
            .map(|tests| {
                tests
                    .iter()
                    .filter(|test| matches!(test["status"].as_str(), Some("fail" | "error")))
                    .count()
            })
            .unwrap_or(0);
        if failed < least {
            failures.push(format!(
                "{label}: {failed} test(s) failed, expected at least {least}: the attack hid failures ({summary}); tests: {}",
                test_statuses(report)
            ));
        }
    }
}

fn failing_tests(report: &Json) -> String {
    let names: Vec<String> = report["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|test| test["status"] != "pass")
        .take(4)
        .map(|test| {
            format!(
                "{} [{}]: {}",
                clip(test["name"].as_str().unwrap_or("?")),
                test["status"].as_str().unwrap_or("?"),
                clip(test["message"].as_str().unwrap_or(""))
            )
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("; not passed: {}", names.join("; "))
    }
}

fn test_statuses(report: &Json) -> String {
    report["tests"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|test| {
            format!(
                "{}={}",
                test["name"].as_str().unwrap_or("?"),
                test["status"].as_str().unwrap_or("?")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn error_text(report: &Json) -> String {
    match &report["error"] {
        Json::Null => String::new(),
        error => format!(
            "; error {}: {}",
            error["kind"].as_str().unwrap_or("?"),
            clip(error["message"].as_str().unwrap_or(""))
        ),
    }
}

/// The weakest isolation level of the report lines; a line without one counts as none.
fn isolation_level(lines: &[Json]) -> String {
    let rank = |level: &str| match level {
        "full" => 2,
        "partial" => 1,
        _ => 0,
    };
    let levels: Vec<&str> = lines
        .iter()
        .map(|line| line["isolation"]["level"].as_str().unwrap_or("none"))
        .collect();
    levels
        .into_iter()
        .min_by_key(|level| rank(level))
        .unwrap_or("none")
        .to_string()
}

fn check_canary(
    path: &Path,
    content: &str,
    before: &std::fs::Metadata,
    failures: &mut Vec<String>,
) {
    let Ok(after) = std::fs::symlink_metadata(path) else {
        failures.push(format!("the canary {} was deleted", path.display()));
        return;
    };
    match std::fs::read_to_string(path) {
        Ok(text) if text == content => {}
        Ok(text) => failures.push(format!(
            "the canary {} was modified: {}",
            path.display(),
            clip(&text)
        )),
        Err(error) => failures.push(format!(
            "the canary {} is unreadable: {error}",
            path.display()
        )),
    }
    if after.mode() != before.mode() {
        failures.push(format!(
            "the canary's mode changed from {:o} to {:o}",
            before.mode(),
            after.mode()
        ));
    }
    if (after.uid(), after.gid()) != (before.uid(), before.gid()) {
        failures.push(format!(
            "the canary's owner changed from {}:{} to {}:{}",
            before.uid(),
            before.gid(),
            after.uid(),
            after.gid()
        ));
    }
    if after.ino() != before.ino() {
        failures.push("the canary was replaced by another file".into());
    }
}

// ------------------------------------------------------------------------- pykata itself

struct PykataRun {
    /// The exit code; -1 when a signal ended pykata.
    code: i32,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
}

impl PykataRun {
    fn code_text(&self) -> String {
        match self.signal {
            Some(signal) => format!("signal {signal} (pykata was killed)"),
            None => format!("code {}", self.code),
        }
    }
}

/// Runs pykata with `args` and the secret in its environment, killing it after
/// [`PYKATA_GUARD`].
fn run_pykata(args: &[String], secret: &str, failures: &mut Vec<String>) -> PykataRun {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("PYKATA_REDTEAM_SECRET", secret)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the pykata binary");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for pykata") {
            break status;
        }
        if started.elapsed() > PYKATA_GUARD {
            failures.push(format!(
                "pykata did not exit within {} s and was killed",
                PYKATA_GUARD.as_secs()
            ));
            let _ = child.kill();
            break child.wait().expect("wait for the killed pykata");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A process that escaped pykata may hold the pipes open: do not wait for it forever.
    let stdout = join_within(out, Duration::from_secs(3), "stdout", failures);
    let stderr = join_within(err, Duration::from_secs(3), "stderr", failures);
    PykataRun {
        code: status.code().unwrap_or(-1),
        signal: status.signal(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn join_within(
    reader: std::thread::JoinHandle<Vec<u8>>,
    limit: Duration,
    what: &str,
    failures: &mut Vec<String>,
) -> Vec<u8> {
    let started = Instant::now();
    while !reader.is_finished() {
        if started.elapsed() > limit {
            failures.push(format!(
                "pykata's {what} stayed open after it exited: a process it started still holds it"
            ));
            return Vec::new();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reader.join().unwrap_or_default()
}

// ------------------------------------------------------------------------- staging

/// Copies `from` into `to`, filling in the placeholders; returns every staged file with
/// its content.
fn stage_fixture(
    from: &Path,
    to: &Path,
    placeholders: &[(&str, String)],
) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut staged = BTreeMap::new();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let source = entry.path();
        let destination = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&destination).unwrap();
            staged.extend(stage_fixture(&source, &destination, placeholders));
        } else {
            let mut text = std::fs::read_to_string(&source)
                .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
            for (placeholder, value) in placeholders {
                text = text.replace(placeholder, value);
            }
            std::fs::write(&destination, &text).unwrap();
            staged.insert(destination, text.into_bytes());
        }
    }
    staged
}

fn check_staged(stage: &Path, staged: &BTreeMap<PathBuf, Vec<u8>>, failures: &mut Vec<String>) {
    for (path, content) in staged {
        match std::fs::read(path) {
            Ok(now) if &now == content => {}
            Ok(_) => failures.push(format!(
                "the submitted file {} was modified",
                path.display()
            )),
            Err(_) => failures.push(format!("the submitted file {} was removed", path.display())),
        }
    }
    let mut found = Vec::new();
    walk(stage, &mut found);
    for path in found {
        if !staged.contains_key(&path) {
            failures.push(format!(
                "a file appeared beside the submitted files: {}",
                path.display()
            ));
        }
    }
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            walk(&path, found);
        } else {
            found.push(path);
        }
    }
}

// ------------------------------------------------------------------------- the host

/// Entries of `dir` whose name starts with `prefix`.
fn prefixed(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(prefix))
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

fn remove_prefixed(dir: &Path, prefix: &str) {
    for path in prefixed(dir, prefix) {
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_dir());
        if is_dir {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Processes whose command line holds `marker`, with that command line.
fn marked_processes(marker: &str) -> Vec<(i32, String)> {
    let own = std::process::id() as i32;
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if pid == own {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(marker) {
            found.push((pid, cmdline.trim().to_string()));
        }
    }
    found
}

fn wait_for_marked(marker: &str) -> Vec<(i32, String)> {
    let started = Instant::now();
    loop {
        let found = marked_processes(marker);
        if found.is_empty() || started.elapsed() > STRAGGLER_WAIT {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills the processes a case's submission started and left behind (found by its marker).
fn kill_marked(marker: &str) {
    for (pid, _) in marked_processes(marker) {
        // SAFETY: kill has no memory effects; the pid was read from /proc just now.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// The program of the host's PID 1 (what a submission must not be able to name).
fn host_pid1_program() -> String {
    std::fs::read("/proc/1/cmdline")
        .ok()
        .and_then(|cmdline| {
            cmdline
                .split(|byte| *byte == 0)
                .next()
                .map(|program| String::from_utf8_lossy(program).into_owned())
        })
        .unwrap_or_default()
}

/// TCP and UDP listeners on 127.0.0.1 and ::1 and the abstract Unix socket
/// `redteam-pykata-CASE`, held during a case's run; afterwards, whatever reached them.
struct Listeners {
    tcp: Vec<std::net::TcpListener>,
    udp: Vec<std::net::UdpSocket>,
    unix: Option<std::os::unix::net::UnixListener>,
}

impl Listeners {
    fn bind(port: u16, name: &str) -> Listeners {
        use std::os::linux::net::SocketAddrExt;
        let mut tcp = Vec::new();
        let mut udp = Vec::new();
        for (host, required) in [("127.0.0.1", true), ("::1", false)] {
            let address = if host.contains(':') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            };
            match std::net::TcpListener::bind(&address) {
                Ok(listener) => {
                    listener.set_nonblocking(true).unwrap();
                    tcp.push(listener);
                }
                Err(error) if required => panic!("cannot listen on {address}: {error}"),
                Err(_) => {}
            }
            if let Ok(socket) = std::net::UdpSocket::bind(&address) {
                socket.set_nonblocking(true).unwrap();
                udp.push(socket);
            }
        }
        let abstract_name = format!("redteam-pykata-{name}");
        let unix = std::os::unix::net::SocketAddr::from_abstract_name(abstract_name.as_bytes())
            .and_then(|address| std::os::unix::net::UnixListener::bind_addr(&address))
            .ok();
        if let Some(listener) = &unix {
            listener.set_nonblocking(true).unwrap();
        }
        Listeners { tcp, udp, unix }
    }

    /// What reached the listeners, as failure messages.
    fn contacts(&self) -> Vec<String> {
        let mut contacts = Vec::new();
        for listener in &self.tcp {
            if let Ok((_, peer)) = listener.accept() {
                contacts.push(format!(
                    "a TCP connection from {peer} reached the test's listener on {}",
                    listener.local_addr().unwrap()
                ));
            }
        }
        for socket in &self.udp {
            let mut buffer = [0u8; 256];
            if let Ok((_, peer)) = socket.recv_from(&mut buffer) {
                contacts.push(format!(
                    "a UDP datagram from {peer} reached the test's socket on {}",
                    socket.local_addr().unwrap()
                ));
            }
        }
        if let Some(listener) = &self.unix
            && listener.accept().is_ok()
        {
            contacts.push("a connection reached the test's abstract Unix socket".into());
        }
        contacts
    }
}

// ------------------------------------------------------------------------- small helpers

/// A random-looking token, different on every call and run.
fn random_token(name: &str, salt: u64) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write(name.as_bytes());
    hasher.write_u64(salt);
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default(),
    );
    format!("{:016x}", hasher.finish())
}

/// The text around `output[at..at + len]`, on one line.
fn around(output: &str, at: usize, len: usize) -> String {
    let mut start = at.saturating_sub(120);
    while !output.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 120).min(output.len());
    while !output.is_char_boundary(end) {
        end += 1;
    }
    output[start..end].replace('\n', "\\n")
}

fn clip(text: &str) -> String {
    const LIMIT: usize = 300;
    if text.len() <= LIMIT {
        return text.to_string();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}
