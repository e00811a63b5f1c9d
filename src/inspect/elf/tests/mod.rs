//! Tests of the ELF reader: the real fixtures of `tests/fixtures/elf/` (whose outcomes were
//! checked against CPython when they were built), hand-made objects for the rules no linker
//! output exercises, and hostile input.

mod extent;
mod fixtures;
mod hostile;
mod imports;
mod synthetic;

use super::open;
use crate::inspect::{LookupOutcome, ObjectKind};

const HOOK_PREFIXES: &[&str] = &["PyInit_", "PyInitU_", "PyModExport_", "PyModExportU_"];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/elf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn missing(why: &str) -> LookupOutcome {
    LookupOutcome::Missing(crate::inspect::MissReason::from_text(why))
}

/// Opens `bytes` and looks `names` up, insisting the object has a searchable table.
fn lookups(bytes: &[u8], names: &[&str]) -> (String, ObjectKind, Vec<LookupOutcome>) {
    let slice = open(bytes).expect("opens");
    let table = slice.exports.as_ref().expect("has an export table");
    let outcomes = names
        .iter()
        .map(|name| table.lookup(name).expect("lookup succeeds"))
        .collect();
    (slice.arch.clone(), slice.kind.clone(), outcomes)
}

fn hooks(bytes: &[u8]) -> Vec<String> {
    let slice = open(bytes).expect("opens");
    slice
        .exports
        .as_ref()
        .expect("has an export table")
        .exported_with_prefixes(HOOK_PREFIXES)
        .expect("scan succeeds")
}
