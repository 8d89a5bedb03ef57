//! Where the time goes: the pieces of a grade measured one by one, side by side (interpreter
//! start-up, harness import, the sandbox, the zygote, the grader's own work, one-shot calls).

use crate::Options;
use crate::engines::{self, Which};
use crate::fixtures::{self, MINIMAL_MODULE, MINIMAL_SOLUTION};
use crate::measure::{pykata_binary, quiet, time_command, with_channel_on_devnull};
use crate::report::{Section, table};
use crate::stats::{Samples, fmt_ms};
use pykata::assets::Unpacked;
use pykata::engine::{Engine, Job, default_python};
use pykata::exercise::Exercise;
use pykata::grade::Grader;
use pykata::grade::exercise::grade_exercise;
use pykata::grade::folder::grade_folder;
use pykata::settings::{Isolation, Limits};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SEED: u64 = 31_337;

/// The modules `pykata_harness.folder.run_shim` imports when it runs.
const FOLDER_MODULES: &str = "discovery pytest_shim rewrite builtin_fixtures capture collect \
                              fixtures nodes outcomes runner state config";

type Probe<'a> = Box<dyn FnMut() -> Duration + 'a>;

/// The job `grade_exercise` gives the engine for the minimal exercise, in a fresh scratch.
fn minimal_job(grader: &Grader, cases: &Path) -> (tempfile::TempDir, Job) {
    let scratch = grader.scratch().expect("scratch folder");
    let copy = scratch.path().join(format!("{MINIMAL_MODULE}.py"));
    fixtures::write(&copy, MINIMAL_SOLUTION);
    let job = Job {
        visible: vec![cases.to_path_buf()],
        harness_args: [
            "--channel-fd",
            "3",
            "exercise",
            "--cases",
            &cases.display().to_string(),
            "--submission",
            &copy.display().to_string(),
            "--module",
            MINIMAL_MODULE,
            "--seed",
            &SEED.to_string(),
            "--from",
            "0",
        ]
        .iter()
        .map(OsString::from)
        .collect(),
        scratch: scratch.path().to_path_buf(),
        limits: Limits::default(),
        known_lines: None,
        clock: pykata::engine::RunClock::now(),
    };
    (scratch, job)
}

/// A copy of `folder`'s files in a fresh scratch folder.
fn folder_copy(grader: &Grader, folder: &Path) -> tempfile::TempDir {
    let scratch = grader.scratch().expect("scratch folder");
    for entry in std::fs::read_dir(folder).expect("fixture folder").flatten() {
        std::fs::copy(entry.path(), scratch.path().join(entry.file_name())).expect("copy");
    }
    scratch
}

fn timed(mut work: impl FnMut()) -> Duration {
    let started = Instant::now();
    work();
    started.elapsed()
}

fn run_engine(engine: &Engine, job: &Job) -> Duration {
    let started = Instant::now();
    let output = engine.run(job).expect("the engine ran the job");
    let elapsed = started.elapsed();
    assert!(
        output.transcript.completed_count().is_some(),
        "the job did not complete: {}",
        output.stderr
    );
    elapsed
}

/// `python FLAGS run_py exercise ...` on the minimal exercise, as a plain child.
fn direct_exercise<'a>(
    python: &'a Path,
    flags: &'a [&'a str],
    run_py: &'a Path,
    grader: &'a Grader,
    cases: &'a Path,
) -> Probe<'a> {
    Box::new(move || {
        let (_scratch, job) = minimal_job(grader, cases);
        let mut command = with_channel_on_devnull(python);
        command
            .args(flags)
            .arg(run_py)
            .args(&job.harness_args)
            .current_dir(&job.scratch);
        let (elapsed, status) = time_command(&mut command);
        assert!(status.success(), "the harness failed");
        elapsed
    })
}

/// `python FLAGS run_py folder ...` on a fresh copy of `folder`, as a plain child.
fn direct_folder<'a>(
    python: &'a Path,
    flags: &'a [&'a str],
    run_py: &'a Path,
    grader: &'a Grader,
    folder: &'a Path,
) -> Probe<'a> {
    Box::new(move || {
        let scratch = folder_copy(grader, folder);
        let mut command = with_channel_on_devnull(python);
        command
            .args(flags)
            .arg(run_py)
            .args(["--channel-fd", "3", "folder", "--dir"])
            .arg(scratch.path())
            .args(["--pytest", "auto"])
            .current_dir(scratch.path());
        let (elapsed, status) = time_command(&mut command);
        assert!(status.success(), "the harness failed");
        elapsed
    })
}

