//! Turning a [`SandboxPlan`] into a [`Blueprint`]: everything the child will do, computed and
//! allocated in the grader before `clone`, so the child only walks prepared lists.
//!
//! The new root is an ordered list of [`Op`]s on paths relative to the root tmpfs (system
//! folders and the listed paths bound read-only, the scratch tmpfs, /tmp, /dev, /proc, a
//! synthetic /etc). Bind sources are detached mount trees (`open_tree`): when the grader is
//! root it makes them itself, because the sandbox's init runs as uid 65534 on the host and
//! may not even reach paths such as /root/.pyenv; an unprivileged grader lets the init make
//! them, since the init then has the grader's own uid.

use std::collections::HashSet;
use std::ffi::{CString, OsStr, c_char, c_int};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::landlock::{self, fs};
use super::{ChildFds, ChildMain, SandboxError, SandboxPlan, copy, seccomp, sys};

/// The host uid and gid the sandboxed processes run as when the grader is root.
pub(super) const SANDBOX_ID: u32 = 65534;

/// At most this many mount sources (system folders, listed paths, devices, scratch).
pub(super) const MAX_SOURCES: usize = 64;

/// How much isolation one attempt sets up, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// User, PID, mount, network, IPC, UTS and cgroup namespaces; uid 0 inside is
    /// unprivileged outside.
    UserNamespace,
    /// The same namespaces without a user namespace (grader is root); main drops to 65534.
    RootNamespaces,
    /// No namespaces: a subreaper init, Landlock, seccomp and rlimits on the host's view.
    Confined,
    /// Isolation turned off: the subreaper init and the rlimits only.
    Off,
}

impl Mode {
    /// Whether the child gets its own PID and mount namespaces.
    pub fn namespaced(self) -> bool {
        matches!(self, Mode::UserNamespace | Mode::RootNamespaces)
    }

    /// The clone flags of the init.
    pub fn clone_flags(self) -> c_int {
        let ns = libc::CLONE_NEWPID
            | libc::CLONE_NEWNS
            | libc::CLONE_NEWNET
            | libc::CLONE_NEWIPC
            | libc::CLONE_NEWUTS
            | libc::CLONE_NEWCGROUP;
        match self {
            Mode::UserNamespace => ns | libc::CLONE_NEWUSER,
            Mode::RootNamespaces => ns,
            Mode::Confined | Mode::Off => 0,
        }
    }
}

/// A mount source: a detached tree the init attaches somewhere in the new root.
pub(super) enum Source {
    /// Made by the grader.
    Ready(OwnedFd),
    /// The init clones this host path, with these MOUNT_ATTR_* flags.
    Bind { path: CString, attrs: u64 },
    /// The init creates a tmpfs with these options and copies this host folder into it.
    Scratch {
        src: CString,
        options: Vec<(CString, CString)>,
    },
}

/// One step of building the new root, on a path relative to it.
pub(super) enum Op {
    Mkdir {
        path: CString,
        mode: u32,
    },
    Symlink {
        target: CString,
        path: CString,
    },
    File {
        path: CString,
        contents: Vec<u8>,
        mode: u32,
    },
    Attach {
        source: usize,
        path: CString,
    },
    Tmpfs {
        path: CString,
        options: CString,
    },
    Proc {
        path: CString,
    },
    ReadOnly {
        path: CString,
    },
}

/// A resource limit: (resource, soft, hard).
pub(super) type Rlimit = (c_int, u64, u64);

/// What the main process does before it runs the untrusted code.
pub(super) struct MainPlan {
    pub cwd: CString,
    pub stdin: CString,
    /// setresuid/setresgid to these (root without a user namespace).
    pub identity: Option<(u32, u32)>,
    pub drop_capabilities: bool,
    pub landlock: Option<landlock::Plan>,
    pub seccomp: Option<Vec<libc::sock_filter>>,
    pub rlimits: Vec<Rlimit>,
    pub exec: Option<ExecPlan>,
}

/// `execve` arguments as null-terminated pointer arrays into owned strings.
pub(super) struct ExecPlan {
    pub program: CString,
    pub argv: Vec<*const c_char>,
    pub envp: Vec<*const c_char>,
    _strings: Vec<CString>,
}

