//! JSON Lines: one object per graded PATH, in the order given (the contract in DESIGN.md).

use super::{Event, Reporter};
use std::io::{self, Write};

/// Writes one JSON object per graded PATH.
pub struct JsonReporter {
    out: Box<dyn Write>,
}

impl JsonReporter {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write>) -> JsonReporter {
        JsonReporter { out }
    }
}

impl Reporter for JsonReporter {
    fn report(&mut self, event: &Event<'_>) -> io::Result<()> {
        match event {
            Event::SubmissionFinished { report, .. } => {
                serde_json::to_writer(&mut self.out, report)?;
                self.out.write_all(b"\n")?;
                self.out.flush()
            }
            Event::Notice { message } => writeln!(io::stderr(), "pykata: {message}"),
            _ => Ok(()),
        }
    }
}
