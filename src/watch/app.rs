//! Watch mode's state and what each key and each save does to it. No terminal here: the
//! consumer loop feeds events in and draws what results (`view`).

use super::WatchExit;
use super::notify_event::WatchMode;
use super::run::{self, LastRun};
use crate::exercise::{Catalogue, Exercise};
use crate::grade::Grader;
use crate::progress::Progress;
use crate::quiz::Quiz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

/// Which status the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Todo,
    Done,
}

impl StatusFilter {
    /// The name shown in the list's filter line.
    pub fn name(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Todo => "to do",
            StatusFilter::Done => "done",
        }
    }
}

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    /// An exercise, by index in the catalogue.
    Exercise(usize),
    /// A quiz, by index in the quizzes.
    Quiz(usize),
}

/// The list view's state.
#[derive(Debug, Clone)]
pub struct ListView {
    /// The selected row among the visible ones.
    pub selected: usize,
    pub topic: Option<String>,
    pub status: StatusFilter,
    pub search: String,
    /// Whether keys go to the search field.
    pub searching: bool,
}

/// A quiz being answered inside watch mode.
#[derive(Debug, Clone)]
pub struct QuizView {
    pub quiz: usize,
    /// Item indexes, in the order asked.
    pub items: Vec<usize>,
    pub position: usize,
    /// The option chosen for the current item, once answered.
    pub answer: Option<usize>,
    pub asked: usize,
    pub right: usize,
}

/// What the screen shows.
#[derive(Debug, Clone)]
pub enum Screen {
    /// The current exercise: task, hints, last run.
    Exercise,
    /// The current exercise passes: explanation, the learner's file beside the reference.
    Solved,
    /// Every exercise is done.
    AllDone,
    List(ListView),
    Quiz(QuizView),
    /// `x` asks before resetting the file to its starter.
    ConfirmReset,
}

/// What the loop does after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Continue,
    Exit(WatchExit),
}

/// Everything watch mode knows.
pub struct App {
    /// The workspace's root (canonical).
    pub root: PathBuf,
    pub catalogue: Catalogue,
    pub quizzes: Vec<Quiz>,
    pub progress: Progress,
    pub grader: Grader,
    /// The current exercise's index in the catalogue.
    pub current: usize,
    pub screen: Screen,
    pub last: Option<LastRun>,
    /// One line for the learner (a notice, why a key did nothing...).
    pub message: Option<String>,
    pub mode: WatchMode,
    /// Lines scrolled in the long pane (the run's report, or the explanation).
    pub scroll: u16,
    /// Lines scrolled in the task pane (Tab moves the arrows there and back).
    pub task_scroll: u16,
    /// Whether the arrows scroll the task rather than the report.
    pub task_focus: bool,
    /// Set by every grade; the loop clears it once the result is drawn (benchmarks).
    pub graded: bool,
    /// Grades made since watch mode started, shown so a save is seen to be noticed even
    /// when its verdict is the same.
    pub runs: usize,
    /// The learner's file as it was graded last: the success screen shows it (reading it
    /// at every draw would be seen by the file watcher).
    pub own_text: String,
    /// What the file looked like when it was graded last: a watcher event that leaves it
    /// unchanged (the grader opening it, an editor reading it) grades nothing.
    graded_stamp: Option<FileStamp>,
    /// Whether the sandbox's partial isolation has been said.
    isolation_noticed: bool,
}

/// A file's identity and last change, as `stat` gives them (reading them is no event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            inode: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }
}

impl App {
    /// Watch mode on the workspace at `root`, opening on the saved current exercise (else
    /// the first one not done).
    pub fn new(
        root: PathBuf,
        catalogue: Catalogue,
        quizzes: Vec<Quiz>,
        progress: Progress,
        grader: Grader,
        mode: WatchMode,
    ) -> App {
        let exercises = catalogue.exercises();
        let saved = progress
            .current
            .as_deref()
            .and_then(|id| exercises.iter().position(|exercise| exercise.meta.id == id));
        let first_todo = exercises
            .iter()
            .position(|exercise| !progress.is_done(&exercise.meta.id));
        let all_done = first_todo.is_none() && !exercises.is_empty();
        App {
            root,
            current: saved.or(first_todo).unwrap_or(0),
            catalogue,
            quizzes,
            progress,
            grader,
            screen: if all_done {
                Screen::AllDone
            } else {
                Screen::Exercise
            },
            last: None,
            message: None,
            mode,
            scroll: 0,
            task_scroll: 0,
            task_focus: false,
            graded: false,
            runs: 0,
            own_text: String::new(),
            graded_stamp: None,
            isolation_noticed: false,
        }
    }

    /// The current exercise.
    pub fn exercise(&self) -> &Exercise {
        &self.catalogue.exercises()[self.current]
    }

