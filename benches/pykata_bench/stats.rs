//! Summaries of timing samples, and the checks of figures against the targets.

use std::time::Duration;

/// A set of measurements of one thing, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    values: Vec<f64>,
}

impl Samples {
    /// Adds one measurement.
    pub fn push(&mut self, value_ms: f64) {
        self.values.push(value_ms);
    }

    /// Adds one duration.
    pub fn push_duration(&mut self, duration: Duration) {
        self.push(ms(duration));
    }

    /// The measurements, in the order they were taken.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.values.iter().copied()
    }

    /// How many measurements there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    fn sorted(&self) -> Vec<f64> {
        let mut sorted = self.values.clone();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    /// The nearest-rank percentile `p` (0-100); NaN when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        let sorted = self.sorted();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    /// The median (the mean of the two middle values for an even count).
    pub fn median(&self) -> f64 {
        let sorted = self.sorted();
        match sorted.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        }
    }

    /// The 95th percentile.
    pub fn p95(&self) -> f64 {
        self.percentile(95.0)
    }

    /// The smallest value.
    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }
}

/// A duration in milliseconds.
pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Milliseconds, with one decimal below 100.
pub fn fmt_ms(value: f64) -> String {
    if value.abs() < 100.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.0} ms")
    }
}

/// Seconds, with one decimal.
pub fn fmt_s(value_ms: f64) -> String {
    format!("{:.1} s", value_ms / 1000.0)
}

/// Megabytes (10^6 bytes, as the targets count them) from bytes.
pub fn fmt_mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Whether a figure meets its target.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Met, with the margin.
    Met(String),
    /// Missed, with by how much.
    Missed(String),
    /// No target: context only.
    Info,
    /// Context with a target it is not judged on, and how it stands against it.
    NotJudged(String),
}

impl Verdict {
    /// The cell of the results table.
    pub fn cell(&self) -> String {
        match self {
            Verdict::Met(margin) => format!("**met** ({margin})"),
            Verdict::Missed(by) => format!("**MISSED**: {by}"),
            Verdict::Info => "-".into(),
            Verdict::NotJudged(standing) => format!("- (not judged: {standing})"),
        }
    }
}

/// `value` must be at most `limit` (both in `unit`).
pub fn at_most(value: f64, limit: f64, unit: &str) -> Verdict {
    if value <= limit {
        Verdict::Met(format!("{:.1} {unit} to spare", limit - value))
    } else {
        Verdict::Missed(format!(
            "{:.1} {unit} over, {:.1}x the target",
            value - limit,
            value / limit
        ))
    }
}

/// `value` must be at least `limit` (a ratio).
pub fn at_least(value: f64, limit: f64) -> Verdict {
    if value >= limit {
        Verdict::Met(format!("{:.1}x above", value / limit))
    } else {
        Verdict::Missed(format!(
            "{value:.1}x instead of {limit:.0}x: pykata must get {:.1}x faster",
            limit / value
        ))
    }
}

/// One row of the targets table.
#[derive(Debug, Clone)]
pub struct TargetRow {
    /// What was measured.
    pub what: String,
    /// Which engine (and isolation) pykata used.
    pub engine: String,
    /// The figure, formatted.
    pub figure: String,
    /// The target, formatted (`-` for context rows).
    pub target: String,
    pub verdict: Verdict,
}
