//! Drawing watch mode with ratatui: one function per screen, from the state in `app`.

use super::app::{App, ListRow, QuizView, Screen};
use crate::quiz::ask::{feedback_lines, question_lines};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, TableState, Wrap};

const GREEN: Style = Style::new().fg(Color::Green);
const RED: Style = Style::new().fg(Color::Red);
const YELLOW: Style = Style::new().fg(Color::Yellow);
const DIM: Style = Style::new().fg(Color::DarkGray);
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(frame.area());
    frame.render_widget(Paragraph::new(header_line(app, header.width)), header);
    let quiz_key = app.quiz_for_current().map_or_else(String::new, |index| {
        let quiz = &app.quizzes[index];
        let (solved, total) = app.quiz_progress(quiz);
        format!(" · z quiz: {} {solved}/{total}", quiz.topic)
    });
    let exercise_keys =
        format!("h hint · l list · r run · x reset · s solution · n next · q quit{quiz_key}");
    let keys = match &app.screen {
        Screen::Exercise | Screen::ConfirmReset => {
            exercise(frame, app, body);
            exercise_keys.as_str()
        }
        Screen::Solved => {
            solved(frame, app, body);
            "n next exercise · l list · ↑↓ scroll · Esc task · z quiz · q quit"
        }
        Screen::AllDone => {
            all_done(frame, app, body);
            "l list · z quiz · Esc last exercise · q quit"
        }
        Screen::List(view) => {
            list(frame, app, view, body);
            if view.searching {
                "type to search · Enter done · Esc done"
            } else {
                "↑↓ move · Enter continue here · / search · t topic · f status · Esc back"
            }
        }
        Screen::Quiz(view) => {
            quiz(frame, app, view, body);
            if view.answer.is_some() {
                "Enter next question · Esc back"
            } else {
                "press the letter of your answer · Esc back"
            }
        }
    };
    if matches!(app.screen, Screen::ConfirmReset) {
        confirm_reset(frame, app);
    }
    let status = match &app.message {
        Some(message) => Line::styled(message.clone(), YELLOW),
        None => Line::styled(app.mode.describe(), DIM),
    };
    frame.render_widget(
        Paragraph::new(vec![Line::styled(keys, DIM), status]),
        footer,
    );
}

fn header_line(app: &App, width: u16) -> Line<'static> {
    let meta = &app.exercise().meta;
    let done = app.done_count();
    let total = app.catalogue.exercises().len();
    let bar_width = 20usize;
    let filled = (done * bar_width).checked_div(total).unwrap_or(0);
    let left = vec![
        Span::styled(" pykata ", BOLD.bg(Color::Blue).fg(Color::White)),
        Span::raw(" "),
        Span::styled(meta.id.clone(), BOLD),
        Span::raw(format!(" · {} · {}", meta.topic, meta.difficulty.as_str())),
    ];
    let right = format!(
        " {}{} {done}/{total} done ",
        "█".repeat(filled),
        "░".repeat(bar_width - filled)
    );
    let used: usize = left
        .iter()
        .map(|span| span.content.chars().count())
        .sum::<usize>()
        + right.chars().count();
    let mut spans = left;
    spans.push(Span::raw(" ".repeat((width as usize).saturating_sub(used))));
    spans.push(Span::styled(right, GREEN));
    Line::from(spans)
}

fn text_lines(text: &str) -> Vec<Line<'static>> {
    text.lines()
        .map(|line| Line::raw(line.to_string()))
        .collect()
}

fn exercise(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let meta = &app.exercise().meta;
    let shown = app.hints_shown();
    let hint_height = if shown == 0 {
        0
    } else {
        (shown as u16 * 2 + 2).min(area.height / 4)
    };
    let [task, hints, run] = Layout::vertical([
        Constraint::Percentage(35),
        Constraint::Length(hint_height),
        Constraint::Min(5),
    ])
    .areas(area);
    let readme = app.exercise().file_text("README.md").unwrap_or_default();
    let focus = |focused: bool| if focused { YELLOW } else { Style::new() };
    frame.render_widget(
        Paragraph::new(text_lines(&readme))
            .wrap(Wrap { trim: false })
            .scroll((app.task_scroll, 0))
            .block(
                Block::bordered()
                    .border_style(focus(app.task_focus))
                    .title(format!(
                        " Task: {} (edit {}) · Tab, ↑↓ to scroll ",
                        meta.title,
                        app.shown_file()
                    )),
            ),
        task,
    );
    if shown > 0 {
        let lines: Vec<Line<'static>> = meta.hints[..shown]
            .iter()
            .enumerate()
            .map(|(number, hint)| Line::raw(format!("{}. {hint}", number + 1)))
            .collect();
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().title(format!(" Hints {shown}/{} ", meta.hints.len()))),
            hints,
        );
    }
    let (title, lines) = match &app.last {
        None => (" Last run: not run yet ".to_string(), Vec::new()),
        Some(last) => (
            format!(
                " Last run: {} · {} ms · run {} ",
                last.summary(),
                last.took.as_millis(),
                app.runs
            ),
            run_lines(last),
        ),
    };
    let style = match &app.last {
        Some(last) if last.passed() => GREEN,
        Some(_) => RED,
        None => DIM,
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.scroll, 0))
            .block(
                Block::bordered()
                    .border_style(focus(!app.task_focus))
                    .title(Span::styled(title, style)),
            ),
        run,
    );
}