    /// The learner's file of the current exercise.
    pub fn file(&self) -> PathBuf {
        crate::workspace::exercise_file(&self.root, self.exercise())
    }

    /// The learner's file as shown: relative to the workspace.
    pub fn shown_file(&self) -> String {
        let meta = &self.exercise().meta;
        format!("{}/{}.py", meta.id, meta.module)
    }

    /// How many exercises are done.
    pub fn done_count(&self) -> usize {
        self.catalogue
            .exercises()
            .iter()
            .filter(|exercise| self.progress.is_done(&exercise.meta.id))
            .count()
    }

    /// Whether the current exercise has passed.
    pub fn current_done(&self) -> bool {
        self.progress.is_done(&self.exercise().meta.id)
    }

    /// How many of the current exercise's hints are shown.
    pub fn hints_shown(&self) -> usize {
        let meta = &self.exercise().meta;
        self.progress
            .hints
            .get(&meta.id)
            .copied()
            .unwrap_or(0)
            .min(meta.hints.len())
    }

    /// (items answered right at least once, items) of a quiz.
    pub fn quiz_progress(&self, quiz: &Quiz) -> (usize, usize) {
        let solved = quiz
            .items
            .iter()
            .filter(|item| self.progress.quiz_solved(&quiz.full_id(item)))
            .count();
        (solved, quiz.items.len())
    }

    /// The quiz offered beside the current exercise.
    pub fn quiz_for_current(&self) -> Option<usize> {
        let topic = &self.exercise().meta.topic;
        let quiz = crate::quiz::for_exercise_topic(&self.quizzes, topic)?;
        self.quizzes
            .iter()
            .position(|other| other.topic == quiz.topic)
    }

    fn save(&mut self) {
        if let Err(error) = self.progress.save(&self.root) {
            self.message = Some(format!(
                "could not save {}: {error}",
                crate::progress::STATE_FILE
            ));
        }
    }

    /// Grades the current exercise's file now.
    pub fn grade(&mut self) {
        self.graded = true;
        self.runs += 1;
        let file = self.file();
        if !file.is_file() {
            self.graded_stamp = None;
            self.last = None;
            self.message = Some(format!(
                "{} does not exist: press x to write the starter again",
                self.shown_file()
            ));
            return;
        }
        self.graded_stamp = FileStamp::of(&file);
        self.own_text = std::fs::read_to_string(&file).unwrap_or_default();
        let shown = self.shown_file();
        let last = run::grade(&self.grader, self.exercise(), &file, &shown);
        // Said once, as `pykata check` says it: the sandbox gave less than full isolation.
        if let Some(isolation) = &last.report.isolation
            && isolation.level != "full"
            && !self.isolation_noticed
        {
            self.isolation_noticed = true;
            self.message = Some(format!(
                "grading with {} isolation: {} (run `pykata doctor`)",
                isolation.level,
                isolation.missing.join("; ")
            ));
        }
        let passed = last.passed();
        self.last = Some(last);
        if passed {
            let id = self.exercise().meta.id.clone();
            if self.progress.mark_done(&id) {
                self.save();
            }
            if matches!(self.screen, Screen::Exercise | Screen::Solved) {
                if !matches!(self.screen, Screen::Solved) {
                    self.scroll = 0;
                }
                self.screen = Screen::Solved;
            }
        } else if matches!(self.screen, Screen::Solved) {
            self.screen = Screen::Exercise;
        }
    }

    /// A watched file had an event: the current exercise's file is graded again if it
    /// changed since its last grade. Returns whether it was.
    pub fn file_changed(&mut self, path: &Path) -> bool {
        if self.mode == WatchMode::Manual || path != self.file() {
            return false;
        }
        let stamp = FileStamp::of(path);
        if stamp.is_some() && stamp == self.graded_stamp {
            return false;
        }
        self.grade();
        true
    }

    /// Moves to exercise `index` and grades it.
    pub fn open(&mut self, index: usize) {
        self.current = index;
        self.progress.current = Some(self.exercise().meta.id.clone());
        self.save();
        self.scroll = 0;
        self.task_scroll = 0;
        self.screen = Screen::Exercise;
        self.grade();
    }

    /// `n`: the next exercise not done, after the current one.
    fn next(&mut self) {
        let count = self.catalogue.exercises().len();
        let next = (1..count)
            .map(|step| (self.current + step) % count)
            .find(|&index| {
                !self
                    .progress
                    .is_done(&self.catalogue.exercises()[index].meta.id)
            });
        match next {
            Some(index) => self.open(index),
            None => self.screen = Screen::AllDone,
        }
    }

