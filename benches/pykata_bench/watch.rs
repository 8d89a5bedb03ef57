//! Save to verdict: a long-lived process keeps one grader per engine warm (as watch mode
//! does), writes the learner's file and grades it; the time from the start of the write to
//! the rendered report. Then the same through the real watch loop: `pykata watch --bench N`
//! in a workspace (file watcher, debounce, grade, drawing on a headless screen).

use crate::Options;
use crate::engines::{self, Which};
use crate::fixtures::{self, BUNDLED};
use crate::measure::TestsTimer;
use crate::report::{Section, table};
use crate::stats::{Samples, TargetRow, at_most, fmt_ms};
use pykata::exercise::{Catalogue, Exercise};
use pykata::grade::exercise::grade_exercise;
use pykata::grade::{Grader, Status};
use pykata::report::{Event, HumanReporter, Reporter, RunStats};
use std::path::{Path, PathBuf};
use std::time::Instant;

const TARGET_MS: f64 = 50.0;
const SEED: u64 = 777_001;

/// Whether the seed stays the same from one save to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SeedMode {
    /// One grader, one seed: the reference ran once, before the first save.
    Kept,
    /// A new seed on every save: the reference runs again, beside the submission.
    Fresh,
}

struct Config {
    which: Which,
    mode: SeedMode,
    exercise: Exercise,
    solution: String,
    file: PathBuf,
    times: Samples,
    isolation: &'static str,
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let saves = options.saves;
    let catalogue = Catalogue::bundled().expect("the catalogue loads");
    let mut graders: Vec<Option<Grader>> = Vec::new();
    let mut grader_of = Vec::new();
    let mut configs = Vec::new();
    for mode in [SeedMode::Kept, SeedMode::Fresh] {
        for which in Which::BOTH {
            let index = graders.len();
            graders.push(Some(engines::grader(which, SEED)));
            for (path, id) in BUNDLED {
                let folder = root.join(format!("watch/{}-{mode:?}/{id}", which.name()));
                fixtures::make_dir(&folder);
                let file = folder.join(format!("{id}.py"));
                let solution = fixtures::bundled_text(&format!("{path}/solution.py"));
                fixtures::write(&file, &solution);
                configs.push(Config {
                    which,
                    mode,
                    exercise: catalogue.get(id).expect("bundled exercise").clone(),
                    solution,
                    file,
                    times: Samples::default(),
                    isolation: "?",
                });
                grader_of.push(index);
            }
        }
    }