/// Everything the child reads, built before `clone`.
pub(super) struct Blueprint {
    pub mode: Mode,
    /// Setup steps that merely weaken isolation (Landlock, seccomp, /proc) are fatal.
    pub strict: bool,
    /// Descriptors the init keeps, sorted.
    pub keep: Vec<c_int>,
    pub sync_fd: c_int,
    pub exec_fd: c_int,
    pub report_fd: c_int,
    /// A warm sandbox's end of the socket its job arrives on; -1 otherwise.
    pub handoff_fd: c_int,
    pub stdout: c_int,
    pub stderr: c_int,
    pub channel: c_int,
    /// Inside a new user namespace: become uid/gid 0 there (and drop groups if allowed).
    pub enter_userns: Option<bool>,
    pub sources: Vec<Source>,
    pub staging: CString,
    pub root_options: CString,
    pub ops: Vec<Op>,
    pub main: MainPlan,
    /// For error messages, parallel to `sources` and `ops`.
    pub source_names: Vec<String>,
    pub op_names: Vec<String>,
}

/// The plan's paths, checked and resolved (symbolic links followed).
pub(super) struct Resolved {
    pub scratch: PathBuf,
    pub scratch_mode: u32,
    /// (canonical path, is a folder)
    pub read_only: Vec<(PathBuf, bool)>,
    /// (path as given, canonical path) for listed paths reached through a symbolic link.
    pub aliases: Vec<(PathBuf, PathBuf)>,
}

/// Checks the plan's paths and resolves symbolic links.
pub(super) fn resolve(plan: &SandboxPlan) -> Result<Resolved, SandboxError> {
    let canonical = |p: &Path, what: &'static str| {
        if !p.is_absolute() {
            return Err(SandboxError::InvalidPlan(format!(
                "{what} {} is not an absolute path",
                p.display()
            )));
        }
        p.canonicalize().map_err(|source| SandboxError::Path {
            what,
            path: p.to_path_buf(),
            source,
        })
    };
    let scratch = canonical(&plan.scratch_dir, "scratch folder")?;
    let meta = std::fs::metadata(&scratch).map_err(|source| SandboxError::Path {
        what: "scratch folder",
        path: scratch.clone(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(SandboxError::InvalidPlan(format!(
            "scratch folder {} is not a folder",
            scratch.display()
        )));
    }
    let mut read_only = Vec::new();
    let mut aliases = Vec::new();
    if plan.scratch_dir != scratch {
        aliases.push((plan.scratch_dir.clone(), scratch.clone()));
    }
    for p in &plan.read_only {
        let c = canonical(p, "read-only path")?;
        if c == Path::new("/") {
            return Err(SandboxError::InvalidPlan(
                "the read-only paths may not include /".into(),
            ));
        }
        let meta = std::fs::metadata(&c).map_err(|source| SandboxError::Path {
            what: "read-only path",
            path: c.clone(),
            source,
        })?;
        let is_dir = meta.is_dir();
        // A root grader's sandbox runs as uid 65534 on the host: it reads what "other" may.
        let needed = if is_dir { 0o005 } else { 0o004 };
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } == 0 && meta.permissions().mode() & needed != needed {
            return Err(SandboxError::InvalidPlan(format!(
                "read-only path {} is mode {:04o}: the sandbox runs as an unprivileged user and \
                 could not read it; make it world-readable (0755 for a folder, 0644 for a file)",
                c.display(),
                meta.permissions().mode() & 0o7777
            )));
        }
        if *p != c {
            aliases.push((p.clone(), c.clone()));
        }
        if !read_only.iter().any(|(q, _)| *q == c) {
            read_only.push((c, is_dir));
        }
    }
    Ok(Resolved {
        scratch,
        scratch_mode: meta.permissions().mode() & 0o7777,
        read_only,
        aliases,
    })
}

pub(super) fn cstring(p: impl AsRef<OsStr>) -> Result<CString, SandboxError> {
    CString::new(p.as_ref().as_bytes())
        .map_err(|_| SandboxError::InvalidPlan(format!("{:?} contains a NUL byte", p.as_ref())))
}

/// The path relative to the new root ("usr/lib" for "/usr/lib").
fn relative(p: &Path) -> Result<CString, SandboxError> {
    cstring(p.strip_prefix("/").unwrap_or(p))
}

