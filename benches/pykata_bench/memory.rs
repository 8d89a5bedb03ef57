//! Peak memory of grading many lru_cache submissions with jobs=2 in one `pykata check` call:
//! the peak charge of a fresh memory cgroup the call runs in (the kernel's own account,
//! each page once), and for comparison the RSS and PSS sums over the process tree sampled
//! from /proc and `wait4`'s `ru_maxrss` (the largest single process of the tree).

use crate::Options;
use crate::cgroup::{MemoryCgroup, MemoryStat, Version};
use crate::fixtures;
use crate::measure::pykata_binary;
use crate::report::{Section, table};
use crate::stats::{TargetRow, Verdict, at_most, fmt_mb, fmt_s};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const TARGET_BYTES: u64 = 150_000_000;
const SAMPLE_EVERY: Duration = Duration::from_millis(5);

/// The peaks seen while sampling the tree.
#[derive(Debug, Default, Clone)]
struct TreePeaks {
    /// The largest sum of RSS over the tree at one sample.
    rss_sum: u64,
    /// The largest sum of PSS (shared pages divided among their users) at one sample.
    pss_sum: u64,
    /// The file-backed part of that sum (`Pss_File`: the binaries and libraries mapped).
    pss_file_at_peak: u64,
    /// pykata's own high-water mark (VmHWM), as last read.
    pykata_hwm: u64,
    /// The most processes in the tree at one sample.
    processes: usize,
    samples: usize,
    /// The cgroup's charge and its breakdown at the sample where the charge was largest.
    cgroup_at_largest: Option<MemoryStat>,
}

/// The pid and every descendant, through /proc/PID/task/TID/children.
fn tree(root: u32) -> Vec<u32> {
    let mut pids = vec![root];
    let mut next = 0;
    while next < pids.len() {
        let pid = pids[next];
        next += 1;
        let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            if let Ok(children) = fs::read_to_string(task.path().join("children")) {
                pids.extend(
                    children
                        .split_whitespace()
                        .filter_map(|pid| pid.parse::<u32>().ok()),
                );
            }
        }
    }
    pids
}

fn rss_bytes(pid: u32, page: u64) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/statm"))
        .ok()
        .and_then(|text| text.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page)
}

/// A `Name:   123 kB` line of the text of a /proc file, in bytes.
fn kib_in(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// A `Name:   123 kB` line of a /proc file, in bytes.
fn kib_field(path: &str, name: &str) -> u64 {
    fs::read_to_string(path).map_or(0, |text| kib_in(&text, name))
}

fn sample(root: u32, page: u64, peaks: &mut TreePeaks) {
    let pids = tree(root);
    let mut rss = 0;
    let mut pss = 0;
    let mut pss_file = 0;
    for &pid in &pids {
        rss += rss_bytes(pid, page);
        if let Ok(rollup) = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) {
            pss += kib_in(&rollup, "Pss:");
            pss_file += kib_in(&rollup, "Pss_File:");
        }
    }
    if pss > peaks.pss_sum {
        peaks.pss_sum = pss;
        peaks.pss_file_at_peak = pss_file;
    }
    let hwm = kib_field(&format!("/proc/{root}/status"), "VmHWM:");
    peaks.rss_sum = peaks.rss_sum.max(rss);
    peaks.pykata_hwm = peaks.pykata_hwm.max(hwm);
    peaks.processes = peaks.processes.max(pids.len());
    peaks.samples += 1;
}

/// What the kernel charged to the call's memory cgroup.
struct Charged {
    /// The kernel's high-water mark of the charge.
    peak: u64,
    /// The charge and its breakdown at the sample where it was largest.
    at_largest_sample: Option<MemoryStat>,
    version: Version,
}

/// Reads the cgroup's charge, and its breakdown when the charge is the largest seen yet.
fn sample_cgroup(cgroup: &MemoryCgroup, peaks: &mut TreePeaks) {
    let Some(usage) = cgroup.usage() else {
        return;
    };
    let largest = peaks.cgroup_at_largest.map_or(0, |stat| stat.usage);
    if usage > largest
        && let Some(stat) = cgroup.stat()
    {
        peaks.cgroup_at_largest = Some(stat);
    }
}

