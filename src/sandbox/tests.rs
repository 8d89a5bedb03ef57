//! Tests of the sandbox that run real processes: Python inside each isolation mode, hostile
//! programs (fork and memory bombs, CPU loops, daemons, SIGTERM-proof children), the kill.
//!
//! Python is `$PYKATA_TEST_PYTHON`, else the first of a pyenv 3.11 and /usr/bin/python3 that
//! this user can execute; without one the Python tests pass vacuously with a message.

use std::ffi::OsString;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

fn python() -> Option<PathBuf> {
    let candidates = std::env::var_os("PYKATA_TEST_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/root/.pyenv/versions/3.11.7/bin/python3",
                "/usr/bin/python3",
            ]
            .map(PathBuf::from),
        );
    for c in candidates {
        if std::process::Command::new(&c)
            .args(["-c", "pass"])
            .status()
            .is_ok_and(|s| s.success())
        {
            return Some(c);
        }
    }
    eprintln!("no python found: skipping");
    None
}

/// The installation prefix of `python` (what must be visible read-only).
fn prefix(python: &Path) -> PathBuf {
    let real = python.canonicalize().unwrap();
    real.parent().unwrap().parent().unwrap().to_path_buf()
}

struct Run {
    stdout: String,
    stderr: String,
    channel: String,
    exit: ChildExit,
    isolation: IsolationReport,
    elapsed: Duration,
}

fn pipe() -> (std::fs::File, OwnedFd) {
    let (r, w) = sys::pipe().unwrap();
    // SAFETY: fresh fds owned by nobody else.
    unsafe { (std::fs::File::from_raw_fd(r), OwnedFd::from_raw_fd(w)) }
}

fn collect(mut r: std::fs::File) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = r.read_to_string(&mut s);
        s
    })
}

/// Something a test does with the running child before waiting for it.
type During = Box<dyn FnOnce(&SandboxedChild)>;

/// A test scenario: Python code plus the knobs the tests turn.
struct Case {
    code: String,
    limits: Limits,
    request: IsolationRequest,
    overrides: Overrides,
    env: Vec<(OsString, OsString)>,
    scratch_files: Vec<(&'static str, Vec<u8>)>,
    /// Called with the running child before wait() (from the test thread).
    during: Option<During>,
}

impl Case {
    fn new(code: &str) -> Case {
        Case {
            code: code.to_string(),
            limits: Limits::default(),
            request: IsolationRequest::BestEffort,
            overrides: Overrides::default(),
            env: vec![
                ("LC_ALL".into(), "C.UTF-8".into()),
                ("PATH".into(), "/usr/bin:/bin".into()),
            ],
            scratch_files: vec![("submission.py", b"ANSWER = 42\n".to_vec())],
            during: None,
        }
    }

