//! The file-watcher producer: a debounced watcher on every exercise folder of the workspace
//! (folders, not files, so editors that save by writing a new file and renaming it over the
//! old one, as vim and JetBrains IDEs do, are seen too). File-system events where they
//! arrive; polling where they do not (network file systems, WSL's Windows drives), said on
//! screen.

use super::WatchEvent;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, Debouncer, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time after the last event of a file before it is graded: an editor's write,
/// truncate and rename of one save come as one.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// How often a polling watcher looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// How saves are noticed, as said on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchMode {
    /// File-system events.
    Events,
    /// Polling, and why.
    Polling(String),
    /// `--manual-run`: only `r` grades.
    Manual,
}

impl WatchMode {
    /// The line shown at the bottom of the screen.
    pub fn describe(&self) -> String {
        match self {
            WatchMode::Events => "grading on every save".into(),
            WatchMode::Polling(why) => format!(
                "checking for saves every {:.1} s ({why})",
                POLL_INTERVAL.as_secs_f64()
            ),
            WatchMode::Manual => "manual run: press r to grade".into(),
        }
    }
}

/// A running watcher: dropping it stops it.
pub enum FileWatcher {
    Events(Debouncer<RecommendedWatcher>),
    Polling(Debouncer<PollWatcher>),
}

/// Starts watching `folders`; each debounced change of a `.py` file is sent as
/// [`WatchEvent::FileChanged`]. `force_poll` polls even where events would work.
pub fn start(
    folders: &[PathBuf],
    force_poll: bool,
    sender: Sender<WatchEvent>,
) -> Result<(FileWatcher, WatchMode), notify::Error> {
    let poll_reason = if force_poll {
        Some("--poll".to_string())
    } else {
        folders.first().and_then(|folder| events_unreliable(folder))
    };
    let handler = move |result: DebounceEventResult| {
        let event = match result {
            Ok(events) => {
                for event in events {
                    if event.path.extension().is_some_and(|ext| ext == "py") {
                        let _ = sender.send(WatchEvent::FileChanged(event.path));
                    }
                }
                return;
            }
            Err(error) => WatchEvent::WatcherFailed(error.to_string()),
        };
        let _ = sender.send(event);
    };
    let config = Config::default()
        .with_timeout(DEBOUNCE)
        .with_batch_mode(false)
        .with_notify_config(
            notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true),
        );
    // Where events cannot be set up (no inotify, its watch limit reached), polling instead.
    if poll_reason.is_none()
        && let Ok(mut debouncer) =
            new_debouncer_opt::<_, RecommendedWatcher>(config.clone(), handler.clone())
    {
        let watched = folders.iter().try_for_each(|folder| {
            debouncer
                .watcher()
                .watch(folder, RecursiveMode::NonRecursive)
        });
        if watched.is_ok() {
            return Ok((FileWatcher::Events(debouncer), WatchMode::Events));
        }
    }
    let reason = poll_reason.unwrap_or_else(|| "file events could not be set up here".into());
    let mut debouncer = new_debouncer_opt::<_, PollWatcher>(config, handler)?;
    for folder in folders {
        debouncer
            .watcher()
            .watch(folder, RecursiveMode::NonRecursive)?;
    }
    Ok((FileWatcher::Polling(debouncer), WatchMode::Polling(reason)))
}

/// Why file-system events may never arrive for files in `folder`, if they may not: network
/// and FUSE file systems, and Windows drives seen from WSL.
pub fn events_unreliable(folder: &Path) -> Option<String> {
    let kind = file_system_name(folder)?;
    let wsl = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .is_ok_and(|release| release.to_lowercase().contains("microsoft"));
    let on_windows_drive = wsl && folder.starts_with("/mnt/");
    if on_windows_drive {
        return Some("file events do not arrive from Windows drives in WSL".into());
    }
    kind.map(|name| format!("file events do not arrive on {name} file systems"))
}

/// `Some(Some(name))` for a file system whose events are unreliable, `Some(None)` for one
/// whose events arrive, `None` when it cannot be told.
fn file_system_name(folder: &Path) -> Option<Option<&'static str>> {
    let c_path = std::ffi::CString::new(folder.as_os_str().as_encoded_bytes()).ok()?;
    // SAFETY: statfs fills the zeroed struct it is given.
    let kind = unsafe {
        let mut stat: libc::statfs = std::mem::zeroed();
        if libc::statfs(c_path.as_ptr(), &mut stat) != 0 {
            return None;
        }
        stat.f_type as i64
    };
    Some(match kind {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 | 0xFE53_4D42 => Some("CIFS/SMB"),
        0x0102_1997 => Some("9p (WSL, virtual machine shares)"),
        0x6573_5546 => Some("FUSE"),
        _ => None,
    })
}
