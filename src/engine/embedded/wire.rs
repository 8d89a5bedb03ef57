//! The zygote's wire: JSON messages on Unix `SOCK_SEQPACKET` sockets, file descriptors passed
//! beside them with `SCM_RIGHTS`.
//!
//! Two kinds of socket:
//!
//! - the *control* socket, one per zygote, made by the grader before it starts the zygote.
//!   The zygote sends one [`Hello`] on it once Python is up; after that the grader sends one
//!   [`EmbeddedJob`] per job, with four descriptors: the grader's end of a fresh *job* socket,
//!   then the child's stdout, stderr and channel write ends. End of file on it means the
//!   grader is gone: the zygote kills its children and exits.
//! - a *job* socket, one per job. The zygote answers on it with [`Reply::Started`] (the
//!   sandbox's init pid and the [`IsolationReport`] of the job, with one descriptor: the read
//!   end of the init's report pipe, which says how the main process ended as soon as it
//!   ends: `crate::sandbox::read_exit_report`) or [`Reply::Refused`], then [`Reply::Exited`]
//!   once the whole sandbox has ended and been reaped (how the init ended: it matters only
//!   when the report pipe closed without a report, the init having been killed). End of file before `Exited` means the zygote died. The grader may send
//!   [`Request::Kill`] on it at any time; closing its end means the same (nobody is left to
//!   wait for the job).
//!
//! `SOCK_SEQPACKET` keeps message boundaries and makes each send atomic, so several grader
//! threads can send on the one control socket (or one job socket) without a lock.

use std::io;
use std::mem::{MaybeUninit, size_of};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use serde::{Deserialize, Serialize};

use crate::engine::process::{poll_in, poll_until};
use crate::sandbox::{ChildExit, IsolationReport};

/// The largest message either side sends (a job's argv and environment included).
pub(super) const MAX_MESSAGE: usize = 128 * 1024;
/// The most descriptors one message carries (a job request: job socket + three pipes).
pub(super) const MAX_FDS: usize = 4;

/// What the zygote says once, on the control socket, when it is ready or could not start.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Hello {
    /// Python is initialised and the harness imported; jobs may come.
    Ready { info: Box<super::ZygoteInfo> },
    /// Python or the harness failed to load; the zygote exits after sending this.
    Failed { message: String },
}

/// What the zygote says on a job socket.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Reply {
    /// The job runs in its sandbox: the host pid of the sandbox's init, and how isolated it is.
    Started {
        pid: i32,
        isolation: IsolationReport,
    },
    /// The job was not started: a malformed request (`sandbox: false`), or the sandbox could
    /// not be set up (`sandbox: true`: the plan is wrong, or the isolation it demands is
    /// missing on this machine).
    Refused {
        message: String,
        #[serde(default)]
        sandbox: bool,
    },
    /// The sandbox ended and was reaped: how its main process ended (`SandboxedChild::wait`).
    Exited { exit: ChildExit },
    /// The zygote could not find out how the sandbox ended (it killed it).
    Lost { message: String },
}

/// What the grader says on a job socket.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Request {
    /// Kill every process of the job (`SandboxedChild::kill`); harmless once it has ended.
    Kill,
}

