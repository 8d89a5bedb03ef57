//! Watch mode: `pykata` in a workspace. One consumer loop reads a channel fed by two
//! producers, a debounced file watcher (`notify_event`) and a terminal-input thread
//! (`terminal`); each event updates the state (`app`), which is then drawn (`view`). The
//! grader, and with it the embedded engine's warm zygote and the reference's cached run,
//! lives as long as the loop, so a save costs one run of the learner's file.

pub mod app;
pub mod notify_event;
pub mod run;
pub mod terminal;
pub mod view;

use crate::exercise::Catalogue;
use crate::grade::Grader;
use crate::progress::Progress;
use app::{Action, App};
use crossterm::event::KeyEvent;
use notify_event::WatchMode;
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// What the producers send the loop.
#[derive(Debug)]
pub enum WatchEvent {
    /// A watched `.py` file was saved (written, created or renamed into place).
    FileChanged(PathBuf),
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal was resized.
    Resize,
    /// The file watcher stopped working.
    WatcherFailed(String),
    /// The terminal can no longer be read.
    InputFailed(String),
}

/// Why watch mode ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchExit {
    /// `q`.
    Quit,
    /// Ctrl-C.
    Interrupted,
    /// The terminal could not be read any more.
    InputClosed,
}

impl WatchExit {
    /// The process's exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            WatchExit::Quit => 0,
            WatchExit::Interrupted => 130,
            WatchExit::InputClosed => 2,
        }
    }
}

/// What watch mode needs, resolved from the command line.
#[derive(Debug, Clone, Default)]
pub struct WatchSettings {
    /// Grade only when `r` is pressed.
    pub manual_run: bool,
    /// Poll for saves even where file events work.
    pub poll: bool,
    /// Measure save to verdict over this many saves instead of opening the terminal.
    pub bench: Option<usize>,
    /// Something to say on the first screen (the engine chosen instead of the default).
    pub notice: Option<String>,
}

/// Runs watch mode on the workspace at `root` until the learner quits.
pub fn run(root: &Path, grader: Grader, settings: &WatchSettings) -> anyhow::Result<WatchExit> {
    let root = std::fs::canonicalize(root)?;
    let catalogue = Catalogue::bundled()?;
    if catalogue.exercises().is_empty() {
        anyhow::bail!("the bundled catalogue holds no exercise");
    }
    let quizzes = crate::quiz::bundled()?;
    let loaded = Progress::load(&root);
    let (sender, receiver) = mpsc::channel();
    let folders: Vec<PathBuf> = catalogue
        .exercises()
        .iter()
        .map(|exercise| root.join(&exercise.meta.id))
        .filter(|folder| folder.is_dir())
        .collect();
    let (watcher, mode) = if settings.manual_run {
        (None, WatchMode::Manual)
    } else {
        let (watcher, mode) = notify_event::start(&folders, settings.poll, sender.clone())?;
        (Some(watcher), mode)
    };
    let mut app = App::new(root, catalogue, quizzes, loaded.progress, grader, mode);
    app.message = loaded.notice.or_else(|| settings.notice.clone());
    if matches!(app.screen, app::Screen::Exercise) {
        let message = app.message.take();
        app.grade();
        app.message = message.or(app.message.take());
    }
    let exit = match settings.bench {
        Some(saves) => bench(app, sender, receiver, saves),
        None => {
            let _guard = terminal::TerminalGuard::enter()?;
            terminal::spawn_input(sender);
            let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
            event_loop(&mut app, &mut terminal, &receiver, None)
        }
    };
    drop(watcher);
    exit
}