    /// Handles one key press.
    pub fn key(&mut self, key: KeyEvent) -> Action {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Action::Exit(WatchExit::Interrupted);
        }
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Action::Continue;
        }
        self.message = None;
        match self.screen.clone() {
            Screen::List(view) => self.list_key(view, key),
            Screen::Quiz(view) => self.quiz_key(view, key),
            Screen::ConfirmReset => {
                match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') => self.reset(),
                    _ => self.message = Some("reset cancelled: your file is unchanged".into()),
                }
                self.screen = Screen::Exercise;
                Action::Continue
            }
            Screen::Exercise | Screen::Solved | Screen::AllDone => self.main_key(key),
        }
    }

    fn main_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Char('q') => return Action::Exit(WatchExit::Quit),
            KeyCode::Char('h') => {
                let total = self.exercise().meta.hints.len();
                let shown = self.hints_shown();
                if shown < total {
                    let id = self.exercise().meta.id.clone();
                    self.progress.hints.insert(id, shown + 1);
                    self.save();
                    self.screen = Screen::Exercise;
                } else if total == 0 {
                    self.message = Some("this exercise has no hints".into());
                } else {
                    self.message = Some(format!("all {total} hints are shown"));
                }
            }
            KeyCode::Char('n') => {
                if self.current_done() {
                    self.next();
                } else {
                    self.message = Some(
                        "n moves on once this exercise passes; l lists every exercise to pick another"
                            .into(),
                    );
                }
            }
            KeyCode::Char('l') => {
                let mut view = ListView {
                    selected: 0,
                    topic: None,
                    status: StatusFilter::All,
                    search: String::new(),
                    searching: false,
                };
                view.selected = self
                    .list_rows(&view)
                    .iter()
                    .position(|row| *row == ListRow::Exercise(self.current))
                    .unwrap_or(0);
                self.screen = Screen::List(view);
            }
            KeyCode::Char('r') => self.grade(),
            KeyCode::Char('x') => self.screen = Screen::ConfirmReset,
            KeyCode::Char('s') => {
                if self.current_done() {
                    self.scroll = 0;
                    self.screen = Screen::Solved;
                } else {
                    self.message = Some(
                        "the reference solution and its explanation are shown once this exercise passes"
                            .into(),
                    );
                }
            }
            KeyCode::Char('z') => match self.quiz_for_current() {
                Some(quiz) => self.start_quiz(quiz),
                None => self.message = Some("no quiz is bundled".into()),
            },
            KeyCode::Esc | KeyCode::Enter => self.screen = Screen::Exercise,
            KeyCode::Tab if matches!(self.screen, Screen::Exercise) => {
                self.task_focus = !self.task_focus;
            }
            KeyCode::Down | KeyCode::Char('j') => {
                *self.scrolled() = self.scrolled().saturating_add(1)
            }
            KeyCode::Up | KeyCode::Char('k') => {
                *self.scrolled() = self.scrolled().saturating_sub(1)
            }
            KeyCode::PageDown | KeyCode::Char(' ') => {
                *self.scrolled() = self.scrolled().saturating_add(10);
            }
            KeyCode::PageUp => *self.scrolled() = self.scrolled().saturating_sub(10),
            KeyCode::Home => *self.scrolled() = 0,
            _ => {}
        }
        Action::Continue
    }

    /// The scroll offset the arrows move: the task's on the exercise screen when Tab gave
    /// it the focus, else the long pane's.
    fn scrolled(&mut self) -> &mut u16 {
        if self.task_focus && matches!(self.screen, Screen::Exercise) {
            &mut self.task_scroll
        } else {
            &mut self.scroll
        }
    }

    fn reset(&mut self) {
        match crate::workspace::reset(&self.root, self.exercise()) {
            Ok(backup) => {
                self.message = Some(match backup {
                    Some(path) => format!(
                        "{} is back to its starter; your file is kept as {}",
                        self.shown_file(),
                        path.strip_prefix(&self.root).unwrap_or(&path).display()
                    ),
                    None => format!("{} is back to its starter", self.shown_file()),
                });
                self.grade();
            }
            Err(error) => self.message = Some(format!("reset failed: {error}")),
        }
    }

    /// Every topic of the list's filter: exercises' and quizzes'.
    pub fn topics(&self) -> Vec<String> {
        let mut topics: Vec<String> = self
            .catalogue
            .exercises()
            .iter()
            .map(|exercise| exercise.meta.topic.clone())
            .chain(self.quizzes.iter().map(|quiz| quiz.topic.clone()))
            .collect();
        topics.sort();
        topics.dedup();
        topics
    }

    /// The list's visible rows: exercises then quizzes, filtered.
    pub fn list_rows(&self, view: &ListView) -> Vec<ListRow> {
        let search = view.search.to_lowercase();
        let matches = |topic: &str, id: &str, title: &str, done: bool| {
            view.topic.as_deref().is_none_or(|wanted| wanted == topic)
                && match view.status {
                    StatusFilter::All => true,
                    StatusFilter::Todo => !done,
                    StatusFilter::Done => done,
                }
                && (search.is_empty()
                    || id.to_lowercase().contains(&search)
                    || title.to_lowercase().contains(&search))
        };
        let exercises = self
            .catalogue
            .exercises()
            .iter()
            .enumerate()
            .filter(|(_, exercise)| {
                let meta = &exercise.meta;
                matches(
                    &meta.topic,
                    &meta.id,
                    &meta.title,
                    self.progress.is_done(&meta.id),
                )
            })
            .map(|(index, _)| ListRow::Exercise(index));
        let quizzes = self
            .quizzes
            .iter()
            .enumerate()
            .filter(|(_, quiz)| {
                let (solved, total) = self.quiz_progress(quiz);
                matches(&quiz.topic, &quiz.topic, &quiz.title, solved == total)
            })
            .map(|(index, _)| ListRow::Quiz(index));
        exercises.chain(quizzes).collect()
    }

    fn list_key(&mut self, mut view: ListView, key: KeyEvent) -> Action {
        if view.searching {
            match key.code {
                KeyCode::Char(ch) => view.search.push(ch),
                KeyCode::Backspace => {
                    view.search.pop();
                }
                KeyCode::Enter | KeyCode::Esc => view.searching = false,
                _ => {}
            }
            view.selected = 0;
            self.screen = Screen::List(view);
            return Action::Continue;
        }
        let rows = self.list_rows(&view);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => {
                view.selected = (view.selected + 1).min(rows.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => view.selected = view.selected.saturating_sub(1),
            KeyCode::Home => view.selected = 0,
            KeyCode::End => view.selected = rows.len().saturating_sub(1),
            KeyCode::Char('/') => {
                view.searching = true;
                view.search.clear();
            }
            KeyCode::Char('t') => {
                let topics = self.topics();
                view.topic = match &view.topic {
                    None => topics.first().cloned(),
                    Some(topic) => topics
                        .iter()
                        .position(|other| other == topic)
                        .and_then(|at| topics.get(at + 1))
                        .cloned(),
                };
                view.selected = 0;
            }
            KeyCode::Char('f') => {
                view.status = match view.status {
                    StatusFilter::All => StatusFilter::Todo,
                    StatusFilter::Todo => StatusFilter::Done,
                    StatusFilter::Done => StatusFilter::All,
                };
                view.selected = 0;
            }
            KeyCode::Enter | KeyCode::Char('c') => {
                match rows.get(view.selected) {
                    Some(ListRow::Exercise(index)) => {
                        let index = *index;
                        self.open(index);
                        self.message = Some(format!("continuing with {}", self.exercise().meta.id));
                    }
                    Some(ListRow::Quiz(index)) => self.start_quiz(*index),
                    None => {}
                }
                return Action::Continue;
            }
            KeyCode::Esc | KeyCode::Char('l') | KeyCode::Char('q') => {
                self.screen = Screen::Exercise;
                return Action::Continue;
            }
            _ => {}
        }
        self.screen = Screen::List(view);
        Action::Continue
    }

    fn start_quiz(&mut self, quiz: usize) {
        let picked = crate::quiz::ask::pick_items(
            &self.quizzes,
            Some(&self.quizzes[quiz].topic),
            &self.progress,
            usize::MAX,
        );
        self.screen = Screen::Quiz(QuizView {
            quiz,
            items: picked.into_iter().map(|(_, item)| item).collect(),
            position: 0,
            answer: None,
            asked: 0,
            right: 0,
        });
    }

    fn quiz_key(&mut self, mut view: QuizView, key: KeyEvent) -> Action {
        let quiz = &self.quizzes[view.quiz];
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) {
            self.screen = Screen::Exercise;
            return Action::Continue;
        }
        let Some(&item_index) = view.items.get(view.position) else {
            self.screen = Screen::Exercise;
            return Action::Continue;
        };
        let item = &quiz.items[item_index];
        match (view.answer, key.code) {
            (None, KeyCode::Char(ch)) => {
                let index = (ch.to_ascii_lowercase() as u32).wrapping_sub('a' as u32) as usize;
                if index < item.options.len() {
                    let right = item.correct_index() == Some(index);
                    let full_id = quiz.full_id(item);
                    view.answer = Some(index);
                    view.asked += 1;
                    view.right += usize::from(right);
                    self.progress.record_answer(&full_id, right);
                    self.save();
                }
            }
            (Some(_), KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('n')) => {
                view.position += 1;
                view.answer = None;
            }
            _ => {}
        }
        self.screen = Screen::Quiz(view);
        Action::Continue
    }
}
