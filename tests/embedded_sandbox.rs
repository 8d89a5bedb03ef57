//! The embedded engine's jobs run inside the sandbox: the real `pykata` binary hosts the
//! zygote (through the library's `Zygote`), each job's main process is a copy of it in new
//! namespaces, and kill, wait and the isolation report travel back to the grader.
//!
//! The zygote runs a tiny test harness whose `main(argv)` executes `argv[0]` as Python code
//! (with `ARGS = argv[1:]`) and exits with its `EXIT` variable, so each test says exactly
//! what the job does.
//!
//! `cargo test --release --test embedded_sandbox -- --ignored --nocapture latency` measures
//! the spawn-to-exit latency of a trivial job against the sandboxed subprocess engine, and
//! `... -- --ignored --nocapture encoding_speed` the channel encoding of lru_cache's
//! transcript in a job, the json path against the native encoder.

mod common;

use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pykata::engine::embedded::{EmbeddedChild, EmbeddedError, EmbeddedJob, Zygote, ZygoteOptions};
use pykata::engine::process::make_pipes;
use pykata::sandbox::{
    ChildExit, ChildMain, ExitStatusKind, IsolationLevel, IsolationReport, IsolationRequest,
    Limits, SandboxPlan,
};

const HARNESS_MAIN: &str = r#"
def main(argv):
    namespace = {"__name__": "__job__", "ARGS": list(argv[1:])}
    exec(compile(argv[0], "<job>", "exec"), namespace)
    return namespace.get("EXIT", 0)
"#;

/// A zygote running the test harness, and what its jobs must see read-only.
struct Fixture {
    zygote: Zygote,
    harness: tempfile::TempDir,
    /// The harness folder and the zygote's Python installation.
    read_only: Vec<PathBuf>,
}

/// A world-readable folder (the sandbox runs as uid 65534 on the host when we are root).
fn public_dir(prefix: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix(prefix).tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Writes the test harness into `dir`.
fn write_harness(dir: &Path) {
    let package = dir.join("pykata_harness");
    std::fs::create_dir(&package).unwrap();
    std::fs::set_permissions(&package, std::fs::Permissions::from_mode(0o755)).unwrap();
    for (path, text) in [
        (dir.join("pykata_run.py"), "# the zygote's sys.argv[0]\n"),
        (package.join("__init__.py"), ""),
        (package.join("main.py"), HARNESS_MAIN),
        // The real channel: the zygote hands it the native encoder.
        (
            package.join("channel.py"),
            include_str!("../harness/pykata_harness/channel.py"),
        ),
    ] {
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

fn fixture_with(env: Vec<(String, String)>) -> Fixture {
    fixture_built(env, true)
}

/// A fixture whose zygote builds each job's sandbox when the job comes (no warm ones).
fn cold_fixture() -> Fixture {
    fixture_built(
        vec![
            ("LANG".into(), "C.UTF-8".into()),
            ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
        ],
        false,
    )
}

fn fixture_built(env: Vec<(String, String)>, warm_sandboxes: bool) -> Fixture {
    let harness = public_dir("pykata-test-harness");
    write_harness(harness.path());
    let mut options = ZygoteOptions::new(harness.path());
    options.program = Some(env!("CARGO_BIN_EXE_pykata-zygote").into());
    options.env = env;
    options.warm_sandboxes = warm_sandboxes;
    let zygote = Zygote::with_options(options).unwrap();
    let info = zygote.info().unwrap();
    let mut read_only = vec![harness.path().to_path_buf()];
    for prefix in [&info.prefix, &info.base_prefix] {
        let prefix = PathBuf::from(prefix);
        if !read_only.contains(&prefix) && !prefix.starts_with("/usr") {
            read_only.push(prefix);
        }
    }
    Fixture {
        zygote,
        harness,
        read_only,
    }
}

fn fixture() -> Fixture {
    fixture_with(vec![
        ("LANG".into(), "C.UTF-8".into()),
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
    ])
}

/// What one job does and gets.
#[derive(Clone)]
struct Spec {
    code: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    limits: Limits,
    request: IsolationRequest,
    extra_read_only: Vec<PathBuf>,
    /// Files written into the job's scratch folder besides `submission.py`.
    scratch_files: Vec<(String, String)>,
}

impl Spec {
    fn new(code: &str) -> Spec {
        Spec {
            code: code.into(),
            args: Vec::new(),
            env: vec![
                ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
                ("LANG".into(), "C.UTF-8".into()),
            ],
            limits: Limits::default(),
            request: IsolationRequest::BestEffort,
            extra_read_only: Vec::new(),
            scratch_files: Vec::new(),
        }
    }
}

/// A started job: its child, output readers and scratch folder.
struct Started {
    child: EmbeddedChild,
    readers: [std::thread::JoinHandle<String>; 3],
    started: Instant,
    _scratch: tempfile::TempDir,
}

/// How a job ended.
#[derive(Debug)]
struct Outcome {
    exit: ChildExit,
    stdout: String,
    stderr: String,
    channel: String,
    isolation: IsolationReport,
    elapsed: Duration,
}

fn collect(fd: OwnedFd) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::fs::File::from(fd).read_to_string(&mut text);
        text
    })
}

