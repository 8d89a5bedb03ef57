//! The Gradescope autograder `results.json`: the score, the execution time, a summary in
//! `output`, and one entry per test with its score, maximum, status, number and message.
//! Hidden cases keep Gradescope's `hidden` visibility.

use super::junit::{run_problem, test_details};
use crate::grade::{SubmissionReport, TestStatus};
use serde_json::{Value, json};

/// Scores rounded to what a gradebook shows.
fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// The results object of one report.
pub fn results(report: &SubmissionReport) -> Value {
    let tests: Vec<Value> = report
        .tests
        .iter()
        .enumerate()
        .map(|(index, test)| {
            let mut entry = json!({
                "name": test.name,
                "number": (index + 1).to_string(),
                "score": round(test.score),
                "max_score": round(test.max_score),
                "output": if test.status.is_success() { String::new() } else { test_details(test) },
                "output_format": "text",
                "visibility": if test.hidden { "hidden" } else { "visible" },
            });
            match test.status {
                TestStatus::Skip => entry["output"] = json!(format!("skipped: {}", test.message)),
                status => {
                    entry["status"] = json!(if status.is_success() {
                        "passed"
                    } else {
                        "failed"
                    })
                }
            }
            if !test.output.is_empty() {
                let mut output = entry["output"].as_str().unwrap_or_default().to_string();
                output.push_str("\n\nyour output:\n");
                output.push_str(&test.output);
                entry["output"] = json!(output.trim_start());
            }
            entry
        })
        .collect();
    let mut summary = format!(
        "{}: {}/{} points",
        match report.status {
            crate::grade::Status::Pass => "passed",
            crate::grade::Status::Fail => "failed",
            crate::grade::Status::Error => "error",
        },
        round(report.score),
        round(report.max_score)
    );
    if let Some(problem) = run_problem(report) {
        summary.push('\n');
        summary.push_str(&problem);
    }
    if !report.output.is_empty() {
        summary.push_str("\n\nyour output outside the tests:\n");
        summary.push_str(&report.output);
    }
    json!({
        "score": round(report.score),
        "execution_time": report.duration.as_secs_f64(),
        "output": summary,
        "output_format": "text",
        "test_output_format": "text",
        "test_name_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {
            "status": report.status,
            "max_score": round(report.max_score),
            "seed": report.seed,
            "exercise": report.exercise,
        },
        "tests": tests,
    })
}
