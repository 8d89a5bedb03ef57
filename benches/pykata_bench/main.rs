//! pykata's benchmarks (issue 4): `cargo bench --bench pykata_bench [-- SECTION... OPTIONS]`.
//!
//! Every section generates its fixtures in a temporary folder and measures the things it
//! compares side by side in one run (interleaved, the order rotated), because the machines
//! are shared and noisy: compare the ratios and the figures of one run, not runs of
//! different days. The output is markdown: a table of the issue's targets, met or missed
//! and by how much, then each section's figures. `--write docs/BENCHMARKS.md` rewrites the
//! figures between the document's `<!-- pykata-bench:NAME:begin/end -->` markers.
//!
//! ```text
//! cargo bench --bench pykata_bench                              # everything, the issue's sizes
//! cargo bench --bench pykata_bench -- overhead watch            # a subset
//! cargo bench --bench pykata_bench -- --quick                   # small sizes, a quick check
//! cargo bench --bench pykata_bench -- --write docs/BENCHMARKS.md
//! ```
//!
//! Sections: `overhead`, `folders`, `watch`, `memory`, `breakdown`, `batch`, `realfolders`.
//! Options: `--quick`, `--samples N` (overhead), `--saves N` (watch), `--folders N`, `--rounds N` (folders),
//! `--submissions N` (memory), `--breakdown-samples N`, `--write PATH` (or the environment
//! variable `PYKATA_BENCH_WRITE`). The memory section's headline needs a memory cgroup it
//! can make (root, or a delegated cgroup); `PYKATA_BENCH_NO_CGROUP=1` shows its fallback.

mod batch;
mod breakdown;
mod cgroup;
mod engines;
mod fixtures;
mod folders;
mod measure;
mod memory;
mod overhead;
mod realfolders;
mod report;
mod stats;
mod watch;

use std::path::PathBuf;
use std::process::ExitCode;

const SECTIONS: [&str; 7] = [
    "overhead",
    "folders",
    "watch",
    "memory",
    "breakdown",
    "batch",
    "realfolders",
];

/// What to run, and how big.
#[derive(Debug, Clone)]
pub struct Options {
    sections: Vec<&'static str>,
    quick: bool,
    /// Grades per exercise and engine (overhead).
    pub samples: usize,
    /// Saves per row (watch).
    pub saves: usize,
    /// Plain folders graded (folders).
    pub folders: usize,
    /// Rounds of every variant (folders).
    pub rounds: usize,
    /// Submissions graded (memory).
    pub submissions: usize,
    /// Samples per piece (breakdown).
    pub breakdown_samples: usize,
    write: Option<PathBuf>,
    /// The arguments as given, for the record.
    arguments: Vec<String>,
}

impl Options {
    fn parse(arguments: Vec<String>) -> Result<Options, String> {
        let quick = arguments.iter().any(|argument| argument == "--quick");
        let mut options = Options {
            sections: Vec::new(),
            quick,
            samples: if quick { 10 } else { 60 },
            saves: if quick { 10 } else { 50 },
            folders: if quick { 30 } else { 300 },
            rounds: if quick { 1 } else { 3 },
            submissions: if quick { 100 } else { 1000 },
            breakdown_samples: if quick { 5 } else { 20 },
            write: std::env::var_os("PYKATA_BENCH_WRITE").map(PathBuf::from),
            arguments: Vec::new(),
        };
        let mut iter = arguments.into_iter();
        while let Some(argument) = iter.next() {
            let mut number = |name: &str| -> Result<usize, String> {
                let value = iter.next().ok_or(format!("{name} needs a value"))?;
                options.arguments.extend([name.to_string(), value.clone()]);
                value
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("{name} takes a positive number, not {value:?}"))
            };
            match argument.as_str() {
                // cargo bench adds it; libtest's filters would come after it.
                "--bench" => {}
                "--quick" => options.arguments.push(argument),
                "--samples" => options.samples = number("--samples")?,
                "--saves" => options.saves = number("--saves")?,
                "--folders" => options.folders = number("--folders")?,
                "--rounds" => options.rounds = number("--rounds")?,
                "--submissions" => options.submissions = number("--submissions")?,
                "--breakdown-samples" => {
                    options.breakdown_samples = number("--breakdown-samples")?;
                }
                "--write" => {
                    let path = iter.next().ok_or("--write needs a path")?;
                    options.write = Some(PathBuf::from(path));
                }
                "-h" | "--help" => return Err(help()),
                name => match SECTIONS.iter().find(|section| **section == name) {
                    Some(section) => {
                        options.sections.push(section);
                        options.arguments.push(argument);
                    }
                    None => return Err(format!("unknown argument {name:?}\n\n{}", help())),
                },
            }
        }
        if options.sections.is_empty() {
            options.sections = SECTIONS.to_vec();
        }
        Ok(options)
    }

    /// The command that reproduces this run.
    fn command(&self) -> String {
        let mut command = "cargo bench --bench pykata_bench".to_string();
        if !self.arguments.is_empty() {
            command.push_str(" -- ");
            command.push_str(&self.arguments.join(" "));
        }
        command
    }
}

