//! Landlock: an unprivileged allow-list of the files the main process may touch.
//!
//! The parent finds the ABI and builds the rule list (paths as C strings and access masks);
//! the sandboxed main process opens each path, adds the rules and restricts itself, using
//! only raw system calls. Where a mount namespace gives the process its own root, Landlock is
//! defence in depth; without one, it is the filesystem boundary. From ABI 4 it also denies
//! every TCP bind and connect outside a private network namespace (inside one, TCP reaches
//! only the namespace's own loopback and is allowed), and from ABI 6 it stops signals to processes outside the
//! sandbox (the grader, the reaper) and connections to abstract Unix sockets outside it.

use std::ffi::{CString, c_int};

use super::sys;

const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: c_int = 1;

/// Filesystem access rights (`LANDLOCK_ACCESS_FS_*`).
pub(super) mod fs {
    pub const EXECUTE: u64 = 1 << 0;
    pub const WRITE_FILE: u64 = 1 << 1;
    pub const READ_FILE: u64 = 1 << 2;
    pub const READ_DIR: u64 = 1 << 3;
    pub const REMOVE_DIR: u64 = 1 << 4;
    pub const REMOVE_FILE: u64 = 1 << 5;
    pub const MAKE_DIR: u64 = 1 << 7;
    pub const MAKE_REG: u64 = 1 << 8;
    pub const MAKE_SOCK: u64 = 1 << 9;
    pub const MAKE_FIFO: u64 = 1 << 10;
    pub const MAKE_SYM: u64 = 1 << 12;
    pub const REFER: u64 = 1 << 13;
    pub const TRUNCATE: u64 = 1 << 14;
    pub const IOCTL_DEV: u64 = 1 << 15;

    /// Reading files and directories and executing files.
    pub const READ_EXEC: u64 = EXECUTE | READ_FILE | READ_DIR;
    /// Everything a writable working folder needs (no device nodes).
    pub const READ_WRITE: u64 = READ_EXEC
        | WRITE_FILE
        | REMOVE_DIR
        | REMOVE_FILE
        | MAKE_DIR
        | MAKE_REG
        | MAKE_SOCK
        | MAKE_FIFO
        | MAKE_SYM
        | REFER
        | TRUNCATE;
    /// Reading and writing an existing device node such as /dev/null.
    pub const DEVICE: u64 = READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV;
}

/// The Landlock ABI version the kernel supports, or the errno that says it has none.
pub(super) fn abi() -> Result<u32, i32> {
    // SAFETY: querying the version takes no pointer.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    if ret < 0 {
        Err(sys::errno())
    } else {
        Ok(ret as u32)
    }
}

/// Everything the child needs to restrict itself, built in the parent.
pub(super) struct Plan {
    /// The ABI the masks were chosen for.
    pub abi: u32,
    handled_fs: u64,
    handled_net: u64,
    scoped: u64,
    /// (path, allowed access); a path the child cannot open is skipped.
    rules: Vec<(CString, u64)>,
}

impl Plan {
    /// A plan for `abi` that handles every right that ABI knows, with no rule yet.
    pub fn new(abi: u32) -> Plan {
        let mut handled_fs = (1 << 13) - 1;
        if abi >= 2 {
            handled_fs |= fs::REFER;
        }
        if abi >= 3 {
            handled_fs |= fs::TRUNCATE;
        }
        if abi >= 5 {
            handled_fs |= fs::IOCTL_DEV;
        }
        // Bind and connect over TCP: handled with no rule, so both are denied.
        let handled_net = if abi >= 4 { 0b11 } else { 0 };
        // Abstract Unix sockets and signals outside the domain.
        let scoped = if abi >= 6 { 0b11 } else { 0 };
        Plan {
            abi,
            handled_fs,
            handled_net,
            scoped,
            rules: Vec::new(),
        }
    }

    /// Stops handling TCP bind and connect (so they are allowed): only for a process in a
    /// private network namespace, where they reach nothing but its own loopback.
    pub fn allow_private_tcp(&mut self) {
        self.handled_net = 0;
    }

