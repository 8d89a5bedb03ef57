//! `pykata verify`: the authoring check of exercises. Every reference passes, every
//! starter fails, every mutant fails with the message its `# expect:` line names, and
//! every exercise has its README, hints and explanation.

use crate::exercise::{Exercise, ExerciseError};
use crate::grade::exercise::grade_exercise;
use crate::grade::{Grader, Status, SubmissionReport};

/// The fewest hints an exercise may have (docs/authoring.md asks for 2 or 3).
const MIN_HINTS: usize = 2;

/// What verifying one exercise found.
#[derive(Debug, Clone)]
pub struct Verification {
    pub id: String,
    /// How many checks ran.
    pub checks: usize,
    /// One sentence per failed check.
    pub problems: Vec<String>,
}

/// Checks one exercise.
pub fn verify_exercise(grader: &Grader, exercise: &Exercise) -> Verification {
    let mut verification = Verification {
        id: exercise.meta.id.clone(),
        checks: 0,
        problems: Vec::new(),
    };
    let mut check = |ok: bool, problem: String| {
        verification.checks += 1;
        if !ok {
            verification.problems.push(problem);
        }
    };

    for name in [
        "README.md",
        "explain.md",
        "starter.py",
        "solution.py",
        "cases.py",
    ] {
        let text = exercise.file_text(name);
        check(
            matches!(&text, Ok(text) if !text.trim().is_empty()),
            match text {
                Err(error) => error.to_string(),
                Ok(_) => format!("{name} is empty"),
            },
        );
    }
    check(
        exercise.meta.hints.len() >= MIN_HINTS,
        format!(
            "exercise.toml has {} hints; give at least {MIN_HINTS}, from gentle to specific",
            exercise.meta.hints.len()
        ),
    );

    let folder = exercise.folder(&grader.unpacked);
    let grade = |file: &str| grade_exercise(grader, file, exercise, &folder.join(file));

    let reference = grade("solution.py");
    check(
        reference.status == Status::Pass,
        format!(
            "the reference solution does not pass: {}",
            first_problem(&reference)
        ),
    );
    let starter = grade("starter.py");
    check(
        starter.status != Status::Pass,
        "the starter passes; it must fail until the learner does the work".into(),
    );

    let mutants = exercise.mutant_names();
    check(
        !mutants.is_empty(),
        "mutants/ holds no mutants (*.py)".into(),
    );
    for mutant in mutants {
        let relative = format!("mutants/{mutant}");
        let source = exercise.file_text(&relative).unwrap_or_default();
        let report = grade(&relative);
        let expect = header_value(&source, "expect");
        check(
            report.status != Status::Pass,
            format!("{relative} passes; a mutant must fail"),
        );
        match expect {
            None => check(false, format!("{relative} has no `# expect: ...` line")),
            Some(expect) => check(
                report_mentions(&report, &expect),
                format!(
                    "{relative}: no failure message mentions {expect:?}; got: {}",
                    first_problem(&report)
                ),
            ),
        }
        check(
            header_value(&source, "why").is_some(),
            format!("{relative} has no `# why: ...` line"),
        );
    }
    verification
}

/// The value of a `# key: value` line among a file's leading comment lines.
fn header_value(source: &str, key: &str) -> Option<String> {
    source
        .lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
        .filter_map(|line| {
            line.trim_start_matches('#')
                .trim()
                .strip_prefix(&format!("{key}:"))
        })
        .map(|value| value.trim().to_string())
        .find(|value| !value.is_empty())
}

fn report_mentions(report: &SubmissionReport, expected: &str) -> bool {
    report
        .tests
        .iter()
        .any(|test| !test.status.is_success() && test.message.contains(expected))
        || report
            .error
            .as_ref()
            .is_some_and(|error| error.message.contains(expected))
}

fn first_problem(report: &SubmissionReport) -> String {
    if let Some(error) = &report.error {
        return error.message.clone();
    }
    if let Some(verdict) = &report.verdict {
        return verdict.describe();
    }
    report
        .tests
        .iter()
        .find(|test| !test.status.is_success())
        .map(|test| format!("{}: {}", test.name, test.message))
        .unwrap_or_else(|| "every test passed".into())
}

/// Resolves `pykata verify` arguments: bundled ids or exercise folders; none means the
/// whole catalogue.
pub fn exercises_to_verify(
    arguments: &[String],
    catalogue: &crate::exercise::Catalogue,
) -> Result<Vec<Exercise>, ExerciseError> {
    if arguments.is_empty() {
        return Ok(catalogue.exercises().to_vec());
    }
    arguments
        .iter()
        .map(|argument| {
            let path = std::path::Path::new(argument);
            if path.join("exercise.toml").is_file() {
                return Exercise::from_folder(path);
            }
            catalogue
                .get(argument)
                .cloned()
                .ok_or_else(|| ExerciseError::NotFound {
                    target: argument.clone(),
                    suggestions: catalogue.suggest(argument),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::header_value;

    #[test]
    fn reads_header_lines_only() {
        let source =
            "# expect: get('a') returned\n# why: forgets recency\n\nx = 1\n# expect: late\n";
        assert_eq!(
            header_value(source, "expect").as_deref(),
            Some("get('a') returned")
        );
        assert_eq!(
            header_value(source, "why").as_deref(),
            Some("forgets recency")
        );
        assert_eq!(header_value("x = 1\n# why: late\n", "why"), None);
    }
}
