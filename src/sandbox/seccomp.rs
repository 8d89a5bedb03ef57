//! The seccomp filter: a deny list of system calls a grading child never needs.
//!
//! Denied calls fail with `EPERM` (not a kill) so Python reports an ordinary `OSError`.
//! The filter is a hand-written classic BPF program (no dependency, and it covers what a
//! generic compiler does not): a foreign architecture or the x32 ABI is refused outright,
//! `clone3` answers `ENOSYS` so libc falls back to `clone`, whose flags can be inspected
//! (namespace flags are refused), and `ioctl(TIOCSTI/TIOCLINUX)` cannot type into a terminal.
//! Without a network namespace, only Unix sockets can be created.

use std::ffi::c_long;

const LD_W_ABS: u16 = 0x20;
const JEQ_K: u16 = 0x15;
const JGE_K: u16 = 0x35;
const JSET_K: u16 = 0x45;
const RET_K: u16 = 0x06;

const RET_ALLOW: u32 = 0x7fff_0000;
const RET_ERRNO: u32 = 0x0005_0000;

const OFFSET_NR: u32 = 0;
const OFFSET_ARCH: u32 = 4;
const OFFSET_ARG0_LOW: u32 = 16;
const OFFSET_ARG1_LOW: u32 = 24;

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xc000_003e;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xc000_00b7;

const TIOCSTI: u32 = 0x5412;
const TIOCLINUX: u32 = 0x541c;

const NAMESPACE_FLAGS: u32 = (libc::CLONE_NEWNS
    | libc::CLONE_NEWCGROUP
    | libc::CLONE_NEWUTS
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWUSER
    | libc::CLONE_NEWPID
    | libc::CLONE_NEWNET) as u32;

/// System calls that fail with `EPERM` inside the sandbox.
const DENIED: &[c_long] = &[
    // Looking into or controlling other processes.
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_process_madvise,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
    // Mounts and namespaces.
    libc::SYS_mount,
    libc::SYS_umount2,
    libc::SYS_pivot_root,
    libc::SYS_chroot,
    libc::SYS_unshare,
    libc::SYS_setns,
    libc::SYS_open_tree,
    libc::SYS_move_mount,
    libc::SYS_fsopen,
    libc::SYS_fsconfig,
    libc::SYS_fsmount,
    libc::SYS_fspick,
    libc::SYS_mount_setattr,
    // Kernel keyrings, BPF, io_uring, modules, kexec, power.
    libc::SYS_keyctl,
    libc::SYS_add_key,
    libc::SYS_request_key,
    libc::SYS_bpf,
    libc::SYS_io_uring_setup,
    libc::SYS_io_uring_enter,
    libc::SYS_io_uring_register,
    libc::SYS_init_module,
    libc::SYS_finit_module,
    libc::SYS_delete_module,
    libc::SYS_kexec_load,
    libc::SYS_kexec_file_load,
    libc::SYS_reboot,
    libc::SYS_swapon,
    libc::SYS_swapoff,
    // Performance counters, page-fault handling, file handles.
    libc::SYS_perf_event_open,
    libc::SYS_userfaultfd,
    libc::SYS_open_by_handle_at,
    libc::SYS_name_to_handle_at,
    libc::SYS_fanotify_init,
    // System-wide settings.
    libc::SYS_acct,
    libc::SYS_quotactl,
    libc::SYS_quotactl_fd,
    libc::SYS_clock_settime,
    libc::SYS_clock_adjtime,
    libc::SYS_settimeofday,
    libc::SYS_adjtimex,
    libc::SYS_sethostname,
    libc::SYS_setdomainname,
    libc::SYS_syslog,
    libc::SYS_vhangup,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_iopl,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_ioperm,
    #[cfg(target_arch = "x86_64")]
    libc::SYS_uselib,
    #[cfg(target_arch = "x86_64")]
    libc::SYS__sysctl,
];

/// How many system calls the deny list names, for the isolation report.
pub(super) fn denied_count() -> usize {
    DENIED.len()
}

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

fn errno(e: i32) -> u32 {
    RET_ERRNO | (e as u32 & 0xffff)
}

