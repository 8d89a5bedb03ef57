//! The outputs of a batch, all made from the gradebook: `grades.csv`, `results.jsonl`,
//! `junit.xml`, `report.html`, and per student `students/<id>/` with `feedback.md`,
//! `exercism/results.json` and `gradescope/results.json` (learner views, hidden cases
//! redacted). Every file is written to a temporary name and renamed into place.

use super::discover::Roster;
use super::gradebook::Row;
use super::redact::learner_view;
use crate::grade::{GradeError, SubmissionReport, TargetKind, TestStatus};
use crate::report::junit::{Suite, document, run_problem, test_details};
use serde_json::json;
use std::fmt::Write as _;
use std::path::Path;

/// One line of the class: a gradebook row, or a student of the roster with no submission.
#[derive(Debug, Clone)]
pub struct Student {
    pub id: String,
    pub name: String,
    /// `pass`, `fail`, `error` or `missing`.
    pub status: String,
    pub score: f64,
    pub max_score: f64,
    pub note: String,
    pub source: String,
    pub report: Option<SubmissionReport>,
}

/// A case of the assignment, as it heads a column.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub points: f64,
    pub hidden: bool,
}

/// The class as the outputs show it.
#[derive(Debug, Clone)]
pub struct ClassView {
    pub exercise: String,
    pub students: Vec<Student>,
    pub cases: Vec<Case>,
    pub points_possible: f64,
    /// Problems with the roster as a whole.
    pub notes: Vec<String>,
}

/// What was written.
pub struct Written {
    pub all_passed: bool,
}

/// Builds the class view from the gradebook's rows and the roster.
pub fn class_view(
    exercise: &str,
    rows: &[Row],
    roster: Option<&Roster>,
    in_shard: &dyn Fn(&str) -> bool,
) -> ClassView {
    let mut cases: Vec<Case> = Vec::new();
    for report in rows.iter().filter_map(|row| row.report.as_ref()) {
        for test in &report.tests {
            match cases.iter_mut().find(|case| case.name == test.name) {
                Some(case) => case.points = case.points.max(test.max_score),
                None => cases.push(Case {
                    name: test.name.clone(),
                    points: test.max_score,
                    hidden: test.hidden,
                }),
            }
        }
    }
    let points_possible: f64 = cases.iter().map(|case| case.points).sum();
    let mut notes = Vec::new();
    let mut students: Vec<Student> = rows
        .iter()
        .map(|row| {
            let mut note = row.note.clone();
            let name = match roster {
                Some(roster) => match roster.name_of(&row.id) {
                    Some(name) => name.to_string(),
                    None => {
                        note = join_note("not on the roster", &note);
                        String::new()
                    }
                },
                None => String::new(),
            };
            Student {
                id: row.id.clone(),
                name,
                status: row.status.clone(),
                score: row.score,
                max_score: if row.report.is_some() {
                    row.max_score
                } else {
                    points_possible
                },
                note,
                source: row.source.clone(),
                report: row.report.clone(),
            }
        })
        .collect();
    if let Some(roster) = roster {
        notes.extend(roster.notes.iter().cloned());
        let matched = rows
            .iter()
            .filter(|row| roster.name_of(&row.id).is_some())
            .count();
        if matched == 0 && !rows.is_empty() {
            notes.push(format!(
                "the roster matches none of the {} submissions: are its ids the submissions' names (GitHub logins, file names)?",
                rows.len()
            ));
        }
        for (id, name) in &roster.students {
            if !in_shard(id) || rows.iter().any(|row| row.id.eq_ignore_ascii_case(id)) {
                continue;
            }
            students.push(Student {
                id: id.clone(),
                name: name.clone(),
                status: "missing".into(),
                score: 0.0,
                max_score: points_possible,
                note: "no submission".into(),
                source: String::new(),
                report: None,
            });
        }
    }
    students.sort_by_key(|student| student.id.to_lowercase());
    ClassView {
        exercise: exercise.to_string(),
        students,
        cases,
        points_possible,
        notes,
    }
}

fn join_note(first: &str, rest: &str) -> String {
    if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first}; {rest}")
    }
}

/// A number as a gradebook shows it: `3`, `2.5`, `0.333`.
pub fn number(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    }
}

