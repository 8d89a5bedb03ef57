//! What a learner may see of their own report: the one place batch outputs redact hidden
//! cases (their name, message, values, prints and traceback are replaced; their points
//! still count) and the batch's secret seed. Every learner-facing batch output (feedback.md,
//! the exercism and Gradescope results.json) is made from `learner_view`, never from the
//! full report.

use crate::grade::{SubmissionReport, TestStatus};

/// The learner's view of `report`: hidden cases redacted, the seed removed.
pub fn learner_view(report: &SubmissionReport) -> SubmissionReport {
    let mut view = report.clone();
    if let Some(seed) = view.seed.take() {
        // Messages of random cases name the seed; a learner who knew it could replay the
        // batch's random cases.
        let named = format!("seed {seed}");
        for test in &mut view.tests {
            test.message = test.message.replace(&named, "seed hidden");
        }
    }
    let mut hidden = 0;
    for test in view.tests.iter_mut().filter(|test| test.hidden) {
        hidden += 1;
        test.name = format!("hidden test {hidden}");
        test.id = None;
        test.message = if test.status.is_success() {
            String::new()
        } else if test.status == TestStatus::Skip {
            "skipped".into()
        } else {
            "a hidden test did not pass (its details are not shown)".into()
        };
        test.expected = None;
        test.actual = None;
        test.output = String::new();
        test.file = None;
        test.line = None;
        test.traceback.clear();
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{TargetKind, TestResult};

    #[test]
    fn hidden_cases_keep_their_points_and_lose_their_details() {
        let mut report = SubmissionReport::new("alice", TargetKind::Exercise);
        report.seed = Some(42);
        report.tests.push(TestResult {
            id: None,
            name: "secret edge case".into(),
            status: TestStatus::Fail,
            message: "get('zz') returned 1, expected 2".into(),
            expected: Some("2".into()),
            actual: Some("1".into()),
            output: "debug".into(),
            score: 0.0,
            max_score: 3.0,
            hidden: true,
            file: None,
            line: None,
            traceback: Vec::new(),
        });
        let view = learner_view(&report);
        let text = serde_json::to_string(&view).unwrap();
        assert!(!text.contains("secret") && !text.contains("zz") && !text.contains("42"));
        assert_eq!(view.tests[0].max_score, 3.0);
    }
}
