//! `report.html`: one self-contained page (inline CSS and SVG, no script, nothing fetched)
//! for the instructor: score histogram, pass rate per case, the verdicts (time, memory and
//! output limits, crashes...), the slowest submissions, input problems, students missing,
//! every student's line, and pairs of unusually similar submissions side by side. Numbers
//! carry `data-` attributes so tests can read them back from the rendered page.

use super::outputs::{ClassView, Student, number};
use super::similarity::Pair;
use crate::grade::{RunVerdict, TestStatus};
use std::fmt::Write as _;

/// Bins of the score histogram.
const BINS: usize = 10;

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The verdict category of a student, for the breakdown.
pub fn category(student: &Student) -> &'static str {
    if student.status == "missing" {
        return "missing";
    }
    let Some(report) = &student.report else {
        return "not graded (input problem)";
    };
    match &report.verdict {
        Some(RunVerdict::TimeLimit { .. }) => return "time limit",
        Some(RunVerdict::CpuTimeLimit { .. }) => return "CPU time limit",
        Some(RunVerdict::MemoryLimit) => return "memory limit",
        Some(RunVerdict::OutputLimit { .. }) => return "output limit",
        Some(RunVerdict::Crashed { .. }) => return "crashed",
        Some(RunVerdict::ExitedEarly { .. }) => return "exited early",
        None => {}
    }
    if report.error.is_some() {
        return "did not load (syntax or import error)";
    }
    match student.status.as_str() {
        "pass" => "passed",
        "fail" => "failed some cases",
        _ => "error",
    }
}

/// The whole page.
pub fn render(view: &ClassView, pairs: &[Pair]) -> String {
    let graded: Vec<&Student> = view
        .students
        .iter()
        .filter(|student| student.report.is_some())
        .collect();
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pykata batch: {}</title>\n<style>{STYLE}</style></head><body>\n",
        esc(&view.exercise)
    );
    let mean = if graded.is_empty() {
        0.0
    } else {
        graded.iter().map(|s| s.score).sum::<f64>() / graded.len() as f64
    };
    let passed = graded.iter().filter(|s| s.status == "pass").count();
    let _ = write!(
        page,
        "<h1>{}</h1>\n<p class=\"summary\"><span id=\"students\" data-value=\"{}\">{} students</span> · <span id=\"graded\" data-value=\"{}\">{} graded</span> · <span id=\"passed\" data-value=\"{passed}\">{passed} passed</span> · mean <span id=\"mean\" data-value=\"{}\">{}</span> of <span id=\"possible\" data-value=\"{}\">{}</span> points</p>\n",
        esc(&view.exercise),
        view.students.len(),
        view.students.len(),
        graded.len(),
        graded.len(),
        number(mean),
        number(mean),
        number(view.points_possible),
        number(view.points_possible),
    );
    for note in &view.notes {
        let _ = writeln!(page, "<p class=\"warning\">{}</p>", esc(note));
    }
    histogram(&mut page, view, &graded);
    cases(&mut page, view, &graded);
    verdicts(&mut page, view);
    slowest(&mut page, &graded);
    problems(&mut page, view);
    students(&mut page, view);
    similarity(&mut page, pairs);
    page.push_str("</body></html>\n");
    page
}

fn histogram(page: &mut String, view: &ClassView, graded: &[&Student]) {
    let mut bins = [0usize; BINS];
    for student in graded {
        let fraction = if view.points_possible > 0.0 {
            (student.score / view.points_possible).clamp(0.0, 1.0)
        } else {
            0.0
        };
        bins[((fraction * BINS as f64) as usize).min(BINS - 1)] += 1;
    }
    let tallest = bins.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, bar) = (520, 180, 48);
    let _ = write!(
        page,
        "<h2>Scores</h2>\n<svg id=\"histogram\" role=\"img\" aria-label=\"score histogram\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\">\n",
        height + 40,
        height + 40
    );
    for (index, count) in bins.iter().enumerate() {
        let h = count * height / tallest;
        let x = 10 + index * (bar + 4);
        let low = index * 100 / BINS;
        let high = (index + 1) * 100 / BINS;
        let _ = writeln!(
            page,
            "<g class=\"bin\" data-count=\"{count}\" data-range=\"{low}-{high}%\"><rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{low}-{high}%: {count}</title></rect><text x=\"{}\" y=\"{}\">{count}</text><text class=\"axis\" x=\"{}\" y=\"{}\">{low}%</text></g>",
            height - h + 16,
            x + bar / 2,
            height - h + 12,
            x + bar / 2,
            height + 32
        );
    }
    page.push_str("</svg>\n");
}