/// Writes every output of the batch into `dir`.
pub fn write_all(
    dir: &Path,
    exercise: &str,
    rows: &[Row],
    roster: Option<&Roster>,
    in_shard: &dyn Fn(&str) -> bool,
) -> anyhow::Result<Written> {
    let view = class_view(exercise, rows, roster, in_shard);
    for note in &view.notes {
        eprintln!("pykata: {note}");
    }
    write_atomic(&dir.join("grades.csv"), grades_csv(&view)?.as_bytes())?;
    write_atomic(&dir.join("results.jsonl"), results_jsonl(&view).as_bytes())?;
    let reports: Vec<SubmissionReport> = view.students.iter().map(report_of).collect();
    let suites: Vec<Suite<'_>> = view
        .students
        .iter()
        .zip(&reports)
        .map(|(student, report)| Suite {
            name: &student.id,
            report,
        })
        .collect();
    write_atomic(&dir.join("junit.xml"), document(&suites).as_bytes())?;
    for (student, report) in view.students.iter().zip(&reports) {
        let folder = dir.join("students").join(safe_name(&student.id));
        fs_err::create_dir_all(folder.join("exercism"))?;
        fs_err::create_dir_all(folder.join("gradescope"))?;
        let learner = learner_view(report);
        write_atomic(
            &folder.join("feedback.md"),
            feedback(&view, student, &learner).as_bytes(),
        )?;
        write_atomic(
            &folder.join("exercism/results.json"),
            serde_json::to_string_pretty(&crate::report::exercism::results(&learner))?.as_bytes(),
        )?;
        write_atomic(
            &folder.join("gradescope/results.json"),
            serde_json::to_string_pretty(&crate::report::gradescope::results(&learner))?.as_bytes(),
        )?;
    }
    let similar = super::similarity::similar_pairs(&view);
    write_atomic(
        &dir.join("report.html"),
        super::report_html::render(&view, &similar).as_bytes(),
    )?;
    Ok(Written {
        all_passed: !view.students.is_empty()
            && view.students.iter().all(|student| student.status == "pass"),
    })
}

/// The report of a student, or one made up for a student who could not be graded.
pub fn report_of(student: &Student) -> SubmissionReport {
    match &student.report {
        Some(report) => report.clone(),
        None => {
            let mut report = SubmissionReport::unusable(
                &student.id,
                TargetKind::Exercise,
                GradeError::grader("input", student.note.clone()),
            );
            report.max_score = student.max_score;
            report
        }
    }
}

/// A folder name for a student id.
pub fn safe_name(id: &str) -> String {
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    }
}

fn grades_csv(view: &ClassView) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "name", "score", "max", "status"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(view.cases.iter().map(|case| {
        if case.hidden {
            format!("{} [hidden]", case.name)
        } else {
            case.name.clone()
        }
    }));
    header.push("note".into());
    writer.write_record(&header)?;
    let mut possible = vec![
        "Points Possible".to_string(),
        String::new(),
        number(view.points_possible),
        number(view.points_possible),
        String::new(),
    ];
    possible.extend(view.cases.iter().map(|case| number(case.points)));
    possible.push(String::new());
    writer.write_record(&possible)?;
    for student in &view.students {
        let mut record = vec![
            student.id.clone(),
            student.name.clone(),
            number(student.score),
            number(student.max_score),
            student.status.clone(),
        ];
        for case in &view.cases {
            let score = student
                .report
                .as_ref()
                .and_then(|report| report.tests.iter().find(|test| test.name == case.name))
                .map(|test| number(test.score));
            record.push(score.unwrap_or_default());
        }
        record.push(student.note.replace('\n', " "));
        writer.write_record(&record)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn results_jsonl(view: &ClassView) -> String {
    let mut out = String::new();
    for student in &view.students {
        let line = json!({
            "id": student.id,
            "name": student.name,
            "status": student.status,
            "score": student.score,
            "max_score": student.max_score,
            "note": student.note,
            "source": student.source,
            "report": student.report,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// The learner's feedback in Markdown (from the learner view).
fn feedback(view: &ClassView, student: &Student, learner: &SubmissionReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: feedback for {}\n", view.exercise, student.id);
    let _ = writeln!(
        out,
        "**Score: {} / {}** ({})\n",
        number(student.score),
        number(student.max_score),
        student.status
    );
    if student.report.is_none() {
        let _ = writeln!(out, "Not graded: {}\n", student.note);
        return out;
    }
    if let Some(problem) = run_problem(learner) {
        let _ = writeln!(out, "{}\n", fenced(&problem));
    }
    if !learner.tests.is_empty() {
        let _ = writeln!(out, "## Tests\n");
    }
    for test in &learner.tests {
        let mark = match test.status {
            status if status.is_success() => "✓",
            TestStatus::Skip => "-",
            _ => "✗",
        };
        let _ = writeln!(
            out,
            "- {mark} {} ({}/{} points)",
            test.name.replace('\n', " "),
            number(test.score),
            number(test.max_score)
        );
        if !test.status.is_success() && test.status != TestStatus::Skip {
            let details = test_details(test);
            if !details.is_empty() {
                let _ = writeln!(out, "\n{}\n", indent(&fenced(&details)));
            }
        }
    }
    if !learner.output.trim().is_empty() {
        let _ = writeln!(out, "\n## Your output\n\n{}", fenced(&learner.output));
    }
    out
}

/// Text in a fenced code block whose fence no line of the text can close.
fn fenced(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}
