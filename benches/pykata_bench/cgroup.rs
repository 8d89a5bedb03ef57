//! A fresh memory cgroup for one measured command: the kernel's own account of the memory
//! charged to the command and every process it starts, each page once, whoever maps it.
//!
//! cgroup v2 (`memory.peak`) is used when its hierarchy has the memory controller, else
//! cgroup v1 (`memory.max_usage_in_bytes`). The cgroup is made as a child of this process's
//! own cgroup, or failing that at the hierarchy's root, and removed when dropped. Making one
//! needs root (or a delegated cgroup); [`MemoryCgroup::create`] says why when it cannot,
//! and the memory section then judges its target on the sampled PSS sum.

use std::fs;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Which cgroup hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    /// The file that holds the peak charge since the cgroup was made.
    pub fn peak_file(self) -> &'static str {
        match self {
            Version::V1 => "memory.max_usage_in_bytes",
            Version::V2 => "memory.peak",
        }
    }

    fn usage_file(self) -> &'static str {
        match self {
            Version::V1 => "memory.usage_in_bytes",
            Version::V2 => "memory.current",
        }
    }

    /// `cgroup v1` or `cgroup v2`.
    pub fn label(self) -> &'static str {
        match self {
            Version::V1 => "cgroup v1",
            Version::V2 => "cgroup v2",
        }
    }
}

/// The charge of a cgroup at one moment and its breakdown from `memory.stat`, in bytes.
#[derive(Debug, Default, Clone, Copy)]
pub struct MemoryStat {
    /// The whole charge (`memory.usage_in_bytes` / `memory.current`).
    pub usage: u64,
    /// Anonymous memory: heaps, stacks, copy-on-write copies (v1 `rss`, v2 `anon`).
    pub anon: u64,
    /// Page cache, tmpfs included (v1 `cache`, v2 `file`).
    pub file: u64,
    /// tmpfs and shared memory, part of `file` (`shmem`).
    pub shmem: u64,
    /// Page cache mapped into a process, part of `file` (v1 `mapped_file`, v2 `file_mapped`).
    pub file_mapped: u64,
}

impl MemoryStat {
    /// What the charge holds besides anonymous memory and page cache: kernel memory (page
    /// tables, kernel stacks, slab: inodes, dentries, namespaces) and per-cpu counters.
    pub fn kernel(&self) -> u64 {
        self.usage.saturating_sub(self.anon + self.file)
    }
}

/// A memory cgroup made for one command; removed when dropped.
pub struct MemoryCgroup {
    pub version: Version,
    /// The cgroup's folder.
    pub path: PathBuf,
    /// Where it sits (its hierarchy and its parent, not its own name), for the record.
    pub placement: String,
    /// Its `cgroup.procs`, open for writing: a child writes `0` to it to join.
    procs: fs::File,
}

/// A mounted hierarchy with the memory controller.
struct Hierarchy {
    version: Version,
    mount_point: PathBuf,
    /// The hierarchy path that is mounted there (`/` unless inside a cgroup namespace).
    mount_root: String,
    /// This process's cgroup in that hierarchy.
    own: String,
}

/// This process's cgroup paths from /proc/self/cgroup: the v1 memory one and the v2 one.
fn own_cgroups() -> (Option<String>, Option<String>) {
    let text = fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let mut v1 = None;
    let mut v2 = None;
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if id == "0" && controllers.is_empty() {
            v2 = Some(path.to_string());
        } else if controllers.split(',').any(|name| name == "memory") {
            v1 = Some(path.to_string());
        }
    }
    (v1, v2)
}

