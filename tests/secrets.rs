//! No process that runs a submission holds a secret: for every bundled exercise (found by
//! walking `exercises/`, so new exercises are covered), on both engines, a submission named
//! after the exercise's module scans everything it can read — every readable mapping of its
//! own memory (`/proc/self/maps` and `/proc/self/mem`), the memory, executable, environment
//! and descriptors of every process it can see in `/proc`, its inherited descriptors and the
//! files of its view of the filesystem — for distinctive lines of the exercise's reference
//! solution, of each of its mutants and of its explanation, for a line of the submissions
//! graded just before it in the same `pykata check` call and of their exercises' reference
//! solutions, and reports what it found.
//!
//! A distinctive line is a stripped line of at least [`MIN_NEEDLE`] characters that appears
//! in none of the files a submission legitimately sees or that pykata legitimately loads
//! next to it (the harness; every exercise's cases.py, README.md, starter.py and
//! exercise.toml). The scanner holds each one as two halves, hex-encoded, and compares the
//! second half only where it found the first, so it never finds itself.
//!
//! The same scan must find distinctive lines of the exercise's cases.py (legitimately
//! loaded and readable) in its memory and in its files: a scanner that sees nothing cannot
//! pass. Against the binary of f76b093, whose zygote was `pykata` itself with the catalogue
//! embedded, the embedded engine's run found every exercise's reference solution
//! (`PYKATA_SECRETS_BIN=/path/to/old/pykata cargo test --test secrets` runs these tests
//! against another build).

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Lines shorter than this (stripped) are too common to prove anything.
const MIN_NEEDLE: usize = 24;
/// How many of the other submissions of the call each scan looks for (the ones graded
/// just before it), with a line of their exercises' references.
const OTHERS: usize = 4;
/// Most needles taken from one file (the longest distinctive lines; one for each mutant):
/// a file that leaks leaks whole, and fewer needles keep the scans fast.
const PER_FILE: usize = 3;

/// One bundled exercise and what its submission looks for.
struct Exercise {
    /// The folder below `exercises/`, e.g. `decorators/retry`.
    id: String,
    module: String,
    /// (label, line): lines of the solution, mutants and explanation.
    secrets: Vec<(String, String)>,
    /// (label, text): lines and string constants of cases.py, which the scan must find (in
    /// its files and in its memory).
    controls: Vec<(String, String)>,
}

/// The pykata executable under test: `PYKATA_SECRETS_BIN` when set (to check these tests
/// against another build), else this build's.
fn pykata_binary() -> PathBuf {
    std::env::var_os("PYKATA_SECRETS_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pykata")))
}

/// Every `exercises/*/*/exercise.toml`, sorted.
fn exercise_folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for topic in std::fs::read_dir(common::root().join("exercises")).unwrap() {
        let topic = topic.unwrap().path();
        if !topic.is_dir() {
            continue;
        }
        for exercise in std::fs::read_dir(&topic).unwrap() {
            let exercise = exercise.unwrap().path();
            if exercise.join("exercise.toml").is_file() {
                folders.push(exercise);
            }
        }
    }
    folders.sort();
    assert!(!folders.is_empty(), "no bundled exercise found");
    folders
}

/// Every file below `folder` whose name ends with one of `suffixes`.
fn files_below(folder: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_below(&path, suffixes, out);
        } else if suffixes.iter().any(|s| path.to_string_lossy().ends_with(s)) {
            out.push(path);
        }
    }
}

/// The text of everything a submission may legitimately find: the harness and every
/// exercise's public files.
fn legitimate_text() -> String {
    let mut files = Vec::new();
    files_below(&common::root().join("harness"), &[".py"], &mut files);
    for folder in exercise_folders() {
        for name in ["cases.py", "README.md", "starter.py", "exercise.toml"] {
            files.push(folder.join(name));
        }
    }
    let mut text = String::new();
    for file in files {
        text.push_str(&std::fs::read_to_string(&file).unwrap_or_default());
        text.push('\n');
    }
    text
}