impl Fixture {
    fn try_start(&self, spec: Spec) -> Result<Started, EmbeddedError> {
        let scratch = tempfile::Builder::new()
            .prefix("pykata-test-scratch")
            .tempdir()
            .unwrap();
        std::fs::write(scratch.path().join("submission.py"), "ANSWER = 42\n").unwrap();
        for (name, text) in &spec.scratch_files {
            std::fs::write(scratch.path().join(name), text).unwrap();
        }
        let mut read_only = self.read_only.clone();
        read_only.extend(spec.extra_read_only);
        let job = EmbeddedJob {
            argv: [spec.code].into_iter().chain(spec.args).collect(),
            cwd: scratch.path().to_path_buf(),
            env: spec.env,
            sandbox: SandboxPlan {
                scratch_dir: scratch.path().to_path_buf(),
                read_only,
                limits: spec.limits,
                request: spec.request,
            },
        };
        let (pipes, fds) = make_pipes().unwrap();
        let started = Instant::now();
        let child = self.zygote.spawn(job, fds)?;
        Ok(Started {
            child,
            readers: [
                collect(pipes.stdout),
                collect(pipes.stderr),
                collect(pipes.channel),
            ],
            started,
            _scratch: scratch,
        })
    }

    fn start(&self, spec: Spec) -> Started {
        self.try_start(spec).expect("the job starts")
    }

    fn run(&self, spec: Spec) -> Outcome {
        self.start(spec).finish()
    }
}

impl Started {
    fn finish(self) -> Outcome {
        let exit = self.child.wait().expect("wait");
        let elapsed = self.started.elapsed();
        let [stdout, stderr, channel] = self.readers.map(|r| r.join().unwrap());
        let outcome = Outcome {
            exit,
            stdout,
            stderr,
            channel,
            isolation: self.child.isolation().clone(),
            elapsed,
        };
        eprintln!("{outcome:#?}");
        outcome
    }
}

fn assert_ok(outcome: &Outcome) {
    assert_eq!(
        outcome.exit.status,
        ExitStatusKind::Exited(0),
        "{}",
        outcome.stderr
    );
}

/// Host pids whose command line contains `marker`.
fn processes_with(marker: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(marker) {
            found.push(pid);
        }
    }
    found
}

fn unique_marker() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}{:04}",
        6000 + std::process::id() % 1000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Waits up to `seconds` for `check` to hold.