/// One measured call.
struct Measured {
    wall: Duration,
    max_rss: u64,
    peaks: TreePeaks,
    charged: Option<Charged>,
    statuses: BTreeMap<String, usize>,
    engine: String,
    isolation: String,
}

/// `pykata check --format json --jobs 2 [--engine ENGINE] FILE...`.
fn check_command(files: &[PathBuf], engine: Option<&str>) -> Command {
    let mut command = Command::new(pykata_binary());
    command.args(["check", "--format", "json", "--jobs", "2"]);
    if let Some(engine) = engine {
        command.args(["--engine", engine]);
    }
    command
        .args(files)
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Grades a few submissions outside any measured cgroup, so that the files a first run
/// reads (the pykata binary, libpython, the standard library's modules) are in the page
/// cache already, charged to whoever read them here and not to a measured call.
fn warm_up(files: &[PathBuf]) {
    let status = check_command(&files[..files.len().min(2)], None)
        .stdout(Stdio::null())
        .status()
        .expect("failed to start pykata");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "pykata ended with {status} on the warm-up: it could not grade"
    );
}

fn measure(files: &[PathBuf], engine: Option<&str>, cgroup: Option<&MemoryCgroup>) -> Measured {
    let mut command = check_command(files, engine);
    // A pipe rather than a file: a file's page cache would be charged to the cgroup.
    command.stdout(Stdio::piped());
    if let Some(cgroup) = cgroup {
        cgroup.join_in_child(&mut command);
    }
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let started = Instant::now();
    let mut child = command.spawn().expect("failed to start pykata");
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("a piped stdout");
    let done = AtomicBool::new(false);
    let (peaks, text, (status, usage)) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut text = String::new();
            stdout
                .read_to_string(&mut text)
                .expect("failed to read pykata's output");
            text
        });
        let sampler = scope.spawn(|| {
            let mut peaks = TreePeaks::default();
            while !done.load(Ordering::Relaxed) {
                sample(pid, page, &mut peaks);
                if let Some(cgroup) = cgroup {
                    sample_cgroup(cgroup, &mut peaks);
                }
                std::thread::sleep(SAMPLE_EVERY);
            }
            peaks
        });
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child, not yet reaped (std's Child is never waited on).
        let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        assert_eq!(reaped, pid as libc::pid_t, "wait4 failed");
        done.store(true, Ordering::Relaxed);
        (
            sampler.join().expect("the sampler panicked"),
            reader.join().expect("the reader panicked"),
            (status, usage),
        )
    });
    let wall = started.elapsed();
    drop(child);
    let exit_code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    assert!(
        matches!(exit_code, Some(0 | 1)),
        "pykata ended with wait status {status}: it could not grade"
    );
    let charged = cgroup.map(|cgroup| Charged {
        peak: cgroup.peak().expect("failed to read the cgroup's peak"),
        at_largest_sample: peaks.cgroup_at_largest,
        version: cgroup.version,
    });
    let mut statuses = BTreeMap::new();
    let mut first = None;
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        *statuses
            .entry(value["status"].as_str().unwrap_or("?").to_string())
            .or_insert(0) += 1;
        first.get_or_insert(value);
    }
    assert_eq!(
        statuses.values().sum::<usize>(),
        files.len(),
        "pykata did not report every submission"
    );
    let first = first.unwrap_or_default();
    Measured {
        wall,
        max_rss: usage.ru_maxrss.max(0) as u64 * 1024,
        peaks,
        charged,
        statuses,
        engine: first["engine"].as_str().unwrap_or("?").to_string(),
        isolation: first["isolation"]["level"]
            .as_str()
            .unwrap_or("none")
            .to_string(),
    }
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let files = fixtures::lru_cache_submissions(root, options.submissions);
    warm_up(&files);
    let mut rows = Vec::new();
    let mut breakdown = Vec::new();
    let mut targets = Vec::new();
    let mut placements = Vec::new();
    let mut no_cgroup = None;
    for (index, engine) in [None, Some("embedded")].into_iter().enumerate() {
        crate::progress("memory", index, 2);
        let cgroup = match MemoryCgroup::create() {
            Ok(cgroup) => Some(cgroup),
            Err(reasons) => {
                no_cgroup = Some(reasons);
                None
            }
        };
        let measured = measure(&files, engine, cgroup.as_ref());
        if let Some(cgroup) = &cgroup
            && !placements.contains(&cgroup.placement)
        {
            placements.push(cgroup.placement.clone());
        }
        // Removes the cgroup before the next call makes its own.
        drop(cgroup);
        let run = format!(
            "`pykata check{} --jobs 2 --format json` x{}",
            engine.map_or(String::new(), |engine| format!(" --engine {engine}")),
            files.len()
        );
        let label = format!("{} (sandbox: {})", measured.engine, measured.isolation);
        let statuses = measured
            .statuses
            .iter()
            .map(|(status, count)| format!("{count} {status}"))
            .collect::<Vec<_>>()
            .join(", ");
        let peaks = &measured.peaks;
        rows.push(vec![
            run.clone(),
            label.clone(),
            measured
                .charged
                .as_ref()
                .map_or("-".into(), |charged| fmt_mb(charged.peak)),
            format!(
                "{} (file-backed {})",
                fmt_mb(peaks.pss_sum),
                fmt_mb(peaks.pss_file_at_peak)
            ),
            fmt_mb(peaks.rss_sum),
            fmt_mb(measured.max_rss),
            fmt_mb(peaks.pykata_hwm),
            peaks.processes.to_string(),
            fmt_s(crate::stats::ms(measured.wall)),
            statuses,
        ]);
        if let Some(stat) = measured
            .charged
            .as_ref()
            .and_then(|charged| charged.at_largest_sample)
        {
            breakdown.push(vec![
                run,
                fmt_mb(stat.usage),
                fmt_mb(stat.anon),
                fmt_mb(stat.file),
                fmt_mb(stat.shmem),
                fmt_mb(stat.file_mapped),
                fmt_mb(stat.kernel()),
            ]);
        }
        let what = |figure: &str| {
            format!(
                "peak memory, {} lru_cache submissions, jobs 2: {figure}",
                files.len()
            )
        };
        let verdict = |bytes: u64| at_most(bytes as f64 / 1e6, TARGET_BYTES as f64 / 1e6, "MB");
        match &measured.charged {
            Some(charged) => {
                targets.push(TargetRow {
                    what: what(&format!(
                        "peak charge of the call's memory cgroup ({} `{}`)",
                        charged.version.label(),
                        charged.version.peak_file()
                    )),
                    engine: label.clone(),
                    figure: fmt_mb(charged.peak),
                    target: "<= 150 MB".into(),
                    verdict: verdict(charged.peak),
                });
                targets.push(TargetRow {
                    what: what(
                        "tree PSS sum / tree RSS sum (secondary; the RSS sum counts shared pages once per process)",
                    ),
                    engine: label,
                    figure: format!("{} / {}", fmt_mb(peaks.pss_sum), fmt_mb(peaks.rss_sum)),
                    target: "-".into(),
                    verdict: Verdict::Info,
                });
            }
            None => {
                targets.push(TargetRow {
                    what: what("tree PSS sum (no memory cgroup could be made: see below)"),
                    engine: label.clone(),
                    figure: fmt_mb(peaks.pss_sum),
                    target: "<= 150 MB".into(),
                    verdict: verdict(peaks.pss_sum),
                });
                targets.push(TargetRow {
                    what: what("tree RSS sum (secondary; counts shared pages once per process)"),
                    engine: label,
                    figure: fmt_mb(peaks.rss_sum),
                    target: "-".into(),
                    verdict: Verdict::Info,
                });
            }
        }
    }
    let body = format!(
        "{}{}{}\n{}",
        table(
            &[
                "run",
                "pykata engine",
                "cgroup peak",
                "tree PSS sum (peak)",
                "tree RSS sum (peak)",
                "largest process (ru_maxrss)",
                "pykata's own peak (VmHWM)",
                "processes (peak)",
                "wall",
                "verdicts",
            ],
            &rows,
        ),
        cgroup_text(&placements, no_cgroup.as_deref()),
        if breakdown.is_empty() {
            String::new()
        } else {
            format!(
                "\nThe cgroup's charge at the sample (every {} ms) where it was largest, from its \
                 `memory.stat`: anonymous memory (heaps, stacks, copy-on-write copies), page \
                 cache (tmpfs included; \"mapped\": mapped into a process) and the rest, kernel \
                 memory.\n\n{}",
                SAMPLE_EVERY.as_millis(),
                table(
                    &[
                        "run",
                        "largest sampled charge",
                        "anonymous",
                        "page cache",
                        "of which tmpfs",
                        "of which mapped",
                        "kernel and other",
                    ],
                    &breakdown,
                )
            )
        },
        sums_text(),
    );
    Section {
        name: "memory",
        targets,
        body,
    }
}

