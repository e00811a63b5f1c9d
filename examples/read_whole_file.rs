//! Benchmark baseline, not part of the tool: maturin's `warn_missing_py_init` as it was before
//! it switched to mmap (PyO3/maturin `src/compile.rs` at 8495767a, the parent of 1bfaa8c0
//! "Use mmap for faster warn_missing_py_init", #2950, released in v1.12.5): read the whole file
//! into a `Vec` with `read_to_end`, let `goblin::Object::parse` parse every table, then search
//! the symbols for `PyInit_<module>` (ELF `.dynsym`; Mach-O export trie, then symbol table; PE
//! export table). The search, re-implemented, is in `support/maturin_warn.rs`;
//! `maturin_mmap` is the same with the mmap.
//!
//! `cargo run --release --example read_whole_file -- FILE MODULE` exits 0 when found (MODULE may
//! carry the `PyInit_` prefix).

use std::io::Read;

#[path = "support/maturin_warn.rs"]
mod maturin_warn;

fn main() -> std::process::ExitCode {
    maturin_warn::main_with("read_whole_file", |artifact, module_name| {
        let mut fd = std::fs::File::open(artifact)?;
        let mut buffer = Vec::new();
        fd.read_to_end(&mut buffer)?;
        maturin_warn::has_py_init(&buffer, module_name)
    })
}
