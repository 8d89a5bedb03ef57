//! Raw Linux system calls and constants the sandbox needs, as thin async-signal-safe wrappers.
//!
//! Everything here may run between `clone` and `execve` in a child of a multi-threaded
//! process: no allocation, no locks, nothing but the system call and `errno`.

use std::ffi::{CStr, c_char, c_int, c_long, c_uint, c_void};
use std::ptr;

/// `Err(errno)` of a failed system call.
pub(super) type SysResult<T> = Result<T, i32>;

/// The calling thread's `errno`.
pub(super) fn errno() -> i32 {
    // SAFETY: __errno_location returns a valid thread-local pointer.
    unsafe { *libc::__errno_location() }
}

/// Turns a `-1`-on-error return value into a result.
fn check(ret: c_long) -> SysResult<c_long> {
    if ret == -1 { Err(errno()) } else { Ok(ret) }
}

/// Retries a system call that `EINTR` interrupted.
fn retry(mut f: impl FnMut() -> c_long) -> SysResult<c_long> {
    loop {
        match check(f()) {
            Err(libc::EINTR) => continue,
            other => return other,
        }
    }
}

// Mount API (linux/mount.h), not all of them in the libc crate.
pub(super) const OPEN_TREE_CLONE: c_uint = 1;
pub(super) const OPEN_TREE_CLOEXEC: c_uint = libc::O_CLOEXEC as c_uint;
pub(super) const AT_RECURSIVE: c_uint = 0x8000;
pub(super) const MOVE_MOUNT_F_EMPTY_PATH: c_uint = 0x4;
pub(super) const MOUNT_ATTR_RDONLY: u64 = 0x1;
pub(super) const MOUNT_ATTR_NOSUID: u64 = 0x2;
pub(super) const MOUNT_ATTR_NODEV: u64 = 0x4;
pub(super) const MOUNT_ATTR_NOEXEC: u64 = 0x8;
pub(super) const FSOPEN_CLOEXEC: c_uint = 1;
pub(super) const FSCONFIG_SET_STRING: c_uint = 1;
pub(super) const FSCONFIG_CMD_CREATE: c_uint = 6;
pub(super) const FSMOUNT_CLOEXEC: c_uint = 1;

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

/// `open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | AT_RECURSIVE)`: a detached copy of the mount
/// tree at `path`, private, with `attrs` (MOUNT_ATTR_*) set on every mount of it.
pub(super) fn clone_tree(path: &CStr, attrs: u64) -> SysResult<c_int> {
    // SAFETY: plain system calls with valid pointers.
    unsafe {
        let fd = check(libc::syscall(
            libc::SYS_open_tree,
            libc::AT_FDCWD,
            path.as_ptr(),
            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE,
        ))? as c_int;
        let attr = MountAttr {
            attr_set: attrs,
            attr_clr: 0,
            propagation: libc::MS_PRIVATE,
            userns_fd: 0,
        };
        let ret = libc::syscall(
            libc::SYS_mount_setattr,
            fd,
            c"".as_ptr(),
            (libc::AT_EMPTY_PATH as c_uint) | AT_RECURSIVE,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        );
        if ret == -1 {
            let e = errno();
            libc::close(fd);
            return Err(e);
        }
        Ok(fd)
    }
}

/// A new detached tmpfs configured with `options` (key, value pairs); returns the mount fd.
pub(super) fn new_tmpfs(
    options: &[(std::ffi::CString, std::ffi::CString)],
    attrs: u64,
) -> SysResult<c_int> {
    // SAFETY: plain system calls with valid pointers.
    unsafe {
        let ctx = check(libc::syscall(
            libc::SYS_fsopen,
            c"tmpfs".as_ptr(),
            FSOPEN_CLOEXEC,
        ))? as c_int;
        let result = (|| {
            for (key, value) in options {
                check(libc::syscall(
                    libc::SYS_fsconfig,
                    ctx,
                    FSCONFIG_SET_STRING,
                    key.as_ptr(),
                    value.as_ptr(),
                    0,
                ))?;
            }
            check(libc::syscall(
                libc::SYS_fsconfig,
                ctx,
                FSCONFIG_CMD_CREATE,
                ptr::null::<c_char>(),
                ptr::null::<c_void>(),
                0,
            ))?;
            Ok(check(libc::syscall(
                libc::SYS_fsmount,
                ctx,
                FSMOUNT_CLOEXEC,
                attrs,
            ))? as c_int)
        })();
        libc::close(ctx);
        result
    }
}

