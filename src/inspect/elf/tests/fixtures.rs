//! Every fixture of `tests/fixtures/elf/README.md`, with the outcome written there.

use super::{fixture, hooks, lookups, missing};
use crate::inspect::elf::open;
use crate::inspect::{LookupOutcome, ObjectKind};

const NOT_IN_TABLE: &str = "not in the dynamic symbol hash table";

/// Shared libraries that export the hook of their module name, on each machine and table style.
#[test]
fn exported_hooks() {
    let cases = [
        ("gnuhash.so", "x86_64", "PyInit_gnuhash"),
        ("sysvhash.so", "x86_64", "PyInit_sysvhash"),
        ("bothhash.so", "x86_64", "PyInit_bothhash"),
        ("many.so", "x86_64", "PyInit_many"),
        ("manysysv.so", "x86_64", "PyInit_manysysv"),
        ("protected.so", "x86_64", "PyInit_protected"),
        ("weak.so", "x86_64", "PyInit_weak"),
        ("ifunc.so", "x86_64", "PyInit_ifunc"),
        ("defaultversion.so", "x86_64", "PyInit_defaultversion"),
        ("interp.so", "x86_64", "PyInit_interp"),
        ("lančmít.so", "x86_64", "PyInitU_lanmt_2sa6t"),
        ("aarch64.so", "aarch64", "PyInit_aarch64"),
        ("riscv64.so", "riscv64", "PyInit_riscv64"),
        ("i386.so", "i386", "PyInit_i386"),
        ("armv7.so", "arm", "PyInit_armv7"),
        ("ppc64.so", "ppc64", "PyInit_ppc64"),
        ("ppc64sysv.so", "ppc64", "PyInit_ppc64sysv"),
        ("ppc64le.so", "ppc64le", "PyInit_ppc64le"),
        ("ppc.so", "ppc", "PyInit_ppc"),
        ("mips.so", "mips", "PyInit_mips"),
    ];
    for (file, arch, hook) in cases {
        let (got_arch, kind, outcomes) =
            lookups(&fixture(file), &[hook, "PyInit_absent", "unrelated_helper"]);
        assert_eq!(got_arch, arch, "{file}");
        assert_eq!(kind, ObjectKind::SharedLibrary, "{file}");
        // module.c's helper is exported too, except where there is none (elf_ifunc.c) or a
        // version script hides it.
        let no_helper = matches!(file, "ifunc.so" | "defaultversion.so");
        let helper = if no_helper {
            missing(NOT_IN_TABLE)
        } else {
            LookupOutcome::Exported
        };
        assert_eq!(
            outcomes,
            [LookupOutcome::Exported, missing(NOT_IN_TABLE), helper],
            "{file}"
        );
        assert_eq!(hooks(&fixture(file)), [hook], "{file}");
    }
}

/// Hooks the loader cannot find, with the reason the tables give.
#[test]
fn missing_hooks() {
    let cases = [
        ("hidden.so", "PyInit_hidden", NOT_IN_TABLE),
        ("local.so", "PyInit_local", NOT_IN_TABLE),
        ("undefined.so", "PyInit_undefined", NOT_IN_TABLE),
        (
            "undefinedsysv.so",
            "PyInit_undefinedsysv",
            "undefined (only referenced here)",
        ),
        ("hiddendyn.so", "PyInit_hiddendyn", "hidden visibility"),
        ("localdyn.so", "PyInit_localdyn", "local binding"),
        (
            "nondefaultversion.so",
            "PyInit_nondefaultversion",
            "only a non-default symbol version (name@VERSION), which dlsym skips",
        ),
        ("foo.so", "PyInit_foo", NOT_IN_TABLE),
    ];
    for (file, hook, why) in cases {
        let (arch, kind, outcomes) = lookups(&fixture(file), &[hook]);
        assert_eq!(
            (arch.as_str(), kind),
            ("x86_64", ObjectKind::SharedLibrary),
            "{file}"
        );
        assert_eq!(outcomes, [missing(why)], "{file}");
    }
    assert_eq!(hooks(&fixture("foo.so")), ["PyInit_bar"]);
    for file in [
        "hidden.so",
        "local.so",
        "undefined.so",
        "undefinedsysv.so",
        "hiddendyn.so",
        "localdyn.so",
    ] {
        assert!(hooks(&fixture(file)).is_empty(), "{file}");
    }
    assert!(hooks(&fixture("nondefaultversion.so")).is_empty());
}

#[test]
fn modexport_and_both_hooks() {
    for file in [
        "modexport.so",
        "modexport.cpython-312-x86_64-linux-gnu.so",
        "modexport.cpython-315-x86_64-linux-gnu.so",
    ] {
        let (_, _, outcomes) = lookups(
            &fixture(file),
            &["PyModExport_modexport", "PyInit_modexport"],
        );
        assert_eq!(
            outcomes,
            [LookupOutcome::Exported, missing(NOT_IN_TABLE)],
            "{file}"
        );
        assert_eq!(hooks(&fixture(file)), ["PyModExport_modexport"], "{file}");
    }
    let (_, _, outcomes) = lookups(&fixture("both.so"), &["PyModExport_both", "PyInit_both"]);
    assert_eq!(outcomes, [LookupOutcome::Exported, LookupOutcome::Exported]);
    let mut both = hooks(&fixture("both.so"));
    both.sort();
    assert_eq!(both, ["PyInit_both", "PyModExport_both"]);
}

#[test]
fn executables_are_told_apart() {
    for (file, hook) in [("pie.so", "PyInit_pie"), ("exec.so", "PyInit_exec")] {
        let (arch, kind, outcomes) = lookups(&fixture(file), &[hook]);
        assert_eq!(
            (arch.as_str(), kind),
            ("x86_64", ObjectKind::Executable),
            "{file}"
        );
        assert_eq!(outcomes, [LookupOutcome::Exported], "{file}");
    }
}

#[test]
fn objects_without_a_searchable_table() {
    let relocatable = fixture("relocatable.so");
    let slice = open(&relocatable).unwrap();
    assert_eq!(
        (slice.arch.as_str(), &slice.kind),
        ("x86_64", &ObjectKind::Relocatable)
    );
    assert_eq!(
        slice.exports.err().map(|e| e.to_string()).as_deref(),
        Some("relocatable object: no dynamic section")
    );

    let nohash = fixture("nohash.so");
    let slice = open(&nohash).unwrap();
    assert_eq!(slice.kind, ObjectKind::SharedLibrary);
    assert_eq!(
        slice.exports.err().map(|e| e.to_string()).as_deref(),
        Some("no DT_GNU_HASH or DT_HASH: the dynamic loader never searches this object")
    );
}

/// The README lists every fixture, and every fixture is tested here or in `hostile`.
#[test]
fn readme_lists_every_fixture() {
    let dir = format!("{}/tests/fixtures/elf", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name != "README.md" {
            assert!(
                readme.contains(&format!("| `{name}` |")),
                "{name} is not in the README"
            );
        }
    }
}