/// System folders every Python needs, bound read-only (or recreated as the same symlink).
const SYSTEM_DIRS: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
];
/// Files of /etc that are bound read-only when present (the rest of /etc is not visible).
const ETC_FILES: &[&str] = &["/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf"];
/// Device nodes bound from the host.
const DEVICES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
];
const PASSWD: &str =
    "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const GROUP: &str = "root:x:0:\nnogroup:x:65534:\n";
const HOSTS: &str = "127.0.0.1 localhost\n::1 localhost\n";
const HOSTNAME: &str = "pykata";
const HOSTNAME_FILE: &str = "pykata\n";

/// What to put at one path of the new root.
enum Node {
    Bind {
        host: PathBuf,
        dir: bool,
        attrs: u64,
    },
    Link(PathBuf),
    Tmpfs(String),
    Proc,
    Scratch,
    Synthetic(&'static str),
    /// A host file inside a bound folder that must not be seen: `/dev/null` mounted over it.
    Mask,
}

const RO: u64 = sys::MOUNT_ATTR_RDONLY | sys::MOUNT_ATTR_NOSUID | sys::MOUNT_ATTR_NODEV;
const DEV: u64 = sys::MOUNT_ATTR_NOSUID | sys::MOUNT_ATTR_NOEXEC;

/// A host folder (or file) bound read-only at the same path, or the same symbolic link when
/// it is one (as /lib -> usr/lib on merged-/usr systems); nothing when it does not exist.
fn mirror(path: &str, dir: bool) -> Option<(PathBuf, Node)> {
    let path = PathBuf::from(path);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(&path).ok()?;
        return Some((path, Node::Link(target)));
    }
    (meta.is_dir() == dir).then(|| {
        let host = path.clone();
        (
            path,
            Node::Bind {
                host,
                dir,
                attrs: RO,
            },
        )
    })
}

/// The nodes of the new root, before ordering.
fn root_nodes(resolved: &Resolved, scratch_bytes: u64) -> Vec<(PathBuf, Node)> {
    let mut nodes: Vec<(PathBuf, Node)> = Vec::new();
    for dir in SYSTEM_DIRS {
        nodes.extend(mirror(dir, true));
    }
    nodes.push(("/etc/passwd".into(), Node::Synthetic(PASSWD)));
    nodes.push(("/etc/group".into(), Node::Synthetic(GROUP)));
    nodes.push(("/etc/hosts".into(), Node::Synthetic(HOSTS)));
    nodes.push(("/etc/hostname".into(), Node::Synthetic(HOSTNAME_FILE)));
    for file in ETC_FILES {
        nodes.extend(mirror(file, false));
    }
    let small = format!("size={},mode=1777", scratch_bytes.clamp(64 * 1024, 1 << 40));
    nodes.push(("/tmp".into(), Node::Tmpfs(small.clone())));
    nodes.push(("/dev".into(), Node::Tmpfs("size=64k,mode=0755".into())));
    for dev in DEVICES {
        if Path::new(dev).exists() {
            nodes.push((
                dev.into(),
                Node::Bind {
                    host: dev.into(),
                    dir: false,
                    attrs: DEV,
                },
            ));
        }
    }
    nodes.push(("/dev/shm".into(), Node::Tmpfs(small)));
    nodes.push(("/dev/fd".into(), Node::Link("/proc/self/fd".into())));
    for (i, name) in ["stdin", "stdout", "stderr"].iter().enumerate() {
        nodes.push((
            format!("/dev/{name}").into(),
            Node::Link(format!("/proc/self/fd/{i}").into()),
        ));
    }
    nodes.push(("/proc".into(), Node::Proc));
    for (path, dir) in &resolved.read_only {
        let covered = nodes
            .iter()
            .any(|(q, n)| matches!(n, Node::Bind { dir: true, .. }) && path.starts_with(q));
        if !covered {
            nodes.push((
                path.clone(),
                Node::Bind {
                    host: path.clone(),
                    dir: *dir,
                    attrs: RO,
                },
            ));
        }
    }
    nodes.push((resolved.scratch.clone(), Node::Scratch));
    for (given, canonical) in &resolved.aliases {
        let taken = nodes.iter().any(|(q, n)| {
            q == given || (matches!(n, Node::Bind { dir: true, .. }) && given.starts_with(q))
        });
        if !taken {
            nodes.push((given.clone(), Node::Link(canonical.clone())));
        }
    }
    for file in super::hidden_files() {
        let covered = nodes
            .iter()
            .any(|(q, n)| matches!(n, Node::Bind { dir: true, .. }) && file.starts_with(q));
        if covered {
            nodes.push((file, Node::Mask));
        }
    }
    // Parents before children; on equal depth, keep insertion order (system entries first).
    nodes.sort_by_key(|(p, _)| p.components().count());
    let mut seen = HashSet::new();
    nodes.retain(|(p, _)| seen.insert(p.clone()));
    nodes
}