fn eventually(seconds: u64, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

const NAMESPACE_PROBE: &str = r#"
import json, os, socket, sys
manifest, harness, port = ARGS
def visible(p):
    try:
        os.stat(p)
        return True
    except OSError:
        return False
def writable(p):
    try:
        with open(p, "w") as f:
            f.write("x")
        return True
    except OSError:
        return False
def fd_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False
try:
    socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
    tcp = "connected"
except OSError as e:
    tcp = type(e).__name__
sys.path.insert(0, ".")
import submission
print(json.dumps({
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "proc": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "proc_self": os.readlink("/proc/self"),
    "uid": os.getuid(),
    "cwd": os.getcwd(),
    "answer": submission.ANSWER,
    "visible": {p: visible(p) for p in ["/work/main", manifest, "/root/.bashrc", harness]},
    "writable": {p: writable(p) for p in [
        "/evil", "/usr/evil", "/etc/evil", sys.prefix + "/evil", harness + "/evil",
        "/tmp/ok", "ok.txt",
    ]},
    "tcp": tcp,
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "open_fds": [fd for fd in range(1024) if fd_open(fd)],
}))
"#;

#[test]
fn a_job_runs_in_new_namespaces() {
    if common::skip_without_full_isolation("a_job_runs_in_new_namespaces") {
        return;
    }
    // As root, a warm sandbox's main process has a sibling that only holds its memory
    // (pid 3) so that its exit does not wait for the memory's teardown.
    let root = unsafe { libc::geteuid() } == 0;
    let pids = if root { vec![1, 2, 3] } else { vec![1, 2] };
    runs_in_new_namespaces(&fixture(), &pids);
}

#[test]
fn a_job_runs_in_new_namespaces_without_warm_sandboxes() {
    if common::skip_without_full_isolation("a_job_runs_in_new_namespaces_without_warm_sandboxes") {
        return;
    }
    runs_in_new_namespaces(&cold_fixture(), &[1, 2]);
}

fn runs_in_new_namespaces(f: &Fixture, pids: &[u32]) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let mut spec = Spec::new(NAMESPACE_PROBE);
    spec.args = vec![
        env!("CARGO_MANIFEST_DIR").into(),
        f.harness.path().to_str().unwrap().into(),
        listener.local_addr().unwrap().port().to_string(),
    ];
    let outcome = f.run(spec);
    assert_ok(&outcome);
    let seen: serde_json::Value = serde_json::from_str(outcome.stdout.trim()).unwrap();
    // PID 2 of a new PID namespace, under the sandbox's init, alone with it.
    assert_eq!(seen["pid"], 2, "{seen}");
    assert_eq!(seen["ppid"], 1, "{seen}");
    assert_eq!(seen["proc"], serde_json::json!(pids), "{seen}");
    assert_eq!(seen["proc_self"], "2", "{seen}");
    assert_eq!(seen["answer"], 42);
    // Nothing of the zygote's descriptors (control socket, other jobs' sockets and pipes).
    assert_eq!(seen["open_fds"], serde_json::json!([0, 1, 2, 3]), "{seen}");
    // Host folders are invisible; the harness is visible (read-only).
    let visible = &seen["visible"];
    assert_eq!(visible["/work/main"], false, "{seen}");
    assert_eq!(visible[env!("CARGO_MANIFEST_DIR")], false, "{seen}");
    assert_eq!(visible["/root/.bashrc"], false, "{seen}");
    assert_eq!(visible[f.harness.path().to_str().unwrap()], true, "{seen}");
    // Writes succeed only in the scratch folder and the private /tmp.
    for (path, ok) in seen["writable"].as_object().unwrap() {
        let expected = path == "ok.txt" || path == "/tmp/ok";
        assert_eq!(ok.as_bool(), Some(expected), "writing {path}: {seen}");
    }
    assert!(
        !f.harness.path().join("evil").exists(),
        "nothing reached the host"
    );
    // No network: nothing reaches the host's listener, only a loopback interface exists.
    assert_ne!(seen["tcp"], "connected", "{seen}");
    assert!(
        listener.accept().is_err(),
        "nothing reached the host listener"
    );
    assert_eq!(seen["interfaces"], serde_json::json!(["lo"]), "{seen}");
    // The grader is told how isolated the job was, as the subprocess engine is.
    let probe = pykata::sandbox::probe();
    assert_eq!(outcome.isolation.level, probe.level, "{probe:#?}");
    assert!(
        outcome
            .isolation
            .mechanisms
            .iter()
            .any(|m| m.starts_with("pid namespace")),
        "{:#?}",
        outcome.isolation
    );
}

/// Every job of a shape runs in a sandbox built ahead of it (as root: the scratch path
/// inside is the warm sandbox's), and each sees its own scratch files, its own limits and
/// nothing of the jobs before it.
#[test]
fn each_job_gets_its_own_scratch_and_limits_in_a_warm_sandbox() {
    if common::skip_without_full_isolation(
        "each_job_gets_its_own_scratch_and_limits_in_a_warm_sandbox",
    ) {
        return;
    }
    let f = fixture();
    let code = r#"
import json, os, resource
left = sorted(os.listdir("."))
open("left-behind.txt", "w").write("x")
print(json.dumps({
    "token": open("token.txt").read(),
    "cwd": os.getcwd(),
    "files": left,
    "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
}))
"#;
    let root = unsafe { libc::geteuid() } == 0;
    for round in 0..5u64 {
        let mut spec = Spec::new(code);
        spec.scratch_files = vec![("token.txt".into(), format!("token-{round}"))];
        spec.limits.open_files = 40 + round;
        let outcome = f.run(spec);
        assert_ok(&outcome);
        let seen: serde_json::Value = serde_json::from_str(outcome.stdout.trim()).unwrap();
        assert_eq!(seen["token"], format!("token-{round}"), "{seen}");
        assert_eq!(seen["nofile"], 40 + round, "{seen}");
        assert_eq!(
            seen["files"],
            serde_json::json!(["submission.py", "token.txt"]),
            "nothing of the jobs before: {seen}"
        );
        let cwd = seen["cwd"].as_str().unwrap();
        assert_eq!(cwd.contains("warm-scratch"), root, "{seen}");
    }
}

#[test]
fn a_cold_sandbox_runs_in_the_jobs_own_scratch_folder() {
    if common::skip_without_full_isolation("a_cold_sandbox_runs_in_the_jobs_own_scratch_folder") {
        return;
    }
    let f = cold_fixture();
    let mut spec = Spec::new("import os\nprint(os.getcwd())\nprint(open('token.txt').read())");
    spec.scratch_files = vec![("token.txt".into(), "cold".into())];
    let outcome = f.run(spec);
    assert_ok(&outcome);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert!(lines[0].contains("pykata-test-scratch"), "{lines:?}");
    assert_eq!(lines[1], "cold");
}