/// What the cgroup figures are, and where the cgroups were (or why there were none).
fn cgroup_text(placements: &[String], no_cgroup: Option<&str>) -> String {
    let mut text = String::new();
    if !placements.is_empty() {
        text.push_str(&format!(
            "\n- **cgroup peak** (the figure the target is judged on): the kernel's own account. \
             Each call ran in a fresh memory cgroup `pykata-bench-PID-N`, made before it and \
             removed after it, in {}. The call's process joins it before it executes, so it \
             and everything it starts (the zygote, the sandbox inits, the forked children) are \
             charged there from their first page. The figure is the kernel's high-water mark \
             of that charge (cgroup v1 `memory.max_usage_in_bytes`, v2 `memory.peak`): each \
             page once, whichever processes map it, with the kernel memory the call caused \
             (page tables, kernel stacks, slab) and the page cache and tmpfs pages it wrote \
             (scratch copies, the unpacked harness, the sandboxes' tmpfs: the second table \
             shows how little). Page cache the call only reads is charged to whoever read it \
             first: a warm-up call over two submissions, outside any measured cgroup, reads \
             the pykata binary, libpython and the standard library first, and the benchmark \
             wrote the submissions, so none of them is charged to a measured call (on a cold \
             machine the first call would otherwise carry them), and pykata's JSON goes to a \
             pipe, not a file whose page cache would be charged. The figure is therefore what \
             the call adds to a machine that already has pykata and Python in its page cache; \
             the binaries and libraries the tree maps are the file-backed part of the PSS sum.\n",
            placements.join("; and in ")
        ));
    }
    if let Some(reasons) = no_cgroup {
        text.push_str(&format!(
            "\n- **No memory cgroup could be made** for {} ({reasons}): the target is judged \
             on the tree PSS sum instead, the nearest figure without one (run as root, or in \
             a delegated cgroup, for the kernel's own figure).\n",
            if placements.is_empty() {
                "these calls"
            } else {
                "one of the calls"
            }
        ));
    }
    text
}