fn cases(page: &mut String, view: &ClassView, graded: &[&Student]) {
    if view.cases.is_empty() {
        return;
    }
    page.push_str("<h2>Pass rate per case</h2>\n<table id=\"cases\"><tr><th>case</th><th>points</th><th>passed</th><th></th></tr>\n");
    for case in &view.cases {
        let mut ran = 0;
        let mut passed = 0;
        for student in graded {
            if let Some(test) = student
                .report
                .as_ref()
                .and_then(|report| report.tests.iter().find(|test| test.name == case.name))
                && test.status != TestStatus::Skip
            {
                ran += 1;
                if test.status.is_success() {
                    passed += 1;
                }
            }
        }
        let percent = if ran == 0 { 0 } else { passed * 100 / ran };
        let _ = writeln!(
            page,
            "<tr class=\"case\" data-passed=\"{passed}\" data-ran=\"{ran}\"><td>{}{}</td><td>{}</td><td>{passed}/{ran}</td><td><svg width=\"120\" height=\"12\"><rect width=\"120\" height=\"12\" class=\"track\"/><rect width=\"{}\" height=\"12\" class=\"fill\"/></svg> {percent}%</td></tr>",
            esc(&case.name),
            if case.hidden {
                " <span class=\"tag\">hidden</span>"
            } else {
                ""
            },
            number(case.points),
            percent * 120 / 100
        );
    }
    page.push_str("</table>\n");
}

fn verdicts(page: &mut String, view: &ClassView) {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for student in &view.students {
        let name = category(student);
        match counts.iter_mut().find(|(known, _)| *known == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    page.push_str(
        "<h2>Verdicts</h2>\n<table id=\"verdicts\"><tr><th>verdict</th><th>students</th></tr>\n",
    );
    for (name, count) in counts {
        let _ = writeln!(
            page,
            "<tr class=\"verdict\" data-verdict=\"{}\" data-count=\"{count}\"><td>{}</td><td>{count}</td></tr>",
            esc(name),
            esc(name)
        );
    }
    page.push_str("</table>\n");
}

fn slowest(page: &mut String, graded: &[&Student]) {
    let mut by_time: Vec<&&Student> = graded.iter().collect();
    by_time.sort_by(|a, b| {
        let time = |s: &Student| s.report.as_ref().map_or(0.0, |r| r.duration.as_secs_f64());
        time(b).total_cmp(&time(a))
    });
    page.push_str("<h2>Slowest submissions</h2>\n<table id=\"slowest\"><tr><th>student</th><th>time</th><th>status</th></tr>\n");
    for student in by_time.iter().take(10) {
        let seconds = student
            .report
            .as_ref()
            .map_or(0.0, |r| r.duration.as_secs_f64());
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{seconds:.2} s</td><td>{}</td></tr>",
            esc(&student.id),
            esc(category(student))
        );
    }
    page.push_str("</table>\n");
}

fn problems(page: &mut String, view: &ClassView) {
    let missing: Vec<&Student> = view
        .students
        .iter()
        .filter(|s| s.status == "missing")
        .collect();
    let _ = write!(
        page,
        "<h2>Students missing</h2>\n<ul id=\"missing\" data-count=\"{}\">",
        missing.len()
    );
    if missing.is_empty() {
        page.push_str(
            "<li>none: every student on the roster submitted (or no roster was given)</li>",
        );
    }
    for student in missing {
        let _ = write!(
            page,
            "<li>{}{}</li>",
            esc(&student.id),
            if student.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(&student.name))
            }
        );
    }
    page.push_str("</ul>\n");
    let broken: Vec<&Student> = view
        .students
        .iter()
        .filter(|s| s.report.is_none() && s.status != "missing")
        .collect();
    let _ = write!(
        page,
        "<h2>Submissions that could not be graded</h2>\n<ul id=\"problems\" data-count=\"{}\">",
        broken.len()
    );
    if broken.is_empty() {
        page.push_str("<li>none</li>");
    }
    for student in broken {
        let _ = write!(
            page,
            "<li><b>{}</b>: {}</li>",
            esc(&student.id),
            esc(&student.note)
        );
    }
    page.push_str("</ul>\n");
}

