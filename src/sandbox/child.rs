//! The code that runs after `clone`: the sandbox's init and, forked from it, the main process.
//!
//! The grader is multi-threaded, so between `clone` and `execve` this code makes raw system
//! calls only: it reads the [`Blueprint`] prepared by the parent, allocates nothing, takes no
//! lock, and reports problems as fixed-size [`Record`]s on a pipe (the parent turns them into
//! messages naming the step). The only exception is `ChildMain::InProcess`, whose closure runs
//! in a process forked from a single-threaded zygote and may do anything.

use std::ffi::c_int;
use std::os::fd::{AsRawFd, IntoRawFd};

use super::prepare::{Blueprint, MAX_SOURCES, Op, Rlimit, Source, make_scratch};
use super::{ChildMain, seccomp, sys};

/// A setup problem that ends the attempt.
pub(super) const FATAL: u32 = 1;
/// A setup problem that only weakens isolation (best effort).
pub(super) const NOTE: u32 = 2;
/// A warm sandbox is built and waits for its job (see [`super::WarmSandbox`]).
pub(super) const READY: u32 = 3;

/// The setup steps a [`Record`] can name.
pub(super) mod step {
    pub const ENTER_USERNS: u32 = 1;
    pub const MAKE_PRIVATE: u32 = 2;
    pub const SOURCE: u32 = 3;
    pub const ROOT: u32 = 4;
    pub const OP: u32 = 5;
    pub const ROOT_READ_ONLY: u32 = 6;
    pub const PIVOT: u32 = 7;
    pub const HOSTNAME: u32 = 8;
    pub const SUBREAPER: u32 = 9;
    pub const SIGNALS: u32 = 10;
    pub const FORK: u32 = 11;
    pub const STDIO: u32 = 12;
    pub const CHDIR: u32 = 13;
    pub const IDENTITY: u32 = 14;
    pub const CAPABILITIES: u32 = 15;
    pub const NO_NEW_PRIVS: u32 = 16;
    pub const LANDLOCK: u32 = 17;
    pub const SECCOMP: u32 = 18;
    pub const RLIMIT: u32 = 19;
    pub const EXEC: u32 = 20;
    pub const HANDOFF: u32 = 21;
    pub const ATTACH_SCRATCH: u32 = 22;
}

/// One setup record on the exec pipe: `kind` is [`FATAL`] or [`NOTE`].
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(super) struct Record {
    pub kind: u32,
    pub step: u32,
    pub index: u32,
    pub errno: i32,
}

/// The init's last word: the main process's raw wait status and resource usage.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(super) struct Report {
    pub magic: u32,
    pub status: i32,
    pub utime_us: u64,
    pub stime_us: u64,
    pub maxrss_kb: u64,
}

/// Marks a genuine [`Report`].
pub(super) const REPORT_MAGIC: u32 = 0x5059_4b41;

fn as_bytes<T: Copy>(v: &T) -> &[u8] {
    // SAFETY: T is a plain repr(C) struct of integers without padding.
    unsafe { std::slice::from_raw_parts((v as *const T).cast::<u8>(), std::mem::size_of::<T>()) }
}

fn record(fd: c_int, kind: u32, step: u32, index: usize, errno: i32) {
    let r = Record {
        kind,
        step,
        index: index.min(u32::MAX as usize) as u32,
        errno,
    };
    let _ = sys::write_all(fd, as_bytes(&r));
}

fn exit(code: c_int) -> ! {
    // SAFETY: _exit never returns and runs no destructors or atexit handlers.
    unsafe { libc::_exit(code) }
}

fn fatal(fd: c_int, step: u32, index: usize, errno: i32) -> ! {
    record(fd, FATAL, step, index, errno);
    exit(126)
}

/// A step that only weakens isolation: fatal when strict, a note otherwise.
fn weaken(bp: &Blueprint, fd: c_int, step: u32, index: usize, errno: i32) {
    if bp.strict {
        fatal(fd, step, index, errno);
    }
    record(fd, NOTE, step, index, errno);
}