/// The hierarchies with the memory controller, v2 first (the controller is in one of them).
fn hierarchies() -> (Vec<Hierarchy>, Vec<String>) {
    let (own_v1, own_v2) = own_cgroups();
    let mut found = Vec::new();
    let mut reasons = Vec::new();
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    for line in mountinfo.lines() {
        // ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
        let Some((before, after)) = line.split_once(" - ") else {
            continue;
        };
        let fields: Vec<&str> = before.split(' ').collect();
        let theirs: Vec<&str> = after.split(' ').collect();
        if fields.len() < 5 || theirs.len() < 3 {
            continue;
        }
        let mount_root = fields[3].replace("\\040", " ");
        let mount_point = PathBuf::from(fields[4].replace("\\040", " "));
        match theirs[0] {
            "cgroup2" => {
                let controllers =
                    fs::read_to_string(mount_point.join("cgroup.controllers")).unwrap_or_default();
                if !controllers.split_whitespace().any(|name| name == "memory") {
                    reasons.push(format!(
                        "cgroup v2 at {}: no memory controller (it is bound to cgroup v1)",
                        mount_point.display()
                    ));
                    continue;
                }
                if let Some(own) = &own_v2 {
                    found.insert(
                        0,
                        Hierarchy {
                            version: Version::V2,
                            mount_point,
                            mount_root,
                            own: own.clone(),
                        },
                    );
                }
            }
            "cgroup" if theirs[2].split(',').any(|option| option == "memory") => {
                if let Some(own) = &own_v1 {
                    found.push(Hierarchy {
                        version: Version::V1,
                        mount_point,
                        mount_root,
                        own: own.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    if found.is_empty() && reasons.is_empty() {
        reasons.push("no cgroup hierarchy with the memory controller is mounted".into());
    }
    (found, reasons)
}

/// The folder of hierarchy path `path` under the hierarchy's mount.
fn folder(hierarchy: &Hierarchy, path: &str) -> PathBuf {
    let relative = path
        .strip_prefix(hierarchy.mount_root.as_str())
        .unwrap_or(path)
        .trim_start_matches('/');
    if relative.is_empty() {
        hierarchy.mount_point.clone()
    } else {
        hierarchy.mount_point.join(relative)
    }
}

static MADE: AtomicUsize = AtomicUsize::new(0);

impl MemoryCgroup {
    /// Makes a fresh memory cgroup, or says why none could be made.
    /// `PYKATA_BENCH_NO_CGROUP=1` pretends that none can be made (to see the fallback).
    pub fn create() -> Result<MemoryCgroup, String> {
        if std::env::var_os("PYKATA_BENCH_NO_CGROUP").is_some_and(|value| value != "0") {
            return Err("PYKATA_BENCH_NO_CGROUP is set".into());
        }
        let (hierarchies, mut reasons) = hierarchies();
        let name = format!(
            "pykata-bench-{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        for hierarchy in &hierarchies {
            let mut parents = vec![(
                hierarchy.own.clone(),
                "a child of this process's own cgroup",
            )];
            if hierarchy.own != hierarchy.mount_root {
                parents.push((hierarchy.mount_root.clone(), "at the hierarchy's root"));
            }
            for (parent, where_) in parents {
                let parent_folder = folder(hierarchy, &parent);
                match Self::create_in(hierarchy.version, &parent_folder, &name) {
                    Ok(mut cgroup) => {
                        cgroup.placement = format!(
                            "the {} memory hierarchy mounted at `{}`: {where_} `{parent}`",
                            hierarchy.version.label(),
                            hierarchy.mount_point.display()
                        );
                        return Ok(cgroup);
                    }
                    Err(reason) => reasons.push(format!(
                        "{} under {}: {reason}",
                        hierarchy.version.label(),
                        parent_folder.display()
                    )),
                }
            }
        }
        Err(reasons.join("; "))
    }

    fn create_in(version: Version, parent: &Path, name: &str) -> Result<MemoryCgroup, String> {
        if version == Version::V2 {
            // A v2 child has the memory controller only if its parent hands it down; we do
            // not change a parent's subtree_control (a change to the machine's set-up).
            let enabled =
                fs::read_to_string(parent.join("cgroup.subtree_control")).unwrap_or_default();
            if !enabled.split_whitespace().any(|name| name == "memory") {
                return Err("the memory controller is not in its cgroup.subtree_control".into());
            }
        }
        let path = parent.join(name);
        fs::create_dir(&path).map_err(|error| format!("mkdir failed: {error}"))?;
        let opened = if path.join(version.peak_file()).exists() {
            fs::OpenOptions::new()
                .write(true)
                .open(path.join("cgroup.procs"))
                .map_err(|error| format!("cannot write its cgroup.procs: {error}"))
        } else {
            Err(format!(
                "it has no {} (kernel too old)",
                version.peak_file()
            ))
        };
        match opened {
            Ok(procs) => Ok(MemoryCgroup {
                version,
                path,
                placement: String::new(),
                procs,
            }),
            Err(reason) => {
                let _ = fs::remove_dir(&path);
                Err(reason)
            }
        }
    }

    /// Makes `command`'s process join this cgroup before it executes, so that it and
    /// everything it starts are charged here from their first page.
    pub fn join_in_child(&self, command: &mut Command) {
        let fd = self.procs.as_raw_fd();
        // SAFETY: write(2) is async-signal-safe; the file stays open for as long as `self`,
        // which outlives the spawn. Writing `0` to cgroup.procs moves the writing process.
        unsafe {
            command.pre_exec(move || {
                if libc::write(fd, b"0".as_ptr().cast(), 1) == 1 {
                    Ok(())
                } else {
                    Err(io::Error::last_os_error())
                }
            });
        }
    }

    fn read_number(&self, file: &str) -> Option<u64> {
        fs::read_to_string(self.path.join(file))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The kernel's high-water mark of the charge since the cgroup was made.
    pub fn peak(&self) -> Option<u64> {
        self.read_number(self.version.peak_file())
    }

    /// The charge now.
    pub fn usage(&self) -> Option<u64> {
        self.read_number(self.version.usage_file())
    }

    /// The charge now, with its breakdown.
    pub fn stat(&self) -> Option<MemoryStat> {
        let usage = self.usage()?;
        let text = fs::read_to_string(self.path.join("memory.stat")).ok()?;
        let mut stat = MemoryStat {
            usage,
            ..MemoryStat::default()
        };
        for line in text.lines() {
            let Some((key, value)) = line.split_once(' ') else {
                continue;
            };
            let Ok(value) = value.trim().parse::<u64>() else {
                continue;
            };
            match (self.version, key) {
                (Version::V1, "rss") | (Version::V2, "anon") => stat.anon = value,
                (Version::V1, "cache") | (Version::V2, "file") => stat.file = value,
                (_, "shmem") => stat.shmem = value,
                (Version::V1, "mapped_file") | (Version::V2, "file_mapped") => {
                    stat.file_mapped = value;
                }
                _ => {}
            }
        }
        Some(stat)
    }

    /// The processes still in the cgroup.
    fn members(&self) -> Vec<libc::pid_t> {
        fs::read_to_string(self.path.join("cgroup.procs"))
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|pid| pid.parse().ok())
            .collect()
    }
}

impl Drop for MemoryCgroup {
    /// Waits for the command's last processes to end (killing, after 10 s, those that are
    /// still there: all of them started by the measured command), then removes the cgroup.
    fn drop(&mut self) {
        let started = Instant::now();
        let mut killed = false;
        loop {
            let members = self.members();
            if members.is_empty() {
                match fs::remove_dir(&self.path) {
                    Ok(()) => return,
                    Err(error) if started.elapsed() > Duration::from_secs(15) => {
                        eprintln!(
                            "pykata_bench: failed to remove the cgroup {}: {error}",
                            self.path.display()
                        );
                        return;
                    }
                    Err(_) => {}
                }
            } else if !killed && started.elapsed() > Duration::from_secs(10) {
                for pid in members {
                    // SAFETY: kill has no memory-safety preconditions; these processes were
                    // started by the command this cgroup was made for.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
                killed = true;
            } else if started.elapsed() > Duration::from_secs(15) {
                eprintln!(
                    "pykata_bench: the cgroup {} still holds processes {members:?}; left in place",
                    self.path.display()
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