/// Builds the filter program, or `None` on an architecture it does not know. With
/// `unix_sockets_only` (no network namespace), `socket()` of any family but `AF_UNIX` fails.
pub(super) fn program(unix_sockets_only: bool) -> Option<Vec<libc::sock_filter>> {
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        return None;
    }
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        let mut p = vec![
            stmt(LD_W_ABS, OFFSET_ARCH),
            jump(JEQ_K, AUDIT_ARCH, 1, 0),
            stmt(RET_K, errno(libc::EPERM)),
            stmt(LD_W_ABS, OFFSET_NR),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            // x32 system calls share the x86_64 audit arch: refuse them all.
            p.push(jump(JGE_K, 0x4000_0000, 0, 1));
            p.push(stmt(RET_K, errno(libc::EPERM)));
        }
        p.extend([
            jump(JEQ_K, libc::SYS_clone3 as u32, 0, 1),
            stmt(RET_K, errno(libc::ENOSYS)),
            jump(JEQ_K, libc::SYS_clone as u32, 0, 4),
            stmt(LD_W_ABS, OFFSET_ARG0_LOW),
            jump(JSET_K, NAMESPACE_FLAGS, 0, 1),
            stmt(RET_K, errno(libc::EPERM)),
            stmt(RET_K, RET_ALLOW),
            jump(JEQ_K, libc::SYS_ioctl as u32, 0, 5),
            stmt(LD_W_ABS, OFFSET_ARG1_LOW),
            jump(JEQ_K, TIOCSTI, 1, 0),
            jump(JEQ_K, TIOCLINUX, 0, 1),
            stmt(RET_K, errno(libc::EPERM)),
            stmt(RET_K, RET_ALLOW),
        ]);
        if unix_sockets_only {
            p.extend([
                jump(JEQ_K, libc::SYS_socket as u32, 0, 4),
                stmt(LD_W_ABS, OFFSET_ARG0_LOW),
                jump(JEQ_K, libc::AF_UNIX as u32, 1, 0),
                stmt(RET_K, errno(libc::EPERM)),
                stmt(RET_K, RET_ALLOW),
            ]);
        }
        let n = DENIED.len();
        assert!(n < 255, "the deny list must fit in one BPF jump");
        for (i, &nr) in DENIED.iter().enumerate() {
            p.push(jump(JEQ_K, nr as u32, (n - i) as u8, 0));
        }
        p.push(stmt(RET_K, RET_ALLOW));
        p.push(stmt(RET_K, errno(libc::EPERM)));
        Some(p)
    }
}

/// Installs `program` on the calling thread. Async-signal-safe; needs `no_new_privs`.
pub(super) fn install(program: &[libc::sock_filter]) -> Result<(), i32> {
    let fprog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_ptr() as *mut _,
    };
    // SAFETY: a valid program that outlives the call; the kernel copies it.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &fprog as *const libc::sock_fprog,
        )
    };
    if ret < 0 {
        Err(super::sys::errno())
    } else {
        Ok(())
    }
}

/// Whether the kernel accepts seccomp filters at all (`Err(errno)` if not).
pub(super) fn available() -> Result<(), i32> {
    // SAFETY: PR_GET_SECCOMP takes no pointer.
    let ret = unsafe { libc::prctl(libc::PR_GET_SECCOMP) };
    if ret < 0 {
        Err(super::sys::errno())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `check` in a forked child after installing the filter; returns its exit code.
    fn in_filtered_child(check: fn() -> i32) -> i32 {
        let prog = program(true).expect("supported architecture");
        // SAFETY: the child only makes system calls, then exits.
        unsafe {
            let pid = libc::fork();
            assert!(pid >= 0);
            if pid == 0 {
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                if install(&prog).is_err() {
                    libc::_exit(100);
                }
                libc::_exit(check());
            }
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
            assert!(libc::WIFEXITED(status), "child died: {status:#x}");
            libc::WEXITSTATUS(status)
        }
    }

    #[test]
    fn denied_calls_fail_with_eperm_and_others_work() {
        let code = in_filtered_child(|| unsafe {
            if libc::syscall(libc::SYS_ptrace, 0, 0, 0, 0) != -1
                || *libc::__errno_location() != libc::EPERM
            {
                return 1;
            }
            if libc::unshare(libc::CLONE_NEWUSER) != -1 || *libc::__errno_location() != libc::EPERM
            {
                return 2;
            }
            if libc::syscall(libc::SYS_clone3, 0, 0) != -1
                || *libc::__errno_location() != libc::ENOSYS
            {
                return 3;
            }
            let ns_clone = libc::syscall(
                libc::SYS_clone,
                libc::CLONE_NEWNET | libc::SIGCHLD,
                0,
                0,
                0,
                0,
            );
            if ns_clone != -1 || *libc::__errno_location() != libc::EPERM {
                if ns_clone == 0 {
                    libc::_exit(0);
                }
                return 4;
            }
            if libc::getpid() <= 0 {
                return 5;
            }
            if libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0) != -1
                || *libc::__errno_location() != libc::EPERM
            {
                return 8;
            }
            let unix = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            if unix < 0 {
                return 9;
            }
            libc::close(unix);
            // A plain fork still works.
            let pid = libc::syscall(libc::SYS_clone, libc::SIGCHLD, 0, 0, 0, 0);
            if pid == 0 {
                libc::_exit(7);
            }
            let mut st = 0;
            libc::waitpid(pid as i32, &mut st, 0);
            if !libc::WIFEXITED(st) || libc::WEXITSTATUS(st) != 7 {
                return 6;
            }
            0
        });
        assert_eq!(code, 0);
    }
}