#[test]
fn stdout_stderr_channel_and_exit_code_reach_the_grader() {
    if common::skip_without_full_isolation("stdout_stderr_channel_and_exit_code_reach_the_grader") {
        return;
    }
    let f = fixture();
    let outcome = f.run(Spec::new(
        "import os, sys\nprint('out')\nprint('err', file=sys.stderr)\nos.write(3, b'chan')\nEXIT = 3",
    ));
    assert_eq!(outcome.exit.status, ExitStatusKind::Exited(3));
    assert_eq!(outcome.stdout, "out\n");
    assert_eq!(outcome.stderr, "err\n");
    assert_eq!(outcome.channel, "chan");
    assert!(outcome.exit.max_rss_bytes > 1 << 20, "{:?}", outcome.exit);
}

#[test]
fn the_graders_environment_is_not_visible() {
    if common::skip_without_full_isolation("the_graders_environment_is_not_visible") {
        return;
    }
    let f = fixture_with(vec![
        ("LANG".into(), "C.UTF-8".into()),
        ("PYKATA_ZYGOTE_ONLY".into(), "zygote-secret".into()),
    ]);
    let mut spec = Spec::new(
        r#"
import json, os, posix
def read(p):
    try:
        with open(p, "rb") as f:
            return f.read().decode("latin-1")
    except OSError as e:
        return type(e).__name__
print(json.dumps({
    "environ": dict(os.environ),
    "posix": {k.decode(): v.decode() for k, v in posix.environ.items()},
    "files": {p: read(p) for p in [
        "/proc/self/environ", "/proc/self/cmdline", "/proc/1/environ", "/proc/1/cmdline",
    ]},
}))
"#,
    );
    // A warm sandbox sets up the environment of the latest job of its shape while it
    // waits: each job must still see exactly its own, whether it has the same environment
    // as the job before it or not.
    let first = vec![
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
        ("PYKATA_JOB".to_string(), "job value".to_string()),
    ];
    let second = vec![("PYKATA_OTHER".to_string(), "other value".to_string())];
    let mut seen = serde_json::Value::Null;
    for env in [&first, &first, &second, &first] {
        spec.env = env.clone();
        let outcome = f.run(spec.clone());
        assert_ok(&outcome);
        seen = serde_json::from_str(outcome.stdout.trim()).unwrap();
        let expected: serde_json::Map<String, serde_json::Value> = env
            .iter()
            .map(|(key, value)| (key.clone(), value.clone().into()))
            .collect();
        let expected = serde_json::Value::Object(expected);
        assert_eq!(seen["environ"], expected, "exactly the job's environment");
        assert_eq!(seen["posix"], expected, "posix.environ too");
    }
    // Neither the zygote's environment nor this (grader) process's appears anywhere.
    let text = seen["files"].to_string();
    for leak in [
        "zygote-secret",
        "PYKATA_ZYGOTE_ONLY",
        "CARGO",
        env!("CARGO_MANIFEST_DIR"),
        "__pykata-zygote",
    ] {
        assert!(!text.contains(leak), "{leak} leaks: {text}");
    }
}

#[test]
fn a_cpu_loop_ends_with_sigxcpu_at_the_cpu_limit() {
    if common::skip_without_full_isolation("a_cpu_loop_ends_with_sigxcpu_at_the_cpu_limit") {
        return;
    }
    let f = fixture();
    let mut spec = Spec::new("while True:\n    pass");
    spec.limits.cpu_seconds = 1;
    let outcome = f.run(spec);
    assert_eq!(
        outcome.exit.status,
        ExitStatusKind::Signaled(libc::SIGXCPU),
        "{outcome:?}"
    );
    // rusage can read somewhat below the limit that fired (tick-sampled on a busy VM).
    assert!(
        outcome.exit.cpu_time >= Duration::from_millis(500),
        "{outcome:?}"
    );
    assert!(
        outcome.exit.cpu_time < Duration::from_secs(2),
        "{outcome:?}"
    );
    assert!(outcome.elapsed < Duration::from_secs(10), "{outcome:?}");
}

#[test]
fn a_double_forked_daemon_dies_with_the_job() {
    if common::skip_without_full_isolation("a_double_forked_daemon_dies_with_the_job") {
        return;
    }
    let f = fixture();
    let marker = unique_marker();
    let code = format!(
        r#"
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", "{marker}"])
    os._exit(0)
time.sleep(1.5)
print("main done")
"#
    );
    let started = f.start(Spec::new(&code));
    assert!(
        eventually(3, || !processes_with(&marker).is_empty()),
        "the daemon started"
    );
    let outcome = started.finish();
    assert_ok(&outcome);
    assert_eq!(outcome.stdout.trim(), "main done");
    assert_eq!(
        processes_with(&marker),
        Vec::<u32>::new(),
        "the daemon is gone once wait() returns"
    );
}

