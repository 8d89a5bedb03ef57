//! The exercism test-runner `results.json`, version 3: `pass`, `fail` (some test did not
//! pass) or `error` (no test could run), each test with its name, status, message, the
//! learner's own prints (at most 500 characters, cut with a note) and its test code.

use super::junit::{run_problem, test_details};
use crate::grade::{SubmissionReport, TestStatus};
use serde_json::{Value, json};

/// The most characters of a test's output exercism accepts.
const OUTPUT_CHARS: usize = 500;
/// The most characters of the top-level message.
const MESSAGE_CHARS: usize = 65_535;

/// The results object of one report.
pub fn results(report: &SubmissionReport) -> Value {
    let problem = run_problem(report);
    let ran = report
        .tests
        .iter()
        .any(|test| test.status.is_scored() && !test.message.starts_with("not run"));
    if !ran || report.tests.is_empty() {
        let mut message = problem.unwrap_or_else(|| "no test could run".into());
        if !report.output.is_empty() {
            message.push_str("\n\n");
            message.push_str(&report.output);
        }
        return json!({
            "version": 3,
            "status": "error",
            "message": cut(&message, MESSAGE_CHARS),
        });
    }
    let tests: Vec<Value> = report
        .tests
        .iter()
        .filter(|test| test.status != TestStatus::Skip)
        .map(|test| {
            let status = match test.status {
                TestStatus::Fail => "fail",
                TestStatus::Error => "error",
                _ => "pass",
            };
            let mut entry = json!({
                "name": test.name,
                "status": status,
                "test_code": test.id.clone().unwrap_or_else(|| test.name.clone()),
            });
            if status != "pass" {
                entry["message"] = json!(cut(&test_details(test), MESSAGE_CHARS));
            }
            if !test.output.is_empty() {
                entry["output"] = json!(cut(&test.output, OUTPUT_CHARS));
            }
            entry
        })
        .collect();
    let all_passed = tests.iter().all(|test| test["status"] == "pass") && problem.is_none();
    let mut value = json!({
        "version": 3,
        "status": if all_passed { "pass" } else { "fail" },
        "tests": tests,
    });
    if let Some(problem) = problem {
        value["message"] = json!(cut(&problem, MESSAGE_CHARS));
    }
    value
}

/// `text` in at most `limit` characters, the end replaced by a note when it is cut.
pub(crate) fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let note = "\n[output truncated]";
    let keep = limit - note.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(note);
    cut
}

#[cfg(test)]
mod tests {
    #[test]
    fn cut_keeps_the_limit_with_its_note() {
        let long = "x".repeat(600);
        let cut = super::cut(&long, 500);
        assert_eq!(cut.chars().count(), 500);
        assert!(cut.ends_with("[output truncated]"));
        assert_eq!(super::cut("short", 500), "short");
    }
}