    fn run(self) -> Option<Run> {
        let py = python()?;
        let scratch = TempDir::new("pykata-test").unwrap();
        for (name, contents) in &self.scratch_files {
            std::fs::write(scratch.path().join(name), contents).unwrap();
        }
        let plan = SandboxPlan {
            scratch_dir: scratch.path().to_path_buf(),
            read_only: vec![prefix(&py)],
            limits: self.limits,
            request: self.request,
        };
        let (out_r, out_w) = pipe();
        let (err_r, err_w) = pipe();
        let (chan_r, chan_w) = pipe();
        let main = ChildMain::Exec {
            program: py.clone(),
            args: vec!["-I".into(), "-c".into(), self.code.into()],
            env: self.env,
        };
        let start = Instant::now();
        let child = spawn_with(
            &plan,
            ChildFds {
                stdout: out_w,
                stderr: err_w,
                channel: chan_w,
            },
            main,
            &self.overrides,
        )
        .expect("spawn");
        let (out, err, chan) = (collect(out_r), collect(err_r), collect(chan_r));
        if let Some(during) = self.during {
            during(&child);
        }
        let exit = child.wait().expect("wait");
        let elapsed = start.elapsed();
        let run = Run {
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
            channel: chan.join().unwrap(),
            exit,
            isolation: child.isolation.clone(),
            elapsed,
        };
        eprintln!(
            "stdout: {}\nstderr: {}\nexit: {:?}",
            run.stdout, run.stderr, run.exit
        );
        Some(run)
    }
}

fn assert_ok(run: &Run) {
    assert_eq!(
        run.exit.status,
        ExitStatusKind::Exited(0),
        "stderr: {}",
        run.stderr
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
        7000 + std::process::id() % 1000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

const NO_USERNS: Overrides = Overrides {
    no_user_namespace: true,
    no_namespaces: false,
    no_landlock: false,
    no_seccomp: false,
};
const NO_NS: Overrides = Overrides {
    no_user_namespace: true,
    no_namespaces: true,
    no_landlock: false,
    no_seccomp: false,
};

#[test]
fn python_runs_prints_and_uses_the_channel() {
    let Some(run) = Case::new(
        "import os, sys\nprint('hello from', sys.version_info[:2])\nos.write(3, b'channel ok')\nsys.path.insert(0, '.')\nimport submission\nprint(submission.ANSWER)\nprint(os.getcwd())",
    )
    .run() else { return };
    assert_ok(&run);
    assert!(run.stdout.starts_with("hello from (3,"), "{}", run.stdout);
    assert!(run.stdout.contains("42\n"));
    assert!(
        run.stdout.contains("/pykata-test."),
        "cwd is the scratch folder at its host path: {}",
        run.stdout
    );
    assert_eq!(run.channel, "channel ok");
    eprintln!("{:#?}", run.isolation);
}

#[test]
fn the_isolation_is_full_on_a_machine_that_has_everything() {
    if probe().level != IsolationLevel::Full {
        eprintln!("this machine does not give full isolation: skipping");
        return;
    }
    let Some(run) = Case {
        request: IsolationRequest::Full,
        ..Case::new("pass")
    }
    .run() else {
        return;
    };
    assert_ok(&run);
    // This machine (user namespaces, Landlock, seccomp) gives everything.
    if landlock::abi().is_ok() {
        assert_eq!(
            run.isolation.level,
            IsolationLevel::Full,
            "{:#?}",
            run.isolation
        );
        assert!(run.isolation.missing.is_empty());
    }
}

#[test]
fn the_environment_is_exactly_what_was_passed() {
    let mut case = Case::new("import os, json\nprint(json.dumps(sorted(os.environ.items())))");
    case.env.push(("PYKATA_SECRET_TEST".into(), "x y".into()));
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    assert_eq!(
        run.stdout.trim(),
        r#"[["LC_ALL", "C.UTF-8"], ["PATH", "/usr/bin:/bin"], ["PYKATA_SECRET_TEST", "x y"]]"#
    );
}

const FS_PROBE: &str = r#"
import os, sys
secret = sys.argv[-1] if False else os.environ.get("SECRET")
def visible(p):
    try:
        os.stat(p)
        return True
    except OSError:
        return False
def readable(p):
    try:
        if os.path.isdir(p):
            os.listdir(p)
        else:
            open(p, 'rb').read(1)
        return True
    except OSError:
        return False
def writable(p):
    try:
        with open(p, 'w') as f:
            f.write('x')
        return True
    except OSError:
        return False
for p in ['/work/main', '/work', '/home', secret, '/root/.bashrc', '/etc/shadow', '/etc/hostname']:
    print('visible', p, visible(p) and readable(p))
for p in ['/evil', '/usr/evil', '/etc/evil', '/tmp/ok', 'ok.txt', sys.prefix + '/evil']:
    print('writable', p, writable(p))
print('submission', open('submission.py').read().strip())
"#;

fn fs_case(overrides: Overrides) -> Option<(Run, PathBuf)> {
    let secret = PathBuf::from(format!("/root/pykata-secret-{}", unique_marker()));
    std::fs::write(&secret, "secret").ok()?;
    let mut case = Case::new(FS_PROBE);
    case.overrides = overrides;
    case.env.push(("SECRET".into(), secret.clone().into()));
    let run = case.run();
    let _ = std::fs::remove_file(&secret);
    Some((run?, secret))
}

#[test]
fn host_paths_are_invisible_and_the_root_is_read_only() {
    let Some((run, secret)) = fs_case(Overrides::default()) else {
        return;
    };
    assert_ok(&run);
    for p in [
        "/work/main",
        "/work",
        "/home",
        "/root/.bashrc",
        "/etc/shadow",
    ] {
        assert!(
            run.stdout.contains(&format!("visible {p} False")),
            "{p} must be invisible:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains(&format!("visible {} False", secret.display()))
    );
    assert!(run.stdout.contains("visible /etc/hostname True"));
    for p in ["/evil", "/usr/evil", "/etc/evil"] {
        assert!(
            run.stdout.contains(&format!("writable {p} False")),
            "{p}:\n{}",
            run.stdout
        );
    }
    if run
        .isolation
        .mechanisms
        .iter()
        .any(|m| m.starts_with("mount namespace"))
    {
        assert!(run.stdout.contains("writable /tmp/ok True"));
    }
    assert!(run.stdout.contains("writable ok.txt True"));
    assert!(run.stdout.contains("/evil False"));
    assert!(run.stdout.contains("submission ANSWER = 42"));
}

#[test]
fn without_a_user_namespace_root_still_isolates_as_uid_65534() {
    if unsafe { libc::geteuid() } != 0 || landlock::abi().is_err() {
        return;
    }
    let Some((run, secret)) = fs_case(NO_USERNS) else {
        return;
    };
    assert_ok(&run);
    assert!(run.stdout.contains("visible /work/main False"));
    assert!(
        run.stdout
            .contains(&format!("visible {} False", secret.display()))
    );
    assert!(run.stdout.contains("writable ok.txt True"));
    assert!(run.stdout.contains("writable /usr/evil False"));
    assert!(
        run.isolation
            .mechanisms
            .iter()
            .any(|m| m.contains("uid 65534")),
        "{:#?}",
        run.isolation
    );
    assert_eq!(run.isolation.level, IsolationLevel::Full);
}

#[test]
fn without_namespaces_landlock_hides_the_host() {
    if landlock::abi().is_err() {
        return;
    }
    let Some((run, secret)) = fs_case(NO_NS) else {
        return;
    };
    assert_ok(&run);
    assert_eq!(run.isolation.level, IsolationLevel::Partial);
    assert!(
        run.stdout.contains("visible /work/main False"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("visible {} False", secret.display()))
    );
    assert!(run.stdout.contains("writable /usr/evil False"));
    assert!(run.stdout.contains("writable /evil False"));
    assert!(run.stdout.contains("writable ok.txt True"));
}

#[test]
fn the_scratch_folder_is_a_size_capped_copy() {
    let code = r#"
import os
open('small.txt', 'w').write('x' * 1000)
print('small ok')
try:
    with open('big.bin', 'wb') as f:
        for _ in range(64):
            f.write(b'\0' * (1 << 20))
    print('big written')
except OSError as e:
    print('big failed', e.errno)
"#;
    let mut case = Case::new(code);
    case.limits.scratch_bytes = 8 << 20;
    case.limits.file_size_bytes = 1 << 30;
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    assert!(run.stdout.contains("small ok"));
    assert!(
        run.stdout.contains(&format!("big failed {}", libc::ENOSPC)),
        "{}",
        run.stdout
    );
}

#[test]
fn the_file_size_limit_stops_a_large_write() {
    let code = "import signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\ntry:\n    open('f', 'wb').write(b'x' * 3000000)\nexcept OSError as e:\n    print('fsize', e.errno)";
    let mut case = Case::new(code);
    case.limits.file_size_bytes = 1 << 20;
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    assert_eq!(run.stdout.trim(), format!("fsize {}", libc::EFBIG));
}

#[test]
fn there_is_no_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let datagrams = std::net::UdpSocket::bind(("127.0.0.1", port)).ok();
    if let Some(socket) = &datagrams {
        socket.set_nonblocking(true).unwrap();
    }
    let code = format!(
        "import socket\ntry:\n    s = socket.socket()\n    s.settimeout(2)\n    s.connect(('127.0.0.1', {port}))\n    print('connected')\nexcept OSError as e:\n    print('refused', type(e).__name__)\ntry:\n    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n    u.sendto(b'x', ('127.0.0.1', {port}))\n    print('udp sent')\nexcept OSError as e:\n    print('udp refused', type(e).__name__)"
    );
    for overrides in [Overrides::default(), NO_NS] {
        if overrides.no_namespaces && landlock::abi().is_ok_and(|a| a < 4) {
            continue;
        }
        let no_namespaces = overrides.no_namespaces;
        let mut case = Case::new(&code);
        case.overrides = overrides;
        let Some(run) = case.run() else { return };
        assert_ok(&run);
        assert!(run.stdout.starts_with("refused"), "{}", run.stdout);
        if no_namespaces {
            assert!(run.stdout.contains("udp refused"), "{}", run.stdout);
        }
        // In a private network namespace a datagram may leave on its own loopback: it
        // must not reach the host's.
        assert!(
            listener.accept().is_err(),
            "nothing reached the host listener"
        );
        if let Some(socket) = &datagrams {
            assert!(
                socket.recv(&mut [0u8; 16]).is_err(),
                "no datagram reached the host"
            );
        }
    }
}

#[test]
fn a_private_loopback_serves_the_run_itself() {
    let code = "import socket, threading\nserver = socket.socket()\nserver.bind(('127.0.0.1', 0))\nserver.listen()\nport = server.getsockname()[1]\ndef serve():\n    conn, _ = server.accept()\n    conn.sendall(b'pong')\n    conn.close()\nthreading.Thread(target=serve).start()\nclient = socket.create_connection(('127.0.0.1', port), timeout=5)\nprint(client.recv(4).decode())";
    let case = Case::new(code);
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    if run.isolation.level == IsolationLevel::Full {
        assert_eq!(run.stdout.trim(), "pong");
    }
}

#[test]
fn a_fork_bomb_is_stopped_by_the_process_limit() {
    let code = r#"
import os, time
n = 0
try:
    while n < 1000:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        n += 1
except OSError as e:
    print('stopped', n, e.errno)
"#;
    for overrides in [Overrides::default(), NO_USERNS] {
        if overrides.no_user_namespace && unsafe { libc::geteuid() } != 0 {
            continue;
        }
        let mut case = Case::new(code);
        case.limits.processes = 20;
        case.overrides = overrides;
        let Some(run) = case.run() else { return };
        assert_ok(&run);
        let words: Vec<&str> = run.stdout.split_whitespace().collect();
        assert_eq!(words.first(), Some(&"stopped"), "{}", run.stdout);
        let n: u64 = words[1].parse().unwrap();
        assert!(n < 20, "forked {n} times");
        assert_eq!(words[2], libc::EAGAIN.to_string());
        assert!(
            run.elapsed < Duration::from_secs(10),
            "the sleeping children did not delay the end"
        );
    }
}

#[test]
fn a_memory_bomb_hits_the_address_space_limit() {
    let code = "try:\n    x = bytearray(2 * 1024**3)\n    print('allocated')\nexcept MemoryError:\n    print('memory error')";
    let mut case = Case::new(code);
    case.limits.memory_bytes = 256 << 20;
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    assert_eq!(run.stdout.trim(), "memory error");
}

#[test]
fn a_cpu_loop_is_killed_by_the_cpu_limit() {
    let mut case = Case::new("while True:\n    pass");
    case.limits.cpu_seconds = 1;
    let Some(run) = case.run() else { return };
    assert!(
        matches!(run.exit.status, ExitStatusKind::Signaled(s) if s == libc::SIGXCPU || s == libc::SIGKILL),
        "{:?}",
        run.exit
    );
    // rusage can read somewhat below the limit that fired (tick-sampled split on a busy VM).
    assert!(
        run.exit.cpu_time >= Duration::from_millis(500),
        "{:?}",
        run.exit
    );
    assert!(run.exit.max_rss_bytes > 1 << 20);
}

fn daemon_code(marker: &str) -> String {
    format!(
        r#"
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sleep', ['sleep', '{marker}'])
    os._exit(0)
time.sleep(1.5)
print('main done')
"#
    )
}

fn wait_for_process(marker: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if !processes_with(marker).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn a_double_forked_daemon_dies_with_the_run() {
    for overrides in [Overrides::default(), NO_NS] {
        let marker = unique_marker();
        let mut case = Case::new(&daemon_code(&marker));
        case.overrides = overrides;
        let m = marker.clone();
        case.during = Some(Box::new(move |_| {
            assert!(wait_for_process(&m), "the daemon started")
        }));
        let Some(run) = case.run() else { return };
        assert_ok(&run);
        assert_eq!(run.stdout.trim(), "main done");
        assert_eq!(
            processes_with(&marker),
            Vec::<u32>::new(),
            "the daemon is gone after wait()"
        );
    }
}

#[test]
fn kill_from_another_thread_ends_everything() {
    for overrides in [Overrides::default(), NO_NS] {
        let marker = unique_marker();
        let code = format!(
            "import os, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nfor _ in range(3):\n    if os.fork() == 0:\n        os.execv('/bin/sleep', ['sleep', '{marker}'])\nos.setsid()\ntime.sleep(1000)"
        );
        let mut case = Case::new(&code);
        case.overrides = overrides;
        let m = marker.clone();
        case.during = Some(Box::new(move |child| {
            assert!(wait_for_process(&m));
            let handle = child.kill_handle();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                handle.kill();
                handle.kill();
            });
        }));
        let Some(run) = case.run() else { return };
        assert_eq!(run.exit.status, ExitStatusKind::Signaled(libc::SIGKILL));
        assert!(run.elapsed < Duration::from_secs(10));
        assert_eq!(processes_with(&marker), Vec::<u32>::new());
    }
}

#[test]
fn kill_is_safe_while_wait_blocks_on_a_shared_reference() {
    let Some(py) = python() else { return };
    let scratch = TempDir::new("pykata-test").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![prefix(&py)],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: py,
        args: vec!["-c".into(), "import time; time.sleep(100)".into()],
        env: vec![],
    };
    let child = spawn(
        &plan,
        ChildFds {
            stdout: null(),
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap();
    let exit = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(200));
            child.kill();
        });
        child.wait().unwrap()
    });
    assert_eq!(exit.status, ExitStatusKind::Signaled(libc::SIGKILL));
    child.kill();
    assert_eq!(
        child.wait().unwrap(),
        exit,
        "wait() again returns the same result"
    );
}