    let own_harness = graders[0]
        .as_ref()
        .expect("grader present")
        .unpacked
        .harness
        .clone();
    let mut seed = SEED;
    let mut step = |configs: &mut Vec<Config>, number: usize, record: bool| {
        let count = configs.len();
        for offset in 0..count {
            let index = (offset + number) % count;
            let config = &mut configs[index];
            let slot = &mut graders[grader_of[index]];
            if config.mode == SeedMode::Fresh {
                seed += 1;
                let grader = slot.take().expect("grader present");
                *slot = Some(engines::reseeded(grader, seed));
            }
            let grader = slot.as_ref().expect("grader present");
            let time = save(config, grader, number);
            if record {
                config.times.push(time);
            }
        }
    };
    for number in 0..2 {
        step(&mut configs, number, false);
    }
    // The tests' own time of each bundled solution, one pass beside every round of saves.
    let mut timers: Vec<TestsTimer> = BUNDLED
        .iter()
        .map(|(path, id)| {
            let folder = root.join(format!("watch/own/{id}"));
            fixtures::make_dir(&folder);
            let file = folder.join(format!("{id}.py"));
            fixtures::write(
                &file,
                &fixtures::bundled_text(&format!("{path}/solution.py")),
            );
            let cases = root.join(format!("watch/own/{id}-cases.py"));
            fixtures::write(&cases, &fixtures::bundled_text(&format!("{path}/cases.py")));
            TestsTimer::start(root, &own_harness, &cases, &file, id, SEED)
        })
        .collect();
    for number in 0..saves {
        crate::progress("watch", number, saves);
        step(&mut configs, number, true);
        for timer in &mut timers {
            timer.pass();
        }
    }

    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for (index, config) in configs.iter().enumerate() {
        let timer = &timers[index % BUNDLED.len()];
        let own_ms = timer.ms();
        let mut beyond = Samples::default();
        for (round, ms) in config.times.values().enumerate() {
            beyond.push(ms - timer.near(round));
        }
        let label = engines::label(config.which, config.isolation);
        // Watch mode runs the default engine, the embedded one (this benchmark needs it):
        // the subprocess engine's rows show how it stands, unjudged.
        let judged = config.which == Which::Embedded;
        let verdict = if !judged {
            let median = config.times.median();
            crate::stats::Verdict::NotJudged(if median <= TARGET_MS {
                format!("within {TARGET_MS} ms")
            } else {
                format!("{:.1} ms over {TARGET_MS} ms", median - TARGET_MS)
            })
        } else if own_ms > TARGET_MS {
            crate::stats::Verdict::Missed(format!(
                "the exercise's own tests take {} alone",
                fmt_ms(own_ms)
            ))
        } else {
            at_most(config.times.median(), TARGET_MS, "ms")
        };
        let mode = match config.mode {
            SeedMode::Kept => "kept (reference cached)",
            SeedMode::Fresh => "new per save (reference re-run)",
        };
        rows.push(vec![
            config.exercise.meta.id.clone(),
            label.clone(),
            mode.into(),
            config.times.len().to_string(),
            fmt_ms(config.times.median()),
            fmt_ms(config.times.p95()),
            fmt_ms(own_ms),
            fmt_ms(beyond.median()),
            verdict.cell(),
        ]);
        if config.mode == SeedMode::Kept {
            targets.push(TargetRow {
                what: format!("save to verdict, {}: median (p95)", config.exercise.meta.id),
                engine: label,
                figure: format!(
                    "{} ({})",
                    fmt_ms(config.times.median()),
                    fmt_ms(config.times.p95())
                ),
                target: if judged {
                    format!("median <= {TARGET_MS} ms")
                } else {
                    "- (the fallback engine; watch mode runs the default one)".into()
                },
                verdict,
            });
        }
    }
    let mut loop_rows = Vec::new();
    for (path, id) in BUNDLED {
        let figures = through_watch_loop(root, path, id, saves);
        let (figure, verdict) = match &figures {
            Ok((median, p95, _)) => (
                format!("{} ({})", fmt_ms(*median), fmt_ms(*p95)),
                at_most(*median, TARGET_MS, "ms"),
            ),
            Err(why) => (
                "-".to_string(),
                crate::stats::Verdict::Missed(format!("not measured: {why}")),
            ),
        };
        let engine = figures
            .as_ref()
            .map_or_else(|_| "?".to_string(), |(_, _, engine)| engine.clone());
        loop_rows.push(vec![
            id.to_string(),
            engine.clone(),
            saves.to_string(),
            figure.clone(),
            verdict.cell(),
        ]);
        targets.push(TargetRow {
            what: format!("save to verdict through the watch loop, {id}: median (p95)"),
            engine,
            figure,
            target: format!("median <= {TARGET_MS} ms"),
            verdict,
        });
    }
    let body = format!(
        "{}\nEach save writes the learner's file (the reference solution plus a changing comment), \
         grades it with `grade_exercise` on a grader kept in this process and renders the human \
         report; the time runs from the start of the write to the rendered report. No file \
         watcher is involved (its debounce comes on top). {saves} saves per row, the rows \
         interleaved. The tests' own time is one warm pass of the exercise's cases on the same \
         solution in a long-lived Python process (`tests_time.py`) after every round of saves; \
         each save is paired with the median of the passes of its round and the two rounds on \
         each side.\n\n**Through the watch loop.** `pykata watch --bench {saves}` in a workspace made by \
         `pykata init`, the exercise's file holding its reference solution: a thread of watch mode \
         saves the file (its text plus a changing comment) every 40 ms or so, and the time runs from \
         the start of the write until the verdict is drawn, on a headless 120x40 screen, by the real \
         loop: the file watcher's event, its 10 ms debounce, the grade (the reference's run cached \
         for the session's seed), the drawing. Three saves of warm-up are left out.\n\n{}",
        table(
            &[
                "exercise",
                "engine",
                "seed",
                "n",
                "median",
                "p95",
                "tests' own time",
                "median of (save minus tests)",
                "vs 50 ms",
            ],
            &rows,
        ),
        table(
            &["exercise", "engine", "n", "median (p95)", "vs 50 ms"],
            &loop_rows,
        )
    );
    Section {
        name: "watch",
        targets,
        body,
    }
}