/// The init: sets up the namespaces' root, forks the main process, reaps everything and
/// reports how the main process ended.
///
/// # Safety
/// Must run in the child of a raw `clone`; never returns.
pub(super) unsafe fn run_init(bp: &Blueprint, main: &ChildMain) -> ! {
    sys::close_all_except(&bp.keep);
    let mut go = [0u8; 1];
    if !matches!(sys::read(bp.sync_fd, &mut go), Ok(1)) {
        exit(1);
    }
    let fd = bp.exec_fd;
    scrub_command_line();
    if let Some(clear_groups) = bp.enter_userns
        && let Err(e) = sys::set_ids(0, 0, clear_groups)
    {
        fatal(fd, step::ENTER_USERNS, 0, e);
    }
    // SAFETY: umask and setsid are plain system calls.
    unsafe {
        libc::umask(0);
        libc::setsid();
    }
    // Nothing inside may read this process's memory or open its /proc files.
    let _ = sys::prctl(libc::PR_SET_DUMPABLE, 0, 0);
    if bp.mode.namespaced() {
        build_root(bp);
    } else if let Err(e) = sys::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0) {
        fatal(fd, step::SUBREAPER, 0, e);
    }
    let chld = sys::sigset(&[libc::SIGCHLD]);
    sys::sigmask(libc::SIG_BLOCK, &chld);
    let sfd = sys::signalfd(&chld).unwrap_or_else(|e| fatal(fd, step::SIGNALS, 0, e));
    // SAFETY: this process is single-threaded; the child runs run_main only.
    let pid = unsafe { sys::clone_fork(0) }.unwrap_or_else(|e| fatal(fd, step::FORK, 0, e));
    if pid == 0 {
        sys::close(sfd);
        run_main(bp, main);
    }
    for f in [bp.exec_fd, bp.stdout, bp.stderr, bp.channel, bp.handoff_fd] {
        sys::close(f);
    }
    supervise(bp, pid, sfd)
}

/// Zeroes this process's copy of the grader's argv and environment strings and renames it,
/// so that the sandboxed code reading /proc/1/cmdline learns nothing about the grader.
fn scrub_command_line() {
    let _ = sys::prctl(
        libc::PR_SET_NAME,
        c"pykata-init".as_ptr() as libc::c_ulong,
        0,
    );
    let Ok(fd) = sys::open(c"/proc/self/stat", libc::O_RDONLY, 0) else {
        return;
    };
    let mut buf = [0u8; 2048];
    let n = sys::read(fd, &mut buf).unwrap_or(0);
    sys::close(fd);
    let Some(close_paren) = buf[..n].iter().rposition(|&b| b == b')') else {
        return;
    };
    // Fields after the command name start at number 3; 48-51 are arg_start, arg_end,
    // env_start, env_end.
    let mut fields = [0usize; 52];
    for (i, field) in buf[close_paren + 1..n]
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|f| !f.is_empty())
        .enumerate()
    {
        let number = i + 3;
        if number >= fields.len() {
            break;
        }
        fields[number] = field.iter().fold(0usize, |acc, &d| {
            acc.wrapping_mul(10)
                .wrapping_add(d.wrapping_sub(b'0') as usize)
        });
    }
    // Written through /proc/self/mem: a range that is not mapped fails instead of faulting.
    let Ok(mem) = sys::open(c"/proc/self/mem", libc::O_WRONLY, 0) else {
        return;
    };
    let zeros = [0u8; 4096];
    for (start, end) in [(fields[48], fields[49]), (fields[50], fields[51])] {
        let mut at = start;
        while start != 0 && at < end && end - start < (1 << 24) {
            let len = (end - at).min(zeros.len());
            // SAFETY: pwrite from a valid buffer; the kernel checks the target range.
            if unsafe { libc::pwrite64(mem, zeros.as_ptr().cast(), len, at as i64) } <= 0 {
                break;
            }
            at += len;
        }
    }
    sys::close(mem);
}