#[test]
fn kill_ends_a_sleeping_job_and_its_children_that_ignore_sigterm() {
    if common::skip_without_full_isolation(
        "kill_ends_a_sleeping_job_and_its_children_that_ignore_sigterm",
    ) {
        return;
    }
    let f = fixture();
    let marker = unique_marker();
    let code = format!(
        r#"
import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for _ in range(3):
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", "{marker}"])
os.setsid()
time.sleep(1000)
"#
    );
    let started = f.start(Spec::new(&code));
    assert!(eventually(3, || processes_with(&marker).len() == 3));
    let killer = started.child.killer();
    let kill_thread = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        killer.kill();
        killer.kill();
    });
    // wait() blocks in this thread while the other one kills.
    let outcome = started.finish();
    kill_thread.join().unwrap();
    assert_eq!(outcome.exit.status, ExitStatusKind::Signaled(libc::SIGKILL));
    assert!(outcome.elapsed < Duration::from_secs(10), "{outcome:?}");
    assert_eq!(processes_with(&marker), Vec::<u32>::new());
}

#[test]
fn dropping_a_job_before_waiting_kills_it() {
    if common::skip_without_full_isolation("dropping_a_job_before_waiting_kills_it") {
        return;
    }
    let f = fixture();
    let marker = unique_marker();
    let code = format!("import os\nos.execv('/bin/sleep', ['sleep', '{marker}'])");
    let started = f.start(Spec::new(&code));
    assert!(eventually(3, || !processes_with(&marker).is_empty()));
    drop(started.child);
    assert!(
        eventually(5, || processes_with(&marker).is_empty()),
        "the job died with its handle"
    );
}

