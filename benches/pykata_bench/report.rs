//! What a section hands back, the markdown the benchmark prints, and the rewriting of the
//! figures in docs/BENCHMARKS.md between their markers.

use crate::measure::Provenance;
use crate::stats::TargetRow;
use std::path::Path;

/// The outcome of one section.
#[derive(Debug, Clone)]
pub struct Section {
    /// The section's name on the command line and in the markers, e.g. `overhead`.
    pub name: &'static str,
    /// The rows that the summary table shows.
    pub targets: Vec<TargetRow>,
    /// The section's detailed figures, in markdown.
    pub body: String,
}

/// A markdown table.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut text = format!("| {} |\n", header.join(" | "));
    text.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| " --- |").collect::<String>()
    ));
    for row in rows {
        text.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    text
}

const SUMMARY_HEADER: [&str; 5] = ["measurement", "pykata engine", "figure", "target", "result"];

/// The table of the targets of `rows`.
fn targets_table<'a>(rows: impl Iterator<Item = &'a TargetRow>) -> String {
    let rows: Vec<Vec<String>> = rows
        .map(|row| {
            vec![
                row.what.clone(),
                row.engine.clone(),
                row.figure.clone(),
                row.target.clone(),
                row.verdict.cell(),
            ]
        })
        .collect();
    table(&SUMMARY_HEADER, &rows)
}

/// The summary table of targets over `sections`.
pub fn summary(sections: &[Section]) -> String {
    targets_table(sections.iter().flat_map(|section| &section.targets))
}

impl Section {
    /// What goes between the section's markers: when and how, its targets, its figures.
    pub fn block(&self, provenance: &str) -> String {
        if self.targets.is_empty() {
            format!("{provenance}\n{}", self.body)
        } else {
            format!(
                "{provenance}\n{}\n{}",
                targets_table(self.targets.iter()),
                self.body
            )
        }
    }
}

/// The line that says where and how figures were measured.
pub fn provenance_line(provenance: &Provenance, command: &str, quick: bool) -> String {
    format!(
        "Measured {} on {} (1-minute load average {} at the start, {} at the end), commit {}, \
         {}; command: `{command}`{}.\n",
        provenance.date,
        provenance.machine,
        provenance.load_before,
        provenance.load_after,
        provenance.commit,
        provenance.python,
        if quick {
            " (**quick sizes: not the issue's sizes**)"
        } else {
            ""
        }
    ) + &if provenance.concurrent.is_empty() {
        String::new()
    } else {
        format!(
            "\n**Another pykata benchmark ran at the same time (pids {:?}): these figures are \
             disturbed by it; run again.**\n",
            provenance.concurrent
        )
    }
}

fn markers(name: &str) -> (String, String) {
    (
        format!("<!-- pykata-bench:{name}:begin -->"),
        format!("<!-- pykata-bench:{name}:end -->"),
    )
}

/// Replaces the text between the markers of `name` in `doc`; an error when they are missing.
pub fn replace_block(doc: &str, name: &str, content: &str) -> Result<String, String> {
    let (begin, end) = markers(name);
    let start = doc
        .find(&begin)
        .ok_or_else(|| format!("no `{begin}` marker"))?;
    let after_begin = start + begin.len();
    let stop = doc[after_begin..]
        .find(&end)
        .map(|offset| after_begin + offset)
        .ok_or_else(|| format!("no `{end}` marker after `{begin}`"))?;
    Ok(format!(
        "{}\n{}\n{}",
        &doc[..after_begin],
        content.trim_end(),
        &doc[stop..]
    ))
}

/// The text between the markers of `name`, if both are there.
fn block_text<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let (begin, end) = markers(name);
    let start = doc.find(&begin)? + begin.len();
    let stop = start + doc[start..].find(&end)?;
    Some(&doc[start..stop])
}

/// The summary rebuilt from the targets tables of every section block in `doc`, in the
/// order of `names`: each block keeps the rows of its own latest run.
fn summary_from_blocks(doc: &str, names: &[&str]) -> String {
    let header = format!("| {} |", SUMMARY_HEADER.join(" | "));
    let mut text = format!("{header}\n|{}\n", SUMMARY_HEADER.map(|_| " --- |").concat());
    for name in names {
        let Some(block) = block_text(doc, name) else {
            continue;
        };
        let mut lines = block.lines().skip_while(|line| *line != header).skip(2);
        for line in lines.by_ref().take_while(|line| line.starts_with('|')) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Rewrites the figures of `sections` in the document at `path`, then its summary from every
/// section block (so a run of a subset keeps the other sections' rows), leaving every other
/// line alone.
pub fn write_doc(
    path: &Path,
    sections: &[Section],
    names: &[&str],
    provenance: &str,
) -> Result<(), String> {
    let mut doc = std::fs::read_to_string(path)
        .map_err(|error| format!("failed to read {}: {error}", path.display()))?;
    for section in sections {
        doc = replace_block(&doc, section.name, &section.block(provenance))
            .map_err(|error| format!("{}: {error}", path.display()))?;
    }
    let summary = format!(
        "Collected from the sections below; each says when and how it was measured.\n\n{}",
        summary_from_blocks(&doc, names)
    );
    doc = replace_block(&doc, "summary", &summary)
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let temporary = path.with_extension("md.tmp");
    std::fs::write(&temporary, doc)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|error| format!("failed to write {}: {error}", path.display()))
}