/// `move_mount(fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH)`: attaches a detached tree.
pub(super) fn attach(fd: c_int, target: &CStr) -> SysResult<()> {
    // SAFETY: plain system call with valid pointers.
    check(unsafe {
        libc::syscall(
            libc::SYS_move_mount,
            fd,
            c"".as_ptr(),
            libc::AT_FDCWD,
            target.as_ptr(),
            MOVE_MOUNT_F_EMPTY_PATH,
        )
    })
    .map(drop)
}

/// `mount(2)`.
pub(super) fn mount(
    source: Option<&CStr>,
    target: &CStr,
    fstype: Option<&CStr>,
    flags: libc::c_ulong,
    data: Option<&CStr>,
) -> SysResult<()> {
    let p = |s: Option<&CStr>| s.map_or(ptr::null(), CStr::as_ptr);
    // SAFETY: valid NUL-terminated strings or null.
    let ret = unsafe { libc::mount(p(source), target.as_ptr(), p(fstype), flags, p(data).cast()) };
    check(ret as c_long).map(drop)
}

/// `pivot_root(".", ".")` followed by a lazy unmount of the old root, leaving `.` as `/`.
pub(super) fn pivot_to_cwd() -> SysResult<()> {
    // SAFETY: valid strings.
    unsafe {
        check(libc::syscall(
            libc::SYS_pivot_root,
            c".".as_ptr(),
            c".".as_ptr(),
        ))?;
        check(libc::umount2(c".".as_ptr(), libc::MNT_DETACH) as c_long)?;
        check(libc::chdir(c"/".as_ptr()) as c_long)?;
    }
    Ok(())
}

/// Raw `clone` with fork semantics (the child continues on a copy of the caller's stack).
/// Returns 0 in the child and the child's pid in the parent.
///
/// # Safety
/// The child of a multi-threaded caller may only make async-signal-safe calls.
pub(super) unsafe fn clone_fork(flags: c_int) -> SysResult<libc::pid_t> {
    // SAFETY: with a null stack the kernel duplicates the caller like fork(2).
    let ret = unsafe {
        libc::syscall(
            libc::SYS_clone,
            (flags | libc::SIGCHLD) as libc::c_ulong,
            0usize,
            0usize,
            0usize,
            0usize,
        )
    };
    check(ret).map(|pid| pid as libc::pid_t)
}

/// `open(2)` with `O_CLOEXEC` added.
pub(super) fn open(path: &CStr, flags: c_int, mode: libc::mode_t) -> SysResult<c_int> {
    // SAFETY: valid string.
    retry(|| unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, mode) as c_long })
        .map(|fd| fd as c_int)
}

/// `close(2)`, ignoring errors.
/// Brings the loopback interface of this process's (new, private) network namespace up,
/// so that a test may serve and call itself on 127.0.0.1 and ::1; nothing else exists in
/// that namespace. Async-signal-safe.
pub(super) fn loopback_up() -> SysResult<()> {
    // SAFETY: plain system calls on a zeroed ifreq naming "lo", and a socket closed here.
    unsafe {
        let socket =
            check(libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) as c_long)?
                as c_int;
        let mut request: libc::ifreq = std::mem::zeroed();
        request.ifr_name[0] = b'l' as libc::c_char;
        request.ifr_name[1] = b'o' as libc::c_char;
        let result = check(libc::ioctl(socket, libc::SIOCGIFFLAGS, &mut request) as c_long)
            .and_then(|_| {
                request.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
                check(libc::ioctl(socket, libc::SIOCSIFFLAGS, &request) as c_long)
            });
        close(socket);
        result.map(|_| ())
    }
}

pub(super) fn close(fd: c_int) {
    if fd >= 0 {
        // SAFETY: closing an fd this code owns.
        unsafe { libc::close(fd) };
    }
}

/// `close_range(first, last, 0)`; falls back to a loop on kernels without it.
pub(super) fn close_range(first: u32, last: u32) {
    if first > last {
        return;
    }
    // SAFETY: plain system call.
    let ret = unsafe { libc::syscall(libc::SYS_close_range, first, last, 0) };
    if ret == -1 {
        let end = last.min(65535);
        for fd in first..=end {
            close(fd as c_int);
        }
    }
}

