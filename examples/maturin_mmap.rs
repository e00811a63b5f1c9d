//! Benchmark baseline, not part of the tool: maturin's `warn_missing_py_init` after it switched
//! to mmap (PyO3/maturin `src/compile.rs` at 1bfaa8c0, "Use mmap for faster
//! warn_missing_py_init", #2950, released in v1.12.5): `memmap2::Mmap::map` the file, then the
//! same `goblin::Object::parse` and symbol search as before (`support/maturin_warn.rs`,
//! re-implemented). Not reproduced: the same commit first moves the artifact into `target/maturin/`
//! (`BuildContext::stage_artifact`, a rename), so that nothing rewrites it while mapped; the
//! bench maps its inputs in place.
//!
//! `cargo run --release --example maturin_mmap -- FILE MODULE` exits 0 when found (MODULE may
//! carry the `PyInit_` prefix).

#[path = "support/maturin_warn.rs"]
mod maturin_warn;

fn main() -> std::process::ExitCode {
    maturin_warn::main_with("maturin_mmap", |artifact, module_name| {
        let fd = std::fs::File::open(artifact)?;
        // SAFETY: a bench input that nothing writes while it is mapped (maturin: "The caller
        // stages (moves/copies) the artifact into a private directory before invoking this
        // function").
        let mmap = unsafe { memmap2::Mmap::map(&fd)? };
        maturin_warn::has_py_init(&mmap, module_name)
    })
}
