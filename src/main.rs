//! The `pykata` binary: a thin shell around the library's command line.

fn main() -> std::process::ExitCode {
    // First, before any thread starts: this process may be the embedded engine's zygote.
    pykata::engine::embedded::maybe_run_zygote();
    pykata::cli::main()
}
