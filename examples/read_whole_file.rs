//! Benchmark baseline, not part of the tool: the approach pyinit-check replaces — read the
//! whole file into memory and let goblin parse every table, then search all dynamic symbols
//! (what maturin did before it switched to mmap).
//!
//! `cargo run --release --example read_whole_file -- FILE SYMBOL` exits 0 when found.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(symbol)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: read_whole_file FILE SYMBOL");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::from(2);
        }
    };
    let found = match goblin::Object::parse(&bytes) {
        Ok(goblin::Object::Elf(elf)) => elf
            .dynsyms
            .iter()
            .any(|s| elf.dynstrtab.get_at(s.st_name) == Some(symbol)),
        Ok(_) => false,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::from(2);
        }
    };
    ExitCode::from(if found { 0 } else { 1 })
}
