//! Property tests of the grader's readers of hostile bytes (issue 10, part 3): the channel
//! decoder (written from inside the untrusted process), the comparison of transcripts, the
//! restart bookkeeping that reads the channel's claims, and the exercise.toml loader. Random
//! and mutated input (truncated, oversized, deeply nested, invalid UTF-8, forged completion
//! records and begin messages) must always get a result or a clear error: never a panic,
//! and no unbounded work. The case counts are modest so that `cargo test` stays fast.

#![allow(clippy::result_large_err)] // the library's GradeError, as in src/lib.rs

use proptest::prelude::*;
use pykata::engine::process::{ChildExit, ExitStatusKind, LimitHit, RunOutput};
use pykata::engine::protocol::{CaseMessage, KnownLines, Message, Transcript};
use pykata::exercise::{Exercise, ExerciseMeta};
use pykata::grade::exercise::compare_case;
use pykata::grade::segments::run_segments;
use pykata::grade::value::Value;
use pykata::settings::{Limits, RESTARTS};
use serde_json::{Value as Json, json};
use std::time::Duration;

// ------------------------------------------------------------------------- strategies

/// Text with the characters that break naive handling: quotes, backslashes, newlines,
/// non-ASCII, and lone-surrogate escapes as the harness writes them.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,12}",
        Just(String::new()),
        Just("\"\\\n\r\t".to_string()),
        Just("é🦀\u{0}\u{7f}\u{fffd}".to_string()),
        Just("\\udc80".to_string()),
        Just("x".repeat(3000)),
    ]
}

/// A VALUE as the harness sends it (docs/protocol.md), nested a few levels.
fn value_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(json!(["none"])),
        Just(json!(["unobserved"])),
        any::<bool>().prop_map(|b| json!(["bool", b])),
        any::<i64>().prop_map(|i| json!(["int", i.to_string()])),
        "[0-9]{1,60}".prop_map(|digits| json!(["int", digits])),
        prop_oneof![Just("0.5"), Just("nan"), Just("-inf"), Just("1e308")]
            .prop_map(|f| json!(["float", f])),
        nasty_text().prop_map(|s| json!(["str", s])),
        "[0-9a-f]{0,16}".prop_map(|hex| json!(["bytes", hex])),
        nasty_text().prop_map(|t| json!(["refused", t, "why"])),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| json!(["list", items])),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| json!(["tuple", items])),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| json!(["set", items])),
            prop::collection::vec((inner.clone(), inner), 0..3).prop_map(|pairs| {
                let pairs: Vec<Json> = pairs.into_iter().map(|(k, v)| json!([k, v])).collect();
                json!(["dict", pairs])
            }),
        ]
    })
}

/// Any JSON at all, for the places where the harness's shapes are not guaranteed.
fn any_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        nasty_text().prop_map(Json::String),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((nasty_text(), inner), 0..4)
                .prop_map(|pairs| Json::Object(pairs.into_iter().collect())),
        ]
    })
}

/// One step: well-formed most of the time, anything some of the time.
fn step_json() -> impl Strategy<Value = Json> {
    let label = prop_oneof![Just("get('a')".to_string()), nasty_text()];
    let run = prop_oneof![Just(None), (0u32..4).prop_map(Some)];
    prop_oneof![
        4 => (label.clone(), value_json(), run.clone()).prop_map(|(l, v, r)| match r {
            Some(r) => json!([l, "call", v, r]),
            None => json!([l, "call", v]),
        }),
        2 => (label.clone(), value_json(), run).prop_map(|(l, v, r)| match r {
            Some(r) => json!([l, "note", v, r]),
            None => json!([l, "note", v]),
        }),
        2 => (label, prop_oneof![Just("KeyError"), Just("ValueError")])
            .prop_map(|(l, t)| json!([l, "raised", {"type": t, "message": "m"}])),
        1 => any_json(),
    ]
}

fn case_json(name: String) -> impl Strategy<Value = Json> {
    (
        prop::collection::vec(step_json(), 0..6),
        prop_oneof![Just(Json::Null), Just(json!({"type": "KeyError"}))],
        nasty_text(),
    )
        .prop_map(move |(steps, error, output)| {
            json!({"event": "case", "name": name.clone(), "points": 1, "steps": steps,
                   "error": error, "output": output})
        })
}

/// A whole exercise-mode transcript as the harness writes it.
fn transcript_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(nasty_text(), 1..5)
        .prop_flat_map(|names| {
            let cases: Vec<_> = names.iter().cloned().map(case_json).collect();
            (Just(names), cases)
        })
        .prop_map(|(names, cases)| {
            let mut lines = vec![
                json!({"event": "start", "protocol": 1, "mode": "exercise", "python": "3.11"}),
                json!({"event": "collected", "ids": names}),
            ];
            for (index, case) in cases.iter().enumerate() {
                lines.push(json!({"event": "begin", "index": index, "id": names[index]}));
                lines.push(case.clone());
            }
            lines.push(json!({"event": "done", "count": cases.len()}));
            let mut bytes = Vec::new();
            for line in lines {
                bytes.extend_from_slice(line.to_string().as_bytes());
                bytes.push(b'\n');
            }
            bytes
        })
}

