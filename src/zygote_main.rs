//! The `pykata-zygote` binary: the embedded engine's zygote, which `pykata` starts from
//! beside its own executable (`engine::embedded`). It is a separate executable so that
//! every job forked from it has no bundled reference solution, mutant or explanation in
//! its memory: it never registers the catalogue, which only `src/main.rs` embeds
//! (`tests/secrets.rs` checks this file's bytes for them).

fn main() {
    pykata::engine::embedded::run_zygote()
}
