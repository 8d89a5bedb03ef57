//! `pykata gradescope EXERCISE --out autograder.zip`: a Gradescope autograder bundle.
//! `setup.sh` builds pykata from the crate source shipped in the zip (it installs Rust with
//! rustup and Python's headers with apt, so Gradescope's image needs network access while
//! it builds); `run_autograder` finds the learner's file in `/autograder/submission`,
//! grades it with `pykata check --format gradescope` and writes `results/results.json`
//! once, with a valid fallback when pykata itself fails. An exercise folder (an
//! instructor's own, hidden cases included) is shipped in the zip; a bundled id is graded
//! from the catalogue compiled into the binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// The parts of the crate `cargo build` needs.
const SOURCE_PARTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "src",
    "harness",
    "exercises",
    "benches",
];

/// The crate source this binary was built from, if it is still there.
pub fn default_source() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.join("Cargo.toml").is_file().then_some(dir)
}

/// Builds the bundle for `exercise` (a bundled id or an exercise folder) into `out`.
pub fn build(exercise: &str, out: &Path) -> anyhow::Result<()> {
    let assignment = super::Assignment::resolve(exercise)?;
    let super::Assignment::Exercise(exercise) = assignment else {
        anyhow::bail!(
            "{exercise} is a folder of tests: the Gradescope bundle grades an exercise (a bundled id or a folder with exercise.toml)"
        );
    };
    let Some(source) = default_source() else {
        anyhow::bail!(
            "the pykata source this binary was built from ({}) is gone: the bundle ships it so Gradescope can build pykata; build pykata from a checkout and run this again",
            env!("CARGO_MANIFEST_DIR")
        );
    };
    let file = fs_err::File::create(out)?;
    let mut zip = zip::ZipWriter::new(file);
    let plain = SimpleFileOptions::default().unix_permissions(0o644);
    let executable = SimpleFileOptions::default().unix_permissions(0o755);

    let target = match &exercise.source {
        crate::exercise::Source::Bundled(_) => exercise.meta.id.clone(),
        crate::exercise::Source::Folder(folder) => {
            add_tree(&mut zip, folder, "exercise", plain)?;
            "/autograder/source/exercise".to_string()
        }
    };
    zip.start_file("setup.sh", executable)?;
    zip.write_all(SETUP.as_bytes())?;
    zip.start_file("run_autograder", executable)?;
    zip.write_all(
        RUN.replace("@TARGET@", &target)
            .replace("@MODULE@", &exercise.meta.module)
            .as_bytes(),
    )?;
    zip.start_file("README.md", plain)?;
    zip.write_all(README.replace("@TARGET@", &target).as_bytes())?;
    for part in SOURCE_PARTS {
        let path = source.join(part);
        let name = format!("pykata-src/{part}");
        if path.is_dir() {
            add_tree(&mut zip, &path, &name, plain)?;
        } else if path.is_file() {
            zip.start_file(name, plain)?;
            zip.write_all(&fs_err::read(&path)?)?;
        }
    }
    zip.finish()?;
    Ok(())
}

fn add_tree(
    zip: &mut zip::ZipWriter<fs_err::File>,
    folder: &Path,
    prefix: &str,
    options: SimpleFileOptions,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    super::discover::walk(folder, &mut files)?;
    for (file, _) in files {
        let relative = file.strip_prefix(folder).unwrap_or(&file);
        zip.start_file(format!("{prefix}/{}", relative.to_string_lossy()), options)?;
        zip.write_all(&fs_err::read(&file)?)?;
    }
    Ok(())
}

const SETUP: &str = r#"#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image.
# It needs network access: apt (Python headers, a C compiler), rustup (Rust 1.88) and
# crates.io (pykata's dependencies).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-dev build-essential curl ca-certificates pkg-config
if ! command -v cargo >/dev/null 2>&1; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain 1.88
fi
. "$HOME/.cargo/env"
cd /autograder/source/pykata-src
PYO3_PYTHON="$(command -v python3)" cargo build --release --locked
install -m 755 target/release/pykata /usr/local/bin/pykata
pykata doctor || true
"#;

const RUN: &str = r#"#!/usr/bin/env bash
# Gradescope runs this for every submission. It writes results/results.json once.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
TARGET="@TARGET@"
case "$TARGET" in
    /autograder/*) TARGET="$ROOT/${TARGET#/autograder/}" ;;
esac
MODULE="@MODULE@"
RESULTS="$ROOT/results"
mkdir -p "$RESULTS"

fail() {
    python3 - "$1" > "$RESULTS/results.json" <<'PY'
import json, sys
print(json.dumps({"score": 0, "output": sys.argv[1], "output_format": "text", "tests": []}))
PY
    exit 0
}

file="$(find "$ROOT/submission" -name "$MODULE.py" -type f | head -n 1)"
[ -n "$file" ] || file="$(find "$ROOT/submission" -name solution.py -type f | head -n 1)"
if [ -z "$file" ]; then
    count="$(find "$ROOT/submission" -name '*.py' -type f | wc -l)"
    [ "$count" = 1 ] && file="$(find "$ROOT/submission" -name '*.py' -type f)"
fi
[ -n "$file" ] || fail "No $MODULE.py in your submission: upload a file named $MODULE.py."

pykata check "$TARGET" --submission "$file" --format gradescope > "$RESULTS/results.json.tmp" 2> "$RESULTS/pykata-stderr.txt"
if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$RESULTS/results.json.tmp" 2>/dev/null; then
    mv "$RESULTS/results.json.tmp" "$RESULTS/results.json"
else
    fail "The autograder could not grade this submission: $(head -c 2000 "$RESULTS/pykata-stderr.txt")"
fi
exit 0
"#;

const README: &str = r#"# pykata autograder for Gradescope

Upload this zip as a Gradescope autograder (Ubuntu base image). `setup.sh` builds pykata
from `pykata-src/` (it needs network access to apt, rustup and crates.io, and takes a few
minutes); `run_autograder` grades the learner's file against @TARGET@ with
`pykata check --format gradescope` and writes `results/results.json`.
"#;