/// A copy of the harness with its bytecode compiled (`python -m compileall`); returns its
/// `pykata_run.py`.
fn compiled_harness(harness: &Path, destination: &Path, python: &Path) -> PathBuf {
    copy_tree(harness, destination);
    let status = quiet(python)
        .args(["-I", "-m", "compileall", "-q"])
        .arg(destination)
        .status()
        .expect("failed to run compileall");
    assert!(status.success(), "compileall failed");
    destination.join("pykata_run.py")
}

fn copy_tree(from: &Path, to: &Path) {
    fixtures::make_dir(to);
    for entry in std::fs::read_dir(from).expect("readable folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn python_c(python: &Path, flags: &[&str], code: String) -> Probe<'static> {
    let python = python.to_path_buf();
    let flags: Vec<String> = flags.iter().map(|flag| flag.to_string()).collect();
    Box::new(move || {
        let (elapsed, status) = time_command(quiet(&python).args(&flags).arg("-c").arg(&code));
        assert!(status.success(), "{} -c {code:?} failed", python.display());
        elapsed
    })
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let samples = options.breakdown_samples;
    let folder = root.join("breakdown");
    fixtures::make_dir(&folder);
    let minimal_dir = fixtures::minimal_exercise(&folder);
    let minimal = Exercise::from_folder(&minimal_dir).expect("minimal exercise");
    let submission = folder.join(format!("{MINIMAL_MODULE}.py"));
    fixtures::write(&submission, MINIMAL_SOLUTION);
    let unittest_folder = fixtures::unittest_folders(&folder, 1).remove(0);
    let venv_python = fixtures::bench_venv();

    let subprocess = engines::grader(Which::Subprocess, SEED);
    let embedded = engines::grader(Which::Embedded, SEED);
    let unsandboxed = Which::Subprocess.engine(&subprocess.unpacked, Isolation::Off);
    let cases = minimal.folder(&subprocess.unpacked).join("cases.py");
    for grader in [&subprocess, &embedded] {
        grade_exercise(grader, "warm-up", &minimal, &submission);
        grade_folder(grader, "warm-up", &unittest_folder);
    }
    let python = default_python();
    let harness = subprocess.unpacked.harness.clone();
    let run_py = harness.join("pykata_run.py");
    let compiled_run_py = compiled_harness(&harness, &folder.join("harness-pyc"), &python);
    let path_setup = format!(
        "import sys; sys.path.insert(0, {:?}); ",
        harness.display().to_string()
    );

    let mut probes: Vec<(&str, Probe<'_>)> = vec![
        (
            "`python -I -c pass` (the build interpreter, with its site-packages `.pth` files)",
            python_c(&python, &["-I"], "pass".into()),
        ),
        (
            "`python -I -S -c pass` (no `site`)",
            python_c(&python, &["-I", "-S"], "pass".into()),
        ),
        (
            "`python -I -c pass` of the pytest venv (same CPython, no base-install `.pth`)",
            python_c(&venv_python, &["-I"], "pass".into()),
        ),
        (
            "start + import of the exercise-mode harness",
            python_c(
                &python,
                &["-I", "-B"],
                format!("{path_setup}import pykata_harness.main, pykata_harness.exercise"),
            ),
        ),
        (
            "start + import of the folder-mode harness (what `run_shim` imports)",
            python_c(
                &python,
                &["-I", "-B"],
                format!(
                    "{path_setup}import importlib, pykata_harness.main\n\
                     for name in {FOLDER_MODULES:?}.split(): importlib.import_module('pykata_harness.folder.' + name)"
                ),
            ),
        ),
        (
            "harness run, minimal exercise, no sandbox (`python -I -B pykata_run.py exercise ...`)",
            direct_exercise(&python, &["-I", "-B"], &run_py, &subprocess, &cases),
        ),
        (
            "the same with `-S` (no `site`)",
            direct_exercise(&python, &["-I", "-B", "-S"], &run_py, &subprocess, &cases),
        ),
        (
            "the same with the harness precompiled (`.pyc` beside it; `-B` only stops writing)",
            direct_exercise(
                &python,
                &["-I", "-B"],
                &compiled_run_py,
                &subprocess,
                &cases,
            ),
        ),
        (
            "the same with `-S` and the harness precompiled",
            direct_exercise(
                &python,
                &["-I", "-B", "-S"],
                &compiled_run_py,
                &subprocess,
                &cases,
            ),
        ),
        (
            "harness run, one unittest folder, no sandbox (`python -I -B pykata_run.py folder ...`)",
            direct_folder(
                &python,
                &["-I", "-B"],
                &run_py,
                &subprocess,
                &unittest_folder,
            ),
        ),
        (
            "the same with `-S` and the harness precompiled",
            direct_folder(
                &python,
                &["-I", "-B", "-S"],
                &compiled_run_py,
                &subprocess,
                &unittest_folder,
            ),
        ),
        (
            "`Engine::run`, minimal exercise, subprocess engine, sandbox",
            {
                let (subprocess, cases) = (&subprocess, &cases);
                Box::new(move || {
                    let (_scratch, job) = minimal_job(subprocess, cases);
                    run_engine(&subprocess.engine, &job)
                })
            },
        ),
        (
            "`Engine::run`, minimal exercise, subprocess engine, `--no-sandbox` (init + rlimits)",
            {
                let (subprocess, unsandboxed, cases) = (&subprocess, &unsandboxed, &cases);
                Box::new(move || {
                    let (_scratch, job) = minimal_job(subprocess, cases);
                    run_engine(unsandboxed, &job)
                })
            },
        ),
        ("`Engine::run`, minimal exercise, embedded engine", {
            let (embedded, cases) = (&embedded, &cases);
            Box::new(move || {
                let (_scratch, job) = minimal_job(embedded, cases);
                run_engine(&embedded.engine, &job)
            })
        }),
        (
            "`grade_exercise`, minimal exercise, subprocess engine (warm grader)",
            {
                let (subprocess, minimal, submission) = (&subprocess, &minimal, &submission);
                Box::new(move || {
                    timed(|| {
                        grade_exercise(subprocess, "bench", minimal, submission);
                    })
                })
            },
        ),
        (
            "`grade_exercise`, minimal exercise, embedded engine (warm grader)",
            {
                let (embedded, minimal, submission) = (&embedded, &minimal, &submission);
                Box::new(move || {
                    timed(|| {
                        grade_exercise(embedded, "bench", minimal, submission);
                    })
                })
            },
        ),
        ("`grade_folder`, one unittest folder, subprocess engine", {
            let (subprocess, unittest_folder) = (&subprocess, &unittest_folder);
            Box::new(move || {
                timed(|| {
                    grade_folder(subprocess, "bench", unittest_folder);
                })
            })
        }),
        ("`grade_folder`, one unittest folder, embedded engine", {
            let (embedded, unittest_folder) = (&embedded, &unittest_folder);
            Box::new(move || {
                timed(|| {
                    grade_folder(embedded, "bench", unittest_folder);
                })
            })
        }),
        ("scratch folder + copy of a two-file folder", {
            let (subprocess, unittest_folder) = (&subprocess, &unittest_folder);
            Box::new(move || {
                timed(|| {
                    folder_copy(subprocess, unittest_folder);
                })
            })
        }),
        (
            "`Unpacked::new()` (harness and catalogue written out, once per command)",
            Box::new(|| {
                timed(|| {
                    Unpacked::new().expect("unpack");
                })
            }),
        ),
        (
            "`Engine::subprocess` (probing the interpreter, once per command)",
            {
                let unpacked = &subprocess.unpacked;
                Box::new(move || {
                    timed(|| {
                        Which::Subprocess.engine(unpacked, Isolation::BestEffort);
                    })
                })
            },
        ),
        (
            "`Engine::embedded` (zygote start: interpreter, harness and preloads, warm-up; + probe; once per command)",
            {
                let unpacked = &subprocess.unpacked;
                Box::new(move || {
                    timed(|| {
                        Which::Embedded.engine(unpacked, Isolation::BestEffort);
                    })
                })
            },
        ),
        (
            "one-shot `pykata check MINIMAL --submission FILE` (default engine)",
            one_shot(&minimal_dir, &submission, None),
        ),
        (
            "one-shot `pykata check MINIMAL --submission FILE --engine embedded`",
            one_shot(&minimal_dir, &submission, Some("embedded")),
        ),
    ];

    let mut results = vec![Samples::default(); probes.len()];
    for round in 0..samples {
        crate::progress("breakdown", round, samples);
        let count = probes.len();
        for step in 0..count {
            let index = (step + round) % count;
            let elapsed = (probes[index].1)();
            results[index].push_duration(elapsed);
        }
    }
    let rows: Vec<Vec<String>> = probes
        .iter()
        .zip(&results)
        .map(|((label, _), samples)| {
            vec![
                label.to_string(),
                fmt_ms(samples.median()),
                fmt_ms(samples.p95()),
                fmt_ms(samples.min()),
            ]
        })
        .collect();
    drop(probes);
    let model = zygote_model(&folder, &python, &subprocess, &unittest_folder, samples);
    let body = format!(
        "{}\n{samples} samples each, the probes interleaved. \"No sandbox\" rows run the harness \
         directly, as a plain child of this process.\n\n\
         **The embedded engine's children, modelled in Python** \
         (`benches/pykata_bench/zygote_model.py`: a parent that imports the harness and prepares \
         itself as the row says, then forks one child per run of the harness's `main`; no \
         sandbox, no Rust; the exercise rows run retry's cases on its reference solution):\n\n{}\n",
        table(&["piece", "median", "p95", "min"], &rows),
        table(&["child", "median", "p95", "min"], &model),
    );
    Section {
        name: "breakdown",
        targets: Vec::new(),
        body,
    }
}

const ZYGOTE_MODEL_PY: &str = include_str!("zygote_model.py");

/// Runs zygote_model.py; its rows.
fn zygote_model(
    folder: &Path,
    python: &Path,
    grader: &Grader,
    unittest_folder: &Path,
    rounds: usize,
) -> Vec<Vec<String>> {
    let script = folder.join("zygote_model.py");
    fixtures::write(&script, ZYGOTE_MODEL_PY);
    let scratch = folder.join("model-scratch");
    fixtures::make_dir(&scratch);
    let submission = scratch.join("retry.py");
    fixtures::write(
        &submission,
        &fixtures::bundled_text("decorators/retry/solution.py"),
    );
    let catalogue = pykata::exercise::Catalogue::bundled().expect("the catalogue loads");
    let retry = catalogue.get("retry").expect("retry is bundled");
    let cases = retry.folder(&grader.unpacked).join("cases.py");
    let copy = folder_copy(grader, unittest_folder);
    let text = |path: &Path| path.display().to_string();
    let exercise_argv = serde_json::json!([
        "--channel-fd",
        "3",
        "exercise",
        "--cases",
        text(&cases),
        "--submission",
        text(&submission),
        "--module",
        "retry",
        "--seed",
        "1"
    ]);
    let folder_argv = serde_json::json!([
        "--channel-fd",
        "3",
        "folder",
        "--dir",
        text(copy.path()),
        "--pytest",
        "auto"
    ]);
    let output = Command::new(python)
        .args(["-I", "-B"])
        .arg(&script)
        .arg(&grader.unpacked.harness)
        .arg(rounds.to_string())
        .arg(&scratch)
        .arg(exercise_argv.to_string())
        .arg(folder_argv.to_string())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("failed to run zygote_model.py");
    assert!(
        output.status.success(),
        "zygote_model.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<(String, Vec<f64>)> =
        serde_json::from_slice(&output.stdout).expect("zygote_model.py printed no JSON list");
    results
        .into_iter()
        .map(|(name, values)| {
            let mut samples = Samples::default();
            for value in values {
                samples.push(value);
            }
            vec![
                name,
                fmt_ms(samples.median()),
                fmt_ms(samples.p95()),
                fmt_ms(samples.min()),
            ]
        })
        .collect()
}

fn one_shot(exercise: &Path, submission: &Path, engine: Option<&'static str>) -> Probe<'static> {
    let (exercise, submission): (PathBuf, PathBuf) = (exercise.into(), submission.into());
    Box::new(move || {
        let mut command: Command = quiet(pykata_binary());
        command
            .arg("check")
            .arg(&exercise)
            .arg("--submission")
            .arg(&submission)
            .args(["--format", "json"]);
        if let Some(engine) = engine {
            command.args(["--engine", engine]);
        }
        let (elapsed, status) = time_command(&mut command);
        assert!(
            status.success(),
            "pykata check failed on the minimal exercise"
        );
        elapsed
    })
}
