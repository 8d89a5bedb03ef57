//! Graders kept warm in this process, one per engine, as watch mode and the runner use them.

use pykata::assets::Unpacked;
use pykata::engine::{Engine, default_python};
use pykata::grade::{Grader, SubmissionReport};
use pykata::settings::{Isolation, LimitOverrides};

/// The two engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Subprocess,
    Embedded,
}

impl Which {
    pub const BOTH: [Which; 2] = [Which::Embedded, Which::Subprocess];

    /// The engine's name.
    pub fn name(self) -> &'static str {
        match self {
            Which::Subprocess => "subprocess",
            Which::Embedded => "embedded",
        }
    }

    /// The engine itself, with the default isolation (best effort), for the harness in
    /// `unpacked`.
    pub fn engine(self, unpacked: &Unpacked, isolation: Isolation) -> Engine {
        let engine = match self {
            Which::Subprocess => {
                Engine::subprocess(&default_python(), &unpacked.harness, isolation)
            }
            Which::Embedded => Engine::embedded(&unpacked.harness, isolation),
        };
        engine.unwrap_or_else(|error| panic!("the {} engine did not start: {error}", self.name()))
    }
}

/// A grader for `which` with its own unpacked harness and catalogue, and a fixed seed.
pub fn grader(which: Which, seed: u64) -> Grader {
    let unpacked = Unpacked::new().expect("failed to unpack the harness");
    let engine = which.engine(&unpacked, Isolation::BestEffort);
    Grader::new(engine, unpacked, seed, LimitOverrides::default())
}

/// The same grader with another seed: its engine (and zygote) kept, its cached reference
/// runs dropped, as a grader made for a new seed would have them.
pub fn reseeded(grader: Grader, seed: u64) -> Grader {
    let Grader {
        engine,
        unpacked,
        overrides,
        ..
    } = grader;
    Grader::new(engine, unpacked, seed, overrides)
}

/// How the run of a report was isolated: `full`, `partial` or `none`.
pub fn isolation(report: &SubmissionReport) -> &'static str {
    report
        .isolation
        .as_ref()
        .map_or("none", |summary| summary.level)
}

/// "embedded (sandbox: none)": the engine and the isolation its runs got.
pub fn label(which: Which, isolation: &str) -> String {
    format!("{} (sandbox: {isolation})", which.name())
}