/// Bytes that hostile code might slip into the channel.
const SNIPPETS: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\\ud800",
    b"\n",
    b"\"",
    b"\\",
    b"{\"event\":\"done\",\"count\":0}\n",
    b"{\"event\":\"done\",\"count\":18446744073709551615}\n",
    b"{\"event\":\"begin\",\"index\":18446744073709551615,\"id\":\"x\"}\n",
    b"{\"event\":\"begin\",\"index\":0,\"id\":\"x\"}\n",
    b"{\"event\":\"collected\",\"ids\":[]}\n",
    b"{\"event\":\"case\",\"name\":\"forged\",\"steps\":[]}\n",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{\"event\":",
    b"1e999999",
];

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    RemoveLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<usize>(), 0..SNIPPETS.len()).prop_map(|(at, which)| Mutation::Insert(at, which)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::RemoveLine),
    ]
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let count = lines.len();
        match *mutation {
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Flip(at, byte) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = byte;
                }
            }
            Mutation::Insert(at, which) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, SNIPPETS[which].iter().copied());
            }
            Mutation::DuplicateLine(at) => {
                let line = lines[at % count].clone();
                lines.insert(at % count, line);
                bytes = lines.join(&b'\n');
            }
            Mutation::SwapLines(a, b) => {
                lines.swap(a % count, b % count);
                bytes = lines.join(&b'\n');
            }
            Mutation::RemoveLine(at) => {
                lines.remove(at % count);
                bytes = lines.join(&b'\n');
            }
        }
    }
    bytes
}

fn non_blank_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .count()
}

/// Checks what must hold of any parse of `bytes`.
fn check_parse(bytes: &[u8], known: &KnownLines) {
    let transcript = Transcript::parse(bytes);
    assert!(transcript.messages.len() + transcript.malformed_lines <= non_blank_lines(bytes));
    if let Some(count) = transcript.completed_count() {
        assert!(
            matches!(transcript.messages.last(), Some(Message::Done { count: c }) if *c == count)
        );
    }
    // Reusing another run's lines never changes the result.
    let reused = Transcript::parse_reusing(bytes, Some(known));
    assert_eq!(format!("{reused:?}"), format!("{transcript:?}"));
}

fn run_output(bytes: &[u8], exit: ExitStatusKind, limit_hit: Option<LimitHit>) -> RunOutput {
    RunOutput {
        transcript: Transcript::parse(bytes),
        channel: bytes.to_vec(),
        stdout: String::new(),
        stderr: String::new(),
        exit: ChildExit {
            status: exit,
            cpu_time: Duration::ZERO,
            max_rss_bytes: 0,
        },
        limit_hit,
        ended_after_done: false,
        wall_time: Duration::ZERO,
        isolation: None,
    }
}

fn toml_snippet() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just("'''".to_string()),
        Just("é🦀".to_string()),
        Just("\u{0}".to_string()),
        Just("[limits]\ntimeout_seconds = -1e400\n".to_string()),
        Just("estimated_minutes = 99999999999999999999\n".to_string()),
        Just("hints = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n".to_string()),
        Just("x = {a = {b = {c = {d = {}}}}}\n".to_string()),
        Just("[[limits]]\n".to_string()),
        ".{0,8}",
    ]
}

const VALID_TOML: &str = r#"id = "lru_cache"
title = "LRU cache"
topic = "data_structures"
difficulty = "medium"
estimated_minutes = 30
module = "lru_cache"
hints = ["one", "two", "three"]

[limits]
timeout_seconds = 10
cpu_seconds = 10
memory_mb = 512
"#;

