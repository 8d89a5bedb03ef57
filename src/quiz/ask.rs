//! Asking quiz items: which items come next, the text of a question and of the feedback
//! after an answer (shared by `pykata quiz` and watch mode), and the plain terminal loop of
//! `pykata quiz`: one key per option.

use super::{Item, Quiz, option_key};
use crate::progress::Progress;
use std::io::{self, BufRead, Write};

/// An item of one of the quizzes: (quiz index, item index).
pub type ItemRef = (usize, usize);

/// Up to `count` items of `quizzes` (all of them when `topic` is `None`): items never
/// answered right first, in file order, then the others, least often right first.
pub fn pick_items(
    quizzes: &[Quiz],
    topic: Option<&str>,
    progress: &Progress,
    count: usize,
) -> Vec<ItemRef> {
    let mut items: Vec<(bool, u32, ItemRef)> = Vec::new();
    for (quiz_index, quiz) in quizzes.iter().enumerate() {
        if topic.is_some_and(|topic| topic != quiz.topic) {
            continue;
        }
        for (item_index, item) in quiz.items.iter().enumerate() {
            let score = progress.quiz.get(&quiz.full_id(item));
            let correct = score.map_or(0, |score| score.correct);
            items.push((correct > 0, correct, (quiz_index, item_index)));
        }
    }
    items.sort_by_key(|(solved, correct, _)| (*solved, *correct));
    items.into_iter().take(count).map(|(_, _, at)| at).collect()
}

/// The question as lines of text: header, question, code (indented), options.
pub fn question_lines(quiz: &Quiz, item: &Item) -> Vec<String> {
    let mut lines = vec![
        format!(
            "{} · {} · {}",
            quiz.title,
            item.difficulty.as_str(),
            quiz.full_id(item)
        ),
        String::new(),
    ];
    lines.extend(item.question.trim_end().lines().map(str::to_string));
    if let Some(code) = &item.code {
        lines.push(String::new());
        lines.extend(code.trim_end().lines().map(|line| format!("    {line}")));
    }
    lines.push(String::new());
    for (index, option) in item.options.iter().enumerate() {
        lines.extend(option_lines(index, &option.text));
    }
    lines
}

fn option_lines(index: usize, text: &str) -> Vec<String> {
    text.trim_end()
        .lines()
        .enumerate()
        .map(|(number, line)| {
            if number == 0 {
                format!("  {}) {line}", option_key(index))
            } else {
                format!("     {line}")
            }
        })
        .collect()
}

/// What is shown after an answer: whether it was right, then the explanation of the chosen
/// option, of the correct one, and the item's own explanation.
pub fn feedback_lines(item: &Item, chosen: usize) -> (bool, Vec<String>) {
    let correct = item.correct_index().unwrap_or(0);
    let right = chosen == correct;
    let mut lines = Vec::new();
    let key = |index: usize| option_key(index);
    if right {
        lines.push(format!("✓ Right: {})", key(correct)));
    } else {
        lines.push(format!(
            "✗ Not quite: you chose {}), the answer is {})",
            key(chosen),
            key(correct)
        ));
    }
    lines.push(String::new());
    let mut explain = |index: usize| {
        let option = &item.options[index];
        lines.extend(option_lines(index, &option.text));
        lines.extend(
            option
                .why
                .trim_end()
                .lines()
                .enumerate()
                .map(|(number, line)| {
                    if number == 0 {
                        format!("     → {line}")
                    } else {
                        format!("       {line}")
                    }
                }),
        );
    };
    explain(chosen);
    if !right {
        explain(correct);
    }
    lines.push(String::new());
    lines.extend(item.explanation.trim_end().lines().map(str::to_string));
    (right, lines)
}