/// The consumer loop: draw, wait for an event, handle it, until an exit. After each
/// grade's result is drawn, `drawn` (benchmarks) gets the instant and whether it passed.
fn event_loop<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    receiver: &Receiver<WatchEvent>,
    drawn: Option<&Sender<(Instant, bool, Duration)>>,
) -> anyhow::Result<WatchExit>
where
    B::Error: Send + Sync + 'static,
{
    let mut redraw = true;
    loop {
        if redraw {
            terminal.draw(|frame| view::draw(frame, app))?;
            if std::mem::take(&mut app.graded)
                && let Some(drawn) = drawn
            {
                let passed = app.last.as_ref().is_some_and(run::LastRun::passed);
                let took = app.last.as_ref().map_or(Duration::ZERO, |last| last.took);
                let _ = drawn.send((Instant::now(), passed, took));
            }
        }
        let Ok(event) = receiver.recv() else {
            return Ok(WatchExit::InputClosed);
        };
        redraw = true;
        let action = match event {
            WatchEvent::FileChanged(path) => {
                // An event that changed nothing (the grader opening the file) draws nothing.
                redraw = app.file_changed(&path);
                Action::Continue
            }
            WatchEvent::Key(key) => app.key(key),
            WatchEvent::Resize => {
                terminal.autoresize()?;
                Action::Continue
            }
            WatchEvent::WatcherFailed(why) => {
                app.message = Some(format!("the file watcher failed: {why}; press r to grade"));
                Action::Continue
            }
            WatchEvent::InputFailed(_) => Action::Exit(WatchExit::InputClosed),
        };
        if let Action::Exit(exit) = action {
            return Ok(exit);
        }
    }
}

/// `--bench N`: the real loop and watcher on a headless screen; a thread saves the
/// learner's file N times (its own text plus a changing comment: pykata writes no solution)
/// and times each save until its verdict (the same as the first grade's) is drawn.
fn bench(
    mut app: App,
    sender: Sender<WatchEvent>,
    receiver: Receiver<WatchEvent>,
    saves: usize,
) -> anyhow::Result<WatchExit> {
    if app.mode == WatchMode::Manual {
        anyhow::bail!("--bench needs the file watcher: drop --manual-run");
    }
    let file = app.file();
    let shown = app.shown_file();
    let original = fs_err::read_to_string(&file)?;
    let (drawn_sender, drawn) = mpsc::channel::<(Instant, bool, Duration)>();
    let writer = std::thread::spawn(move || -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
        // The first draw after the first grade: every save (the same text plus a comment)
        // must come to the same verdict.
        let (_, expected, _) = drawn.recv_timeout(Duration::from_secs(60))?;
        let mut times = Vec::new();
        let mut grades = Vec::new();
        for number in 0..saves + 3 {
            std::thread::sleep(Duration::from_millis(40));
            // A late second event of the last save may have drawn again: not this save's.
            while drawn.try_recv().is_ok() {}
            let started = Instant::now();
            fs_err::write(&file, format!("{original}\n# save {number}\n"))?;
            // The draw of this save's verdict: a grade that caught the file half written
            // (between the editor's truncate and write) is drawn too, then graded again.
            let (at, took) = loop {
                let (at, passed, took) = drawn.recv_timeout(Duration::from_secs(30))?;
                if at > started && passed == expected {
                    break (at, took);
                }
            };
            if number >= 3 {
                times.push((at - started).as_secs_f64() * 1000.0);
                grades.push(took.as_secs_f64() * 1000.0);
            }
        }
        while drawn.try_recv().is_ok() {}
        let restored = Instant::now();
        fs_err::write(&file, &original)?;
        // Its verdict drawn before quitting, so the last verdict printed is the file's own.
        while drawn
            .recv_timeout(Duration::from_secs(30))
            .is_ok_and(|(at, passed, _)| at < restored || passed != expected)
        {}
        let _ = sender.send(WatchEvent::Key(KeyEvent::from(
            crossterm::event::KeyCode::Char('q'),
        )));
        Ok((times, grades))
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    app.graded = true;
    event_loop(&mut app, &mut terminal, &receiver, Some(&drawn_sender))?;
    let (mut times, mut grades) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the benchmark's writer panicked"))??;
    let percentile = |values: &mut Vec<f64>, fraction: f64| {
        values.sort_by(f64::total_cmp);
        values[((values.len() - 1) as f64 * fraction).round() as usize]
    };
    let status = app
        .last
        .as_ref()
        .map_or_else(|| "not graded".into(), |last| last.summary());
    println!(
        "save to verdict through the watch loop: {shown}, engine {}, {}: {} saves, median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms; the grade alone: median {:.1} ms (last verdict: {status})",
        app.grader.engine_name(),
        app.mode.describe(),
        times.len(),
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.95),
        percentile(&mut times, 0.0),
        percentile(&mut times, 1.0),
        percentile(&mut grades, 0.5),
    );
    Ok(WatchExit::Quit)
}