#[test]
fn two_jobs_run_in_parallel_from_two_threads() {
    if common::skip_without_full_isolation("two_jobs_run_in_parallel_from_two_threads") {
        return;
    }
    let f = fixture();
    f.zygote.info().unwrap();
    let code = "import os, time\ntime.sleep(1)\nprint(os.getpid(), ARGS[0])";
    let begin = Instant::now();
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let jobs: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let f = &f;
                s.spawn(move || {
                    let mut spec = Spec::new(code);
                    spec.args = vec![name.into()];
                    f.run(spec)
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    let elapsed = begin.elapsed();
    assert_eq!(outcomes[0].stdout, "2 a\n");
    assert_eq!(outcomes[1].stdout, "2 b\n");
    assert!(
        elapsed < Duration::from_millis(1900),
        "the jobs ran one after the other: {elapsed:?}"
    );
    // Starting sandboxes left the zygote single-threaded (it must stay safe to fork).
    let zygote = f.zygote.pid().unwrap();
    let threads = std::fs::read_dir(format!("/proc/{zygote}/task"))
        .unwrap()
        .count();
    assert_eq!(threads, 1);
}

#[test]
fn a_dead_zygote_takes_its_jobs_along_and_is_restarted() {
    if common::skip_without_full_isolation("a_dead_zygote_takes_its_jobs_along_and_is_restarted") {
        return;
    }
    let f = fixture();
    assert_ok(&f.run(Spec::new("pass")));
    let first = f.zygote.pid().unwrap();
    let marker = unique_marker();
    let code = format!("import os\nos.execv('/bin/sleep', ['sleep', '{marker}'])");
    let started = f.start(Spec::new(&code));
    assert!(eventually(3, || !processes_with(&marker).is_empty()));
    // SAFETY: the zygote is our child, not yet reaped (its handle lives in `f`).
    unsafe { libc::kill(first as libc::pid_t, libc::SIGKILL) };
    let err = started.child.wait().unwrap_err();
    assert!(err.to_string().contains("zygote died"), "{err}");
    assert!(
        eventually(5, || processes_with(&marker).is_empty()),
        "the job died with the zygote"
    );
    let outcome = f.run(Spec::new("import os\nprint(os.getpid())"));
    assert_ok(&outcome);
    assert_eq!(outcome.stdout, "2\n");
    assert_ne!(f.zygote.pid(), Some(first), "a new zygote");
}

#[test]
fn a_sandbox_that_cannot_be_built_is_refused_and_the_zygote_goes_on() {
    if common::skip_without_full_isolation(
        "a_sandbox_that_cannot_be_built_is_refused_and_the_zygote_goes_on",
    ) {
        return;
    }
    let f = fixture();
    let mut spec = Spec::new("pass");
    spec.extra_read_only = vec!["/nonexistent/pykata-missing".into()];
    match f.try_start(spec) {
        Err(EmbeddedError::Sandbox(message)) => {
            assert!(message.contains("/nonexistent/pykata-missing"), "{message}")
        }
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("a plan with a missing path was accepted"),
    }
    assert_ok(&f.run(Spec::new("pass")));
}

#[test]
fn isolation_off_still_runs_the_job() {
    if common::skip_without_full_isolation("isolation_off_still_runs_the_job") {
        return;
    }
    let f = fixture();
    let mut spec = Spec::new("print('ran')");
    spec.request = IsolationRequest::Off;
    let outcome = f.run(spec);
    assert_ok(&outcome);
    assert_eq!(outcome.stdout, "ran\n");
    assert_eq!(outcome.isolation.level, IsolationLevel::None);
}

/// Runs a corpus of messages through the native encoder the zygote hands to the harness's
/// channel and through the json path, in a job; prints what differed as JSON.
const ENCODER_CORPUS: &str = r#"
import enum, json, os, sys
from pykata_harness import channel as channel_module

MAX_DEPTH = 200  # encoder.rs: lists, tuples and dicts nested deeper go to the json path
native = channel_module._native_encoder
compact = channel_module._compact_encoder()
failures = []

def json_path(message):
    """What the channel sends without the native encoder: bytes, or the exception."""
    try:
        return (compact(message) + "\n").encode("utf-8", "surrogatepass")
    except Exception as exc:
        return type(exc)

def nested(depth, make):
    value = "leaf"
    for _ in range(depth):
        value = make(value)
    return value

CALLED = []  # what Python-level code ran

class Str(str):
    def __str__(self): CALLED.append("Str.__str__"); return "s"
    def __repr__(self): CALLED.append("Str.__repr__"); return "s"
class Int(int):
    def __repr__(self): CALLED.append("Int.__repr__"); return "7"
    def __index__(self): CALLED.append("Int.__index__"); return 7
class Float(float):
    def __repr__(self): CALLED.append("Float.__repr__"); return "7.0"
class List(list):
    def __iter__(self): CALLED.append("List.__iter__"); return iter([7])
    def __len__(self): CALLED.append("List.__len__"); return 1
class Dict(dict):
    def items(self): CALLED.append("Dict.items"); return [("k", 7)]
    def __iter__(self): CALLED.append("Dict.__iter__"); return iter(["k"])
class Tuple(tuple):
    def __iter__(self): CALLED.append("Tuple.__iter__"); return iter([7])
class Color(enum.IntEnum):
    RED = 1
class Loud:
    def __repr__(self): CALLED.append("Loud.__repr__"); return "loud"
    def __str__(self): CALLED.append("Loud.__str__"); return "loud"
    def __iter__(self): CALLED.append("Loud.__iter__"); return iter([])
    def __index__(self): CALLED.append("Loud.__index__"); return 0
    def __float__(self): CALLED.append("Loud.__float__"); return 0.0

controls = "".join(map(chr, range(32))) + "\x7f"
latin1 = "".join(map(chr, range(256)))
bmp = "".join(map(chr, range(0, 0x3000, 7))) + "".join(map(chr, range(0xD7F0, 0xE010)))
astral = "\U0001F600\U0001D11E\U0010FFFF\x00\x1f\"\\" + "\u20ac"
texts = [
    "", "plain", 'quote " back \\ slash / ', controls, latin1, bmp, astral,
    "\ud800", "\udfff", "a\ud83dz", "\ud83d\ude00", "\ude00\ud83d", "\xe9\n\u20ac\t\U0001F600\x01",
    "x" * 20000, "\xe9" * 5000 + "\n", (controls + latin1 + bmp + astral) * 20,
]
steps = [["get('a')", "call", ["int", "1"], 3], ["put('b', 12)", "call", ["none"], 0],
         ["get('zz')", "raised", {"type": "KeyError", "message": "'zz'", "traceback": [
             {"file": "lru_cache.py", "line": 3, "function": "get", "text": "raise KeyError(k)"}]}]]
accepted = [
    {"event": "start", "protocol": 1, "mode": "exercise", "python": "3.11.7"},
    {"event": "case", "name": "get refreshes recency", "points": 1, "hidden": False,
     "random": False, "steps": steps * 50, "error": None, "output": "hi\n"},
    {}, {"": ""}, {"a": []}, {"a": ()}, {"a": [[], {}, (), [[]], {"b": {}}]},
    {"keys": {controls: 1, latin1: 2, "\ud800": 3, "\U0001F600": 4, "": 5}},
    {"ints": [0, 1, -1, 9, 10, -10, 2**31, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64,
              -2**64, 10**100, -(10**3999), int("9" * 4300)]},
    {"floats": [0.0, -0.0, 1.0, -1.5, 0.1, 1/3, 1e16, 1e15, 123456789012345678.0, 1e-4,
                1e-5, 1e300, -1e300, 1e22, 5e-324, 1.7976931348623157e308, 2.0**53,
                float("nan"), -float("nan"), float("inf"), float("-inf")]},
    {"singletons": [True, False, None], "tuple": (1, ("a", (None,)), [()])},
    {"deep": nested(MAX_DEPTH - 1, lambda v: [v])},
    {"deep": nested(MAX_DEPTH - 1, lambda v: {"k": v})},
    {"deep": nested(MAX_DEPTH - 1, lambda v: (v,))},
    {"deep": nested((MAX_DEPTH - 1) // 2, lambda v: [1, {"a": v, "b": (2,)}, "z"])},
    *({"text": text} for text in texts),
    [1, "two", 3.0],  # not a dict: the channel sends dicts, but either way is the same
]
circular = []
circular.append(circular)
refused = [
    {"deep": nested(MAX_DEPTH, lambda v: [v])},
    {"deep": nested(MAX_DEPTH, lambda v: {"k": v})},
    {"deep": nested(MAX_DEPTH, lambda v: (v,))},
    {"deep": nested(5000, lambda v: [v])},
    {"deep": nested(200000, lambda v: [v])},
    {"circular": circular},
    {"s": Str("x")}, {"i": Int(5)}, {"f": Float(1.5)}, {"l": List([1])}, {"d": Dict(a=1)},
    {"t": Tuple((1,))}, Dict(event="x"), {"e": Color.RED}, {"b": [True, Int(1)]},
    {Str("k"): 1}, {1: "int key"}, {None: 1}, {1.5: 1}, {True: 1}, {("t",): 1},
    {"set": {1}}, {"bytes": b"x"}, {"obj": Loud()}, {"objs": [1, [Loud()]]},
    {"big": 10**5000}, {"big": [-(10**4300)]},
]

sent = []
channel = channel_module.Channel(os.open(os.devnull, os.O_WRONLY))
channel._write = lambda fd, view: sent.append(bytes(view)) or len(view)
json_calls = []
channel_dumps = channel._dumps
def counting_dumps(message):
    json_calls.append(1)
    return channel_dumps(message)
channel._dumps = counting_dumps
# Learner code replacing the module's encoder changes nothing for a channel made before.
channel_module.use_native_encoder(lambda message: b"tampered\n")
channel_module._native_encoder = lambda message: b"tampered\n"

def check(index, message, take):
    expected = json_path(message)
    del CALLED[:]
    direct = native(message)
    if CALLED:
        failures.append([index, "the native encoder ran Python code", list(CALLED)])
    if take and direct != expected:
        failures.append([index, "native", repr(direct)[:300], repr(expected)[:300]])
    if not take and direct is not None:
        failures.append([index, "not refused", repr(direct)[:300]])
    del sent[:], json_calls[:]
    try:
        channel.send(message)
        got = b"".join(sent)
    except Exception as exc:
        got = type(exc)
    if got != expected:
        failures.append([index, "channel", repr(got)[:300], repr(expected)[:300]])
    if bool(json_calls) == take:
        failures.append([index, "channel used the json path" if take else "no fallback"])
    return take and direct == expected

used = sum(check(i, m, True) for i, m in enumerate(accepted))
for i, m in enumerate(refused):
    check(1000 + i, m, False)
print(json.dumps({
    "failures": failures, "native_used": used, "accepted": len(accepted),
    "bound": channel._native is native, "name": getattr(native, "__name__", None),
}))
"#;

#[test]
fn the_native_encoder_sends_what_the_json_path_sends() {
    if common::skip_without_full_isolation("the_native_encoder_sends_what_the_json_path_sends") {
        return;
    }
    let f = fixture();
    let outcome = f.run(Spec::new(ENCODER_CORPUS));
    assert_ok(&outcome);
    let seen: serde_json::Value = serde_json::from_str(outcome.stdout.trim()).unwrap();
    assert_eq!(seen["failures"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["name"], "encode_line", "{seen}");
    assert_eq!(seen["bound"], true, "{seen}");
    assert_eq!(seen["native_used"], seen["accepted"], "{seen}");
}

/// Median and 95th percentile of `samples`.
fn summary(samples: &mut [Duration]) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {:>6.2} ms, p95 {:>6.2} ms, min {:>6.2} ms, max {:>6.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3
    )
}

/// Spawn-to-exit latency of a trivial job (`pass`), 100 interleaved runs after 10 warm-ups:
/// the sandboxed embedded engine against the sandboxed subprocess engine running
/// `python3 -I -c pass` (the same interpreter).
#[test]
#[ignore = "a measurement, not a check"]
fn latency() {
    let f = fixture();
    let python = PathBuf::from(f.zygote.info().unwrap().executable);
    let scratch = public_dir("pykata-bench-scratch");
    let plan = SandboxPlan {
        scratch_dir: scratch.path().to_path_buf(),
        read_only: f.read_only.clone(),
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let env = vec![("PATH".to_string(), "/usr/bin:/bin".to_string())];
    let (mut embedded, mut subprocess) = (Vec::new(), Vec::new());
    for i in 0..110 {
        let (pipes, fds) = make_pipes().unwrap();
        let job = EmbeddedJob {
            argv: vec!["pass".into()],
            cwd: scratch.path().to_path_buf(),
            env: env.clone(),
            sandbox: plan.clone(),
        };
        let start = Instant::now();
        let child = f.zygote.spawn(job, fds).unwrap();
        let exit = child.wait().unwrap();
        let took = start.elapsed();
        drop(pipes);
        assert_eq!(exit.status, ExitStatusKind::Exited(0));
        if i >= 10 {
            embedded.push(took);
        }

        let (pipes, fds) = make_pipes().unwrap();
        let main = ChildMain::Exec {
            program: python.clone(),
            args: vec!["-I".into(), "-c".into(), "pass".into()],
            env: vec![("PATH".into(), "/usr/bin:/bin".into())],
        };
        let start = Instant::now();
        let child = pykata::sandbox::spawn(&plan, fds, main).unwrap();
        let exit = child.wait().unwrap();
        let took = start.elapsed();
        drop(pipes);
        assert_eq!(exit.status, ExitStatusKind::Exited(0));
        if i >= 10 {
            subprocess.push(took);
        }
    }
    eprintln!("sandboxed embedded (zygote) : {}", summary(&mut embedded));
    eprintln!("sandboxed subprocess python : {}", summary(&mut subprocess));

    // The address space a job starts with counts against the memory limit (RLIMIT_AS).
    let code = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith(('VmSize', 'VmRSS'))])";
    let embedded = f.run(Spec::new(code));
    let (pipes, fds) = make_pipes().unwrap();
    let main = ChildMain::Exec {
        program: python.clone(),
        args: vec!["-I".into(), "-c".into(), code.into()],
        env: vec![],
    };
    let child = pykata::sandbox::spawn(&plan, fds, main).unwrap();
    let out = collect(pipes.stdout);
    child.wait().unwrap();
    eprintln!(
        "[VmSize, VmRSS] in kB at the job's start: embedded {}, subprocess {}",
        embedded.stdout.trim(),
        out.join().unwrap().trim()
    );
}

/// Encoding time of lru_cache's transcript in a job: the json path against the native
/// encoder, each message encoded from its decoded JSON. The transcript is made by running
/// the bundled reference solution with `python3 -I -B harness/pykata_run.py`.
#[test]
#[ignore = "a measurement, not a check"]
fn encoding_speed() {
    let f = fixture();
    let python = f.zygote.info().unwrap().executable;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = public_dir("pykata-bench-transcript");
    let exercise = root.join("exercises/data_structures/lru_cache");
    std::fs::copy(
        exercise.join("solution.py"),
        work.path().join("solution.py"),
    )
    .unwrap();
    let transcript = work.path().join("lru.jsonl");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" -I -B "$1" --channel-fd 3 exercise --cases "$2" --submission "$3" --module solution --seed 1 3>"$4""#)
        .arg(&python)
        .arg(root.join("harness/pykata_run.py"))
        .arg(exercise.join("cases.py"))
        .arg(work.path().join("solution.py"))
        .arg(&transcript)
        .current_dir(work.path())
        .status()
        .unwrap();
    assert!(status.success());
    let code = r#"
import json, time
from pykata_harness import channel as channel_module
lines = open("lru.jsonl", "rb").read().splitlines(keepends=True)
messages = [json.loads(line) for line in lines]
compact = channel_module._compact_encoder()
native = channel_module._native_encoder
def json_path():
    for m in messages:
        (compact(m) + "\n").encode("utf-8", "surrogatepass")
def native_path():
    for m in messages:
        native(m)
first = ARGS[0]
order = [json_path, native_path] if first == "json" else [native_path, json_path]
cold = {}
for run in order:  # the first pass in a fresh copy of the zygote, as a job's
    start = time.perf_counter()
    run()
    cold[run.__name__] = (time.perf_counter() - start) * 1e6
assert [native(m) for m in messages] == lines
warm = {"json_path": [], "native_path": []}
for _ in range(200):
    for run in order:
        start = time.perf_counter()
        run()
        warm[run.__name__].append((time.perf_counter() - start) * 1e6)
print(json.dumps({"lines": len(lines), "bytes": sum(map(len, lines)), "cold": cold,
    "warm_median": {k: sorted(v)[len(v) // 2] for k, v in warm.items()},
    "warm_min": {k: min(v) for k, v in warm.items()}}))
"#;
    for first in ["json", "native", "json", "native"] {
        let mut spec = Spec::new(code);
        spec.args = vec![first.into()];
        spec.scratch_files = vec![(
            "lru.jsonl".into(),
            std::fs::read_to_string(&transcript).unwrap(),
        )];
        let outcome = f.run(spec);
        assert_ok(&outcome);
        println!("{first} first: {}", outcome.stdout.trim());
    }
}
