//! The interpreter inside the zygote: isolated initialisation, the bootstrap module, the
//! Python side of fork (around the sandbox's clones), and running one job in a child.

use std::ffi::{CStr, CString};
use std::path::Path;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::{BUILD_PYTHON, BUILD_PYTHON_VERSION, EmbeddedJob, ZygoteInfo, encoder};
use crate::sandbox::{
    self, ChildFds, ChildMain, JobHandoff, SandboxError, SandboxPlan, SandboxedChild, WarmMain,
    WarmSandbox,
};

const BOOTSTRAP: &str = include_str!("bootstrap.py");

/// `madvise` advice (Linux 5.14): fault the range in writable, as writes would.
const MADV_POPULATE_WRITE: libc::c_int = 23;

/// The initialised interpreter, with the harness imported.
pub(super) struct Interpreter {
    bootstrap: Py<PyModule>,
    info: ZygoteInfo,
}

impl Interpreter {
    /// Initialises CPython like `python3 -I -B`, imports the harness from `harness_dir`
    /// and the modules in `preload` (`?name`: optional) and hands the harness's channel the
    /// native encoder (`encoder.rs`). The error is a message for the grader, a Python
    /// traceback included.
    pub(super) fn start(harness_dir: &Path, preload: &[String]) -> Result<Interpreter, String> {
        let loaded = loaded_version();
        if loaded.split_whitespace().next() != Some(BUILD_PYTHON_VERSION) {
            return Err(format!(
                "the loaded libpython ({}) is Python {loaded}, but pykata was built against \
                 {BUILD_PYTHON} (Python {BUILD_PYTHON_VERSION}); is LD_LIBRARY_PATH set?",
                libpython_path().unwrap_or_else(|| "unknown path".into())
            ));
        }
        // SAFETY: called once, on the zygote's only thread, before anything else touches Python.
        unsafe { initialize(BUILD_PYTHON)? };
        // Py_InitializeFromConfig leaves this thread attached; detach so that pyo3's
        // `Python::attach` below owns attach/detach like everywhere else.
        // SAFETY: the interpreter is initialised and this thread holds its thread state.
        unsafe { ffi::PyEval_SaveThread() };

        Python::attach(|py| {
            let result = (|| -> PyResult<(Py<PyModule>, String)> {
                let code = CString::new(BOOTSTRAP).expect("bootstrap.py has no NUL byte");
                let module = PyModule::from_code(
                    py,
                    &code,
                    c"<pykata zygote bootstrap>",
                    c"_pykata_zygote",
                )?;
                let harness = harness_dir.to_str().ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err("the harness folder is not valid UTF-8")
                })?;
                let encoder = encoder::native_encoder(py)?;
                let info: String = module
                    .getattr("prepare")?
                    .call1((harness, preload.to_vec(), encoder))?
                    .extract()?;
                Ok((module.unbind(), info))
            })();
            match result {
                Ok((bootstrap, info)) => {
                    let mut info: ZygoteInfo =
                        serde_json::from_str(&info).map_err(|e| e.to_string())?;
                    info.libpython = libpython_path().unwrap_or_default();
                    info.build = super::BUILD_ID.to_owned();
                    Ok(Interpreter { bootstrap, info })
                }
                Err(err) => Err(format_python_error(py, &err)),
            }
        })
    }

    /// Does the next piece of the preloading queued at start-up (`bootstrap.preload_step`:
    /// one module, or the harness's warm-up and the freezing of the heap). Returns whether
    /// work remains; an error (a traceback) ends the preloading: the children import what
    /// they need themselves.
    pub(super) fn preload_step(&self) -> Result<bool, String> {
        Python::attach(|py| {
            self.bootstrap
                .bind(py)
                .getattr("preload_step")
                .and_then(|step| step.call0())
                .and_then(|more| more.extract::<bool>())
                .map_err(|err| format_python_error(py, &err))
        })
    }

    /// The zygote's pages a job writes to, learned from a trusted sample job
    /// (`bootstrap.learn_touched_pages`: a run of the first bundled exercise's reference).
    /// (start, length) ranges; empty when there is none, or on any failure.
    pub(super) fn learn_touched_pages(&self) -> Vec<(usize, usize)> {
        Python::attach(|py| {
            self.bootstrap
                .bind(py)
                .getattr("learn_touched_pages")
                .and_then(|learn| learn.call0())
                .and_then(|ranges| ranges.extract())
                .unwrap_or_default()
        })
    }

    /// Compiles the cases file at `path` for the children forked from now on
    /// (`bootstrap.precompile`); whether it was compiled anew. Errors are ignored (false):
    /// the child compiles it then.
    pub(super) fn precompile(&self, path: &str) -> bool {
        Python::attach(|py| {
            self.bootstrap
                .bind(py)
                .getattr("precompile")
                .and_then(|precompile| precompile.call1((path,)))
                .and_then(|compiled| compiled.extract())
                .unwrap_or(false)
        })
    }

    /// What the interpreter reported about itself at start-up.
    pub(super) fn info(&self) -> &ZygoteInfo {
        &self.info
    }

    /// Starts `job` in its sandbox (`crate::sandbox::spawn` with `job.sandbox`), its main
    /// process running `child` on a copy of this interpreter, with CPython's fork protocol
    /// around it (`PyOS_BeforeFork`, `PyOS_AfterFork_*`: the import lock,
    /// `os.register_at_fork` hooks such as `random` reseeding, the threading module).
    ///
    /// The sandbox's init (PID 1 of the new namespaces) is cloned from this process between
    /// `PyOS_BeforeFork` and `PyOS_AfterFork_Parent` and never calls into Python; the main
    /// process (PID 2), forked from the init, calls `PyOS_AfterFork_Child` first thing, then
    /// `child` attached to the interpreter, and exits with what `child` returns. Returns once
    /// the sandbox is set up and `child` is about to run.
    pub(super) fn spawn_sandboxed(
        &self,
        job: &EmbeddedJob,
        fds: ChildFds,
        child: fn(Python<'_>, &Interpreter, &EmbeddedJob) -> i32,
    ) -> Result<SandboxedChild, SandboxError> {
        let interpreter: *const Interpreter = self;
        let child_job = job.clone();
        let main = ChildMain::InProcess(Box::new(move || {
            // SAFETY: this runs only in the sandbox's main process: a copy of this zygote
            // made (through the init, which touched no Python state) while its only thread
            // was attached, between PyOS_BeforeFork and PyOS_AfterFork_Parent below. This
            // is the sequence os.fork() follows in the child.
            unsafe { ffi::PyOS_AfterFork_Child() };
            // A panic must not unwind into the sandbox's code; the hook has printed it.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // SAFETY: the process is attached (see above) and stays so until it exits;
                // the token does not outlive this call.
                let py = unsafe { Python::assume_attached() };
                // SAFETY: the process's private copy of the zygote's memory holds the
                // interpreter, which the zygote keeps for its whole life; this process never
                // returns into the zygote's code.
                child(py, unsafe { &*interpreter }, &child_job)
            }))
            .unwrap_or(70) // EX_SOFTWARE
        }));
        Python::attach(|_py| {
            // SAFETY: attached, on the zygote's only thread; this is what os.fork() does.
            unsafe { ffi::PyOS_BeforeFork() };
            let spawned = sandbox::spawn(&job.sandbox, fds, main);
            // SAFETY: in the parent, after the sandbox's processes were cloned (or were not,
            // when spawn failed), as CPython requires.
            unsafe { ffi::PyOS_AfterFork_Parent() };
            spawned
        })
    }

    /// Builds a warm sandbox for `plan` (`crate::sandbox::spawn_warm`): its main process, a
    /// copy of this interpreter made with CPython's fork protocol as in
    /// [`Interpreter::spawn_sandboxed`], waits for a job (an [`EmbeddedJob`] as JSON, sent by
    /// `WarmSandbox::start`) and then runs `child` on it.
    pub(super) fn spawn_warm(
        &self,
        plan: &SandboxPlan,
        touched: &[(usize, usize)],
        expected_env: &[(String, String)],
        child: fn(Python<'_>, &Interpreter, &EmbeddedJob) -> i32,
    ) -> Result<WarmSandbox, SandboxError> {
        let interpreter: *const Interpreter = self;
        let touched = touched.to_vec();
        let expected_env = expected_env.to_vec();
        let main: WarmMain = Box::new(move |handoff: JobHandoff<'_>| {
            // SAFETY: as in spawn_sandboxed: this process is a copy of the zygote made while
            // its only thread was attached, between PyOS_BeforeFork and PyOS_AfterFork_Parent.
            unsafe { ffi::PyOS_AfterFork_Child() };
            // Copy now, while waiting, the pages a job would copy one fault at a time.
            for &(start, length) in &touched {
                // SAFETY: MADV_POPULATE_WRITE only faults pages in (copying shared ones); it
                // changes no content, and fails harmlessly on a range not mapped writable.
                unsafe { libc::madvise(start as *mut libc::c_void, length, MADV_POPULATE_WRITE) };
            }
            if !expected_env.is_empty() {
                // SAFETY: as below: this process's copy of the interpreter, attached.
                let py = unsafe { Python::assume_attached() };
                // SAFETY: as below.
                unsafe { &*interpreter }.prepare_environment(py, &expected_env);
            }
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let payload = handoff.receive();
                let job: EmbeddedJob = match serde_json::from_slice(&payload) {
                    Ok(job) => job,
                    Err(err) => {
                        eprint_fd2(&format!("pykata zygote: malformed warm job: {err}\n"));
                        return 70; // EX_SOFTWARE
                    }
                };
                hold_memory_past_exit();
                // SAFETY: as in spawn_sandboxed.
                let py = unsafe { Python::assume_attached() };
                // SAFETY: as in spawn_sandboxed: this process's copy of the interpreter.
                child(py, unsafe { &*interpreter }, &job)
            }))
            .unwrap_or(70)
        });
        Python::attach(|_py| {
            // SAFETY: attached, on the zygote's only thread; this is what os.fork() does.
            unsafe { ffi::PyOS_BeforeFork() };
            let spawned = sandbox::spawn_warm(plan, main);
            // SAFETY: in the parent, after the sandbox's processes were cloned (or not).
            unsafe { ffi::PyOS_AfterFork_Parent() };
            spawned
        })
    }

    /// Sets up the environment a job is expected to have (`bootstrap.set_environment`),
    /// in a warm sandbox's main process while it waits: `run_child` then finds it in place.
    /// Errors are ignored: `run_child` sets the job's environment anyway.
    fn prepare_environment(&self, py: Python<'_>, env: &[(String, String)]) {
        let _ = (|| -> PyResult<()> {
            let dict = PyDict::new(py);
            for (key, value) in env {
                dict.set_item(key, value)?;
            }
            self.bootstrap
                .bind(py)
                .getattr("set_environment")?
                .call1((dict,))?;
            Ok(())
        })();
    }

    /// Runs the job's harness in this (sandboxed) child and returns the exit code.
    pub(super) fn run_child(&self, py: Python<'_>, job: &EmbeddedJob) -> i32 {
        let result = (|| -> PyResult<i32> {
            let env = PyDict::new(py);
            for (key, value) in &job.env {
                env.set_item(key, value)?;
            }
            let run = self.bootstrap.bind(py).getattr("run_child")?;
            run.call1((&self.info.argv0, job.argv.clone(), env))?
                .extract()
        })();
        result.unwrap_or_else(|err| {
            // A failure of the bootstrap itself, not of the harness (that is caught inside).
            eprint_fd2(&format!(
                "pykata zygote: {}\n",
                format_python_error(py, &err)
            ));
            70 // EX_SOFTWARE
        })
    }
}

