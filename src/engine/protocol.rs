//! The messages the harness sends on the private channel (docs/protocol.md), parsed
//! defensively: the channel is written from inside the untrusted process.

use crate::grade::value::Value;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

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

/// One observation of an exercise case. On the channel it is an array (docs/protocol.md,
/// STEP): `[label, "call", VALUE]`, `[label, "raised", EXCEPTION]` or `[label, "note",
/// VALUE]`, with the run index as a fourth element for the steps of random cases.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub kind: StepKind,
    /// The observed value (calls that returned, notes), converted once when the step is
    /// parsed; a malformed VALUE is `Value::Refused`.
    pub value: Option<Value>,
    /// The exception of a call that raised.
    pub raised: Option<RaisedException>,
    /// For random cases: which run the step belongs to.
    pub run: Option<u32>,
}

/// What a step observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The outcome of calling the learner's code.
    Call,
    /// Anything else the case observed.
    Note,
}

/// The second element of a step on the wire.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum WireKind {
    Call,
    Raised,
    Note,
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Step, D::Error> {
        deserializer.deserialize_seq(StepVisitor)
    }
}

/// Reads a step's array element by element: anything but 3 or 4 elements of the right
/// types is an error, which makes the whole message malformed. The VALUE is read as a
/// JSON tree (serde_json bounds its depth) and converted by `Value::from_json`, which
/// turns a malformed one into `Value::Refused`.
struct StepVisitor;

impl StepVisitor {
    /// The third element of a call that returned or of a note.
    fn value<'de, A: SeqAccess<'de>>(&self, seq: &mut A) -> Result<Value, A::Error> {
        let json: Json = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(2, self))?;
        Ok(Value::from_json(&json))
    }
}

impl<'de> Visitor<'de> for StepVisitor {
    type Value = Step;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a step: [label, \"call\"|\"raised\"|\"note\", observed, run?]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Step, A::Error> {
        let label: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let kind: WireKind = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        let (kind, value, raised) = match kind {
            WireKind::Call => (StepKind::Call, Some(self.value(&mut seq)?), None),
            WireKind::Note => (StepKind::Note, Some(self.value(&mut seq)?), None),
            WireKind::Raised => {
                let raised: RaisedException = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(2, &self))?;
                (StepKind::Call, None, Some(raised))
            }
        };
        let run: Option<u32> = seq.next_element()?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(5, &self));
        }
        Ok(Step {
            label,
            kind,
            value,
            raised,
            run,
        })
    }
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

/// Something the folder runner tells the user (options it ignored, a module imported from
/// outside the graded folder): shown in the report, never part of the verdict.
#[derive(Debug, Clone, Deserialize)]
pub struct Notice {
    pub text: String,
}

/// Every message of the protocol: the `event` field names the variant.
#[derive(Debug, Clone)]
pub enum Message {
    Start {
        protocol: u32,
        python: String,
    },
    LoadError(LoadError),
    /// Shared: a run whose line is identical to a known run's reuses its message
    /// ([`KnownLines`]).
    Case(Arc<CaseMessage>),
    CollectError(CollectError),
    NeedsPytest(NeedsPytest),
    Notice(Notice),
    Test(Box<TestMessage>),
    /// The tests (or cases) of the run, in the order they run: node ids, or case names.
    Collected {
        ids: Vec<String>,
    },
    /// Test (or case) `index` of `Collected` starts; its result follows.
    Begin {
        index: u64,
        id: String,
    },
    Done {
        count: u64,
    },
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

#[derive(Deserialize)]
struct CollectedFields {
    ids: Vec<String>,
}

#[derive(Deserialize)]
struct BeginFields {
    index: u64,
    id: String,
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
            "case" => serde_json::from_slice(line).map(|case| Message::Case(Arc::new(case))),
            "collect_error" => serde_json::from_slice(line).map(Message::CollectError),
            "needs_pytest" => serde_json::from_slice(line).map(Message::NeedsPytest),
            "notice" => serde_json::from_slice(line).map(Message::Notice),
            "test" => serde_json::from_slice(line).map(|test| Message::Test(Box::new(test))),
            "collected" => serde_json::from_slice(line)
                .map(|CollectedFields { ids }| Message::Collected { ids }),
            "begin" => serde_json::from_slice(line)
                .map(|BeginFields { index, id }| Message::Begin { index, id }),
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
        Transcript::parse_reusing(bytes, None)
    }