/// Options of the scratch tmpfs.
pub(super) fn scratch_options(
    scratch_mode: u32,
    bytes: u64,
    owner: Option<(u32, u32)>,
) -> Vec<(CString, CString)> {
    let c = |s: String| CString::new(s).expect("no NUL in a number");
    let mut options = vec![
        (c("size".into()), c(bytes.max(4096).to_string())),
        (c("mode".into()), c(format!("{:o}", scratch_mode | 0o700))),
    ];
    if let Some((uid, gid)) = owner {
        options.push((c("uid".into()), c(uid.to_string())));
        options.push((c("gid".into()), c(gid.to_string())));
    }
    options
}

/// The mount sources and build steps of the new root, with names for error messages.
#[derive(Default)]
struct Root {
    sources: Vec<Source>,
    source_names: Vec<String>,
    ops: Vec<Op>,
    op_names: Vec<String>,
}

impl Root {
    fn op(&mut self, op: Op, name: String) {
        self.ops.push(op);
        self.op_names.push(name);
    }

    fn source(&mut self, source: Source, name: String) -> usize {
        self.sources.push(source);
        self.source_names.push(name);
        self.sources.len() - 1
    }
}

/// The sources and ops of the new root. When `parent_prepares`, the sources are made now.
fn build_root(
    resolved: &Resolved,
    scratch_bytes: u64,
    parent_prepares: bool,
) -> Result<Root, PrepareError> {
    let mut root = Root::default();
    let mut made: HashSet<PathBuf> = HashSet::new();
    made.insert("/".into());
    let mut seal = Vec::new();
    for (path, node) in root_nodes(resolved, scratch_bytes) {
        let rel = relative(&path)?;
        let ancestors: Vec<PathBuf> = path.ancestors().skip(1).map(Path::to_path_buf).collect();
        for anc in ancestors.into_iter().rev() {
            if made.insert(anc.clone()) {
                let op = Op::Mkdir {
                    path: relative(&anc)?,
                    mode: 0o755,
                };
                root.op(op, format!("create folder {}", anc.display()));
            }
        }
        made.insert(path.clone());
        let shown = path.display();
        match node {
            Node::Bind { host, dir, attrs } => {
                let name = format!("bind {}", host.display());
                let source = if parent_prepares {
                    let fd = sys::clone_tree(&cstring(&host)?, attrs)
                        .map_err(|e| PrepareError::Sys(name.clone(), e))?;
                    // SAFETY: a fresh fd owned by nobody else.
                    Source::Ready(unsafe { OwnedFd::from_raw_fd(fd) })
                } else {
                    Source::Bind {
                        path: cstring(&host)?,
                        attrs,
                    }
                };
                let index = root.source(source, name);
                let point = if dir {
                    Op::Mkdir {
                        path: rel.clone(),
                        mode: 0o755,
                    }
                } else {
                    Op::File {
                        path: rel.clone(),
                        contents: Vec::new(),
                        mode: 0o644,
                    }
                };
                root.op(point, format!("create mount point {shown}"));
                let attach = Op::Attach {
                    source: index,
                    path: rel,
                };
                root.op(
                    attach,
                    format!("mount {} read-only at {shown}", host.display()),
                );
            }
            Node::Mask => {
                // Over the existing file, inside a read-only bind: no mount point to make.
                let attrs = sys::MOUNT_ATTR_RDONLY | DEV;
                let name = format!("bind /dev/null over {shown}");
                let source = if parent_prepares {
                    let fd = sys::clone_tree(c"/dev/null", attrs)
                        .map_err(|e| PrepareError::Sys(name.clone(), e))?;
                    // SAFETY: a fresh fd owned by nobody else.
                    Source::Ready(unsafe { OwnedFd::from_raw_fd(fd) })
                } else {
                    Source::Bind {
                        path: c"/dev/null".to_owned(),
                        attrs,
                    }
                };
                let index = root.source(source, name);
                root.op(
                    Op::Attach {
                        source: index,
                        path: rel,
                    },
                    format!("hide {shown}"),
                );
            }
            Node::Link(target) => {
                let name = format!("create symbolic link {shown} -> {}", target.display());
                root.op(
                    Op::Symlink {
                        target: cstring(&target)?,
                        path: rel,
                    },
                    name,
                );
            }
            Node::Tmpfs(options) => {
                let mkdir = Op::Mkdir {
                    path: rel.clone(),
                    mode: 0o755,
                };
                root.op(mkdir, format!("create folder {shown}"));
                let options = CString::new(options).expect("no NUL in tmpfs options");
                root.op(
                    Op::Tmpfs {
                        path: rel.clone(),
                        options,
                    },
                    format!("mount tmpfs at {shown}"),
                );
                if path == Path::new("/dev") {
                    seal.push((rel, path.clone()));
                }
            }
            Node::Proc => {
                root.op(
                    Op::Mkdir {
                        path: rel.clone(),
                        mode: 0o555,
                    },
                    format!("create folder {shown}"),
                );
                root.op(Op::Proc { path: rel }, format!("mount proc at {shown}"));
            }
            Node::Synthetic(contents) => {
                let file = Op::File {
                    path: rel,
                    contents: contents.as_bytes().to_vec(),
                    mode: 0o644,
                };
                root.op(file, format!("write {shown}"));
            }
            Node::Scratch => {
                let name = format!("copy {shown} into a tmpfs of {scratch_bytes} bytes");
                let src = cstring(&resolved.scratch)?;
                let source = if parent_prepares {
                    let owner = Some((SANDBOX_ID, SANDBOX_ID));
                    let options = scratch_options(resolved.scratch_mode, scratch_bytes, owner);
                    match make_scratch(&src, &options, owner) {
                        Ok(fd) => Source::Ready(fd),
                        Err(e) => {
                            return Err(scratch_error(&resolved.scratch, scratch_bytes, name, e));
                        }
                    }
                } else {
                    Source::Scratch {
                        src,
                        options: scratch_options(resolved.scratch_mode, scratch_bytes, None),
                    }
                };
                let index = root.source(source, name);
                root.op(
                    Op::Mkdir {
                        path: rel.clone(),
                        mode: 0o755,
                    },
                    format!("create folder {shown}"),
                );
                root.op(
                    Op::Attach {
                        source: index,
                        path: rel,
                    },
                    format!("mount the scratch tmpfs at {shown}"),
                );
            }
        }
    }
    for (rel, path) in seal {
        root.op(
            Op::ReadOnly { path: rel },
            format!("make {} read-only", path.display()),
        );
    }
    if root.sources.len() > MAX_SOURCES {
        return Err(PrepareError::Plan(SandboxError::InvalidPlan(format!(
            "more than {MAX_SOURCES} paths to mount"
        ))));
    }
    Ok(root)
}

