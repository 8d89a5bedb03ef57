//! Copying the submission folder into the size-capped scratch tmpfs with raw system calls.
//!
//! The same function runs in the grader (when it is root and prepares the tmpfs itself) and in
//! the sandbox's init (when the grader is not root): it allocates nothing, so it is safe
//! between `clone` and `execve`. Regular files, folders and symbolic links are copied;
//! anything else (sockets, fifos, devices) is skipped; set-id bits are dropped.
//!
//! File contents go from file to file in the kernel (`sendfile`), never through this
//! process's memory: the embedded engine's zygote makes the scratch copies of every job,
//! reference runs included, and every later job starts from a copy of its memory, so a
//! buffer here would hand one job's files (a reference solution, another submission) to the
//! next. Where `sendfile` cannot copy, the fallback's buffer is wiped after the copy.

use std::ffi::{CStr, c_int};

use super::sys::{self, SysResult};

/// Folders nested deeper than this are refused (`ELOOP`).
const MAX_DEPTH: u32 = 32;

/// Copies the contents of folder `src` into folder `dst` (both open directory fds), giving
/// every created entry to `owner` when set.
pub(super) fn copy_tree(src: c_int, dst: c_int, owner: Option<(u32, u32)>) -> SysResult<()> {
    let mut data = [0u8; 32 * 1024];
    let result = copy_dir(src, dst, owner, 0, &mut data);
    wipe(&mut data);
    result
}