/// Makes a process that shares this one's memory and does nothing else, so that this
/// process's exit does not wait for its memory to be torn down (a copy of the zygote's:
/// freeing it takes milliseconds, the last step before the sandbox's init can say how the
/// job ended). The holder is a sibling (a child of the sandbox's init), made after the
/// process is confined, so it is confined the same way; it closes its descriptors (the
/// job's pipes must close when this process ends), blocks every signal and waits; it dies
/// with the sandbox's PID namespace, after the init has reported, and its end frees the
/// memory. If it cannot be made, this process's exit frees the memory as before.
fn hold_memory_past_exit() {
    const STACK: usize = 16 * 1024;
    #[repr(align(16))]
    struct Stack {
        _bytes: [u8; STACK],
    }
    static mut HOLDER_STACK: Stack = Stack { _bytes: [0; STACK] };
    extern "C" fn hold(_: *mut libc::c_void) -> libc::c_int {
        // Raw system calls only: this runs on a borrowed stack in shared memory, and a
        // failing libc call would write errno into the other process's thread data. None
        // of these fails.
        let all: u64 = !0;
        // SAFETY: plain system calls with valid arguments.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigprocmask,
                libc::SIG_BLOCK,
                &all as *const u64,
                std::ptr::null_mut::<u64>(),
                8usize,
            );
            libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
            loop {
                libc::syscall(libc::SYS_pause);
            }
        }
    }
    // SAFETY: the holder runs `hold` on its own static stack (nothing else uses it) and
    // never returns; CLONE_VM shares memory, not descriptors or signal handlers; exit
    // signal 0: the init's own wait loop leaves it alone, the kernel reaps it.
    unsafe {
        let top = (&raw mut HOLDER_STACK).cast::<u8>().add(STACK);
        libc::clone(
            hold,
            top.cast(),
            libc::CLONE_VM | libc::CLONE_PARENT,
            std::ptr::null_mut(),
        );
    }
}

