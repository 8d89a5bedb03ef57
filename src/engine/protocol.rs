//! The messages the harness sends on the private channel (docs/protocol.md), parsed
//! defensively: the channel is written from inside the untrusted process.

use serde::Deserialize;
use serde_json::Value as Json;

/// One frame of a traceback, in the learner's or the test's files only.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Frame {
    pub file: String,
    pub line: u32,
    #[serde(default)]
    pub function: String,
    #[serde(default)]
    pub text: String,
}

/// An exception as the harness saw it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RaisedException {
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub traceback: Vec<Frame>,
}

/// One observation of an exercise case.
#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    pub label: String,
    pub kind: StepKind,
    /// The observed value, in the tagged form of `grade::value::Value::from_json`.
    #[serde(default)]
    pub value: Option<Json>,
    #[serde(default)]
    pub raised: Option<RaisedException>,
    /// For random cases: which run the step belongs to.
    #[serde(default)]
    pub run: Option<u32>,
}

/// What a step observed.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// The outcome of calling the learner's code.
    Call,
    /// Anything else the case observed.
    Note,
}

/// One exercise case as run by the harness.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseMessage {
    pub name: String,
    #[serde(default = "one")]
    pub points: f64,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub random: bool,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub error: Option<RaisedException>,
    #[serde(default)]
    pub output: String,
}

fn one() -> f64 {
    1.0
}

/// The submission could not be loaded.
#[derive(Debug, Clone, Deserialize)]
pub struct LoadError {
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub line: Option<u32>,
    #[serde(default)]
    pub column: Option<u32>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub traceback: Vec<Frame>,
}

/// A comparison that failed in a plain-folder test.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Comparison {
    pub op: String,
    pub left: String,
    pub right: String,
}

/// A subtest of a unittest test.
#[derive(Debug, Clone, Deserialize)]
pub struct SubtestMessage {
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub message: String,
}

/// One plain-folder test item.
#[derive(Debug, Clone, Deserialize)]
pub struct TestMessage {
    pub id: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub line: Option<u32>,
    pub name: String,
    pub status: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub compare: Option<Comparison>,
    #[serde(default)]
    pub traceback: Vec<Frame>,
    #[serde(default)]
    pub output: String,
    #[serde(default)]
    pub subtests: Vec<SubtestMessage>,
    /// What pytest's summary counts for this test (a test can count twice: failed, then
    /// an error in its teardown; each failed subtest counts once more).
    #[serde(default)]
    pub pytest_outcomes: Vec<String>,
    #[serde(default)]
    pub teardown_error: Option<TeardownError>,
}

/// A teardown that failed after a test.
#[derive(Debug, Clone, Deserialize)]
pub struct TeardownError {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub traceback: Vec<Frame>,
}

/// A test file that could not be imported.
#[derive(Debug, Clone, Deserialize)]
pub struct CollectError {
    pub file: String,
    #[serde(default)]
    pub line: Option<u32>,
    pub message: String,
    #[serde(default)]
    pub traceback: Vec<Frame>,
}

/// A test file needs a pytest feature the built-in runner lacks.
#[derive(Debug, Clone, Deserialize)]
pub struct NeedsPytest {
    pub file: String,
    pub feature: String,
}

/// Every message of the protocol: the `event` field names the variant.
#[derive(Debug, Clone)]
pub enum Message {
    Start { protocol: u32, python: String },
    LoadError(LoadError),
    Case(CaseMessage),
    CollectError(CollectError),
    NeedsPytest(NeedsPytest),
    Test(TestMessage),
    Done { count: u64 },
}

/// The `event` field alone; the other fields are skipped without being built.
#[derive(Deserialize)]
struct EventName<'a> {
    #[serde(borrow)]
    event: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct StartFields {
    #[serde(default)]
    protocol: u32,
    #[serde(default)]
    python: String,
}

#[derive(Deserialize)]
struct DoneFields {
    count: u64,
}