/// Closes every descriptor that is not in `keep` (sorted ascending).
pub(super) fn close_all_except(keep: &[c_int]) {
    let mut next: u32 = 0;
    for &fd in keep {
        if fd < 0 || (fd as u32) < next {
            continue;
        }
        if fd as u32 > next {
            close_range(next, fd as u32 - 1);
        }
        next = fd as u32 + 1;
    }
    close_range(next, u32::MAX);
}

/// `write(2)` of the whole buffer, retrying short writes and `EINTR`.
pub(super) fn write_all(fd: c_int, mut buf: &[u8]) -> SysResult<()> {
    while !buf.is_empty() {
        // SAFETY: valid buffer.
        let n = retry(|| unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) as c_long })?;
        if n == 0 {
            return Err(libc::EIO);
        }
        buf = &buf[n as usize..];
    }
    Ok(())
}

/// `read(2)`, retrying `EINTR`.
pub(super) fn read(fd: c_int, buf: &mut [u8]) -> SysResult<usize> {
    // SAFETY: valid buffer.
    retry(|| unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) as c_long })
        .map(|n| n as usize)
}

/// `mkdir(2)`; an existing directory is not an error.
pub(super) fn mkdir(path: &CStr, mode: libc::mode_t) -> SysResult<()> {
    // SAFETY: valid string.
    match check(unsafe { libc::mkdir(path.as_ptr(), mode) } as c_long) {
        Ok(_) => Ok(()),
        Err(e) => {
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: valid string and buffer.
            let exists = unsafe { libc::stat(path.as_ptr(), &mut st) } == 0
                && st.st_mode & libc::S_IFMT == libc::S_IFDIR;
            if exists { Ok(()) } else { Err(e) }
        }
    }
}

/// `chmod(2)`: mkdir's mode is cut by the umask, this is not.
pub(super) fn chmod(path: &CStr, mode: libc::mode_t) -> SysResult<()> {
    // SAFETY: valid string.
    check(unsafe { libc::chmod(path.as_ptr(), mode) } as c_long).map(drop)
}

/// `symlink(2)`.
pub(super) fn symlink(target: &CStr, path: &CStr) -> SysResult<()> {
    // SAFETY: valid strings.
    check(unsafe { libc::symlink(target.as_ptr(), path.as_ptr()) } as c_long).map(drop)
}

/// Creates (or truncates) a file with `contents` and `mode`.
pub(super) fn write_file(path: &CStr, contents: &[u8], mode: libc::mode_t) -> SysResult<()> {
    let fd = open(path, libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, mode)?;
    let result = write_all(fd, contents);
    close(fd);
    result?;
    chmod(path, mode)
}

/// `chdir(2)`.
pub(super) fn chdir(path: &CStr) -> SysResult<()> {
    // SAFETY: valid string.
    check(unsafe { libc::chdir(path.as_ptr()) } as c_long).map(drop)
}

/// `dup2(2)`, which also makes the descriptor at `to` inheritable when it is `from` itself.
pub(super) fn dup2(from: c_int, to: c_int) -> SysResult<()> {
    if from == to {
        // dup2 of a descriptor onto itself changes nothing, close-on-exec included: clear
        // it, so the descriptor placed at `to` survives execve like any other.
        // SAFETY: plain system call.
        return check(unsafe { libc::fcntl(to, libc::F_SETFD, 0) } as c_long).map(drop);
    }
    // SAFETY: plain system call.
    retry(|| unsafe { libc::dup2(from, to) } as c_long).map(drop)
}

/// `fcntl(fd, F_DUPFD_CLOEXEC, min)`.
pub(super) fn dup_above(fd: c_int, min: c_int) -> SysResult<c_int> {
    // SAFETY: plain system call.
    check(unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, min) } as c_long).map(|fd| fd as c_int)
}

/// `prctl(2)` with integer arguments.
pub(super) fn prctl(option: c_int, a: libc::c_ulong, b: libc::c_ulong) -> SysResult<c_int> {
    // SAFETY: plain system call with integer arguments.
    check(unsafe { libc::prctl(option, a, b, 0 as libc::c_ulong, 0 as libc::c_ulong) } as c_long)
        .map(|r| r as c_int)
}

