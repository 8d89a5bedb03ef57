//! `pykata verify` on quizzes: the structural checks of every item, and for `check =
//! "stdout"` items a run of the code in the sandbox whose output must be the correct
//! option's text.

use super::{Check, Quiz, option_key, structural_problems};
use crate::grade::Grader;

/// What verifying one quiz file found.
#[derive(Debug, Clone)]
pub struct QuizVerification {
    /// The file, as shown (`quizzes/fundamentals.toml`).
    pub path: String,
    pub items: usize,
    /// How many items had their code run.
    pub runs: usize,
    /// One sentence per problem, naming the file and the item.
    pub problems: Vec<String>,
}

/// Checks one quiz; `grader` runs the `check = "stdout"` items.
pub fn verify_quiz(grader: &Grader, quiz: &Quiz) -> QuizVerification {
    let mut verification = QuizVerification {
        path: quiz.path.clone(),
        items: quiz.items.len(),
        runs: 0,
        problems: structural_problems(quiz),
    };
    for item in &quiz.items {
        let (Some(Check::Stdout), Some(code)) = (item.check, &item.code) else {
            continue;
        };
        let Some(correct) = item.correct_index() else {
            continue;
        };
        verification.runs += 1;
        let problem = |text: String| format!("{}: item {:?}: {text}", quiz.path, item.id);
        match run_code(grader, code) {
            Err(why) => verification
                .problems
                .push(problem(format!("its code could not be run: {why}"))),
            Ok(printed) => {
                let expected = normalise(&item.options[correct].text);
                if printed != expected {
                    let matching = item
                        .options
                        .iter()
                        .position(|option| normalise(&option.text) == printed)
                        .map_or_else(String::new, |index| {
                            format!(" (that is option {})", option_key(index))
                        });
                    verification.problems.push(problem(format!(
                        "the code prints {printed:?}{matching}, but the correct option {} reads {expected:?}",
                        option_key(correct)
                    )));
                }
            }
        }
    }
    verification
}

/// Output with trailing whitespace stripped, line by line and at the end.
fn normalise(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// Runs `code` in the sandbox and returns its stdout, normalised; a crash, a limit or an
/// uncaught exception is an error (its stderr's last line).
fn run_code(grader: &Grader, code: &str) -> Result<String, String> {
    let scratch = grader.scratch().map_err(|error| error.message)?;
    let limits = crate::settings::Limits {
        wall_time: std::time::Duration::from_secs(10),
        ..Default::default()
    };
    let output = grader
        .engine
        .run_snippet(code, scratch.path(), &limits)
        .map_err(|error| error.to_string())?;
    if let Some(limit) = &output.limit_hit {
        return Err(format!("it hit a limit: {limit:?}"));
    }
    if output.exit.status != crate::sandbox::ExitStatusKind::Exited(0) {
        let last = output.stderr.trim_end().lines().last().unwrap_or("");
        return Err(format!("it ended with {:?}: {last}", output.exit.status));
    }
    Ok(normalise(&output.stdout))
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn trailing_whitespace_does_not_count() {
        assert_eq!(normalise("[1, 2]  \nx \n\n"), "[1, 2]\nx");
    }
}