/// Where `pykata quiz` reads answers from.
enum Keys {
    /// A terminal: one key press, no Enter.
    Terminal,
    /// Anything else: one line per answer.
    Lines(io::StdinLock<'static>),
}

impl Keys {
    fn next(&mut self) -> io::Result<Option<char>> {
        match self {
            Keys::Terminal => {
                crossterm::terminal::enable_raw_mode()?;
                let key = loop {
                    match crossterm::event::read() {
                        Ok(crossterm::event::Event::Key(key))
                            if key.kind == crossterm::event::KeyEventKind::Press =>
                        {
                            let ctrl_c = key.code == crossterm::event::KeyCode::Char('c')
                                && key
                                    .modifiers
                                    .contains(crossterm::event::KeyModifiers::CONTROL);
                            break match key.code {
                                _ if ctrl_c => Ok(None),
                                crossterm::event::KeyCode::Esc => Ok(None),
                                crossterm::event::KeyCode::Enter => Ok(Some('\n')),
                                crossterm::event::KeyCode::Char(ch) => Ok(Some(ch)),
                                _ => continue,
                            };
                        }
                        Ok(_) => continue,
                        Err(error) => break Err(error),
                    }
                };
                crossterm::terminal::disable_raw_mode()?;
                key
            }
            Keys::Lines(lines) => {
                let mut line = String::new();
                if lines.read_line(&mut line)? == 0 {
                    return Ok(None);
                }
                Ok(Some(line.trim().chars().next().unwrap_or('\n')))
            }
        }
    }
}

/// How a `pykata quiz` session went.
#[derive(Debug, Default)]
pub struct Session {
    pub asked: usize,
    pub right: usize,
}

/// Asks `items` on stdout, reading one key per answer; each answer is recorded in
/// `progress` and `save` is called after it (it writes the workspace's state).
pub fn ask(
    quizzes: &[Quiz],
    items: &[ItemRef],
    progress: &mut Progress,
    save: &mut dyn FnMut(&Progress) -> io::Result<()>,
) -> io::Result<Session> {
    use std::io::IsTerminal;
    let mut keys = if io::stdin().is_terminal() {
        Keys::Terminal
    } else {
        Keys::Lines(io::stdin().lock())
    };
    let mut out = anstream::stdout();
    let bold = anstyle::Style::new().bold();
    let green = anstyle::AnsiColor::Green.on_default();
    let red = anstyle::AnsiColor::Red.on_default();
    let mut session = Session::default();
    'items: for (number, &(quiz_index, item_index)) in items.iter().enumerate() {
        let quiz = &quizzes[quiz_index];
        let item = &quiz.items[item_index];
        let lines = question_lines(quiz, item);
        writeln!(
            out,
            "{bold}[{}/{}] {}{bold:#}",
            number + 1,
            items.len(),
            lines[0]
        )?;
        for line in &lines[1..] {
            writeln!(out, "{line}")?;
        }
        let last = option_key(item.options.len().saturating_sub(1));
        let chosen = loop {
            write!(out, "Your answer (a-{last}, q to stop): ")?;
            out.flush()?;
            match keys.next()? {
                None | Some('q') => {
                    writeln!(out)?;
                    break 'items;
                }
                Some(ch) => {
                    let index = (ch.to_ascii_lowercase() as u32).wrapping_sub('a' as u32) as usize;
                    if index < item.options.len() {
                        writeln!(out, "{ch}")?;
                        break index;
                    }
                    writeln!(out, "{ch}: press a letter from a to {last}")?;
                }
            }
        };
        let (right, feedback) = feedback_lines(item, chosen);
        let style = if right { green } else { red };
        writeln!(out)?;
        writeln!(out, "{style}{}{style:#}", feedback[0])?;
        for line in &feedback[1..] {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
        session.asked += 1;
        session.right += usize::from(right);
        progress.record_answer(&quiz.full_id(item), right);
        save(progress)?;
    }
    writeln!(
        out,
        "{bold}{}/{} right{bold:#}",
        session.right, session.asked
    )?;
    Ok(session)
}