/// `setrlimit(2)`.
pub(super) fn setrlimit(resource: c_int, soft: u64, hard: u64) -> SysResult<()> {
    let lim = libc::rlimit64 {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: valid struct.
    check(unsafe { libc::syscall(libc::SYS_prlimit64, 0, resource, &lim, ptr::null::<u8>()) })
        .map(drop)
}

/// `setresuid`/`setresgid` through raw system calls (glibc's wrappers synchronise all threads).
pub(super) fn set_ids(uid: u32, gid: u32, clear_groups: bool) -> SysResult<()> {
    // SAFETY: plain system calls.
    unsafe {
        if clear_groups {
            check(libc::syscall(
                libc::SYS_setgroups,
                0,
                ptr::null::<libc::gid_t>(),
            ))?;
        }
        check(libc::syscall(libc::SYS_setresgid, gid, gid, gid))?;
        check(libc::syscall(libc::SYS_setresuid, uid, uid, uid))?;
    }
    Ok(())
}

/// Removes every capability for good: locks the securebits so that uid 0 gains nothing on
/// `execve`, empties the bounding and ambient sets, then the permitted/effective/inheritable sets.
pub(super) fn drop_capabilities() -> SysResult<()> {
    const PR_SET_SECUREBITS: c_int = 28;
    const PR_CAPBSET_DROP: c_int = 24;
    const PR_CAP_AMBIENT: c_int = 47;
    const PR_CAP_AMBIENT_CLEAR_ALL: libc::c_ulong = 4;
    // NOROOT, NO_SETUID_FIXUP, KEEP_CAPS (off), NO_CAP_AMBIENT_RAISE, each with its lock bit.
    const SECUREBITS: libc::c_ulong = 0b1110_1111;
    prctl(PR_SET_SECUREBITS, SECUREBITS, 0)?;
    for cap in 0..64 {
        match prctl(PR_CAPBSET_DROP, cap, 0) {
            Ok(_) => {}
            Err(libc::EINVAL) => break,
            Err(e) => return Err(e),
        }
    }
    let _ = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0);
    #[repr(C)]
    struct Header {
        version: u32,
        pid: c_int,
    }
    #[repr(C)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let header = Header {
        version: 0x2008_0522,
        pid: 0,
    };
    let data = [
        Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        },
        Data {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        },
    ];
    // SAFETY: valid header and two data structs (capability version 3).
    check(unsafe { libc::syscall(libc::SYS_capset, &header, data.as_ptr()) }).map(drop)
}

/// `wait4(2)`, retrying `EINTR`.
pub(super) fn wait4(
    pid: libc::pid_t,
    status: &mut c_int,
    options: c_int,
    usage: &mut libc::rusage,
) -> SysResult<libc::pid_t> {
    // SAFETY: valid out-pointers.
    retry(|| unsafe { libc::wait4(pid, status, options, usage) } as c_long)
        .map(|p| p as libc::pid_t)
}

/// `kill(2)`, ignoring errors.
pub(super) fn kill(pid: libc::pid_t, signal: c_int) {
    // SAFETY: plain system call.
    unsafe { libc::kill(pid, signal) };
}

/// An empty signal set plus `signals`.
pub(super) fn sigset(signals: &[c_int]) -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset only touch the struct.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for &s in signals {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// `sigprocmask(2)` of the calling thread.
pub(super) fn sigmask(how: c_int, set: &libc::sigset_t) {
    // SAFETY: valid set; pthread_sigmask is a system call wrapper.
    unsafe { libc::pthread_sigmask(how, set, ptr::null_mut()) };
}

/// Resets every catchable signal to its default action.
pub(super) fn reset_signal_dispositions() {
    for sig in 1..65 {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP || (32..34).contains(&sig) {
            continue;
        }
        // SAFETY: signal(2) with SIG_DFL only changes a disposition.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
    }
}

/// `signalfd4(2)` for `set`, non-blocking.
pub(super) fn signalfd(set: &libc::sigset_t) -> SysResult<c_int> {
    // SAFETY: valid set.
    check(unsafe { libc::signalfd(-1, set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) } as c_long)
        .map(|fd| fd as c_int)
}

/// Creates a pipe with both ends close-on-exec: (read, write).
pub(super) fn pipe() -> SysResult<(c_int, c_int)> {
    let mut fds = [0 as c_int; 2];
    // SAFETY: valid array of two ints.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } as c_long)?;
    Ok((fds[0], fds[1]))
}

/// Creates a close-on-exec stream socket pair.
pub(super) fn socketpair() -> SysResult<(c_int, c_int)> {
    unix_pair(libc::SOCK_STREAM)
}

/// A close-on-exec Unix socket pair of type `kind`.
fn unix_pair(kind: c_int) -> SysResult<(c_int, c_int)> {
    let mut fds = [0 as c_int; 2];
    // SAFETY: valid array of two ints.
    check(unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            kind | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    } as c_long)?;
    Ok((fds[0], fds[1]))
}

