//! The terminal: the full-screen mode and its restoration on every way out (a normal exit, a
//! panic, SIGTERM/SIGHUP/SIGINT), and the terminal-input producer thread.

use super::WatchEvent;
use crossterm::event::{Event, KeyEventKind};
use crossterm::{cursor, execute, terminal};
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::mpsc::Sender;

/// The terminal's settings before raw mode, for the signal handler.
static SAVED_TERMIOS: OnceLock<libc::termios> = OnceLock::new();

/// While it lives the terminal is in raw mode on the alternate screen; dropping it restores
/// the terminal.
pub struct TerminalGuard(());

impl TerminalGuard {
    /// Enters full-screen mode, and makes panics and termination signals restore it first.
    pub fn enter() -> io::Result<TerminalGuard> {
        // SAFETY: tcgetattr fills the zeroed struct.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) == 0 {
                let _ = SAVED_TERMIOS.set(saved);
            }
        }
        install_signal_handlers();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        terminal::enable_raw_mode()?;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(TerminalGuard(()))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves full-screen mode; harmless when not in it.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    let _ = io::stdout().flush();
}

extern "C" fn on_signal(signal: libc::c_int) {
    // Only async-signal-safe calls: write(2), tcsetattr(3), _exit(2).
    const LEAVE: &[u8] = b"\x1b[?1049l\x1b[?25h";
    // SAFETY: both calls are async-signal-safe and take valid pointers.
    unsafe {
        libc::write(libc::STDOUT_FILENO, LEAVE.as_ptr().cast(), LEAVE.len());
        if let Some(saved) = SAVED_TERMIOS.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved);
        }
        libc::_exit(128 + signal);
    }
}

fn install_signal_handlers() {
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT] {
        // SAFETY: the handler only makes async-signal-safe calls.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The terminal-input producer: key presses and resizes, until the receiver is gone.
pub fn spawn_input(sender: Sender<WatchEvent>) {
    std::thread::spawn(move || {
        loop {
            let event = match crossterm::event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => WatchEvent::Key(key),
                Ok(Event::Resize(..)) => WatchEvent::Resize,
                Ok(_) => continue,
                Err(error) => {
                    let _ = sender.send(WatchEvent::InputFailed(error.to_string()));
                    return;
                }
            };
            if sender.send(event).is_err() {
                return;
            }
        }
    });
}