    /// [`Transcript::parse`], except that a line identical, byte for byte, to the line at
    /// the same position of `known` takes that line's message instead of being parsed
    /// again: the same result, since parsing depends on nothing but the line. A correct
    /// submission's run repeats the reference run's lines exactly, and its longest lines
    /// (a random case's hundreds of steps) cost far more to parse than to compare.
    pub fn parse_reusing(bytes: &[u8], known: Option<&KnownLines>) -> Transcript {
        let mut transcript = Transcript::default();
        for (position, line) in lines(bytes).enumerate() {
            let message = match known.and_then(|known| known.get(position, line)) {
                Some(message) => message.clone(),
                None => Message::parse_line(line),
            };
            match message {
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

/// The lines of a run with what each parsed to, kept so that later runs that send the same
/// lines need not parse them again ([`Transcript::parse_reusing`]).
#[derive(Debug, Default)]
pub struct KnownLines {
    bytes: Box<[u8]>,
    /// Each non-blank line's place in `bytes`, and its message (None: malformed).
    lines: Vec<(Range<usize>, Option<Message>)>,
}

impl KnownLines {
    /// The lines of `bytes` (a run's channel) with the messages of `transcript`, which
    /// must be `bytes` parsed. The lines are parsed again when they and the messages do
    /// not pair up one to one (a line was malformed).
    pub fn of_run(bytes: &[u8], transcript: &Transcript) -> KnownLines {
        let start_of = |line: &[u8]| line.as_ptr() as usize - bytes.as_ptr() as usize;
        let ranges: Vec<(Range<usize>, &[u8])> = lines(bytes)
            .map(|line| {
                let start = start_of(line);
                (start..start + line.len(), line)
            })
            .collect();
        let lines = if transcript.malformed_lines == 0 && transcript.messages.len() == ranges.len()
        {
            ranges
                .into_iter()
                .zip(&transcript.messages)
                .map(|((range, _), message)| (range, Some(message.clone())))
                .collect()
        } else {
            ranges
                .into_iter()
                .map(|(range, line)| (range, Message::parse_line(line)))
                .collect()
        };
        KnownLines {
            bytes: bytes.into(),
            lines,
        }
    }

    /// What the known line at `position` parsed to, when `line` is that same line.
    fn get(&self, position: usize, line: &[u8]) -> Option<&Option<Message>> {
        let (range, message) = self.lines.get(position)?;
        (self.bytes[range.clone()] == *line).then_some(message)
    }
}

/// The non-blank lines of a channel's bytes.
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
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
            b"{\"name\":\"a\",\"steps\":[[\"f()\",\"call\",[\"none\"]]],\"event\":\"case\"}\n{\"event\":\"d\\u006fne\",\"count\":1}\n",
        );
        assert_eq!(transcript.malformed_lines, 0);
        let Message::Case(case) = &transcript.messages[0] else {
            panic!("expected a case, got {:?}", transcript.messages[0]);
        };
        assert_eq!(case.steps[0].label, "f()");
        assert_eq!(transcript.completed_count(), Some(1));
    }

    /// A reference-like run: start, two cases (the second with a random run), a malformed
    /// line, done.
    const KNOWN_RUN: &[u8] = b"{\"event\":\"start\",\"protocol\":1,\"python\":\"3.11.7\"}\n\
{\"event\":\"case\",\"name\":\"a\",\"steps\":[[\"f()\",\"call\",[\"int\",\"1\"]]]}\n\
{\"event\":\"case\",\"name\":\"b\",\"random\":true,\"steps\":[[\"g()\",\"note\",[\"str\",\"x\"],0]]}\n\
not json\n\
{\"event\":\"done\",\"count\":2}\n";

    fn case_names(transcript: &Transcript) -> Vec<String> {
        transcript
            .messages
            .iter()
            .filter_map(|message| match message {
                Message::Case(case) => Some(format!("{}:{:?}", case.name, case.steps)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn identical_lines_reuse_the_known_messages_and_parse_the_same() {
        let clean = std::str::from_utf8(KNOWN_RUN)
            .unwrap()
            .replace("not json\n", "");
        for run in [KNOWN_RUN, clean.as_bytes()] {
            let transcript = Transcript::parse(run);
            for known in [
                // Paired with the run's own messages (when no line was malformed)...
                KnownLines::of_run(run, &transcript),
                // ...or parsed again, when the messages given do not pair up with the lines.
                KnownLines::of_run(run, &Transcript::default()),
                KnownLines::of_run(run, &Transcript::parse(&run[..60])),
            ] {
                let again = Transcript::parse_reusing(run, Some(&known));
                assert_eq!(format!("{again:?}"), format!("{transcript:?}"));
                assert_eq!(again.completed_count(), Some(2));
                // Reused, not parsed: the case messages are the known ones themselves.
                let reused = again
                    .messages
                    .iter()
                    .filter(|message| {
                        match message {
                        Message::Case(case) => known.lines.iter().any(|(_, kept)| {
                            matches!(kept, Some(Message::Case(k)) if Arc::ptr_eq(k, case))
                        }),
                        _ => false,
                    }
                    })
                    .count();
                assert_eq!(reused, 2, "{known:?}");
            }
        }
    }

    #[test]
    fn a_line_that_differs_or_moved_is_parsed_afresh() {
        let known = KnownLines::of_run(KNOWN_RUN, &Transcript::parse(KNOWN_RUN));
        let text = std::str::from_utf8(KNOWN_RUN).unwrap();
        // The first case returns 2 instead of 1: same position, other bytes.
        let changed = text.replace("[\"int\",\"1\"]", "[\"int\",\"2\"]");
        let parsed = Transcript::parse_reusing(changed.as_bytes(), Some(&known));
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", Transcript::parse(changed.as_bytes()))
        );
        assert!(case_names(&parsed)[0].contains("Int(\"2\")"));
        // A line more in front: every line sits one position later and is parsed.
        let shifted = format!("{{\"event\":\"case\",\"name\":\"z\"}}\n{text}");
        let parsed = Transcript::parse_reusing(shifted.as_bytes(), Some(&known));
        assert_eq!(case_names(&parsed).len(), 3);
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", Transcript::parse(shifted.as_bytes()))
        );
        assert_eq!(parsed.completed_count(), None);
        // The malformed known line's position, now holding a good line, is parsed.
        let fixed = text.replace("not json", "{\"event\":\"case\",\"name\":\"c\"}");
        let parsed = Transcript::parse_reusing(fixed.as_bytes(), Some(&known));
        assert_eq!(parsed.malformed_lines, 0);
        assert_eq!(case_names(&parsed).len(), 3);
    }

    /// The steps of a one-case transcript, or None when its line was malformed.
    fn steps_of(steps: &str) -> Option<Vec<Step>> {
        let line = format!("{{\"event\":\"case\",\"name\":\"c\",\"steps\":[{steps}]}}\n");
        let mut transcript = Transcript::parse(line.as_bytes());
        match (transcript.malformed_lines, transcript.messages.pop()) {
            (0, Some(Message::Case(case))) => Some(case.steps.clone()),
            (1, None) => None,
            other => panic!("unexpected parse of {steps}: {other:?}"),
        }
    }

    fn int(digits: &str) -> Option<Value> {
        Some(Value::Int(digits.into()))
    }

    #[test]
    fn steps_are_arrays_of_label_kind_observation_and_run() {
        let steps = steps_of(concat!(
            r#"["get('a')","call",["int","3"]],"#,
            r#"["LRUCache(1)","call",["unobserved"],0],"#,
            r#"["get('b')","raised",{"type":"KeyError","message":"'b'","traceback":"#,
            r#"[{"file":"lru_cache.py","line":4,"function":"get","text":"x"}]}],"#,
            r#"["get('c')","raised",{"type":"KeyError"},2],"#,
            r#"["sleep() was called with","note",["float","0.5"]],"#,
            r#"["sleep() was called with","note",["none"],4294967295]"#,
        ))
        .expect("well-formed steps");
        let shape: Vec<_> = steps
            .iter()
            .map(|step| (step.label.as_str(), step.kind, step.value.clone(), step.run))
            .collect();
        assert_eq!(
            shape,
            [
                ("get('a')", StepKind::Call, int("3"), None),
                (
                    "LRUCache(1)",
                    StepKind::Call,
                    Some(Value::Unobserved),
                    Some(0)
                ),
                ("get('b')", StepKind::Call, None, None),
                ("get('c')", StepKind::Call, None, Some(2)),
                (
                    "sleep() was called with",
                    StepKind::Note,
                    Some(Value::Float("0.5".into())),
                    None
                ),
                (
                    "sleep() was called with",
                    StepKind::Note,
                    Some(Value::None),
                    Some(u32::MAX)
                ),
            ]
        );
        let raised: Vec<_> = steps.iter().map(|step| step.raised.clone()).collect();
        assert!(raised[0].is_none() && raised[1].is_none() && raised[4].is_none());
        let full = raised[2].as_ref().expect("get('b') raised");
        assert_eq!(
            (full.type_name.as_str(), full.message.as_str()),
            ("KeyError", "'b'")
        );
        assert_eq!(full.traceback[0].line, 4);
        let bare = raised[3].as_ref().expect("get('c') raised");
        assert_eq!(
            (bare.type_name.as_str(), bare.message.as_str()),
            ("KeyError", "")
        );
    }

    #[test]
    fn a_malformed_step_makes_its_message_malformed() {
        let malformed = [
            // Wrong lengths.
            r#"[]"#,
            r#"["f()"]"#,
            r#"["f()","call"]"#,
            r#"["f()","call",["none"],0,0]"#,
            r#"["f()","raised",{"type":"KeyError"},0,"x"]"#,
            // Unknown or misspelt kinds.
            r#"["f()","returned",["none"]]"#,
            r#"["f()","Call",["none"]]"#,
            r#"["f()",1,["none"]]"#,
            r#"["f()",null,["none"]]"#,
            // The label is not a string.
            r#"[1,"call",["none"]]"#,
            r#"[null,"call",["none"]]"#,
            r#"[["f()"],"call",["none"]]"#,
            // The run is not a u32.
            r#"["f()","call",["none"],-1]"#,
            r#"["f()","call",["none"],1.5]"#,
            r#"["f()","call",["none"],"0"]"#,
            r#"["f()","call",["none"],null]"#,
            r#"["f()","call",["none"],4294967296]"#,
            // The exception of a raised step is not an exception.
            r#"["f()","raised","KeyError"]"#,
            r#"["f()","raised",[]]"#,
            r#"["f()","raised",{"message":"no type"}]"#,
            r#"["f()","raised",null]"#,
            // The object form, and steps that are not arrays at all.
            r#"{"label":"f()","kind":"call","value":["none"]}"#,
            r#"{"label":"f()","kind":"call","value":["none"],"run":0}"#,
            r#""f()""#,
            r#"null"#,
            r#"7"#,
        ];
        for step in malformed {
            assert!(
                steps_of(step).is_none(),
                "{step} was accepted: {:?}",
                steps_of(step)
            );
            // One bad step spoils the message even among good ones.
            let mixed = format!(r#"["g()","call",["none"]],{step}"#);
            assert!(steps_of(&mixed).is_none(), "{mixed} was accepted");
        }
    }

    #[test]
    fn a_malformed_value_in_a_good_step_is_refused() {
        for value in [
            r#"{"int":"3"}"#,
            r#""3""#,
            r#"null"#,
            r#"[]"#,
            r#"["int","3x"]"#,
            r#"["int",3]"#,
            r#"["bytes","zz"]"#,
            r#"["dict",[[["int","1"]]]]"#,
            r#"["mystery","1"]"#,
        ] {
            for kind in ["call", "note"] {
                let steps = steps_of(&format!(r#"["f()","{kind}",{value},1]"#))
                    .unwrap_or_else(|| panic!("a step with value {value} was rejected"));
                assert!(
                    matches!(steps[0].value, Some(Value::Refused { .. })),
                    "{value} gave {:?}",
                    steps[0].value
                );
                assert_eq!(steps[0].run, Some(1));
            }
        }
    }

    #[test]
    fn a_deeply_nested_value_is_bounded_not_a_stack_overflow() {
        let deep = format!(
            r#"["f()","call",{}["none"]{}]"#,
            r#"["list",["#.repeat(100_000),
            "]]".repeat(100_000)
        );
        assert!(steps_of(&deep).is_none());
        let nested = format!(
            r#"["f()","call",{}["none"]{}]"#,
            r#"["list",["#.repeat(20),
            "]]".repeat(20)
        );
        let steps = steps_of(&nested).expect("20 levels are fine");
        assert!(matches!(steps[0].value, Some(Value::List(_))));
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