/// What the sampled sums and the other columns are.
fn sums_text() -> String {
    format!(
        "- **tree PSS sum**: the largest sum, at one sample (every {} ms, from /proc), of the \
         proportional set size of pykata and every descendant (/proc/PID/smaps_rollup): each \
         shared page divided among the processes that map it; its file-backed part \
         (`Pss_File`) is the binaries and libraries mapped, which the cgroup does not charge \
         when they were already cached. It misses a peak between two samples.\n\
         - **tree RSS sum** (secondary): the same sum of resident sets; the forked processes \
         (the sandbox inits, the Python children) map the zygote's pages copy-on-write, so \
         this sum counts each shared page once per process that maps it and overstates what \
         the machine gave.\n\
         - **largest process (ru_maxrss)**: `wait4`'s `ru_maxrss` of the pykata process: the \
         peak RSS of the largest single process among pykata and the descendants it waited \
         for, not a sum.\n\
         - **pykata's own peak**: VmHWM of the pykata process itself.\n\n\
         The submissions cycle through the reference, the alternative solutions of \
         tests/fixtures/solutions/lru_cache and the mutants that are not deliberately O(n), each \
         in its own folder as `lru_cache.py` with a unique comment.\n",
        SAMPLE_EVERY.as_millis()
    )
}