/// A failed scratch copy: a folder larger than the cap is the plan's fault, anything else
/// the mode's.
pub(super) fn scratch_error(scratch: &Path, bytes: u64, step: String, errno: i32) -> PrepareError {
    if errno == libc::ENOSPC || errno == libc::EDQUOT {
        PrepareError::Plan(SandboxError::InvalidPlan(format!(
            "scratch folder {} holds more than the {bytes}-byte scratch limit",
            scratch.display()
        )))
    } else {
        PrepareError::Sys(step, errno)
    }
}

/// A detached tmpfs with `options` holding a copy of folder `src`. Async-signal-safe.
pub(super) fn make_scratch(
    src: &std::ffi::CStr,
    options: &[(CString, CString)],
    owner: Option<(u32, u32)>,
) -> sys::SysResult<OwnedFd> {
    let mnt = sys::new_tmpfs(options, sys::MOUNT_ATTR_NOSUID | sys::MOUNT_ATTR_NODEV)?;
    // SAFETY: a fresh fd owned by nobody else.
    let mnt = unsafe { OwnedFd::from_raw_fd(mnt) };
    let from = sys::open(src, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let result = copy::copy_tree(from, mnt.as_raw_fd(), owner);
    sys::close(from);
    result.map(|()| mnt)
}

/// Why a blueprint could not be made.
pub(super) enum PrepareError {
    /// The plan itself is wrong: no mode will do better.
    Plan(SandboxError),
    /// A system call failed while preparing this mode (step, errno): a weaker mode may work.
    Sys(String, i32),
}

impl From<SandboxError> for PrepareError {
    fn from(e: SandboxError) -> Self {
        PrepareError::Plan(e)
    }
}

/// The descriptors of one attempt, child ends.
pub(super) struct Pipes {
    pub sync: c_int,
    pub exec: c_int,
    pub report: c_int,
    /// -1 unless the sandbox is warm.
    pub handoff: c_int,
}

/// Resource limits as (resource, soft, hard).
pub(super) fn rlimits(plan: &SandboxPlan, mode: Mode, euid: u32) -> Vec<Rlimit> {
    let l = &plan.limits;
    let inf = libc::RLIM_INFINITY;
    // Nobody in the sandbox may raise a hard limit above the grader's own.
    let hard_of = |resource| {
        let mut cur = libc::rlimit64 {
            rlim_cur: 0,
            rlim_max: inf,
        };
        // SAFETY: valid out-pointer.
        unsafe { libc::getrlimit64(resource, &mut cur) };
        cur.rlim_max
    };
    let lim = |v: u64| if v == u64::MAX { inf } else { v };
    let cpu_hard = if l.cpu_seconds == u64::MAX {
        inf
    } else {
        l.cpu_seconds.saturating_add(1)
    };
    let processes = match mode {
        // The init shares the uid (and so the count) with the main process.
        Mode::UserNamespace => l.processes.saturating_add(1),
        // Shared with every process of the grader's user on the host: count those first.
        Mode::Confined | Mode::Off if euid != 0 => l.processes.saturating_add(count_tasks_of(euid)),
        _ => l.processes,
    };
    [
        (libc::RLIMIT_CORE, 0, 0),
        (libc::RLIMIT_AS, lim(l.memory_bytes), lim(l.memory_bytes)),
        (
            libc::RLIMIT_FSIZE,
            lim(l.file_size_bytes),
            lim(l.file_size_bytes),
        ),
        (libc::RLIMIT_NOFILE, lim(l.open_files), lim(l.open_files)),
        (libc::RLIMIT_NPROC, lim(processes), lim(processes)),
        (libc::RLIMIT_CPU, lim(l.cpu_seconds), cpu_hard),
    ]
    .into_iter()
    .map(|(resource, soft, hard)| {
        let max = hard_of(resource);
        (resource as c_int, soft.min(max), hard.min(max))
    })
    .collect()
}

/// How many tasks (threads count) run as real uid `uid` on the host.
fn count_tasks_of(uid: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut total = 0;
    for entry in dir.flatten() {
        if !entry.file_name().as_bytes().iter().all(u8::is_ascii_digit) {
            continue;
        }
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        };
        if field("Uid:") == Some(uid.into()) {
            total += field("Threads:").unwrap_or(1);
        }
    }
    total
}

