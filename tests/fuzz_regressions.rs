//! Every input the fuzz targets found a problem with, replayed through the same calls as its
//! target (tests/fixtures/fuzz/README.md says what each was). A regression shows as a panic
//! or as a run that no longer ends.

mod support;

use std::time::{Duration, Instant};

use pyinit_check::inspect::{LookupOutcome, open};

/// The `binary` target's calls.
fn exercise_binary(bytes: &[u8]) {
    let Ok(binary) = open(bytes) else {
        return;
    };
    for slice in &binary.slices {
        for name in ["PyInit_foo", "PyModExport_foo", "PyInitU_lanmt_2sa6t", ""] {
            if let Ok(LookupOutcome::Missing(reason)) = slice.lookup(name) {
                let _ = slice.explain_miss(name, reason);
            }
        }
        let _ = slice.exported_hooks();
        let _ = slice.imported_symbols();
    }
}

#[test]
fn binary_findings_stay_fixed() {
    let dir = support::fixture("fuzz/binary");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // Work is bounded by the input's size; a hang would never return, so a generous
        // wall-clock guard only turns "never" into a message (it is no benchmark).
        let started = Instant::now();
        exercise_binary(&bytes);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
        replayed += 1;
    }
    assert!(replayed >= 1, "no findings replayed from {}", dir.display());
}
