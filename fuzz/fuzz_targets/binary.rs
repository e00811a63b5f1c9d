//! ELF, Mach-O (thin and fat) and PE: everything the pipeline may ask of a slice, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyinit_check::inspect::{LookupOutcome, open, read_extent};

const NAMES: [&str; 5] = [
    "PyInit_foo",
    "PyModExport_foo",
    "PyInitU_lanmt_2sa6t",
    "",
    "PyInit_a_name_long_enough_to_walk_a_trie_or_a_hash_chain_far",
];

fuzz_target!(|bytes: &[u8]| {
    // The pipeline asks this of a wheel member's first 64 KiB before inflating the rest.
    let _ = read_extent(bytes);
    let Ok(binary) = open(bytes) else {
        return;
    };
    for slice in &binary.slices {
        for name in NAMES {
            if let Ok(LookupOutcome::Missing(reason)) = slice.lookup(name) {
                let _ = slice.explain_miss(name, reason);
            }
        }
        let _ = slice.exported_hooks();
        let _ = slice.imported_symbols();
        let _ = slice.needed_libraries();
        let _ = slice.version_needs();
        let _ = slice.minimum_os();
        let _ = slice.machine();
        let _ = slice.summary();
    }
});