fn students(page: &mut String, view: &ClassView) {
    page.push_str("<h2>Students</h2>\n<table id=\"students-table\"><tr><th>id</th><th>name</th><th>score</th><th>max</th><th>status</th><th>note</th></tr>\n");
    for student in &view.students {
        let _ = writeln!(
            page,
            "<tr class=\"student {}\" data-id=\"{}\" data-score=\"{}\" data-max=\"{}\" data-status=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&student.status),
            esc(&student.id),
            number(student.score),
            number(student.max_score),
            esc(&student.status),
            esc(&student.id),
            esc(&student.name),
            number(student.score),
            number(student.max_score),
            esc(&student.status),
            esc(&student.note)
        );
    }
    page.push_str("</table>\n");
}

fn similarity(page: &mut String, pairs: &[Pair]) {
    let _ = write!(
        page,
        "<h2>Similar submissions</h2>\n<p class=\"explain\">Token streams with identifiers, strings and numbers normalised and comments and docstrings dropped, compared by winnowing fingerprints (as MOSS does); fingerprints most of the class shares are ignored. A high share is a reason to look, not a verdict.</p>\n<div id=\"similarity\" data-count=\"{}\">\n",
        pairs.len()
    );
    if pairs.is_empty() {
        page.push_str("<p>No pair shares an unusual part of its fingerprints.</p>\n");
    }
    for pair in pairs {
        let _ = write!(
            page,
            "<details class=\"pair\" data-first=\"{}\" data-second=\"{}\" data-share=\"{:.2}\"><summary><b>{}</b> and <b>{}</b>: {:.0}% of fingerprints shared ({} fingerprints, {} matching regions)</summary>\n<div class=\"side\">",
            esc(&pair.first),
            esc(&pair.second),
            pair.share,
            esc(&pair.first),
            esc(&pair.second),
            pair.share * 100.0,
            pair.shared,
            pair.regions.len()
        );
        let first: Vec<(usize, usize)> = pair.regions.iter().map(|(a, _)| *a).collect();
        let second: Vec<(usize, usize)> = pair.regions.iter().map(|(_, b)| *b).collect();
        code(page, &pair.first, &pair.first_source, &first);
        code(page, &pair.second, &pair.second_source, &second);
        page.push_str("</div></details>\n");
    }
    page.push_str("</div>\n");
}

fn code(page: &mut String, title: &str, source: &str, regions: &[(usize, usize)]) {
    let _ = write!(page, "<div><h3>{}</h3><pre>", esc(title));
    for (number, line) in source.lines().enumerate() {
        let line_number = number + 1;
        let region = regions
            .iter()
            .position(|(start, end)| *start <= line_number && line_number <= *end);
        match region {
            Some(index) => {
                let _ = writeln!(
                    page,
                    "<mark class=\"r{}\">{line_number:>4} {}</mark>",
                    index % 6,
                    esc(line)
                );
            }
            None => {
                let _ = writeln!(page, "{line_number:>4} {}", esc(line));
            }
        }
    }
    page.push_str("</pre></div>");
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}
h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #dde;padding-bottom:.2em}
.summary{color:#445}.warning{background:#fff4d6;border-left:4px solid #e0a800;padding:.4em .8em}
table{border-collapse:collapse}td,th{padding:.2em .7em;text-align:left;border-bottom:1px solid #eef}
#histogram rect{fill:#4a7bd0}#histogram text{font-size:12px;text-anchor:middle;fill:#223}
#histogram text.axis{fill:#667}.track{fill:#e6e9f0}.fill{fill:#3a9d5d}
.tag{font-size:11px;background:#eee;border-radius:3px;padding:0 4px;color:#555}
tr.error td,tr.missing td{color:#a12}.side{display:grid;grid-template-columns:1fr 1fr;gap:1em}
pre{background:#f6f7fa;padding:.6em;overflow:auto;font-size:12.5px}
mark{display:block}mark.r0{background:#ffe08a}mark.r1{background:#b8e0ff}mark.r2{background:#c9f2c0}
mark.r3{background:#ffc8c8}mark.r4{background:#e2d0ff}mark.r5{background:#ffd9b0}
details{margin:.6em 0}summary{cursor:pointer}.explain{color:#556;font-size:13px}";
