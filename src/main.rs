//! The `pyinit-check` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    pyinit_check::cli::main()
}