/// Up to `PER_FILE` distinctive lines of `text` (longest first), that appear in none of
/// `avoid` (`avoid_lines`: its stripped lines, for a quick first sort); lines that appear
/// in `prefer_not` come last.
fn distinctive(
    text: &str,
    avoid: &str,
    avoid_lines: &HashSet<&str>,
    prefer_not: &str,
) -> Vec<String> {
    let mut lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| line.len() >= MIN_NEEDLE && line.is_ascii() && !avoid_lines.contains(line))
        .collect();
    let mut seen = HashSet::new();
    lines.retain(|line| seen.insert(*line));
    lines.sort_by_key(|line| (prefer_not.contains(line), std::cmp::Reverse(line.len())));
    // Not even inside a longer line of `avoid` (checked only for the few kept: it is slow).
    lines
        .into_iter()
        .filter(|line| !avoid.contains(line))
        .take(PER_FILE)
        .map(str::to_owned)
        .collect()
}

/// The stripped lines of `text`.
fn line_set(text: &str) -> HashSet<&str> {
    text.lines().map(str::trim).collect()
}

/// The long plain string constants of a Python file (the text between two double quotes
/// on one line, without escapes or braces): executing the file puts each in memory as one
/// piece, where the lines of its source need not stay.
fn string_constants(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in source.lines() {
        let parts: Vec<&str> = line.split('"').collect();
        for part in parts.iter().skip(1).take(parts.len().saturating_sub(2)) {
            if part.len() >= MIN_NEEDLE
                && part.is_ascii()
                && !part.contains(['{', '}', '\\'])
                && !found.iter().any(|f: &String| f == part)
            {
                found.push((*part).to_owned());
            }
        }
    }
    found
}