    /// Allows `access` beneath `path` (masked to what this ABI knows).
    pub fn allow(&mut self, path: CString, access: u64) {
        self.rules.push((path, access & self.handled_fs));
    }

    /// What the plan enforces, for the isolation report.
    pub fn describe(&self) -> String {
        let mut parts = vec!["filesystem"];
        if self.handled_net != 0 {
            parts.push("tcp bind/connect denied");
        }
        if self.scoped != 0 {
            parts.push("signals and abstract sockets scoped");
        }
        format!("landlock abi {} ({})", self.abi, parts.join(", "))
    }

    /// Whether signals to processes outside the sandbox are blocked.
    pub fn scopes_signals(&self) -> bool {
        self.scoped != 0
    }

    /// Creates the ruleset, adds the rules and restricts the calling thread. Async-signal-safe.
    /// `no_new_privs` must already be set. On failure returns (rule index or `usize::MAX`, errno).
    pub fn apply(&self) -> Result<(), (usize, i32)> {
        #[repr(C)]
        struct RulesetAttr {
            handled_access_fs: u64,
            handled_access_net: u64,
            scoped: u64,
        }
        #[repr(C, packed)]
        struct PathBeneath {
            allowed_access: u64,
            parent_fd: i32,
        }
        let attr = RulesetAttr {
            handled_access_fs: self.handled_fs,
            handled_access_net: self.handled_net,
            scoped: self.scoped,
        };
        let size = match self.abi {
            0..=3 => 8,
            4 | 5 => 16,
            _ => 24,
        };
        // SAFETY: valid attribute struct of `size` bytes.
        let ruleset = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                size,
                0,
            )
        };
        if ruleset < 0 {
            return Err((usize::MAX, sys::errno()));
        }
        let ruleset = ruleset as c_int;
        let result = (|| -> Result<(), (usize, i32)> {
            for (i, (path, access)) in self.rules.iter().enumerate() {
                // A path that cannot be opened gets no rule: less access, never more.
                let Ok(fd) = sys::open(path, libc::O_PATH, 0) else {
                    continue;
                };
                let mut allowed = *access;
                if !is_dir(fd) {
                    // Rights that only make sense on a directory are refused on a file.
                    allowed &=
                        fs::EXECUTE | fs::WRITE_FILE | fs::READ_FILE | fs::TRUNCATE | fs::IOCTL_DEV;
                }
                let rule = PathBeneath {
                    allowed_access: allowed,
                    parent_fd: fd,
                };
                // SAFETY: valid rule struct and ruleset fd.
                let ret = unsafe {
                    libc::syscall(
                        libc::SYS_landlock_add_rule,
                        ruleset,
                        RULE_PATH_BENEATH,
                        &rule as *const PathBeneath,
                        0,
                    )
                };
                let err = sys::errno();
                sys::close(fd);
                if ret < 0 {
                    return Err((i, err));
                }
            }
            // SAFETY: valid ruleset fd.
            if unsafe { libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0) } < 0 {
                return Err((usize::MAX, sys::errno()));
            }
            Ok(())
        })();
        sys::close(ruleset);
        result
    }

    /// The path of rule `i`, for error messages.
    pub fn rule_path(&self, i: usize) -> Option<&CString> {
        self.rules.get(i).map(|(p, _)| p)
    }
}

fn is_dir(fd: c_int) -> bool {
    // SAFETY: zeroed stat buffer filled by fstat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    (unsafe { libc::fstat(fd, &mut st) } == 0) && st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_follow_the_abi() {
        let p1 = Plan::new(1);
        assert_eq!(p1.handled_fs, (1 << 13) - 1);
        assert_eq!((p1.handled_net, p1.scoped), (0, 0));
        let p6 = Plan::new(6);
        assert_ne!(p6.handled_fs & fs::IOCTL_DEV, 0);
        assert_eq!((p6.handled_net, p6.scoped), (0b11, 0b11));
        let mut p = Plan::new(2);
        p.allow(CString::new("/x").unwrap(), fs::READ_WRITE | fs::IOCTL_DEV);
        assert_eq!(
            p.rules[0].1 & fs::TRUNCATE,
            0,
            "abi 2 knows no truncate right"
        );
    }
}
