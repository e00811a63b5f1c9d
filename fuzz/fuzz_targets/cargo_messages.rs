//! `cargo build --message-format=json` output, as `--cargo-json` reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    pyinit_check::discover::cargo::fuzzing::build_messages(bytes);
});
