//! The `pykata` binary: a thin shell around the library's command line. It alone embeds the
//! bundled catalogue (the embedded engine's zygote, `pykata-zygote`, does not).

/// The bundled exercises, reference solutions included: only in this executable.
static CATALOGUE: include_dir::Dir<'static> = pykata::bundled_catalogue!();

fn main() -> std::process::ExitCode {
    pykata::assets::register_catalogue(&CATALOGUE);
    pykata::cli::main()
}