/// One save: write, grade, render; returns the milliseconds it took.
fn save(config: &mut Config, grader: &Grader, number: usize) -> f64 {
    let text = format!("{}\n# save {number}\n", config.solution);
    let mut reporter = HumanReporter::new(Box::new(std::io::sink()));
    let started = Instant::now();
    fixtures::write(&config.file, &text);
    let path = config.file.display().to_string();
    let report = grade_exercise(grader, &path, &config.exercise, &config.file);
    let mut stats = RunStats::default();
    stats.record(&report);
    reporter
        .report(&Event::RunStarted {
            targets: 1,
            seed: grader.seed,
        })
        .and_then(|()| {
            reporter.report(&Event::SubmissionFinished {
                index: 0,
                report: &report,
            })
        })
        .and_then(|()| reporter.report(&Event::RunFinished { stats: &stats }))
        .expect("rendering to a sink cannot fail");
    let elapsed = started.elapsed();
    assert_eq!(
        report.status,
        Status::Pass,
        "{}: {report:?}",
        config.exercise.meta.id
    );
    config.isolation = engines::isolation(&report);
    crate::stats::ms(elapsed)
}

/// `pykata watch --bench SAVES` in a fresh workspace on exercise `id` (its file holding the
/// reference solution): (median ms, p95 ms, engine).
fn through_watch_loop(
    root: &Path,
    path: &str,
    id: &str,
    saves: usize,
) -> Result<(f64, f64, String), String> {
    let binary = env!("CARGO_BIN_EXE_pykata");
    let workspace = root.join(format!("watch/loop-{id}"));
    let init = std::process::Command::new(binary)
        .arg("init")
        .arg(&workspace)
        .output()
        .map_err(|error| error.to_string())?;
    if !init.status.success() {
        return Err(String::from_utf8_lossy(&init.stderr).into_owned());
    }
    let catalogue = Catalogue::bundled().expect("the catalogue loads");
    let module = &catalogue.get(id).expect("bundled exercise").meta.module;
    fixtures::write(
        &workspace.join(id).join(format!("{module}.py")),
        &fixtures::bundled_text(&format!("{path}/solution.py")),
    );
    fixtures::write(
        &workspace.join("pykata-progress.toml"),
        &format!("current = \"{id}\"\n"),
    );
    let output = std::process::Command::new(binary)
        .args(["watch", "--bench", &saves.to_string()])
        .current_dir(&workspace)
        .output()
        .map_err(|error| error.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() || !text.contains("passed") {
        return Err(format!(
            "{}{}",
            text.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let number = |label: &str| -> Result<f64, String> {
        let rest = text
            .split_once(label)
            .ok_or_else(|| format!("no {label:?} in {text:?}"))?
            .1;
        rest.split_whitespace()
            .next()
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| format!("no number after {label:?} in {text:?}"))
    };
    let engine = text
        .split_once("engine ")
        .and_then(|(_, rest)| rest.split(',').next())
        .unwrap_or("?")
        .to_string();
    Ok((number("median ")?, number("p95 ")?, engine))
}