/// A connected `SOCK_SEQPACKET` pair, both ends close-on-exec.
pub(super) fn seqpacket_pair() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` is a valid array of two ints for socketpair to fill.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: socketpair succeeded, so both are fresh descriptors that we now own.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Serialises `message` and sends it as one packet with `fds` attached.
pub(super) fn send<T: Serialize>(
    sock: BorrowedFd<'_>,
    message: &T,
    fds: &[BorrowedFd<'_>],
) -> io::Result<()> {
    let data = serde_json::to_vec(message).map_err(io::Error::other)?;
    if data.len() > MAX_MESSAGE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "message too large for the zygote socket",
        ));
    }
    send_raw(sock, &data, fds, 0)
}

/// Like [`send`], without descriptors and without ever blocking: `WouldBlock` if the peer's
/// queue is full.
pub(super) fn send_nowait<T: Serialize>(sock: BorrowedFd<'_>, message: &T) -> io::Result<()> {
    let data = serde_json::to_vec(message).map_err(io::Error::other)?;
    send_raw(sock, &data, &[], libc::MSG_DONTWAIT)
}

fn send_raw(
    sock: BorrowedFd<'_>,
    data: &[u8],
    fds: &[BorrowedFd<'_>],
    flags: libc::c_int,
) -> io::Result<()> {
    assert!(fds.len() <= MAX_FDS);
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    let mut control = CmsgBuffer::new();
    // SAFETY: an all-zero msghdr is valid; every pointer set below outlives the sendmsg call.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if !fds.is_empty() {
        let payload = size_of::<RawFd>() * fds.len();
        // SAFETY: CMSG_SPACE/CMSG_LEN are pure arithmetic; the buffer holds MAX_FDS descriptors.
        let (space, len) = unsafe {
            (
                libc::CMSG_SPACE(payload as u32),
                libc::CMSG_LEN(payload as u32),
            )
        };
        msg.msg_control = control.bytes.as_mut_ptr().cast();
        msg.msg_controllen = space as usize;
        // SAFETY: msg_control points at an aligned buffer at least `space` bytes long, so the
        // first header and its data lie inside it.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_SOCKET;
            (*cmsg).cmsg_type = libc::SCM_RIGHTS;
            (*cmsg).cmsg_len = len as usize;
            let data = libc::CMSG_DATA(cmsg).cast::<RawFd>();
            for (i, fd) in fds.iter().enumerate() {
                data.add(i).write_unaligned(fd.as_raw_fd());
            }
        }
    }
    loop {
        // SAFETY: msg is fully initialised above; MSG_NOSIGNAL turns a dead peer into EPIPE.
        let rc = unsafe { libc::sendmsg(sock.as_raw_fd(), &msg, libc::MSG_NOSIGNAL | flags) };
        if rc >= 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// One received packet: `None` at end of file.
pub(super) struct Packet {
    pub(super) data: Vec<u8>,
    pub(super) fds: Vec<OwnedFd>,
}

impl Packet {
    /// Parses the packet's JSON as a `T`.
    pub(super) fn parse<'a, T: Deserialize<'a>>(&'a self) -> io::Result<T> {
        serde_json::from_slice(&self.data)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Receives one packet (blocking), its descriptors marked close-on-exec. `Ok(None)` is end of
/// file: the peer closed its end.
pub(super) fn recv(sock: BorrowedFd<'_>) -> io::Result<Option<Packet>> {
    let mut data = vec![0u8; MAX_MESSAGE];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    let mut control = CmsgBuffer::new();
    // SAFETY: an all-zero msghdr is valid; every pointer set below outlives the recvmsg call.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.bytes.as_mut_ptr().cast();
    msg.msg_controllen = control.bytes.len();
    let n = loop {
        // SAFETY: msg points at live buffers of the stated sizes.
        let rc = unsafe { libc::recvmsg(sock.as_raw_fd(), &mut msg, libc::MSG_CMSG_CLOEXEC) };
        if rc >= 0 {
            break rc as usize;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    };
    // Take ownership of every descriptor that arrived before looking at anything else, so
    // that none leaks whatever goes wrong next.
    let mut fds = Vec::new();
    // SAFETY: recvmsg filled msg_control/msg_controllen; the CMSG_* walk stays inside it.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == libc::SOL_SOCKET && (*cmsg).cmsg_type == libc::SCM_RIGHTS {
                let header = libc::CMSG_LEN(0) as usize;
                let count = ((*cmsg).cmsg_len as usize - header) / size_of::<RawFd>();
                let first = libc::CMSG_DATA(cmsg).cast::<RawFd>();
                for i in 0..count {
                    fds.push(OwnedFd::from_raw_fd(first.add(i).read_unaligned()));
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    if msg.msg_flags & (libc::MSG_TRUNC | libc::MSG_CTRUNC) != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "truncated message on the zygote socket",
        ));
    }
    if n == 0 && fds.is_empty() {
        return Ok(None);
    }
    data.truncate(n);
    Ok(Some(Packet { data, fds }))
}

/// Waits until `fd` is readable (or hung up), at most `timeout` (`None`: forever).
/// Returns whether it became ready.
pub(super) fn wait_readable(
    fd: BorrowedFd<'_>,
    timeout: Option<std::time::Duration>,
) -> io::Result<bool> {
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    poll_until(&mut [poll_in(fd.as_raw_fd())], deadline).map(|ready| ready > 0)
}

/// An aligned buffer big enough for one `SCM_RIGHTS` header with [`MAX_FDS`] descriptors.
#[repr(C)]
struct CmsgBuffer {
    bytes: [MaybeUninit<u8>; 64],
    _align: [libc::cmsghdr; 0],
}

impl CmsgBuffer {
    fn new() -> CmsgBuffer {
        const { assert!(size_of::<libc::cmsghdr>() + MAX_FDS * size_of::<RawFd>() + 8 <= 64) };
        CmsgBuffer {
            bytes: [MaybeUninit::zeroed(); 64],
            _align: [],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn a_packet_and_its_fds_arrive_together() {
        let (a, b) = seqpacket_pair().unwrap();
        let (p, q) = seqpacket_pair().unwrap();
        send(
            a.as_fd(),
            &Reply::Lost {
                message: "x".into(),
            },
            &[p.as_fd(), q.as_fd()],
        )
        .unwrap();
        let packet = recv(b.as_fd()).unwrap().unwrap();
        assert_eq!(packet.fds.len(), 2);
        assert!(matches!(
            packet.parse::<Reply>().unwrap(),
            Reply::Lost { message } if message == "x"
        ));
        drop(a);
        assert!(
            recv(b.as_fd()).unwrap().is_none(),
            "end of file after the peer closed"
        );
    }

    #[test]
    fn a_start_and_an_exit_survive_the_wire() {
        use crate::sandbox::{ExitStatusKind, IsolationLevel};
        let (a, b) = seqpacket_pair().unwrap();
        let isolation = IsolationReport {
            level: IsolationLevel::Partial,
            missing: vec!["no landlock".into()],
            mechanisms: vec!["pid namespace".into()],
        };
        let exit = ChildExit {
            status: ExitStatusKind::Signaled(libc::SIGXCPU),
            cpu_time: std::time::Duration::from_micros(1_000_123),
            max_rss_bytes: 12 << 20,
        };
        send(
            a.as_fd(),
            &Reply::Started {
                pid: 7,
                isolation: isolation.clone(),
            },
            &[],
        )
        .unwrap();
        send(a.as_fd(), &Reply::Exited { exit }, &[]).unwrap();
        send_nowait(b.as_fd(), &Request::Kill).unwrap();
        match recv(b.as_fd()).unwrap().unwrap().parse::<Reply>().unwrap() {
            Reply::Started {
                pid: 7,
                isolation: got,
            } => assert_eq!(got, isolation),
            other => panic!("{other:?}"),
        }
        match recv(b.as_fd()).unwrap().unwrap().parse::<Reply>().unwrap() {
            Reply::Exited { exit: got } => assert_eq!(got, exit),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            recv(a.as_fd())
                .unwrap()
                .unwrap()
                .parse::<Request>()
                .unwrap(),
            Request::Kill
        ));
    }

    #[test]
    fn a_dead_peer_is_a_broken_pipe_not_a_signal() {
        let (a, b) = seqpacket_pair().unwrap();
        drop(b);
        let err = send(
            a.as_fd(),
            &Reply::Refused {
                message: "x".into(),
                sandbox: false,
            },
            &[],
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
