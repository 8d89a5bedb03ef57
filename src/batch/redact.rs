//! What a learner may see of their own report: every learner-facing batch output
//! (feedback.md, the exercism and Gradescope results.json) is made from `learner_view`,
//! never from the full report. Hidden cases are redacted by the one function that does it
//! for every report (`SubmissionReport::redact_hidden`: their points still count); a batch
//! also hides its secret seed.

use crate::grade::SubmissionReport;

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
    view.redact_hidden();
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{TargetKind, TestResult, TestStatus};

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