fn catalogue() -> Vec<Exercise> {
    let legit = legitimate_text();
    let harness = {
        let mut files = Vec::new();
        files_below(&common::root().join("harness"), &[".py"], &mut files);
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (legit_lines, harness_lines) = (line_set(&legit), line_set(&harness));
    let root = common::root().join("exercises");
    exercise_folders()
        .into_iter()
        .map(|folder| {
            let id = folder
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let toml = std::fs::read_to_string(folder.join("exercise.toml")).unwrap();
            let module = toml
                .lines()
                .find_map(|line| {
                    let (key, value) = line.split_once('=')?;
                    (key.trim() == "module").then(|| value.trim().trim_matches('"').to_owned())
                })
                .unwrap_or_else(|| panic!("{id}: no module in exercise.toml"));
            let read = |name: &str| std::fs::read_to_string(folder.join(name)).unwrap();
            let solution = read("solution.py");
            let mut secrets = Vec::new();
            for line in distinctive(&solution, &legit, &legit_lines, "") {
                secrets.push(("solution.py".to_owned(), line));
            }
            let mut mutants = Vec::new();
            if folder.join("mutants").is_dir() {
                files_below(&folder.join("mutants"), &[".py"], &mut mutants);
            }
            mutants.sort();
            for mutant in mutants {
                let text = std::fs::read_to_string(&mutant).unwrap();
                let name = mutant.file_name().unwrap().to_string_lossy();
                // Lines of the mutant's own first: they prove the mutant, not the solution.
                for line in distinctive(&text, &legit, &legit_lines, &solution)
                    .into_iter()
                    .take(1)
                {
                    secrets.push((format!("mutants/{name}"), line));
                }
            }
            if folder.join("explain.md").is_file() {
                for line in distinctive(&read("explain.md"), &legit, &legit_lines, "") {
                    secrets.push(("explain.md".to_owned(), line));
                }
            }
            let cases = read("cases.py");
            let mut controls: Vec<(String, String)> =
                distinctive(&cases, &harness, &harness_lines, "")
                    .into_iter()
                    .take(2)
                    .map(|line| ("cases.py".to_owned(), line))
                    .collect();
            controls.extend(
                string_constants(&cases)
                    .into_iter()
                    .filter(|text| !harness.contains(text.as_str()))
                    .take(2)
                    .map(|text| ("cases.py constant".to_owned(), text)),
            );
            Exercise {
                id,
                module,
                secrets,
                controls,
            }
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The scanning submission for `exercise`: at import it scans, then raises the report
/// (`PYKATA-SCAN {json}`), which pykata shows as the load error's message. With
/// `binaries`, it also scans the executables of the system's folders.
fn scanner(
    secrets: &[(String, String)],
    controls: &[(String, String)],
    binaries: bool,
    canary: &str,
) -> String {
    let mut needles = String::new();
    // Secrets first, then controls: the scanner reports needles by index.
    for (file, line) in secrets.iter().chain(controls) {
        let bytes = line.as_bytes();
        let (first, second) = bytes.split_at(bytes.len() / 2);
        needles.push_str(&format!(
            "    ({:?}, {:?}, {:?}, {:?}),\n",
            file,
            hex(first),
            "-".repeat(3),
            hex(second),
        ));
    }
    SCANNER
        .replace("@NEEDLE_LIST@", &needles)
        .replace("@BINARIES@", if binaries { "True" } else { "False" })
        .replace("@SECRETS@", &secrets.len().to_string())
        .replace("@CANARY@", canary)
}

const SCANNER: &str = r#"
# @CANARY@
import json, os, stat, sys

# How many of the needles are secrets (the others, the controls, come after them).
_SECRETS = @SECRETS@
# Whether to scan the executables of the system's folders too (the same in every run).
_BINARIES = @BINARIES@

# (label, first half, separator, second half): never a whole needle in one place.
_RAW = [
@NEEDLE_LIST@]
_NEEDLES = [(i, bytes.fromhex(a), bytes.fromhex(b)) for i, (kind, a, _, b) in enumerate(_RAW)]
_FOUND = {}  # needle index: where found (the report is kept short: pykata cuts long messages)
_PLACES = []
_INFO = {"regions": 0, "bytes": 0, "files": 0, "pids": [], "denied": [], "walk_truncated": False}
_CHUNK = 8 << 20
_OVERLAP = 4096


def _search(data, where, needles=_NEEDLES):
    for label, a, b in needles:
        start = 0
        while True:
            p = data.find(a, start)
            if p < 0:
                break
            if data[p + len(a):p + len(a) + len(b)] == b:
                # m: in this process's memory, o: in another's, f: in a file.
                kind = "m" if where.startswith("memory of self") else "o" if where.startswith("memory") else "f"
                if kind not in _FOUND.get(label, ""):
                    _FOUND[label] = _FOUND.get(label, "") + kind
                if label < _SECRETS and where[-60:] not in _PLACES and len(_PLACES) < 4:
                    _PLACES.append(where[-60:])
                break
            start = p + 1


_MY_MAPS = []
_LIBRARIES = ("/usr/lib/", "/lib/", "/lib64/", os.path.join(sys.base_prefix, "lib", ""))


def _scan_memory(pid):
    try:
        with open(f"/proc/{pid}/maps") as handle:
            maps = handle.read().splitlines()
        if pid != "self" and maps == _MY_MAPS:
            return  # a process that shares this one's memory (the sandbox's memory holder)
        fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
    except OSError as error:
        _INFO["denied"].append(f"{pid}/mem")
        return
    if pid == "self":
        _MY_MAPS[:] = maps
    try:
        for line in maps:
            fields = line.split()
            name = fields[5] if len(fields) > 5 else "anonymous"
            if fields[1][0] != "r" or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if "w" not in fields[1] and name.startswith(_LIBRARIES):
                # A read-only view of a system or Python library file: what the file holds.
                continue
            _INFO["regions"] += 1
            pos = start
            while pos < end:
                size = min(_CHUNK, end - pos)
                try:
                    data = os.pread(fd, size, pos)
                except OSError:
                    break
                _INFO["bytes"] += len(data)
                _search(data, f"memory of {pid}: {name}")
                if size < _CHUNK:
                    break
                pos += size - _OVERLAP
    finally:
        os.close(fd)


def _scan_file(path, where=None, needles=None):
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > (64 << 20):
            return
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        if path.startswith("/proc/") and error.errno != 2:
            _INFO["denied"].append(path[6:])
        return
    _INFO["files"] += 1
    _search(data, where or path, needles or _NEEDLES)


def _scan_process(pid):
    base = f"/proc/{pid}"
    for name in ("exe", "environ", "cmdline"):
        _scan_file(f"{base}/{name}")
    try:
        fds = os.listdir(f"{base}/fd")
    except OSError as error:
        _INFO["denied"].append(f"{pid}/fd")
        fds = []
    for fd in fds:
        _scan_file(f"{base}/fd/{fd}")
    _scan_memory(pid)


def _walk():
    # Everything but /proc, /sys and the system's and Python's own folders (the same in
    # every run: see _binaries).
    system = {"/proc", "/sys", "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"}
    system |= {os.path.join(prefix, "lib") for prefix in (sys.prefix, sys.base_prefix)}
    files_left = 3000
    for top, folders, files in os.walk("/"):
        folders[:] = sorted(f for f in folders if os.path.join(top, f) not in system)
        for name in sorted(files):
            if files_left <= 0:
                _INFO["walk_truncated"] = True
                return
            files_left -= 1
            _scan_file(os.path.join(top, name))


def _binaries():
    # Every executable in the folders where pykata could be installed (a pykata binary in
    # the sandbox's view would carry the whole catalogue), for the solution's lines.
    folders = ["/usr/local/bin", "/usr/local/sbin", "/usr/bin", "/usr/sbin", "/bin", "/sbin",
               os.path.dirname(sys.executable), os.path.join(sys.prefix, "bin")]
    needles = [n for n in _NEEDLES if _RAW[n[0]][0] == "solution.py"]
    seen = set()
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.realpath(os.path.join(folder, name))
            if path not in seen:
                seen.add(path)
                _scan_file(path, needles=needles)


import time
_t0 = time.monotonic()
_scan_memory("self")
_scan_file("/proc/self/exe")
_scan_file("/proc/self/environ")
for _value in os.environ.values():
    _search(_value.encode(), "os.environ")
for _fd in os.listdir("/proc/self/fd"):
    _scan_file(f"/proc/self/fd/{_fd}", f"inherited fd {_fd}")
for _pid in sorted(p for p in os.listdir("/proc") if p.isdigit()):
    if int(_pid) != os.getpid():
        _INFO["pids"].append(int(_pid))
        _scan_process(_pid)
_walk()
if _BINARIES:
    _binaries()
_INFO["seconds"] = round(time.monotonic() - _t0, 2)
raise RuntimeError("PYKATA-SCAN " + json.dumps({"found": _FOUND, "places": _PLACES, **_INFO}))
"#;

/// What one exercise's scan reported.
struct Scan {
    /// (file, line) of every secret looked for: the exercise's, then the other
    /// submissions' canaries.
    searched: Vec<(String, String)>,
    /// Index of each secret found, with where: `m` this process's memory, `o` another
    /// process's memory, `f` a file (`places` in the report names a few).
    secrets: BTreeMap<usize, String>,
    /// Control labels found in memory, and in files.
    controls_in_memory: usize,
    controls_in_files: usize,
    report: Value,
}

/// Grades every exercise's scanner in one `pykata check` call on `engine`.
fn scan_all(engine: &str, catalogue: &[Exercise]) -> Vec<Scan> {
    let dir = tempfile::tempdir().unwrap();
    // A line of each submission that no other may find: another submission is a secret too.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let canaries: Vec<String> = catalogue
        .iter()
        .enumerate()
        .map(|(i, e)| format!("pykata canary of submission {i} ({}), run {nonce}", e.id))
        .collect();
    let mut paths = Vec::new();
    let mut searched = Vec::new();
    for (i, exercise) in catalogue.iter().enumerate() {
        let folder = dir.path().join(i.to_string());
        std::fs::create_dir(&folder).unwrap();
        let path = folder.join(format!("{}.py", exercise.module));
        let mut secrets = exercise.secrets.clone();
        // The submissions (and so the reference runs) graded just before this one: their
        // canaries, and a line of their exercises' references (a leak would be of the
        // whole file). Not all of them, to keep the scans fast as the catalogue grows.
        let n = catalogue.len();
        for j in (1..=OTHERS.min(n - 1)).map(|back| (i + n - back) % n) {
            secrets.push((format!("(submission {j})"), canaries[j].clone()));
            let (file, line) = &catalogue[j].secrets[0];
            let label = format!("(another exercise) {}/{file}", catalogue[j].id);
            secrets.push((label, line.clone()));
        }
        // The system's executables are the same for every run, on both engines: one scan of
        // them is enough.
        let binaries = i == 0 && engine == "embedded";
        let source = scanner(&secrets, &exercise.controls, binaries, &canaries[i]);
        std::fs::write(&path, source).unwrap();
        paths.push(path);
        searched.push(secrets);
    }
    let output = std::process::Command::new(pykata_binary())
        .args([
            "check", "--engine", engine, "--format", "json", "--seed", "1",
        ])
        .args(&paths)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut reports: BTreeMap<String, Value> = BTreeMap::new();
    for line in stdout.lines() {
        let report: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\nstderr: {stderr}"));
        reports.insert(report["path"].as_str().unwrap().to_owned(), report);
    }
    catalogue
        .iter()
        .zip(&paths)
        .zip(searched)
        .map(|((exercise, path), searched)| {
            let report = reports
                .remove(path.to_str().unwrap())
                .unwrap_or_else(|| panic!("{}: no report\n{stdout}\n{stderr}", exercise.id));
            if engine == "embedded" && std::env::var_os("PYKATA_SECRETS_BIN").is_none() {
                assert_eq!(report["engine"], "embedded", "{report}");
            }
            let message = report["error"]["message"].as_str().unwrap_or_default();
            let Some((_, json)) = message.split_once("PYKATA-SCAN ") else {
                panic!("{}: the scanner did not report: {report}", exercise.id);
            };
            let scan: Value = serde_json::from_str(json.trim())
                .unwrap_or_else(|e| panic!("{}: bad scan report ({e}): {message}", exercise.id));
            let mut secrets = BTreeMap::new();
            let (mut in_memory, mut in_files) = (0, 0);
            let secrets_count = searched.len();
            for (index, kinds) in scan["found"].as_object().unwrap() {
                let index: usize = index.parse().unwrap();
                let kinds = kinds.as_str().unwrap();
                if index >= secrets_count {
                    in_memory += usize::from(kinds.contains(['m', 'o']));
                    in_files += usize::from(kinds.contains('f'));
                } else {
                    secrets.insert(index, kinds.to_owned());
                }
            }
            Scan {
                searched,
                secrets,
                controls_in_memory: in_memory,
                controls_in_files: in_files,
                report: scan,
            }
        })
        .collect()
}

fn no_secret_on(engine: &str) {
    let catalogue = catalogue();
    let scans = scan_all(engine, &catalogue);
    let mut leaks = Vec::new();
    for (exercise, scan) in catalogue.iter().zip(&scans) {
        assert!(
            !exercise.secrets.is_empty() && !exercise.controls.is_empty(),
            "{}: no distinctive line to look for",
            exercise.id
        );
        // The scan worked: it read memory and files, and found what it may see.
        assert!(
            scan.report["regions"].as_u64().unwrap() > 10
                && scan.report["files"].as_u64().unwrap() > 10,
            "{}: the scan read almost nothing: {}",
            exercise.id,
            scan.report
        );
        assert!(
            scan.controls_in_memory > 0 && scan.controls_in_files > 0,
            "{}: the scan did not find its own cases.py (in memory: {}, in files: {}): {}",
            exercise.id,
            scan.controls_in_memory,
            scan.controls_in_files,
            scan.report
        );
        for (&index, kinds) in &scan.secrets {
            let (file, line) = &scan.searched[index];
            leaks.push(format!(
                "{}/{file}: `{line}` found ({kinds}) in {}",
                exercise.id, scan.report["places"]
            ));
        }
    }
    let seconds: Vec<f64> = scans
        .iter()
        .map(|scan| scan.report["seconds"].as_f64().unwrap_or_default())
        .collect();
    let megabytes: f64 = scans
        .iter()
        .map(|scan| scan.report["bytes"].as_f64().unwrap_or_default() / 1e6)
        .sum();
    eprintln!(
        "{engine}: {} exercises scanned, {:.0} MB of memory each on average, the slowest scan \
         in {:.2} s, in all {:.1} s",
        scans.len(),
        megabytes / scans.len() as f64,
        seconds.iter().cloned().fold(0.0, f64::max),
        seconds.iter().sum::<f64>()
    );
    assert!(
        leaks.is_empty(),
        "a submission on the {engine} engine can read secrets:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn a_submission_on_the_embedded_engine_finds_no_reference_mutant_or_explanation() {
    no_secret_on("embedded");
}

#[test]
fn a_submission_on_the_subprocess_engine_finds_no_reference_mutant_or_explanation() {
    no_secret_on("subprocess");
}

/// The zygote's executable, which every job of the embedded engine is a copy of, carries
/// none of the catalogue's secrets; `pykata`, which embeds the catalogue, carries them
/// (the control: the search works on an executable).
#[test]
fn the_zygote_executable_carries_no_catalogue() {
    let zygote = std::fs::read(env!("CARGO_BIN_EXE_pykata-zygote")).unwrap();
    let pykata = std::fs::read(env!("CARGO_BIN_EXE_pykata")).unwrap();
    let catalogue = catalogue();
    // Every needle, by its last MIN_NEEDLE bytes: one pass over each executable's lines
    // (the catalogue is embedded file by file, so each of its lines ends at a newline,
    // whatever precedes a file's first line) finds them all.
    let mut by_end: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for exercise in &catalogue {
        for (_, line) in &exercise.secrets {
            let bytes = line.as_bytes();
            by_end
                .entry(&bytes[bytes.len() - MIN_NEEDLE..])
                .or_default()
                .push(line);
        }
    }
    let found_in = |bytes: &[u8]| -> HashSet<String> {
        let mut found = HashSet::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
            let piece = bytes[start..end].trim_ascii_end();
            start = end + 1;
            if piece.len() < MIN_NEEDLE {
                continue;
            }
            if let Some(needles) = by_end.get(&piece[piece.len() - MIN_NEEDLE..]) {
                for needle in needles {
                    if piece.ends_with(needle.as_bytes()) {
                        found.insert(needle.to_string());
                    }
                }
            }
        }
        found
    };
    let (zygote, pykata) = (found_in(&zygote), found_in(&pykata));
    let contains = |found: &HashSet<String>, needle: &str| found.contains(needle);
    let mut leaks = Vec::new();
    for exercise in &catalogue {
        for (file, line) in &exercise.secrets {
            if contains(&zygote, line) {
                leaks.push(format!("{}/{file}: `{line}`", exercise.id));
            }
        }
        let (file, line) = &exercise.secrets[0];
        assert!(
            contains(&pykata, line),
            "{}/{file}: `{line}` is not in pykata, which embeds the catalogue",
            exercise.id
        );
    }
    assert!(
        leaks.is_empty(),
        "pykata-zygote carries:\n{}",
        leaks.join("\n")
    );
}
