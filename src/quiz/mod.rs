//! Quizzes: multiple-choice items, one TOML file per topic under `quizzes/` (embedded in the
//! binary like the exercises), their structural checks, and the order items are asked in.
//! The format is described in docs/authoring.md.

pub mod ask;
pub mod verify;

use crate::assets::QUIZZES;
use crate::exercise::Difficulty;
use serde::Deserialize;
use std::path::Path;

/// Errors of reading quiz files.
#[derive(Debug, thiserror::Error)]
pub enum QuizError {
    #[error("malformed quiz file {path}{}: {message}", line.map_or_else(String::new, |line| format!(", line {line}")))]
    Malformed {
        path: String,
        line: Option<usize>,
        message: String,
    },
    #[error("failed to read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("no quiz on {topic:?}; the topics are: {}", topics.join(", "))]
    UnknownTopic { topic: String, topics: Vec<String> },
}

/// `check = "stdout"`: `pykata verify` runs the item's code and compares its output with the
/// correct option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Stdout,
}

/// One answer an item offers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// Why this option is right or wrong (checked non-empty by `pykata verify`).
    #[serde(default)]
    pub why: String,
}

/// One multiple-choice question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub difficulty: Difficulty,
    pub question: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub check: Option<Check>,
    /// The overall explanation (checked non-empty by `pykata verify`).
    #[serde(default)]
    pub explanation: String,
    #[serde(default, rename = "option")]
    pub options: Vec<QuizOption>,
}

impl Item {
    /// The index of the correct option (the first one, should an item wrongly mark several).
    pub fn correct_index(&self) -> Option<usize> {
        self.options.iter().position(|option| option.correct)
    }
}

/// The key of the option at `index`: a, b, c...
pub fn option_key(index: usize) -> char {
    (b'a' + index.min(25) as u8) as char
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFileText {
    topic: String,
    title: String,
    #[serde(default, rename = "item")]
    items: Vec<Item>,
}

/// The quiz of one topic.
#[derive(Debug, Clone)]
pub struct Quiz {
    pub topic: String,
    pub title: String,
    /// Where it was read from, as shown in messages (`quizzes/fundamentals.toml`).
    pub path: String,
    /// The file's name without `.toml`, which must equal `topic`.
    pub file_stem: String,
    pub items: Vec<Item>,
}

impl Quiz {
    /// Parses one quiz file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Quiz, QuizError> {
        let parsed: QuizFileText = toml::from_str(text).map_err(|error| QuizError::Malformed {
            path: path.to_string(),
            line: error
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1),
            message: error.message().trim().to_string(),
        })?;
        let file_stem = Path::new(path)
            .file_stem()
            .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned());
        Ok(Quiz {
            topic: parsed.topic,
            title: parsed.title,
            path: path.to_string(),
            file_stem,
            items: parsed.items,
        })
    }

    /// Reads a quiz file on disk.
    pub fn from_file(path: &Path) -> Result<Quiz, QuizError> {
        let text = std::fs::read_to_string(path).map_err(|source| QuizError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Quiz::parse(&text, &path.display().to_string())
    }

    /// The full id of an item: `topic/id`.
    pub fn full_id(&self, item: &Item) -> String {
        format!("{}/{}", self.topic, item.id)
    }
}

/// Every bundled quiz, sorted by topic.
pub fn bundled() -> Result<Vec<Quiz>, QuizError> {
    let mut quizzes = Vec::new();
    for file in QUIZZES.files() {
        let name = file.path().display().to_string();
        if !name.ends_with(".toml") {
            continue;
        }
        let path = format!("quizzes/{name}");
        let text = file.contents_utf8().ok_or_else(|| QuizError::Malformed {
            path: path.clone(),
            line: None,
            message: "the file is not UTF-8".into(),
        })?;
        quizzes.push(Quiz::parse(text, &path)?);
    }
    quizzes.sort_by(|a, b| a.topic.cmp(&b.topic));
    Ok(quizzes)
}

/// The quiz of `topic`, or an error listing the topics.
pub fn find<'a>(quizzes: &'a [Quiz], topic: &str) -> Result<&'a Quiz, QuizError> {
    quizzes
        .iter()
        .find(|quiz| quiz.topic == topic)
        .ok_or_else(|| QuizError::UnknownTopic {
            topic: topic.to_string(),
            topics: quizzes.iter().map(|quiz| quiz.topic.clone()).collect(),
        })
}

/// The quiz that goes with an exercise topic: the same name, else one that starts with the
/// exercise's topic's first word (`decorators` -> `decorators_generators`).
pub fn for_exercise_topic<'a>(quizzes: &'a [Quiz], topic: &str) -> Option<&'a Quiz> {
    let first_word = topic.split('_').next().unwrap_or(topic);
    quizzes.iter().find(|quiz| quiz.topic == topic).or_else(|| {
        quizzes
            .iter()
            .find(|quiz| quiz.topic.split('_').any(|word| word == first_word))
    })
}