/// Initialises the interpreter like `python3 -I -B`: isolated (no user site, PYTHON*
/// variables ignored, no implicit sys.path[0]), no bytecode written, Python's signal
/// handlers installed (SIGINT -> KeyboardInterrupt, SIGPIPE ignored) as in a fresh process.
/// `program` is the interpreter's executable, from which CPython finds its prefix and
/// standard library and which becomes `sys.executable`.
///
/// # Safety
/// Once per process, on its only thread.
unsafe fn initialize(program: &str) -> Result<(), String> {
    let program = CString::new(program).map_err(|e| e.to_string())?;
    let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
    let config = config.as_mut_ptr();
    // SAFETY: PyConfig_InitPythonConfig fills every field; the raw pointers below stay inside
    // the one PyConfig, which lives until PyConfig_Clear.
    unsafe {
        ffi::PyConfig_InitPythonConfig(config);
        (*config).isolated = 1;
        (*config).use_environment = 0;
        (*config).user_site_directory = 0;
        (*config).write_bytecode = 0;
        (*config).parse_argv = 0;
        (*config).install_signal_handlers = 1;
        let status =
            ffi::PyConfig_SetBytesString(config, &raw mut (*config).program_name, program.as_ptr());
        if ffi::PyStatus_Exception(status) != 0 {
            ffi::PyConfig_Clear(config);
            return Err(status_message("failed to configure Python", status));
        }
        let status = ffi::Py_InitializeFromConfig(config);
        ffi::PyConfig_Clear(config);
        if ffi::PyStatus_Exception(status) != 0 {
            return Err(status_message("failed to initialise Python", status));
        }
    }
    Ok(())
}