/// Builds the new root on a tmpfs and pivots into it.
fn build_root(bp: &Blueprint) {
    let fd = bp.exec_fd;
    let private = libc::MS_REC | libc::MS_PRIVATE;
    if let Err(e) = sys::mount(None, c"/", None, private, None) {
        fatal(fd, step::MAKE_PRIVATE, 0, e);
    }
    // Sources first: the root tmpfs may hide the host paths they come from.
    let mut fds = [-1 as c_int; MAX_SOURCES];
    for (i, source) in bp.sources.iter().enumerate() {
        let made = match source {
            Source::Ready(owned) => Ok(owned.as_raw_fd()),
            Source::Bind { path, attrs } => sys::clone_tree(path, *attrs),
            Source::Scratch { src, options } => {
                make_scratch(src, options, None).map(IntoRawFd::into_raw_fd)
            }
        };
        fds[i] = made.unwrap_or_else(|e| fatal(fd, step::SOURCE, i, e));
    }
    let nosuid = libc::MS_NOSUID | libc::MS_NODEV;
    if let Err(e) = sys::mount(
        Some(c"tmpfs"),
        &bp.staging,
        Some(c"tmpfs"),
        nosuid,
        Some(&bp.root_options),
    )
    .and_then(|()| sys::chdir(&bp.staging))
    {
        fatal(fd, step::ROOT, 0, e);
    }
    for (i, op) in bp.ops.iter().enumerate() {
        let result = match op {
            Op::Mkdir { path, mode } => sys::mkdir(path, *mode),
            Op::Symlink { target, path } => sys::symlink(target, path),
            Op::File {
                path,
                contents,
                mode,
            } => sys::write_file(path, contents, *mode),
            Op::Attach { source, path } => sys::attach(fds[*source], path),
            Op::Tmpfs { path, options } => {
                sys::mount(Some(c"tmpfs"), path, Some(c"tmpfs"), nosuid, Some(options))
            }
            Op::Proc { path } => {
                let flags = nosuid | libc::MS_NOEXEC;
                match sys::mount(Some(c"proc"), path, Some(c"proc"), flags, None) {
                    Err(e) => {
                        weaken(bp, fd, step::OP, i, e);
                        Ok(())
                    }
                    ok => ok,
                }
            }
            Op::ReadOnly { path } => sys::mount(
                None,
                path,
                None,
                libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | nosuid,
                None,
            ),
        };
        if let Err(e) = result {
            fatal(fd, step::OP, i, e);
        }
    }
    let ro = libc::MS_REMOUNT | libc::MS_BIND | libc::MS_RDONLY | nosuid;
    if let Err(e) = sys::mount(None, c".", None, ro, None) {
        fatal(fd, step::ROOT_READ_ONLY, 0, e);
    }
    if let Err(e) = sys::pivot_to_cwd() {
        fatal(fd, step::PIVOT, 0, e);
    }
    let name = super::prepare::hostname();
    // SAFETY: valid buffer and length.
    if unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) } != 0 {
        fatal(fd, step::HOSTNAME, 0, sys::errno());
    }
    // The private network namespace's loopback, for tests that serve and call themselves
    // on 127.0.0.1: best effort (without it such tests fail as they did before).
    let _ = sys::loopback_up();
    for &f in &fds[..bp.sources.len()] {
        sys::close(f);
    }
}

/// Waits for the main process while reaping every other process; on a word (or hang-up)
/// from the grader on the sync socket, kills everything.
fn supervise(bp: &Blueprint, main_pid: libc::pid_t, sfd: c_int) -> ! {
    let mut ended: Option<(c_int, libc::rusage)> = None;
    loop {
        loop {
            let mut status = 0;
            // SAFETY: rusage is plain data.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            match sys::wait4(-1, &mut status, libc::WNOHANG, &mut usage) {
                Ok(0) | Err(_) => break,
                Ok(p) if p == main_pid => ended = Some((status, usage)),
                Ok(_) => {}
            }
        }
        if ended.is_some() {
            break;
        }
        let mut pfds = [
            libc::pollfd {
                fd: sfd,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: bp.sync_fd,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let _ = sys::poll(&mut pfds, -1);
        if pfds[1].revents != 0 {
            kill_everything(bp);
            exit(2);
        }
        let mut drain = [0u8; 256];
        while matches!(sys::read(sfd, &mut drain), Ok(n) if n > 0) {}
    }
    kill_everything(bp);
    let Some((status, usage)) = ended else {
        exit(3)
    };
    let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    let report = Report {
        magic: REPORT_MAGIC,
        status,
        utime_us: us(usage.ru_utime),
        stime_us: us(usage.ru_stime),
        maxrss_kb: usage.ru_maxrss as u64,
    };
    let _ = sys::write_all(bp.report_fd, as_bytes(&report));
    exit(0)
}

/// Kills every process of the run. With a PID namespace the kernel does it when the init
/// exits; without one, the init (a child subreaper) kills its descendants until none is left.
fn kill_everything(bp: &Blueprint) {
    if bp.mode.namespaced() {
        return;
    }
    loop {
        kill_children();
        let mut status = 0;
        // SAFETY: rusage is plain data.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if sys::wait4(-1, &mut status, 0, &mut usage).is_err() {
            return;
        }
    }
}

