//! Test support shared by the format readers' hostile-input tests: a reproducible byte
//! mutator and the one way every caller exercises a parsed slice.

use super::Slice;

/// xorshift64: a fixed sequence, so a failing seed reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Everything the rest of the program may do with a slice: look `names` up and, as on the
/// failure path, scan for hooks; and walk the imports and needed libraries, as the interpreter and platform rules do. Only the absence of a panic or an endless walk matters.
pub fn exercise_slice(slice: &Slice<'_>, names: &[&str]) {
    if let Ok(table) = &slice.exports {
        for name in names {
            let _ = table.lookup(name);
        }
        let _ = table.exported_with_prefixes(&crate::hook::HOOK_PREFIXES);
    }
    if let Some(imports) = &slice.imports {
        let _ = imports.imported_symbols();
        let _ = imports.needed_libraries();
        let _ = imports.version_needs();
    }
    let _ = slice.minimum_os;
}