fn status_message(what: &str, status: ffi::PyStatus) -> String {
    let text = |p: *const libc::c_char| {
        if p.is_null() {
            String::new()
        } else {
            // SAFETY: CPython's status strings are static NUL-terminated C strings.
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    };
    format!("{what}: {} {}", text(status.func), text(status.err_msg))
}

/// `Py_GetVersion()` of the libpython this process loaded, e.g. "3.11.7 (main, ...) [GCC ...]".
fn loaded_version() -> String {
    // SAFETY: Py_GetVersion returns a static string and may be called before initialisation.
    unsafe { CStr::from_ptr(ffi::Py_GetVersion()) }
        .to_string_lossy()
        .into_owned()
}

/// The path of the shared library that provides the interpreter, as the loader found it.
fn libpython_path() -> Option<String> {
    // SAFETY: dladdr only reads the loader's tables; an all-zero Dl_info is valid.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        let symbol = ffi::Py_GetVersion as *const libc::c_void;
        if libc::dladdr(symbol, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        let path = CStr::from_ptr(info.dli_fname)
            .to_string_lossy()
            .into_owned();
        Some(
            std::fs::canonicalize(&path)
                .map(|p| p.display().to_string())
                .unwrap_or(path),
        )
    }
}

/// A Python exception as the traceback Python would print.
fn format_python_error(py: Python<'_>, err: &PyErr) -> String {
    let formatted = (|| -> PyResult<String> {
        let traceback = py.import("traceback")?;
        let lines = traceback
            .getattr("format_exception")?
            .call1((err.value(py),))?;
        let text: Vec<String> = lines.extract()?;
        Ok(text.concat())
    })();
    formatted.unwrap_or_else(|_| err.to_string())
}

/// Writes straight to fd 2 (no Python, no Rust stdio lock: safe in a forked child).
pub(super) fn eprint_fd2(message: &str) {
    let mut bytes = message.as_bytes();
    while !bytes.is_empty() {
        // SAFETY: writing a live buffer to a descriptor.
        let n = unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}