/// SIGKILLs every child listed in /proc/thread-self/children (orphans reparented to us).
fn kill_children() {
    let Ok(fd) = sys::open(c"/proc/thread-self/children", libc::O_RDONLY, 0) else {
        return;
    };
    let mut buf = [0u8; 4096];
    let n = sys::read(fd, &mut buf).unwrap_or(0);
    sys::close(fd);
    let mut pid: libc::pid_t = 0;
    for &b in &buf[..n] {
        if b.is_ascii_digit() {
            pid = pid * 10 + (b - b'0') as libc::pid_t;
        } else {
            if pid > 0 {
                sys::kill(pid, libc::SIGKILL);
            }
            pid = 0;
        }
    }
    if pid > 0 {
        sys::kill(pid, libc::SIGKILL);
    }
}

/// The main process: takes its descriptors, drops privileges, confines itself, then runs
/// the program or the closure.
fn run_main(bp: &Blueprint, main: &ChildMain) -> ! {
    let plan = &bp.main;
    sys::sigmask(libc::SIG_SETMASK, &sys::sigset(&[]));
    if let ChildMain::Warm(f) = main {
        run_warm_main(bp, f);
    }
    if plan.exec.is_some() {
        sys::reset_signal_dispositions();
    }
    // Move everything above the target numbers before placing 0-3 (they may overlap).
    let report = sys::dup_above(bp.exec_fd, 10).unwrap_or_else(|_| exit(126));
    confine(
        bp,
        report,
        [bp.stdout, bp.stderr, bp.channel],
        &plan.rlimits,
    );
    match (main, &plan.exec) {
        (ChildMain::Exec { .. }, Some(exec)) => {
            // SAFETY: null-terminated arrays of valid strings owned by the blueprint.
            let e = unsafe { sys::execve(&exec.program, exec.argv.as_ptr(), exec.envp.as_ptr()) };
            fatal(report, step::EXEC, 0, e);
        }
        (ChildMain::InProcess(f), _) => {
            sys::close(report);
            // SAFETY: this process has its own copy of the parent's memory; the parent keeps
            // (and frees) its own box, this process takes the copy and never returns.
            let f: Box<dyn FnOnce() -> i32> = unsafe { std::ptr::read(f) };
            let code = f();
            exit(code)
        }
        _ => exit(127),
    }
}

/// The main process of a warm sandbox: announces that it is ready, then hands over to the
/// closure, which waits for its job through [`JobHandoff::receive`].
fn run_warm_main(bp: &Blueprint, f: &super::WarmMain) -> ! {
    let report = sys::dup_above(bp.exec_fd, 10).unwrap_or_else(|_| exit(126));
    let handoff =
        sys::dup_above(bp.handoff_fd, 10).unwrap_or_else(|e| fatal(report, step::HANDOFF, 0, e));
    // Until the job's descriptors arrive, 0-2 are /dev/null: nothing opened meanwhile may
    // take their numbers.
    let null = sys::open(&bp.main.stdin, libc::O_RDWR, 0);
    let placed = null.and_then(|null| {
        for fd in 0..3 {
            sys::dup2(null, fd)?;
        }
        Ok(())
    });
    if let Err(e) = placed {
        fatal(report, step::STDIO, 0, e);
    }
    let mut keep = [0, 1, 2, report, handoff];
    keep.sort_unstable();
    sys::close_all_except(&keep);
    record(report, READY, 0, 0, 0);
    // SAFETY: as for InProcess in run_main: this process owns its copy of the box.
    let f: Box<dyn FnOnce(JobHandoff<'_>) -> i32> = unsafe { std::ptr::read(f) };
    let code = f(JobHandoff {
        bp,
        report,
        handoff,
    });
    exit(code)
}

/// What a warm sandbox's main process receives when its job arrives: the job's stdout,
/// stderr and channel, its scratch tmpfs, its rlimits and the caller's payload.
pub struct JobHandoff<'a> {
    bp: &'a Blueprint,
    report: c_int,
    handoff: c_int,
}