#[test]
fn closing_every_fd_does_not_confuse_wait() {
    let Some(run) = Case::new("import os\nos.closerange(0, 4096)\nos._exit(3)").run() else {
        return;
    };
    assert_eq!(run.exit.status, ExitStatusKind::Exited(3));
}

#[test]
fn dangerous_system_calls_fail_with_eperm() {
    let code = r#"
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def call(name, *args):
    r = getattr(libc, name)(*args)
    return r, ctypes.get_errno()
print('ptrace', *call('ptrace', 0, 0, 0, 0))
print('mount', *call('mount', b'none', b'/tmp', b'tmpfs', 0, None))
print('unshare', *call('unshare', 0x10000000))
print('unshare_net', *call('unshare', 0x40000000))
print('uid', os.getuid())
"#;
    for overrides in [Overrides::default(), NO_NS] {
        let mut case = Case::new(code);
        case.overrides = overrides;
        let Some(run) = case.run() else { return };
        assert_ok(&run);
        for name in ["ptrace", "mount", "unshare", "unshare_net"] {
            assert!(
                run.stdout.contains(&format!("{name} -1 {}\n", libc::EPERM)),
                "{name}: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn a_missing_program_is_an_exec_error() {
    let scratch = TempDir::new("pykata-test").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: "/nonexistent/python".into(),
        args: vec![],
        env: vec![],
    };
    let err = spawn(
        &plan,
        ChildFds {
            stdout: null(),
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap_err();
    assert!(matches!(err, SandboxError::Exec { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/python"), "{err}");
}

#[test]
fn a_missing_read_only_path_is_named() {
    let scratch = TempDir::new("pykata-test").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec!["/nonexistent/harness".into()],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: "/usr/bin/true".into(),
        args: vec![],
        env: vec![],
    };
    let err = spawn(
        &plan,
        ChildFds {
            stdout: null(),
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap_err();
    assert!(err.to_string().contains("/nonexistent/harness"), "{err}");
}

#[test]
fn in_process_closures_run_inside_the_sandbox() {
    let scratch = TempDir::new("pykata-test").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let (out_r, out_w) = pipe();
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    // The test harness is multi-threaded: the closure only makes system calls.
    let main = ChildMain::InProcess(Box::new(|| unsafe {
        let uid = libc::getuid();
        let pid = libc::getpid();
        let mounted = libc::mount(
            c"none".as_ptr(),
            c"/tmp".as_ptr(),
            c"tmpfs".as_ptr(),
            0,
            std::ptr::null(),
        );
        let msg: &[u8] = if uid == 0 && pid == 2 && mounted == -1 {
            b"inside"
        } else {
            b"outside"
        };
        libc::write(1, msg.as_ptr().cast(), msg.len());
        7
    }));
    let child = spawn(
        &plan,
        ChildFds {
            stdout: out_w,
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap();
    let out = collect(out_r);
    assert_eq!(child.wait().unwrap().status, ExitStatusKind::Exited(7));
    assert_eq!(out.join().unwrap(), "inside");
}

#[test]
fn off_runs_without_isolation_but_still_kills_the_tree() {
    let marker = unique_marker();
    let mut case = Case::new(&daemon_code(&marker));
    case.request = IsolationRequest::Off;
    let Some(run) = case.run() else { return };
    assert_ok(&run);
    assert_eq!(run.isolation.level, IsolationLevel::None);
    assert_eq!(processes_with(&marker), Vec::<u32>::new());
}

#[test]
fn probe_reports_what_the_machine_gives() {
    let report = probe();
    eprintln!("{report:#?}");
    assert!(!report.mechanisms.is_empty(), "{report:#?}");
    if unsafe { libc::geteuid() } == 0 && landlock::abi().is_ok() {
        assert_eq!(report.level, IsolationLevel::Full, "{report:#?}");
    }
}

/// Wall time of `python -c pass` (and of `/usr/bin/true`, which isolates the fixed cost)
/// through each mode against a plain fork/exec, median of 30 interleaved runs.
/// `cargo test --release -- --ignored --nocapture overhead`.
#[test]
#[ignore = "a measurement, not a check"]
fn overhead_of_isolation() {
    let Some(py) = python() else { return };
    for (label, program, args) in [
        ("python -c pass", py.clone(), vec!["-c", "pass"]),
        ("/usr/bin/true", "/usr/bin/true".into(), vec![]),
    ] {
        eprintln!("{label}:");
        measure(&py, &program, &args);
    }
}

fn measure(py: &Path, program: &Path, args: &[&str]) {
    let scratch = TempDir::new("pykata-bench").unwrap();
    std::fs::write(scratch.path().join("submission.py"), "x = 1\n").unwrap();
    let plan = |request| SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![prefix(py)],
        limits: Limits::default(),
        request,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
    let sandboxed = |request, overrides: &Overrides| {
        let start = Instant::now();
        let main = ChildMain::Exec {
            program: program.to_path_buf(),
            args: argv.clone(),
            env: vec![],
        };
        let child = spawn_with(
            &plan(request),
            ChildFds {
                stdout: null(),
                stderr: null(),
                channel: null(),
            },
            main,
            overrides,
        )
        .unwrap();
        assert_eq!(child.wait().unwrap().status, ExitStatusKind::Exited(0));
        start.elapsed()
    };
    let plain = || {
        let start = Instant::now();
        let status = std::process::Command::new(program)
            .args(args)
            .env_clear()
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        start.elapsed()
    };
    type Variant<'a> = (&'a str, Box<dyn Fn() -> Duration + 'a>);
    let variants: Vec<Variant> = vec![
        ("plain fork/exec", Box::new(plain)),
        (
            "full (user namespace)",
            Box::new(|| sandboxed(IsolationRequest::Full, &Overrides::default())),
        ),
        (
            "namespaces, no user namespace",
            Box::new(|| sandboxed(IsolationRequest::BestEffort, &NO_USERNS)),
        ),
        (
            "no namespaces (landlock, seccomp)",
            Box::new(|| sandboxed(IsolationRequest::BestEffort, &NO_NS)),
        ),
        (
            "off",
            Box::new(|| sandboxed(IsolationRequest::Off, &Overrides::default())),
        ),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
    for _ in 0..3 {
        for (_, f) in &variants {
            f();
        }
    }
    for _ in 0..30 {
        for (i, (_, f)) in variants.iter().enumerate() {
            times[i].push(f());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let base = median(&mut times[0]);
    for (i, (name, _)) in variants.iter().enumerate() {
        let m = median(&mut times[i]);
        let (lo, hi) = (times[i][0], times[i][times[i].len() - 1]);
        eprintln!(
            "{name:36} median {:7.2} ms  (+{:6.2} ms)  min {:6.2} max {:6.2}",
            m.as_secs_f64() * 1e3,
            (m.as_secs_f64() - base.as_secs_f64()) * 1e3,
            lo.as_secs_f64() * 1e3,
            hi.as_secs_f64() * 1e3
        );
    }
}

#[test]
fn read_only_folders_are_visible_at_their_paths_even_through_symlinks_and_private_parents() {
    let Some(py) = python() else { return };
    let harness = TempDir::new("pykata-harness").unwrap();
    // mkdtemp makes 0700 folders; the sandbox (uid 65534 on the host) needs o+rx.
    std::fs::set_permissions(
        harness.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(
        harness.path().join("pykata_harness_probe.py"),
        "VALUE = 'harness'\n",
    )
    .unwrap();
    // A folder behind a mode-700 parent (like /root for the pyenv Python).
    let private = TempDir::new("pykata-private").unwrap();
    std::fs::set_permissions(
        private.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let cases = private.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::set_permissions(&cases, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(cases.join("cases_probe.py"), "CASES = 3\n").unwrap();
    // The interpreter and the scratch folder reached through symbolic links.
    let links = TempDir::new("pykata-links").unwrap();
    let py_link = links.path().join("python-prefix");
    std::os::unix::fs::symlink(prefix(&py), &py_link).unwrap();
    let scratch = TempDir::new("pykata-test").unwrap();
    let scratch_link = links.path().join("scratch");
    std::os::unix::fs::symlink(scratch.path(), &scratch_link).unwrap();
    let program = py_link.join("bin").join(py.file_name().unwrap());
    let plan = SandboxPlan {
        scratch_dir: scratch_link.clone(),
        read_only: vec![py_link.clone(), harness.path().into(), cases.clone()],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let code = format!(
        "import os, sys\nsys.path[:0] = [{h:?}, {c:?}]\nimport pykata_harness_probe, cases_probe\nprint(pykata_harness_probe.VALUE, cases_probe.CASES)\nprint(os.path.realpath({s:?}) == os.getcwd())\ntry:\n    open({h:?} + '/x', 'w')\nexcept OSError as e:\n    print('read-only', e.errno)",
        h = harness.path().to_str().unwrap(),
        c = cases.to_str().unwrap(),
        s = scratch_link.to_str().unwrap(),
    );
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let null = OwnedFd::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap(),
    );
    let main = ChildMain::Exec {
        program,
        args: vec!["-I".into(), "-c".into(), code.into()],
        env: vec![],
    };
    let child = spawn(
        &plan,
        ChildFds {
            stdout: out_w,
            stderr: err_w,
            channel: null,
        },
        main,
    )
    .unwrap();
    let (out, err) = (collect(out_r), collect(err_r));
    let exit = child.wait().unwrap();
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    assert_eq!(exit.status, ExitStatusKind::Exited(0), "{err}");
    assert_eq!(
        out,
        format!("harness 3\nTrue\nread-only {}\n", libc::EROFS),
        "{err}"
    );
}

#[test]
fn a_read_only_folder_the_sandbox_cannot_read_is_refused_with_a_reason() {
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    let scratch = TempDir::new("pykata-test").unwrap();
    let private = TempDir::new("pykata-private").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![private.path().into()],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: "/usr/bin/true".into(),
        args: vec![],
        env: vec![],
    };
    let err = spawn(
        &plan,
        ChildFds {
            stdout: null(),
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(private.path().to_str().unwrap()) && text.contains("0700"),
        "{text}"
    );
}

#[test]
fn the_init_reveals_nothing_of_the_grader() {
    let code = "import os\nprint(open('/proc/1/comm').read().strip(), open('/proc/1/cmdline', 'rb').read().strip(b'\\0'))\nfor f in ['environ', 'mem', 'maps']:\n    try:\n        open('/proc/1/' + f, 'rb').read(1)\n        print(f, 'readable')\n    except OSError as e:\n        print(f, e.errno)";
    let Some(run) = Case::new(code).run() else {
        return;
    };
    assert_ok(&run);
    assert_eq!(
        run.stdout,
        format!(
            "pykata-init b''\nenviron {0}\nmem {0}\nmaps {0}\n",
            libc::EACCES
        )
    );
}

#[test]
fn a_submission_larger_than_the_scratch_limit_is_refused() {
    let scratch = TempDir::new("pykata-test").unwrap();
    std::fs::write(scratch.path().join("huge.bin"), vec![1u8; 3 << 20]).unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![],
        limits: Limits {
            scratch_bytes: 1 << 20,
            ..Limits::default()
        },
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: "/usr/bin/true".into(),
        args: vec![],
        env: vec![],
    };
    let err = spawn(
        &plan,
        ChildFds {
            stdout: null(),
            stderr: null(),
            channel: null(),
        },
        main,
    )
    .unwrap_err();
    assert!(err.to_string().contains("scratch limit"), "{err}");
}

#[test]
fn try_wait_polls_without_blocking_and_agrees_with_wait() {
    let scratch = TempDir::new("pykata-test").unwrap();
    let plan = SandboxPlan {
        scratch_dir: scratch.path().into(),
        read_only: vec![],
        limits: Limits::default(),
        request: IsolationRequest::BestEffort,
    };
    let null = || {
        OwnedFd::from(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/null")
                .unwrap(),
        )
    };
    let main = ChildMain::Exec {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), "sleep 0.3; exit 5".into()],
        env: vec![],
    };
    let fds = ChildFds {
        stdout: null(),
        stderr: null(),
        channel: null(),
    };
    let child = spawn(&plan, fds, main).unwrap();
    assert_eq!(child.try_wait().unwrap(), None, "still running");
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the run did not end");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(exit.status, ExitStatusKind::Exited(5));
    assert_eq!(
        child.try_wait().unwrap(),
        Some(exit),
        "the same result again"
    );
    assert_eq!(child.wait().unwrap(), exit, "wait() agrees");
    child.kill(); // harmless once reaped
}

/// A file of a shown folder that `hide` names reads as empty inside the sandbox (the way a
/// `pykata` installed in `/usr/local/bin`, which embeds the catalogue, is hidden), while the
/// rest of the folder stays readable.
#[test]
fn a_hidden_file_inside_a_shown_folder_reads_as_empty() {
    let Some(file) = ["/usr/share/common-licenses/GPL-3", "/usr/share/dict/words"]
        .iter()
        .map(PathBuf::from)
        .chain(
            std::fs::read_dir("/usr/share/doc")
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|entry| entry.path().join("copyright")),
        )
        .find(|path| std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0))
    else {
        eprintln!("no file to hide under /usr/share: skipping");
        return;
    };
    hide(&file);
    let sibling = file.parent().unwrap();
    let code = format!(
        "import os\nprint(len(open({file:?}, 'rb').read()), len(os.listdir({sibling:?})) > 0)"
    );
    let Some(run) = Case::new(&code).run() else {
        return;
    };
    assert_ok(&run);
    if run
        .isolation
        .mechanisms
        .iter()
        .any(|m| m.starts_with("mount namespace"))
    {
        assert_eq!(run.stdout.trim(), "0 True", "{}", file.display());
    }
}