/// The lines of the run pane: the common reason once, or the full report coloured.
fn run_lines(last: &super::run::LastRun) -> Vec<Line<'static>> {
    if let Some(common) = &last.common {
        let mut lines = vec![
            Line::styled(
                format!("✗ Every test fails the same way ({} tests):", common.count),
                RED.add_modifier(Modifier::BOLD),
            ),
            Line::styled(format!("    {}", common.reason), RED),
        ];
        if let Some(location) = &common.location {
            lines.push(Line::raw(format!(
                "    at {location}{}",
                common
                    .text
                    .as_ref()
                    .map_or_else(String::new, |text| format!(": {text}"))
            )));
        }
        lines.push(Line::raw(""));
        for test in &last.report.tests {
            lines.push(Line::styled(format!("  ✗ {}", test.name), DIM));
            if !test.output.trim().is_empty() {
                lines.push(Line::styled("      your output:", DIM));
                lines.extend(
                    test.output
                        .lines()
                        .take(20)
                        .map(|line| Line::raw(format!("        | {line}"))),
                );
            }
        }
        if !last.report.output.trim().is_empty() {
            lines.push(Line::styled("  your output outside the tests:", DIM));
            lines.extend(
                last.report
                    .output
                    .lines()
                    .take(20)
                    .map(|line| Line::raw(format!("    | {line}"))),
            );
        }
        return lines;
    }
    last.text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let style = if trimmed.starts_with('✓') || trimmed.starts_with("passed") {
                GREEN
            } else if trimmed.starts_with('✗')
                || trimmed.starts_with("! ")
                || trimmed.starts_with("error")
                || trimmed.starts_with("failed")
                || trimmed.starts_with("actual:")
                || trimmed.starts_with('+')
            {
                RED
            } else if trimmed.starts_with("expected:") || trimmed.starts_with('-') {
                GREEN
            } else if trimmed.starts_with('|') || trimmed.starts_with("your output") {
                DIM
            } else {
                Style::new()
            };
            Line::styled(line.to_string(), style)
        })
        .collect()
}

fn solved(frame: &mut Frame<'_>, app: &App, area: Rect) {
    // The reference is shown only once the exercise is done (the key that opens this
    // screen checks it too).
    if !app.current_done() {
        return exercise(frame, app, area);
    }
    let exercise = app.exercise();
    let [banner, explain, code] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Percentage(40),
        Constraint::Min(5),
    ])
    .areas(area);
    let done = app.done_count();
    let total = app.catalogue.exercises().len();
    let next = if done == total {
        "Every exercise is done! Press n for the final screen.".to_string()
    } else {
        "Press n for the next exercise.".to_string()
    };
    let summary = app
        .last
        .as_ref()
        .map_or_else(|| "passed".to_string(), |last| last.summary());
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                "✓ {} solved ({summary})! {done}/{total} exercises done. {next}",
                exercise.meta.id
            ),
            GREEN.add_modifier(Modifier::BOLD),
        ))
        .wrap(Wrap { trim: true })
        .block(Block::bordered().border_style(GREEN)),
        banner,
    );
    let explanation = exercise.file_text("explain.md").unwrap_or_default();
    frame.render_widget(
        Paragraph::new(text_lines(&explanation))
            .wrap(Wrap { trim: false })
            .scroll((app.scroll, 0))
            .block(Block::bordered().title(" Why it works (explain.md) ")),
        explain,
    );
    let [mine, reference] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(code);
    frame.render_widget(
        Paragraph::new(text_lines(&app.own_text))
            .block(Block::bordered().title(format!(" Yours: {} ", app.shown_file()))),
        mine,
    );
    let solution = exercise.file_text("solution.py").unwrap_or_default();
    frame.render_widget(
        Paragraph::new(text_lines(&solution))
            .block(Block::bordered().title(" Reference solution ")),
        reference,
    );
}