/// The structural problems of a quiz: each names the file and the item.
pub fn structural_problems(quiz: &Quiz) -> Vec<String> {
    let mut problems = Vec::new();
    let path = &quiz.path;
    if quiz.topic != quiz.file_stem {
        problems.push(format!(
            "{path}: topic = {:?} must equal the file name ({:?})",
            quiz.topic, quiz.file_stem
        ));
    }
    if quiz.title.trim().is_empty() {
        problems.push(format!("{path}: the title is empty"));
    }
    if quiz.items.is_empty() {
        problems.push(format!("{path}: the quiz has no [[item]]"));
    }
    let mut seen = std::collections::HashSet::new();
    for item in &quiz.items {
        let mut problem =
            |text: String| problems.push(format!("{path}: item {:?}: {text}", item.id));
        if item.id.trim().is_empty() {
            problem("the id is empty".into());
        }
        if !seen.insert(item.id.as_str()) {
            problem("the id is used by another item of this file".into());
        }
        if item.question.trim().is_empty() {
            problem("the question is empty".into());
        }
        if item.explanation.trim().is_empty() {
            problem("it has no explanation".into());
        }
        if !(4..=6).contains(&item.options.len()) {
            problem(format!(
                "it has {} options; an item has 4 to 6",
                item.options.len()
            ));
        }
        let correct = item.options.iter().filter(|option| option.correct).count();
        if correct != 1 {
            problem(format!(
                "{correct} options are marked correct = true; exactly one must be"
            ));
        }
        for (index, option) in item.options.iter().enumerate() {
            if option.text.trim().is_empty() {
                problem(format!("option {} has no text", option_key(index)));
            }
            if option.why.trim().is_empty() {
                problem(format!(
                    "option {} ({:?}) has no `why`: every option explains itself",
                    option_key(index),
                    option.text
                ));
            }
        }
        let mut texts = std::collections::HashSet::new();
        for option in &item.options {
            if !texts.insert(option.text.trim()) {
                problem(format!("two options read {:?}", option.text.trim()));
            }
        }
        if item.check.is_some()
            && item
                .code
                .as_deref()
                .is_none_or(|code| code.trim().is_empty())
        {
            problem("check = \"stdout\" needs code to run".into());
        }
        if item.check.is_none() && item.code.is_some() && asks_for_output(&item.question) {
            problem(
                "the question asks what the code prints or returns, so the item needs \
                 check = \"stdout\" (verify then runs the code and compares)"
                    .into(),
            );
        }
    }
    problems
}

/// Whether a question asks what its code prints, returns or outputs: such an item's
/// answer must be checked by running the code.
fn asks_for_output(question: &str) -> bool {
    let question = question.to_lowercase();
    ["print", "return", "output"]
        .iter()
        .any(|word| question.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
topic = "fundamentals"
title = "Fundamentals"

[[item]]
id = "one"
difficulty = "easy"
question = "What does this print?"
code = "print(1 + 1)"
check = "stdout"
explanation = "Addition."

[[item.option]]
text = "2"
correct = true
why = "1 + 1 is 2."

[[item.option]]
text = "11"
why = "That is string concatenation."

[[item.option]]
text = "1"
why = "No."

[[item.option]]
text = "an error"
why = "Ints add."
"#;

    #[test]
    fn a_good_quiz_has_no_problems() {
        let quiz = Quiz::parse(GOOD, "quizzes/fundamentals.toml").unwrap();
        assert_eq!(quiz.items.len(), 1);
        assert_eq!(quiz.items[0].correct_index(), Some(0));
        assert!(structural_problems(&quiz).is_empty());
    }

    #[test]
    fn problems_name_file_and_item() {
        let bad = GOOD.replace("why = \"No.\"", "").replace(
            "why = \"That is string concatenation.\"",
            "correct = true\nwhy = \"x\"",
        );
        let quiz = Quiz::parse(&bad, "quizzes/fundamentals.toml").unwrap();
        let problems = structural_problems(&quiz);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("quizzes/fundamentals.toml: item \"one\": 2 options")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("option c")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_question_about_output_must_be_checked_by_running_the_code() {
        let unchecked = GOOD.replace("check = \"stdout\"\n", "");
        assert_ne!(unchecked, GOOD);
        let quiz = Quiz::parse(&unchecked, "quizzes/fundamentals.toml").unwrap();
        let problems = structural_problems(&quiz);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("needs check = \"stdout\"")),
            "{problems:?}"
        );
        let quiz = Quiz::parse(GOOD, "quizzes/fundamentals.toml").unwrap();
        assert!(structural_problems(&quiz).is_empty());
    }

    #[test]
    fn unknown_keys_are_refused_with_a_line() {
        let bad = GOOD.replace("question =", "colour = \"red\"\nquestion =");
        let error = Quiz::parse(&bad, "q.toml").unwrap_err().to_string();
        assert!(error.contains("q.toml, line"), "{error}");
        assert!(error.contains("colour"), "{error}");
    }

    #[test]
    fn bundled_quizzes_load() {
        let quizzes = bundled().unwrap();
        assert!(!quizzes.is_empty());
        for quiz in &quizzes {
            assert!(
                structural_problems(quiz).is_empty(),
                "{:?}",
                structural_problems(quiz)
            );
        }
    }
}
