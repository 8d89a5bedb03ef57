//! The subprocess engine: a fresh `python3 -I` per run, for any interpreter.

use crate::engine::process::{ChildExit, ChildFds, RunningChild, wait_for_pid};
use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// A child started with `std::process::Command` in its own process group.
pub struct GroupChild {
    pid: libc::pid_t,
}

impl RunningChild for GroupChild {
    fn kill(&self) {
        // SAFETY: kill has no memory effects; the negative pid names the child's group.
        unsafe {
            libc::kill(-self.pid, libc::SIGKILL);
        }
    }

    fn wait(&self) -> io::Result<ChildExit> {
        wait_for_pid(self.pid)
    }
}

/// Starts `python ARGS` in `cwd` with exactly `env`, the write ends of the pipes at fds
/// 1, 2 and 3, and stdin from /dev/null.
pub fn spawn_python(
    python: &Path,
    args: &[OsString],
    cwd: &Path,
    env: &[(OsString, OsString)],
    fds: ChildFds,
) -> io::Result<GroupChild> {
    let channel = fds.channel;
    let channel_fd = channel.as_raw_fd();
    let mut command = Command::new(python);
    command
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .envs(env.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .stdout(Stdio::from(fds.stdout))
        .stderr(Stdio::from(fds.stderr))
        .process_group(0);
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe
    // system calls (dup2, setrlimit) on values prepared before the fork.
    unsafe {
        command.pre_exec(move || {
            if libc::dup2(channel_fd, 3) < 0 {
                return Err(io::Error::last_os_error());
            }
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            Ok(())
        });
    }
    let child = command.spawn()?;
    drop(channel);
    Ok(GroupChild {
        pid: child.id() as libc::pid_t,
    })
}