/// The Landlock rules for `mode`.
fn landlock_plan(
    abi: u32,
    mode: Mode,
    resolved: &Resolved,
) -> Result<landlock::Plan, SandboxError> {
    let mut plan = landlock::Plan::new(abi);
    if mode.namespaced() {
        // A private network namespace holds only its own loopback: TCP there reaches
        // nothing outside, and tests may serve and call themselves on 127.0.0.1.
        plan.allow_private_tcp();
        // The root is already a curated read-only view: read it all, write the writable parts.
        plan.allow(cstring("/")?, fs::READ_EXEC);
        for w in ["/tmp", "/dev/shm"] {
            plan.allow(cstring(w)?, fs::READ_WRITE);
        }
    } else {
        for dir in SYSTEM_DIRS {
            plan.allow(cstring(dir)?, fs::READ_EXEC);
        }
        for file in ETC_FILES
            .iter()
            .chain(&["/etc/passwd", "/etc/group", "/etc/hosts"])
        {
            plan.allow(cstring(file)?, fs::READ_FILE);
        }
        for (path, _) in &resolved.read_only {
            plan.allow(cstring(path)?, fs::READ_EXEC);
        }
    }
    plan.allow(cstring(&resolved.scratch)?, fs::READ_WRITE);
    for dev in DEVICES {
        let access = if dev.ends_with("random") {
            fs::READ_FILE
        } else {
            fs::DEVICE
        };
        plan.allow(cstring(dev)?, access);
    }
    Ok(plan)
}