/// Overwrites `buf` with zeros in a way the compiler cannot leave out.
fn wipe(buf: &mut [u8]) {
    for byte in buf.iter_mut() {
        // SAFETY: a valid, aligned pointer to a byte of `buf`.
        unsafe { std::ptr::write_volatile(byte, 0) };
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

fn copy_dir(
    src: c_int,
    dst: c_int,
    owner: Option<(u32, u32)>,
    depth: u32,
    data: &mut [u8],
) -> SysResult<()> {
    if depth > MAX_DEPTH {
        return Err(libc::ELOOP);
    }
    // getdents64 records are 8-byte aligned.
    let mut entries = [0u64; 512];
    loop {
        // SAFETY: valid buffer of the given size.
        let n = unsafe {
            libc::syscall(
                libc::SYS_getdents64,
                src,
                entries.as_mut_ptr(),
                std::mem::size_of_val(&entries),
            )
        };
        if n < 0 {
            return Err(sys::errno());
        }
        if n == 0 {
            return Ok(());
        }
        let bytes = entries.as_ptr() as *const u8;
        let mut off = 0usize;
        while off < n as usize {
            // SAFETY: the kernel wrote whole linux_dirent64 records up to `n`.
            let (reclen, name) = unsafe {
                let rec = bytes.add(off);
                let reclen = u16::from_ne_bytes([*rec.add(16), *rec.add(17)]) as usize;
                (reclen, CStr::from_ptr(rec.add(19).cast()))
            };
            off += reclen;
            let bytes_of_name = name.to_bytes();
            if bytes_of_name == b"." || bytes_of_name == b".." {
                continue;
            }
            copy_entry(src, dst, name, owner, depth, data)?;
        }
    }
}

fn copy_entry(
    src: c_int,
    dst: c_int,
    name: &CStr,
    owner: Option<(u32, u32)>,
    depth: u32,
    data: &mut [u8],
) -> SysResult<()> {
    // SAFETY: zeroed stat buffer filled by fstatat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstatat(src, name.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) } != 0 {
        return Err(sys::errno());
    }
    let perm = st.st_mode & 0o777;
    match st.st_mode & libc::S_IFMT {
        libc::S_IFDIR => {
            // Created writable for the copy, given its real mode afterwards.
            // SAFETY: plain *at system calls on valid fds and names.
            unsafe {
                if libc::mkdirat(dst, name.as_ptr(), 0o700) != 0 {
                    return Err(sys::errno());
                }
                let from = libc::openat(
                    src,
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                );
                if from < 0 {
                    return Err(sys::errno());
                }
                let to = libc::openat(
                    dst,
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                );
                if to < 0 {
                    let e = sys::errno();
                    sys::close(from);
                    return Err(e);
                }
                let result = copy_dir(from, to, owner, depth + 1, data)
                    .and_then(|()| finish(to, perm | 0o700, owner));
                sys::close(from);
                sys::close(to);
                result
            }
        }
        libc::S_IFREG => {
            // SAFETY: plain *at system calls on valid fds and names.
            unsafe {
                let from = libc::openat(
                    src,
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                );
                if from < 0 {
                    return Err(sys::errno());
                }
                let to = libc::openat(
                    dst,
                    name.as_ptr(),
                    libc::O_WRONLY
                        | libc::O_CREAT
                        | libc::O_EXCL
                        | libc::O_NOFOLLOW
                        | libc::O_CLOEXEC,
                    0o600,
                );
                if to < 0 {
                    let e = sys::errno();
                    sys::close(from);
                    return Err(e);
                }
                let result = copy_data(from, to, data).and_then(|()| finish(to, perm, owner));
                sys::close(from);
                sys::close(to);
                result
            }
        }
        libc::S_IFLNK => {
            let mut target = [0u8; 4097];
            // SAFETY: valid buffer, one byte kept for the terminating NUL.
            unsafe {
                let n = libc::readlinkat(
                    src,
                    name.as_ptr(),
                    target.as_mut_ptr().cast(),
                    target.len() - 1,
                );
                if n < 0 {
                    return Err(sys::errno());
                }
                target[n as usize] = 0;
                if libc::symlinkat(target.as_ptr().cast(), dst, name.as_ptr()) != 0 {
                    return Err(sys::errno());
                }
                let chowned = match owner {
                    Some((uid, gid)) => {
                        libc::fchownat(dst, name.as_ptr(), uid, gid, libc::AT_SYMLINK_NOFOLLOW)
                    }
                    None => 0,
                };
                if chowned != 0 {
                    return Err(sys::errno());
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn copy_data(from: c_int, to: c_int, buf: &mut [u8]) -> SysResult<()> {
    // In the kernel first; a file sendfile cannot read (a special file system) is copied
    // through `buf` from where sendfile stopped.
    loop {
        // SAFETY: two valid descriptors; a null offset uses and moves the files' own.
        let n = unsafe { libc::sendfile(to, from, std::ptr::null_mut(), 1 << 30) };
        if n == 0 {
            return Ok(());
        }
        if n < 0 {
            let e = sys::errno();
            if e == libc::EINTR {
                continue;
            }
            if e != libc::EINVAL && e != libc::ENOSYS && e != libc::EOPNOTSUPP {
                return Err(e);
            }
            break;
        }
    }
    loop {
        let n = sys::read(from, buf)?;
        if n == 0 {
            return Ok(());
        }
        sys::write_all(to, &buf[..n])?;
    }
}

fn finish(fd: c_int, mode: u32, owner: Option<(u32, u32)>) -> SysResult<()> {
    // SAFETY: plain system calls on a valid fd.
    unsafe {
        let chowned = match owner {
            Some((uid, gid)) => libc::fchown(fd, uid, gid),
            None => 0,
        };
        if chowned != 0 {
            return Err(sys::errno());
        }
        if libc::fchmod(fd, mode) != 0 {
            return Err(sys::errno());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn copies_files_folders_and_links() {
        let base = std::env::temp_dir().join(format!("pykata-copy-test-{}", std::process::id()));
        let (src, dst) = (base.join("src"), base.join("dst"));
        std::fs::create_dir_all(src.join("pkg/sub")).unwrap();
        std::fs::create_dir_all(&dst).unwrap();
        std::fs::write(src.join("main.py"), "print('hi')\n").unwrap();
        std::fs::write(src.join("pkg/sub/big.bin"), vec![7u8; 100_000]).unwrap();
        std::fs::set_permissions(src.join("main.py"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        symlink("main.py", src.join("link.py")).unwrap();
        let open = |p: &std::path::Path| {
            let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
            sys::open(&c, libc::O_RDONLY | libc::O_DIRECTORY, 0).unwrap()
        };
        let (s, d) = (open(&src), open(&dst));
        copy_tree(s, d, None).unwrap();
        sys::close(s);
        sys::close(d);
        assert_eq!(
            std::fs::read_to_string(dst.join("main.py")).unwrap(),
            "print('hi')\n"
        );
        assert_eq!(
            std::fs::metadata(dst.join("main.py"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o755
        );
        assert_eq!(
            std::fs::read(dst.join("pkg/sub/big.bin")).unwrap(),
            vec![7u8; 100_000]
        );
        assert_eq!(
            std::fs::read_link(dst.join("link.py")).unwrap(),
            std::path::Path::new("main.py")
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
