//! Wheels: listing the members and inflating every module, from an archive in memory.
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pyinit_check::discover::wheel::{read_member_in, wheel_modules_in};

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("fuzz.whl");
    let Ok(listing) = wheel_modules_in(Cursor::new(bytes), path) else {
        return;
    };
    for module in listing.modules.iter().take(16) {
        if let Ok(member) = read_member_in(Cursor::new(bytes), path, &module.member) {
            let _ = pyinit_check::inspect::open(&member);
        }
    }
});
