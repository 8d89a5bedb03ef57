//! Per-submission overhead at jobs=1: the wall time of grading one submission with a warm
//! grader (reference already run), minus the tests' own time, for both engines side by side.

use crate::Options;
use crate::engines::{self, Which};
use crate::fixtures::{self, BUNDLED, MINIMAL_MODULE, MINIMAL_SOLUTION};
use crate::measure::TestsTimer;
use crate::report::{Section, table};
use crate::stats::{Samples, TargetRow, Verdict, at_most, fmt_ms};
use pykata::exercise::{Catalogue, Exercise};
use pykata::grade::Status;
use pykata::grade::exercise::grade_exercise;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The target: median overhead with the embedded engine.
const TARGET_MS: f64 = 5.0;
const SEED: u64 = 424_242;

struct Subject {
    label: String,
    exercise: Exercise,
    submission: PathBuf,
}

/// The minimal exercise, then retry and lru_cache (rate_limiter is left out: one of its
/// cases sleeps on the real clock by design, which varies more than what this measures).
fn subjects(root: &Path) -> Vec<Subject> {
    let folder = root.join("overhead");
    fixtures::make_dir(&folder);
    let minimal = Exercise::from_folder(&fixtures::minimal_exercise(&folder))
        .expect("the minimal exercise loads");
    let submission = folder.join(format!("{MINIMAL_MODULE}.py"));
    fixtures::write(&submission, MINIMAL_SOLUTION);
    let mut subjects = vec![Subject {
        label: format!("{} (minimal)", fixtures::MINIMAL_ID),
        exercise: minimal,
        submission,
    }];
    let catalogue = Catalogue::bundled().expect("the catalogue loads");
    for (path, id) in BUNDLED.iter().take(2) {
        let exercise = catalogue.get(id).expect("bundled exercise").clone();
        let submission = folder.join(format!("{id}.py"));
        fixtures::write(
            &submission,
            &fixtures::bundled_text(&format!("{path}/solution.py")),
        );
        subjects.push(Subject {
            label: id.to_string(),
            exercise,
            submission,
        });
    }
    subjects
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let samples = options.samples;
    let subjects = subjects(root);
    let graders: Vec<(Which, pykata::grade::Grader)> = Which::BOTH
        .iter()
        .map(|&which| (which, engines::grader(which, SEED)))
        .collect();
    // walls[subject][engine]
    let mut walls = vec![vec![Samples::default(); graders.len()]; subjects.len()];
    let mut isolation = vec!["?"; graders.len()];

    let mut timers: Vec<TestsTimer> = subjects
        .iter()
        .map(|subject| {
            let unpacked = &graders[0].1.unpacked;
            TestsTimer::start(
                root,
                &unpacked.harness,
                &subject.exercise.folder(unpacked).join("cases.py"),
                &subject.submission,
                &subject.exercise.meta.module,
                SEED,
            )
        })
        .collect();

    // Warm-up: the reference runs (cached per grader), first imports, page cache.
    for subject in &subjects {
        for (index, (_, grader)) in graders.iter().enumerate() {
            for _ in 0..3 {
                let report =
                    grade_exercise(grader, "warm-up", &subject.exercise, &subject.submission);
                assert_eq!(
                    report.status,
                    Status::Pass,
                    "{} did not pass: {report:?}",
                    subject.label
                );
                isolation[index] = engines::isolation(&report);
            }
        }
    }
    for round in 0..samples {
        crate::progress("overhead", round, samples);
        for (subject_index, subject) in subjects.iter().enumerate() {
            // The tests' own time, measured beside this subject's grades of this round.
            timers[subject_index].pass();
            for step in 0..graders.len() {
                // Alternate which engine goes first, so neither always follows the other.
                let engine_index = (step + round) % graders.len();
                let grader = &graders[engine_index].1;
                let started = Instant::now();
                let report =
                    grade_exercise(grader, "bench", &subject.exercise, &subject.submission);
                walls[subject_index][engine_index].push_duration(started.elapsed());
                assert_eq!(report.status, Status::Pass, "{}: {report:?}", subject.label);
            }
        }
    }
    let mut rows = Vec::new();
    let mut targets = Vec::new();
    for (subject_index, subject) in subjects.iter().enumerate() {
        for (engine_index, (which, _)) in graders.iter().enumerate() {
            let wall = &walls[subject_index][engine_index];
            let own = &timers[subject_index];
            let mut overhead = Samples::default();
            for (round, ms) in wall.values().enumerate() {
                overhead.push(ms - own.near(round));
            }
            let label = engines::label(*which, isolation[engine_index]);
            rows.push(vec![
                subject.label.clone(),
                label.clone(),
                wall.len().to_string(),
                fmt_ms(wall.median()),
                fmt_ms(wall.p95()),
                format!(
                    "{} (p95 {}, cold {})",
                    fmt_ms(own.ms()),
                    fmt_ms(own.passes().p95()),
                    fmt_ms(own.cold_ms)
                ),
                fmt_ms(overhead.median()),
                fmt_ms(overhead.p95()),
            ]);
            let verdict = match which {
                Which::Embedded => at_most(overhead.median(), TARGET_MS, "ms"),
                Which::Subprocess => Verdict::Info,
            };
            if subject_index == 0 || *which == Which::Embedded {
                targets.push(TargetRow {
                    what: format!("per-submission overhead, {}: median (p95)", subject.label),
                    engine: label,
                    figure: format!("{} ({})", fmt_ms(overhead.median()), fmt_ms(overhead.p95())),
                    target: match which {
                        Which::Embedded => format!("median <= {TARGET_MS} ms"),
                        Which::Subprocess => "-".into(),
                    },
                    verdict,
                });
            }
        }
    }
    let body = format!(
        "{}\nOverhead = wall time of `grade_exercise` on a warm grader (reference cached, jobs=1) \
         minus the tests' own time: one warm pass of the same cases on the same file in a \
         long-lived Python process (`benches/pykata_bench/tests_time.py`) is measured beside \
         each round's grades, and each grade's wall time is paired with the median of the \
         passes of its round and the two rounds on each side. {samples} grades per row, the \
         engines alternating.\n",
        table(
            &[
                "exercise",
                "engine",
                "n",
                "wall median",
                "wall p95",
                "tests' own time (median of passes)",
                "overhead median",
                "overhead p95",
            ],
            &rows,
        )
    );
    Section {
        name: "overhead",
        targets,
        body,
    }
}