fn help() -> String {
    format!(
        "usage: cargo bench --bench pykata_bench [-- [SECTION...] [--quick] [--samples N] \
         [--saves N] [--folders N] [--rounds N] [--submissions N] [--breakdown-samples N] \
         [--write docs/BENCHMARKS.md]]\nsections: {}",
        SECTIONS.join(", ")
    )
}

/// Says where a section is, on stderr.
pub fn progress(section: &str, done: usize, total: usize) {
    eprint!("\r{section}: {done}/{total}   ");
    if done + 1 == total {
        eprintln!();
    }
}

/// The bundled exercises, as `pykata` embeds them.
static CATALOGUE: include_dir::Dir<'static> = pykata::bundled_catalogue!();

fn main() -> ExitCode {
    // The catalogue is the executable's to embed, and the zygote is cargo's build of it.
    pykata::assets::register_catalogue(&CATALOGUE);
    pykata::engine::embedded::set_zygote_program(env!("CARGO_BIN_EXE_pykata-zygote"));
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    // `cargo test --benches` runs this without `--bench`: nothing to measure then.
    if !arguments.iter().any(|argument| argument == "--bench") {
        println!("pykata_bench: run it with `cargo bench --bench pykata_bench`");
        return ExitCode::SUCCESS;
    }
    let options = match Options::parse(arguments) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut provenance = measure::Provenance::gather();
    provenance.check_concurrent();
    let root = fixtures::temp_root();
    let mut sections = Vec::new();
    for &name in &options.sections {
        eprintln!("== {name}");
        let section = match name {
            "overhead" => overhead::run(&options, root.path()),
            "folders" => folders::run(&options, root.path()),
            "watch" => watch::run(&options, root.path()),
            "memory" => memory::run(&options, root.path()),
            "breakdown" => breakdown::run(&options, root.path()),
            "batch" => batch::run(&options, root.path()),
            "realfolders" => realfolders::run(&options, root.path()),
            _ => unreachable!("sections are checked when parsing"),
        };
        sections.push(section);
        provenance.check_concurrent();
    }

    provenance.finish();
    let provenance_line = report::provenance_line(&provenance, &options.command(), options.quick);
    let summary = report::summary(&sections);
    println!("# pykata benchmarks\n\n{provenance_line}\n## Targets\n\n{summary}");
    for section in &sections {
        println!("## {}\n\n{}", section.name, section.body);
    }
    if let Some(path) = &options.write {
        match report::write_doc(path, &sections, &SECTIONS, &provenance_line) {
            Ok(()) => eprintln!(
                "pykata_bench: rewrote the figures of {} and the summary in {}",
                options.sections.join(", "),
                path.display()
            ),
            Err(message) => {
                eprintln!("pykata_bench: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