/// Largest job message a warm sandbox accepts.
const MAX_HANDOFF_BYTES: usize = 1 << 20;

impl JobHandoff<'_> {
    /// Waits for the job, mounts its scratch folder, takes its descriptors, then confines
    /// this process the way a cold sandbox's main process is confined, and returns the
    /// payload. Exits quietly when the sandbox is discarded before a job came.
    pub fn receive(self) -> Vec<u8> {
        let mut buf = vec![0u8; MAX_HANDOFF_BYTES];
        let mut fds = [-1; sys::MAX_PASSED_FDS];
        let (n, count) = match sys::recv_with_fds(self.handoff, &mut buf, &mut fds) {
            Ok((0, _)) => exit(0),
            Ok(got) => got,
            Err(e) => fatal(self.report, step::HANDOFF, 0, e),
        };
        sys::close(self.handoff);
        let Some((rlimits, payload_at)) = super::decode_handoff(&buf[..n]) else {
            fatal(self.report, step::HANDOFF, 1, libc::EINVAL)
        };
        if count != 4 {
            fatal(self.report, step::HANDOFF, 2, libc::EINVAL);
        }
        if let Err(e) = sys::attach(fds[3], &self.bp.main.cwd) {
            fatal(self.report, step::ATTACH_SCRATCH, 0, e);
        }
        sys::close(fds[3]);
        confine(self.bp, self.report, [fds[0], fds[1], fds[2]], &rlimits);
        sys::close(self.report);
        buf.truncate(n);
        buf.drain(..payload_at);
        buf
    }
}

/// Places stdin (/dev/null) and `stdio` (stdout, stderr, channel) on fds 0-3, closes every
/// other descriptor but `report`, enters the scratch folder, drops privileges and applies
/// Landlock, seccomp and `rlimits`.
fn confine(bp: &Blueprint, report: c_int, stdio: [c_int; 3], rlimits: &[Rlimit]) {
    let plan = &bp.main;
    let placed = (|| {
        let out = sys::dup_above(stdio[0], 10)?;
        let err = sys::dup_above(stdio[1], 10)?;
        let chan = sys::dup_above(stdio[2], 10)?;
        let null = sys::open(&plan.stdin, libc::O_RDWR, 0)?;
        sys::dup2(null, 0)?;
        sys::dup2(out, 1)?;
        sys::dup2(err, 2)?;
        sys::dup2(chan, 3)
    })();
    if let Err(e) = placed {
        fatal(report, step::STDIO, 0, e);
    }
    sys::close_all_except(&[0, 1, 2, 3, report]);
    // SAFETY: umask is a plain system call.
    unsafe { libc::umask(0o022) };
    if let Err(e) = sys::chdir(&plan.cwd) {
        fatal(report, step::CHDIR, 0, e);
    }
    if let Some((uid, gid)) = plan.identity
        && let Err(e) = sys::set_ids(uid, gid, true)
    {
        fatal(report, step::IDENTITY, 0, e);
    }
    if plan.drop_capabilities
        && let Err(e) = sys::drop_capabilities()
    {
        fatal(report, step::CAPABILITIES, 0, e);
    }
    if let Err(e) = sys::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0) {
        fatal(report, step::NO_NEW_PRIVS, 0, e);
    }
    if let Some(Err((i, e))) = plan.landlock.as_ref().map(|l| l.apply()) {
        weaken(bp, report, step::LANDLOCK, i, e);
    }
    if let Some(Err(e)) = plan.seccomp.as_ref().map(|p| seccomp::install(p)) {
        weaken(bp, report, step::SECCOMP, 0, e);
    }
    for (i, &(resource, soft, hard)) in rlimits.iter().enumerate() {
        if let Err(e) = sys::setrlimit(resource, soft, hard) {
            fatal(report, step::RLIMIT, i, e);
        }
    }
}
