//! The `pykata` binary: a thin shell around the library's command line.

fn main() -> std::process::ExitCode {
    pykata::cli::main()
}