impl Message {
    /// Parses one line. The event is read first, then the line is parsed once more into
    /// that event's fields: serde's own internally tagged enums buffer every value of the
    /// line into an intermediate tree first, which costs more than a second pass over the
    /// text for the long case messages.
    fn parse_line(line: &[u8]) -> Option<Message> {
        let EventName { event } = serde_json::from_slice(line).ok()?;
        let message = match &*event {
            "start" => serde_json::from_slice(line)
                .map(|StartFields { protocol, python }| Message::Start { protocol, python }),
            "load_error" => serde_json::from_slice(line).map(Message::LoadError),
            "case" => serde_json::from_slice(line).map(Message::Case),
            "collect_error" => serde_json::from_slice(line).map(Message::CollectError),
            "needs_pytest" => serde_json::from_slice(line).map(Message::NeedsPytest),
            "test" => serde_json::from_slice(line).map(Message::Test),
            "done" => {
                serde_json::from_slice(line).map(|DoneFields { count }| Message::Done { count })
            }
            _ => return None,
        };
        message.ok()
    }
}

/// The channel's content, split into messages.
#[derive(Debug, Default)]
pub struct Transcript {
    pub messages: Vec<Message>,
    /// Lines that were not valid messages (forged, cut or corrupt).
    pub malformed_lines: usize,
}

impl Transcript {
    /// Parses JSON Lines; a line that does not parse is counted, not trusted.
    pub fn parse(bytes: &[u8]) -> Transcript {
        let mut transcript = Transcript::default();
        for line in bytes.split(|&byte| byte == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match Message::parse_line(line) {
                Some(message) => transcript.messages.push(message),
                None => transcript.malformed_lines += 1,
            }
        }
        transcript
    }

    /// The completion record's count, when the run reached the end: exactly one `done`,
    /// last, whose count matches the result messages sent before it.
    pub fn completed_count(&self) -> Option<u64> {
        let (last, rest) = self.messages.split_last()?;
        let Message::Done { count } = last else {
            return None;
        };
        if rest
            .iter()
            .any(|message| matches!(message, Message::Done { .. }))
        {
            return None;
        }
        let results = rest
            .iter()
            .filter(|message| matches!(message, Message::Case(_) | Message::Test(_)))
            .count() as u64;
        (results == *count).then_some(*count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_requires_matching_count_and_last_position() {
        let good = b"{\"event\":\"start\",\"protocol\":1}\n{\"event\":\"case\",\"name\":\"a\"}\n{\"event\":\"done\",\"count\":1}\n";
        assert_eq!(Transcript::parse(good).completed_count(), Some(1));
        let wrong_count =
            b"{\"event\":\"case\",\"name\":\"a\"}\n{\"event\":\"done\",\"count\":2}\n";
        assert_eq!(Transcript::parse(wrong_count).completed_count(), None);
        let not_last = b"{\"event\":\"done\",\"count\":0}\n{\"event\":\"case\",\"name\":\"a\"}\n";
        assert_eq!(Transcript::parse(not_last).completed_count(), None);
    }

    #[test]
    fn the_event_is_found_anywhere_in_the_line_and_may_be_escaped() {
        let transcript = Transcript::parse(
            b"{\"name\":\"a\",\"steps\":[{\"label\":\"f()\",\"kind\":\"call\",\"value\":[\"none\"]}],\"event\":\"case\"}\n{\"event\":\"d\\u006fne\",\"count\":1}\n",
        );
        assert_eq!(transcript.malformed_lines, 0);
        let Message::Case(case) = &transcript.messages[0] else {
            panic!("expected a case, got {:?}", transcript.messages[0]);
        };
        assert_eq!(case.steps[0].label, "f()");
        assert_eq!(transcript.completed_count(), Some(1));
    }

    #[test]
    fn a_message_missing_its_fields_is_malformed() {
        let transcript = Transcript::parse(b"{\"event\":\"done\"}\n{\"event\":\"case\"}\n");
        assert_eq!(transcript.malformed_lines, 2);
        assert!(transcript.messages.is_empty());
    }

    #[test]
    fn garbage_lines_are_counted_not_trusted() {
        let transcript = Transcript::parse(
            b"PASSED 10/10\n{\"event\":\"nope\"}\n{\"event\":\"done\",\"count\":0}\n",
        );
        assert_eq!(transcript.malformed_lines, 2);
        assert_eq!(transcript.completed_count(), Some(0));
    }
}
