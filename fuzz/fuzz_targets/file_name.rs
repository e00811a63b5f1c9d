//! File names: what CPython makes of them, and the identity discover gives a file so named.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyinit_check::discover::{IdentityOptions, identify, parse_module_file_name};
use pyinit_check::hook::hook_names;

fuzz_target!(|name: &str| {
    let parsed = parse_module_file_name(name);
    let options = IdentityOptions {
        module_name: Some("pkg.foo".into()),
        ..IdentityOptions::default()
    };
    for options in [IdentityOptions::default(), options] {
        let identity = identify(name, parsed.clone(), None, &options);
        let _ = hook_names(&identity.name);
    }
    let _ = hook_names(name);
});