fn exec_plan(
    program: &Path,
    args: &[std::ffi::OsString],
    env: &[(std::ffi::OsString, std::ffi::OsString)],
) -> Result<ExecPlan, SandboxError> {
    if !program.is_absolute() {
        return Err(SandboxError::InvalidPlan(format!(
            "program {} is not an absolute path",
            program.display()
        )));
    }
    let program_c = cstring(program)?;
    let mut strings = vec![program_c.clone()];
    for a in args {
        strings.push(cstring(a)?);
    }
    let argc = strings.len();
    for (k, v) in env {
        if k.as_bytes().contains(&b'=') || k.is_empty() {
            return Err(SandboxError::InvalidPlan(format!(
                "environment variable name {k:?} is invalid"
            )));
        }
        let mut kv = k.as_bytes().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(v.as_bytes());
        strings.push(cstring(OsStr::from_bytes(&kv))?);
    }
    let mut argv: Vec<*const c_char> = strings[..argc].iter().map(|s| s.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut envp: Vec<*const c_char> = strings[argc..].iter().map(|s| s.as_ptr()).collect();
    envp.push(std::ptr::null());
    Ok(ExecPlan {
        program: program_c,
        argv,
        envp,
        _strings: strings,
    })
}

/// Builds the blueprint of one attempt.
#[allow(clippy::too_many_arguments)]
pub(super) fn blueprint(
    mode: Mode,
    strict: bool,
    plan: &SandboxPlan,
    resolved: &Resolved,
    fds: &ChildFds,
    main: &ChildMain,
    pipes: &Pipes,
    landlock_abi: Option<u32>,
    use_seccomp: bool,
) -> Result<Blueprint, PrepareError> {
    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    let parent_prepares = euid == 0;
    let Root {
        sources,
        source_names,
        ops,
        op_names,
    } = if mode.namespaced() {
        build_root(resolved, plan.limits.scratch_bytes, parent_prepares)?
    } else {
        Default::default()
    };
    let confine = mode != Mode::Off;
    let landlock = match landlock_abi {
        Some(abi) if confine => Some(landlock_plan(abi, mode, resolved)?),
        _ => None,
    };
    let seccomp = if confine && use_seccomp {
        seccomp::program(!mode.namespaced())
    } else {
        None
    };
    let exec = match main {
        ChildMain::Exec { program, args, env } => Some(exec_plan(program, args, env)?),
        ChildMain::InProcess(_) | ChildMain::Warm(_) => None,
    };
    let mut keep = vec![
        pipes.sync,
        pipes.exec,
        pipes.report,
        pipes.handoff,
        fds.stdout.as_raw_fd(),
        fds.stderr.as_raw_fd(),
        fds.channel.as_raw_fd(),
    ];
    keep.extend(sources.iter().filter_map(|s| match s {
        Source::Ready(fd) => Some(fd.as_raw_fd()),
        _ => None,
    }));
    keep.sort_unstable();
    let staging = if Path::new("/tmp").is_dir() {
        "/tmp"
    } else {
        "/proc"
    };
    Ok(Blueprint {
        mode,
        strict,
        keep,
        sync_fd: pipes.sync,
        exec_fd: pipes.exec,
        report_fd: pipes.report,
        handoff_fd: pipes.handoff,
        stdout: fds.stdout.as_raw_fd(),
        stderr: fds.stderr.as_raw_fd(),
        channel: fds.channel.as_raw_fd(),
        enter_userns: (mode == Mode::UserNamespace).then_some(parent_prepares),
        sources,
        staging: cstring(staging)?,
        root_options: CString::new("size=1m,mode=0755").expect("no NUL"),
        ops,
        main: MainPlan {
            cwd: cstring(&resolved.scratch)?,
            stdin: CString::new("/dev/null").expect("no NUL"),
            identity: (mode == Mode::RootNamespaces).then_some((SANDBOX_ID, SANDBOX_ID)),
            drop_capabilities: confine
                && (mode == Mode::UserNamespace || euid == 0)
                && mode != Mode::RootNamespaces,
            landlock,
            seccomp,
            rlimits: rlimits(plan, mode, euid),
            exec,
        },
        source_names,
        op_names,
    })
}

/// The hostname inside the UTS namespace.
pub(super) fn hostname() -> &'static [u8] {
    HOSTNAME.as_bytes()
}