/// `poll(2)` on up to a few descriptors, retrying `EINTR`.
pub(super) fn poll(fds: &mut [libc::pollfd], timeout_ms: c_int) -> SysResult<c_int> {
    // SAFETY: valid array.
    retry(
        || unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) } as c_long,
    )
    .map(|n| n as c_int)
}

/// `execve(2)`; returns only on failure.
///
/// # Safety
/// `argv` and `envp` must be null-terminated arrays of valid C strings.
pub(super) unsafe fn execve(
    program: &CStr,
    argv: *const *const c_char,
    envp: *const *const c_char,
) -> i32 {
    // SAFETY: the caller guarantees the arrays.
    unsafe { libc::execve(program.as_ptr(), argv, envp) };
    errno()
}

/// Creates a close-on-exec `SOCK_SEQPACKET` socket pair: each send is one message.
pub(super) fn seqpacket_pair() -> SysResult<(c_int, c_int)> {
    unix_pair(libc::SOCK_SEQPACKET)
}

/// Most descriptors one message carries.
pub(super) const MAX_PASSED_FDS: usize = 8;

/// Space for the control message of [`MAX_PASSED_FDS`] descriptors, 8-byte aligned.
#[repr(C, align(8))]
struct FdSpace([u8; 64]);

/// `sendmsg(2)` of one message with `fds` attached (`SCM_RIGHTS`), never raising SIGPIPE.
pub(super) fn send_with_fds(sock: c_int, bytes: &[u8], fds: &[c_int]) -> SysResult<()> {
    if fds.len() > MAX_PASSED_FDS {
        return Err(libc::EINVAL);
    }
    let mut space = FdSpace([0; 64]);
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut c_void,
        iov_len: bytes.len(),
    };
    // SAFETY: msghdr is plain data; every pointer set below stays valid for the call.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        if !fds.is_empty() {
            let len = libc::CMSG_SPACE(std::mem::size_of_val(fds) as u32) as usize;
            msg.msg_control = space.0.as_mut_ptr().cast();
            msg.msg_controllen = len;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = libc::CMSG_LEN(std::mem::size_of_val(fds) as u32) as usize;
            ptr::copy_nonoverlapping(fds.as_ptr(), libc::CMSG_DATA(cmsg).cast(), fds.len());
        }
        retry(|| libc::sendmsg(sock, &msg, libc::MSG_NOSIGNAL) as c_long).map(drop)
    }
}

/// `recvmsg(2)` of one message into `buf`, its descriptors (close-on-exec) into `fds`.
/// Returns (bytes, descriptors); `Ok((0, 0))` is end of file. A message longer than `buf` is
/// `EMSGSIZE` (its descriptors are closed).
pub(super) fn recv_with_fds(
    sock: c_int,
    buf: &mut [u8],
    fds: &mut [c_int; MAX_PASSED_FDS],
) -> SysResult<(usize, usize)> {
    let mut space = FdSpace([0; 64]);
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain data; every pointer set below stays valid for the call, and
    // the control data is read within the length the kernel reports.
    unsafe {
        let mut msg: libc::msghdr = std::mem::zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = space.0.as_mut_ptr().cast();
        msg.msg_controllen = space.0.len();
        let n = retry(|| libc::recvmsg(sock, &mut msg, libc::MSG_CMSG_CLOEXEC) as c_long)?;
        let mut count = 0;
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let data = libc::CMSG_DATA(cmsg).cast::<c_int>();
                let header = libc::CMSG_LEN(0) as usize;
                let n_fds = ((*cmsg).cmsg_len as usize - header) / std::mem::size_of::<c_int>();
                for i in 0..n_fds {
                    let fd = ptr::read_unaligned(data.add(i));
                    if count < fds.len() {
                        fds[count] = fd;
                        count += 1;
                    } else {
                        close(fd);
                    }
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
        if msg.msg_flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0 {
            for &fd in &fds[..count] {
                close(fd);
            }
            return Err(libc::EMSGSIZE);
        }
        Ok((n as usize, count))
    }
}
