//! `Cargo.toml` and `pyproject.toml`, as the module-name resolution reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    pyinit_check::discover::cargo::fuzzing::manifests(text);
});
