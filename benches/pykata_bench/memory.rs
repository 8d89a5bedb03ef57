//! Peak memory of grading many lru_cache submissions with jobs=2 in one `pykata check` call:
//! `wait4`'s `ru_maxrss` (the largest single process of the tree) and the sum over the
//! process tree sampled from /proc.

use crate::Options;
use crate::fixtures;
use crate::measure::pykata_binary;
use crate::report::{Section, table};
use crate::stats::{TargetRow, at_most, fmt_mb, fmt_s};
use std::collections::BTreeMap;
use std::fs;
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
    /// pykata's own high-water mark (VmHWM), as last read.
    pykata_hwm: u64,
    /// The most processes in the tree at one sample.
    processes: usize,
    samples: usize,
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

/// A `Name:   123 kB` line of a /proc file, in bytes.
fn kib_field(path: &str, name: &str) -> u64 {
    fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        })
        .map_or(0, |kib| kib * 1024)
}

fn sample(root: u32, page: u64, peaks: &mut TreePeaks) {
    let pids = tree(root);
    let mut rss = 0;
    let mut pss = 0;
    for &pid in &pids {
        rss += rss_bytes(pid, page);
        pss += kib_field(&format!("/proc/{pid}/smaps_rollup"), "Pss:");
    }
    let hwm = kib_field(&format!("/proc/{root}/status"), "VmHWM:");
    peaks.rss_sum = peaks.rss_sum.max(rss);
    peaks.pss_sum = peaks.pss_sum.max(pss);
    peaks.pykata_hwm = peaks.pykata_hwm.max(hwm);
    peaks.processes = peaks.processes.max(pids.len());
    peaks.samples += 1;
}

/// One measured call.
struct Measured {
    wall: Duration,
    max_rss: u64,
    peaks: TreePeaks,
    statuses: BTreeMap<String, usize>,
    engine: String,
    isolation: String,
}

fn measure(files: &[PathBuf], engine: Option<&str>, output: &Path) -> Measured {
    let stdout = fs::File::create(output).expect("failed to create the output file");
    let mut command = Command::new(pykata_binary());
    command.args(["check", "--format", "json", "--jobs", "2"]);
    if let Some(engine) = engine {
        command.args(["--engine", engine]);
    }
    command
        .args(files)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::null());
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let started = Instant::now();
    let child = command.spawn().expect("failed to start pykata");
    let pid = child.id();
    let done = AtomicBool::new(false);
    let (peaks, (status, usage)) = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut peaks = TreePeaks::default();
            while !done.load(Ordering::Relaxed) {
                sample(pid, page, &mut peaks);
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
    let text = fs::read_to_string(output).expect("failed to read pykata's output");
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
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for (index, engine) in [None, Some("embedded")].into_iter().enumerate() {
        crate::progress("memory", index, 2);
        let measured = measure(&files, engine, &root.join(format!("memory-{index}.jsonl")));
        let label = format!("{} (sandbox: {})", measured.engine, measured.isolation);
        let statuses = measured
            .statuses
            .iter()
            .map(|(status, count)| format!("{count} {status}"))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![
            format!(
                "`pykata check{} --jobs 2 --format json` x{}",
                engine.map_or(String::new(), |engine| format!(" --engine {engine}")),
                files.len()
            ),
            label.clone(),
            fmt_mb(measured.peaks.rss_sum),
            fmt_mb(measured.peaks.pss_sum),
            fmt_mb(measured.max_rss),
            fmt_mb(measured.peaks.pykata_hwm),
            measured.peaks.processes.to_string(),
            fmt_s(crate::stats::ms(measured.wall)),
            statuses,
        ]);
        let verdict = |bytes: u64| at_most(bytes as f64 / 1e6, TARGET_BYTES as f64 / 1e6, "MB");
        targets.push(TargetRow {
            what: format!(
                "peak memory, {} lru_cache submissions, jobs 2: tree RSS sum (largest process)",
                files.len()
            ),
            engine: label.clone(),
            figure: format!(
                "{} ({})",
                fmt_mb(measured.peaks.rss_sum),
                fmt_mb(measured.max_rss)
            ),
            target: "<= 150 MB".into(),
            verdict: verdict(measured.peaks.rss_sum),
        });
        targets.push(TargetRow {
            what: format!(
                "peak memory, {} lru_cache submissions, jobs 2: tree PSS sum (shared pages counted once)",
                files.len()
            ),
            engine: label,
            figure: fmt_mb(measured.peaks.pss_sum),
            target: "<= 150 MB".into(),
            verdict: verdict(measured.peaks.pss_sum),
        });
    }
    let body = format!(
        "{}\n- **tree RSS sum**: the largest sum, at one sample, of the resident set of pykata and \
         every descendant (the sandbox inits, the Python children, the zygote and its forks), \
         sampled from /proc every {} ms; pages shared between processes (the zygote's, a \
         forked init's copy-on-write pages, libpython) count once per process that maps them, \
         so this overstates what the machine gave. The issue's target is checked against this \
         one, and against the PSS sum.\n\
         - **tree PSS sum**: the same sum with each shared page divided among the processes \
         that map it (/proc/PID/smaps_rollup): closer to the memory the machine actually gave.\n\
         - **largest process (ru_maxrss)**: `wait4`'s `ru_maxrss` of the pykata process: the \
         peak RSS of the largest single process among pykata and the descendants it waited \
         for, not a sum.\n\
         - **pykata's own peak**: VmHWM of the pykata process itself.\n\n\
         The submissions cycle through the reference, the alternative solutions of \
         tests/fixtures/solutions/lru_cache and the mutants that are not deliberately O(n), each \
         in its own folder as `lru_cache.py` with a unique comment.\n",
        table(
            &[
                "run",
                "pykata engine",
                "tree RSS sum (peak)",
                "tree PSS sum (peak)",
                "largest process (ru_maxrss)",
                "pykata's own peak (VmHWM)",
                "processes (peak)",
                "wall",
                "verdicts",
            ],
            &rows,
        ),
        SAMPLE_EVERY.as_millis()
    );
    Section {
        name: "memory",
        targets,
        body,
    }
}