fn all_done(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let total = app.catalogue.exercises().len();
    let mut lines = vec![
        Line::raw(""),
        Line::styled(
            format!("🎉 All {total} exercises done!"),
            GREEN.add_modifier(Modifier::BOLD),
        ),
        Line::raw(""),
        Line::raw("Every exercise of the catalogue passes. Keep practising with the quizzes:"),
        Line::raw(""),
    ];
    for quiz in &app.quizzes {
        let (solved, items) = app.quiz_progress(quiz);
        lines.push(Line::raw(format!(
            "  {:<24} {solved}/{items} answered right",
            quiz.topic
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Press l to revisit an exercise or open a quiz, q to quit.",
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Done ")),
        area,
    );
}

fn list(frame: &mut Frame<'_>, app: &App, view: &super::app::ListView, area: Rect) {
    let [filters, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let search = if view.searching {
        format!("{}▏", view.search)
    } else {
        view.search.clone()
    };
    frame.render_widget(
        Paragraph::new(format!(
            " topic (t): {} · status (f): {} · search (/): {}",
            view.topic.as_deref().unwrap_or("all"),
            view.status.name(),
            if search.is_empty() { "-" } else { &search }
        )),
        filters,
    );
    let rows: Vec<Row<'static>> = app
        .list_rows(view)
        .into_iter()
        .map(|row| match row {
            ListRow::Exercise(index) => {
                let meta = &app.catalogue.exercises()[index].meta;
                let (mark, style) = if app.progress.is_done(&meta.id) {
                    ("✓ done", GREEN)
                } else if index == app.current {
                    ("▶ current", YELLOW)
                } else {
                    ("· to do", Style::new())
                };
                Row::new(vec![
                    Cell::from(Span::styled(mark, style)),
                    Cell::from(meta.id.clone()),
                    Cell::from(meta.topic.clone()),
                    Cell::from(meta.difficulty.as_str()),
                    Cell::from(meta.title.clone()),
                ])
            }
            ListRow::Quiz(index) => {
                let quiz = &app.quizzes[index];
                let (solved, total) = app.quiz_progress(quiz);
                let style = if solved == total { GREEN } else { Style::new() };
                Row::new(vec![
                    Cell::from(Span::styled(format!("? {solved}/{total}"), style)),
                    Cell::from(format!("quiz: {}", quiz.topic)),
                    Cell::from(quiz.topic.clone()),
                    Cell::from("quiz"),
                    Cell::from(quiz.title.clone()),
                ])
            }
        })
        .collect();
    let count = rows.len();
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Length(28),
            Constraint::Length(22),
            Constraint::Length(7),
            Constraint::Min(10),
        ],
    )
    .header(Row::new(vec!["status", "exercise", "topic", "level", "title"]).style(BOLD))
    .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED))
    .block(Block::bordered().title(format!(
        " Exercises and quizzes ({count} shown; {} of {} exercises done) ",
        app.done_count(),
        app.catalogue.exercises().len()
    )));
    let mut state = TableState::default().with_selected(Some(view.selected));
    frame.render_stateful_widget(table, table_area, &mut state);
}

fn quiz(frame: &mut Frame<'_>, app: &App, view: &QuizView, area: Rect) {
    let quiz = &app.quizzes[view.quiz];
    let (solved, total) = app.quiz_progress(quiz);
    let title = format!(
        " Quiz: {} · {solved}/{total} answered right · this round {}/{} ",
        quiz.title, view.right, view.asked
    );
    let Some(&item_index) = view.items.get(view.position) else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(""),
                Line::styled(
                    format!("Round over: {}/{} right.", view.right, view.asked),
                    BOLD,
                ),
                Line::raw("Press any key to go back."),
            ])
            .block(Block::bordered().title(title)),
            area,
        );
        return;
    };
    let item = &quiz.items[item_index];
    let question = question_lines(quiz, item);
    let mut lines: Vec<Line<'static>> = vec![Line::styled(
        format!(
            "[{}/{}] {}",
            view.position + 1,
            view.items.len(),
            question[0]
        ),
        BOLD,
    )];
    lines.extend(question[1..].iter().map(|line| Line::raw(line.clone())));
    if let Some(chosen) = view.answer {
        let (right, feedback) = feedback_lines(item, chosen);
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            feedback[0].clone(),
            if right { GREEN } else { RED }.add_modifier(Modifier::BOLD),
        ));
        lines.extend(feedback[1..].iter().map(|line| Line::raw(line.clone())));
    }
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        area,
    );
}

fn confirm_reset(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let width = area.width.min(70);
    let height = 5.min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 3,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(format!("Reset {} to its starter?", app.shown_file())),
            Line::raw(format!(
                "Your file is kept in {}/. y: reset · any other key: keep it",
                crate::workspace::BACKUP_DIR
            )),
        ])
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(YELLOW)
                .title(" Reset "),
        ),
        popup,
    );
}
