//! Build script: rebuilds when the embedded harness or catalogue changes, and makes the
//! embedded interpreter and the subprocess engine's default Python one and the same.
//!
//! pyo3 picks a Python at build time (`PYO3_PYTHON`, else `python3` on PATH) and links
//! `-lpython3.X` from that interpreter's LIBDIR. At run time the dynamic loader does not know
//! that directory: on a machine with a second libpython3.X in the system library path (a
//! pyenv or venv Python beside the distribution's), the binary would silently load the other
//! one. So this script
//!
//! 1. reads the interpreter pyo3 chose (`pyo3_build_config::get()`, the same configuration
//!    pyo3 itself was built with),
//! 2. adds an rpath to its LIBDIR, so the loader takes libpython from there first,
//! 3. exports `PYKATA_BUILD_PYTHON` (that interpreter's real executable, as `sys.executable`
//!    reports it, never a pyenv shim) and `PYKATA_BUILD_PYTHON_VERSION` (e.g. `3.11.7`) to
//!    the crate: the subprocess engine's default interpreter, and what the zygote checks the
//!    loaded libpython against before it starts;
//! 4. exports `PYKATA_BUILD_ID`, a digest of the sources, which `pykata` and its zygote
//!    `pykata-zygote` compare at start-up (a stale zygote is refused);
//! 5. compiles the harness's modules with that interpreter into `$OUT_DIR/harness-bytecode`
//!    (`__pycache__` files of the checked-hash kind), which the binary embeds and unpacks
//!    beside the harness: neither engine's default interpreter then compiles the harness
//!    at each start (another interpreter version ignores them, having another cache tag).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=harness");
    println!("cargo:rerun-if-changed=exercises");
    println!("cargo:rerun-if-changed=quizzes");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src");
    // pyo3-build-config already asks cargo to rerun on PYO3_PYTHON, PYO3_CONFIG_FILE and PATH
    // changes for its own build script; these keep ours in step with it.
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    println!("cargo:rerun-if-env-changed=PYO3_CONFIG_FILE");
    println!("cargo:rerun-if-env-changed=PATH");

    let config = pyo3_build_config::get();
    let Some(configured) = config.executable() else {
        panic!(
            "pyo3 did not report the Python interpreter it was configured with; \
             set PYO3_PYTHON to the python3 executable to build against"
        );
    };

    // Ask the interpreter itself: `executable` may be a bare name or a pyenv shim (a shell
    // script that would pick a version from the working directory at run time).
    let stdout = run_python(
        configured,
        "import sys, sysconfig\n\
         print(sys.executable)\n\
         print(sys.version.split()[0])\n\
         print(sysconfig.get_config_var('LIBDIR') or '')",
        &[],
    );
    let mut lines = stdout.lines();
    let executable = lines.next().unwrap_or_default().to_owned();
    let version = lines.next().unwrap_or_default().to_owned();
    let libdir = lines.next().unwrap_or_default().to_owned();
    assert!(
        !executable.is_empty() && !version.is_empty(),
        "the Python interpreter {configured} did not report sys.executable and its version"
    );

    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if config.shared() && target_os != "windows" {
        // The directory pyo3 linked from; it is the interpreter's LIBDIR unless a
        // PYO3_CONFIG_FILE says otherwise, and then the config file wins, as it did for the link.
        let lib_dir = config.lib_dir().map(str::to_owned).unwrap_or(libdir);
        if lib_dir.is_empty() {
            println!(
                "cargo:warning=pyo3 reported no LIBDIR for {executable}: the binary carries no \
                 rpath and the loader will take the first libpython it finds"
            );
        } else {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{lib_dir}");
        }
    }

    println!("cargo:rustc-env=PYKATA_BUILD_PYTHON={executable}");
    println!("cargo:rustc-env=PYKATA_BUILD_PYTHON_VERSION={version}");

    compile_harness(&executable);
    println!("cargo:rustc-env=PYKATA_BUILD_ID={}", build_id());
}

/// A digest of the sources (`src/`, `harness/`, Cargo.toml): `pykata` and `pykata-zygote`
/// built from the same sources carry the same, and `pykata` refuses a zygote that carries
/// another (a stale `pykata-zygote` beside a rebuilt `pykata`).
fn build_id() -> String {
    use std::hash::Hasher;
    fn add(path: &std::path::Path, hasher: &mut std::collections::hash_map::DefaultHasher) {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                if entry.file_name().is_some_and(|name| name != "__pycache__") {
                    add(&entry, hasher);
                }
            } else if let Ok(bytes) = std::fs::read(&entry) {
                hasher.write(entry.to_string_lossy().as_bytes());
                hasher.write(&bytes);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for part in ["src", "harness"] {
        add(&root.join(part), &mut hasher);
    }
    hasher.write(&std::fs::read(root.join("Cargo.toml")).unwrap_or_default());
    format!("{:016x}", hasher.finish())
}

/// Compiles every module of `harness/` into `$OUT_DIR/harness-bytecode`, laid out as the
/// harness (`pykata_harness/__pycache__/cases.cpython-311.pyc`). Checked-hash pycs: Python
/// compares the hash of the source beside them before it uses one, so a pyc can never stand
/// in for other source, whatever the files' times.
fn compile_harness(python: &str) {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let destination = std::path::Path::new(&out_dir).join("harness-bytecode");
    let _ = std::fs::remove_dir_all(&destination);
    std::fs::create_dir_all(&destination).expect("failed to create the harness bytecode folder");
    let harness = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("harness");
    run_python(
        python,
        COMPILE_HARNESS,
        &[harness.as_os_str(), destination.as_os_str()],
    );
}

/// Writes a checked-hash pyc of every module under the package folders of `argv[1]` into
/// the same layout under `argv[2]` (the top level holds the harness's script, not modules).
const COMPILE_HARNESS: &str = r#"
import os, py_compile, sys
source, out = sys.argv[1:]
tag = sys.implementation.cache_tag
for folder, subfolders, files in os.walk(source):
    subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
    relative = os.path.relpath(folder, source)
    for name in sorted(files):
        if name.endswith(".py") and folder != source:
            cfile = os.path.join(out, relative, "__pycache__", f"{name[:-3]}.{tag}.pyc")
            py_compile.compile(os.path.join(folder, name), cfile=cfile, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
"#;

/// Runs `script` with `python -I -B -c`, then `args`; its standard output. Fails the build,
/// with Python's error, when it does not succeed.
fn run_python(python: &str, script: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(python)
        .args(["-I", "-B", "-c", script])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("failed to run the Python interpreter {python}: {e}"));
    assert!(
        output.status.success(),
        "the Python interpreter {python} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the interpreter printed non-UTF-8 text")
}