// ------------------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_bytes_on_the_channel_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_parse(&bytes, &KnownLines::default());
    }

    #[test]
    fn mutated_transcripts_parse_to_messages_or_malformed_lines(
        original in transcript_bytes(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        // Malformed steps (a step of any JSON) make their line malformed: not a failure here.
        let clean = Transcript::parse(&original);
        prop_assert_eq!(clean.completed_count().is_some(), clean.malformed_lines == 0);
        let known = KnownLines::of_run(&original, &clean);
        let mutated = mutate(&original, &mutations);
        check_parse(&mutated, &known);
    }

    #[test]
    fn any_json_becomes_a_value_that_renders(json in any_json()) {
        let value = Value::from_json(&json);
        let _ = value.to_python();
        let _ = value.to_python_pretty();
        let _ = value.same_as(&value);
    }

    #[test]
    fn well_formed_values_equal_themselves_unless_refused(json in value_json()) {
        let value = Value::from_json(&json);
        fn refused(value: &Value) -> bool {
            match value {
                Value::Refused { .. } => true,
                Value::List(items) | Value::Tuple(items) | Value::Set(items)
                | Value::FrozenSet(items) => items.iter().any(refused),
                Value::Dict(pairs) => pairs.iter().any(|(k, v)| refused(k) || refused(v)),
                _ => false,
            }
        }
        if !refused(&value) {
            prop_assert!(value.same_as(&value.clone()), "{value:?}");
        }
    }

    #[test]
    fn comparing_any_two_transcripts_of_a_case_gives_a_result(
        expected in case_json("c".into()),
        actual in case_json("c".into()),
        seed in any::<u64>(),
    ) {
        let parse = |json: &Json| -> Option<CaseMessage> { serde_json::from_value(json.clone()).ok() };
        if let (Some(expected), Some(actual)) = (parse(&expected), parse(&actual)) {
            let result = compare_case(&expected, Some(&actual), "not run", seed);
            prop_assert!(result.score == 0.0 || result.score == expected.points);
            let itself = compare_case(&expected, Some(&expected), "not run", seed);
            prop_assert!(!itself.message.is_empty() || itself.score == expected.points);
            let missing = compare_case(&expected, None, "not run", seed);
            prop_assert_eq!(missing.score, 0.0);
        }
    }

    #[test]
    fn forged_claims_never_restart_more_than_the_cap(
        runs in prop::collection::vec(
            (transcript_bytes(), prop::collection::vec(mutation(), 0..4), any::<bool>()),
            1..6,
        ),
    ) {
        let mut served = 0;
        let segments = run_segments(&Limits::default(), |_, _| {
            let (bytes, mutations, killed) = &runs[served % runs.len()];
            served += 1;
            let bytes = mutate(bytes, mutations);
            Ok(if *killed {
                run_output(&bytes, ExitStatusKind::Signaled(libc::SIGKILL), Some(LimitHit::TestTime))
            } else {
                run_output(&bytes, ExitStatusKind::Exited(0), None)
            })
        })
        .unwrap();
        prop_assert!(segments.runs.len() <= RESTARTS as usize + 1);
        prop_assert_eq!(served, segments.runs.len());
        for run in &segments.runs {
            if let Some(index) = run.stopped_in {
                prop_assert!(segments.id(index).is_some() || !segments.consistent);
            }
        }
    }

    #[test]
    fn any_exercise_toml_text_loads_or_says_why(text in ".{0,300}") {
        if let Err(error) = ExerciseMeta::parse(&text, "exercise.toml") {
            prop_assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn mutated_exercise_toml_loads_or_names_the_file(
        cut in 0..VALID_TOML.len(),
        at in 0..VALID_TOML.len(),
        snippet in toml_snippet(),
    ) {
        let mut text = VALID_TOML.to_string();
        let at = (0..=at).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
        text.insert_str(at, &snippet);
        for text in [text.as_str(), &VALID_TOML[..cut]] {
            if let Err(error) = ExerciseMeta::parse(text, "exercise.toml") {
                prop_assert!(error.to_string().contains("exercise.toml"), "{error}");
            }
        }
    }
}

// ------------------------------------------------------------------------- edge cases

#[test]
fn oversized_and_deeply_nested_lines_are_bounded() {
    let deep_array = format!(
        "{{\"event\":\"case\",\"name\":\"c\",\"steps\":{}{}}}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let deep_object = format!("{}\n", "{\"a\":".repeat(200_000));
    let long_string = format!(
        "{{\"event\":\"case\",\"name\":\"{}\",\"steps\":[]}}\n",
        "x".repeat(8 << 20)
    );
    let deep_value = format!(
        "{{\"event\":\"case\",\"name\":\"c\",\"steps\":[[\"f()\",\"call\",{}[\"none\"]{}]]}}\n",
        "[\"list\",[".repeat(120),
        "]]".repeat(120)
    );
    for line in [&deep_array, &deep_object, &long_string, &deep_value] {
        let transcript = Transcript::parse(line.as_bytes());
        assert_eq!(transcript.messages.len() + transcript.malformed_lines, 1);
    }
    // A value nested deeper than the grader compares is refused, not a stack overflow.
    let transcript = Transcript::parse(deep_value.as_bytes());
    if let Some(Message::Case(case)) = transcript.messages.first() {
        let rendered = format!("{:?}", case.steps[0].value);
        assert!(rendered.contains("Refused"), "{rendered:.200}");
    }
}

#[test]
fn exercise_toml_that_is_not_utf8_or_deeply_nested_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("exercise.toml"),
        b"id = \"x\xff\"\nmodule = \"x\"\n",
    )
    .unwrap();
    let error = Exercise::from_folder(dir.path()).unwrap_err().to_string();
    assert!(error.contains("exercise.toml"), "{error}");

    for nested in [
        format!("hints = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        format!("x = {}1{}\n", "{a = ".repeat(100_000), "}".repeat(100_000)),
    ] {
        let error = ExerciseMeta::parse(&nested, "exercise.toml").unwrap_err();
        assert!(error.to_string().contains("exercise.toml"), "{error}");
    }
}
