//! Tests against the fixtures built by `tests/fixtures/build-pe.sh`, plus hostile inputs:
//! truncated and bit-flipped fixtures must give `Ok` or `Err`, never a panic.

use super::exports::binary_search;
use super::open;
use crate::inspect::hostile::exercise_slice;
use crate::inspect::{InspectError, LookupOutcome, ObjectKind, Slice};

const HOOK_PREFIXES: &[&str] = &["PyInit_", "PyInitU_", "PyModExport_", "PyModExportU_"];

const FIXTURES: &[&str] = &[
    "good_x64.pyd",
    "good_x86.pyd",
    "good_arm64.pyd",
    "good_arm.pyd",
    "foo.pyd",
    "noname.pyd",
    "forward.pyd",
    "modexport.pyd",
    "both.pyd",
    "noexports.pyd",
    "prog.exe",
    "many.pyd",
    "unsorted.pyd",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pe/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn lookup(slice: &Slice<'_>, symbol: &str) -> LookupOutcome {
    let table = slice
        .exports
        .as_ref()
        .unwrap_or_else(|why| panic!("no exports: {why}"));
    // What a finding reports: the loader's miss, explained by a scan of the table.
    match table.lookup(symbol).unwrap() {
        LookupOutcome::Missing(reason) => {
            LookupOutcome::Missing(table.explain_miss(symbol, reason).unwrap())
        }
        found => found,
    }
}

fn hooks(slice: &Slice<'_>) -> Vec<String> {
    slice
        .exports
        .as_ref()
        .unwrap()
        .exported_with_prefixes(HOOK_PREFIXES)
        .unwrap()
}

fn missing(reason: &str) -> LookupOutcome {
    LookupOutcome::Missing(crate::inspect::MissReason::from_text(reason))
}

const NOT_IN_TABLE: &str = "not in the export name table";
const UNSORTED: &str =
    "the export name table is not sorted, so the loader's binary search misses it";

#[test]
fn good_modules_per_architecture() {
    for (file, arch) in [
        ("good_x64.pyd", "x64"),
        ("good_x86.pyd", "x86"),
        ("good_arm64.pyd", "arm64"),
        ("good_arm.pyd", "arm"),
    ] {
        let bytes = fixture(file);
        let slice = open(&bytes).unwrap();
        let module = file.trim_end_matches(".pyd");
        assert_eq!(slice.arch, arch, "{file}");
        assert_eq!(slice.kind, ObjectKind::SharedLibrary, "{file}");
        // x86 __cdecl exports carry no leading underscore in the export table.
        assert_eq!(
            lookup(&slice, &format!("PyInit_{module}")),
            LookupOutcome::Exported,
            "{file}"
        );
        assert_eq!(
            lookup(&slice, &format!("PyModExport_{module}")),
            missing(NOT_IN_TABLE),
            "{file}"
        );
        assert_eq!(
            lookup(&slice, &format!("_PyInit_{module}")),
            missing(NOT_IN_TABLE),
            "{file}"
        );
        assert_eq!(hooks(&slice), [format!("PyInit_{module}")], "{file}");
    }
}

#[test]
fn wrong_module_name() {
    let bytes = fixture("foo.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(lookup(&slice, "PyInit_foo"), missing(NOT_IN_TABLE));
    assert_eq!(lookup(&slice, "PyInit_bar"), LookupOutcome::Exported);
    assert_eq!(lookup(&slice, "unrelated_helper"), LookupOutcome::Exported);
    assert_eq!(hooks(&slice), ["PyInit_bar"]);
}

#[test]
fn ordinal_only_hook_is_not_found_by_name() {
    let bytes = fixture("noname.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyInit_noname"),
        missing("not exported by name (the DLL has 1 ordinal-only export)")
    );
    assert_eq!(lookup(&slice, "unrelated_helper"), LookupOutcome::Exported);
    assert!(hooks(&slice).is_empty());
}

#[test]
fn forwarded_hook() {
    let bytes = fixture("forward.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyInit_forward"),
        LookupOutcome::Forwarded("other.PyInit_forward".into())
    );
    assert_eq!(lookup(&slice, "unrelated_helper"), LookupOutcome::Exported);
    assert_eq!(hooks(&slice), ["PyInit_forward"]);
}

#[test]
fn pep_793_hooks() {
    let bytes = fixture("modexport.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyModExport_modexport"),
        LookupOutcome::Exported
    );
    assert_eq!(lookup(&slice, "PyInit_modexport"), missing(NOT_IN_TABLE));
    assert_eq!(hooks(&slice), ["PyModExport_modexport"]);

    let bytes = fixture("both.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(lookup(&slice, "PyModExport_both"), LookupOutcome::Exported);
    assert_eq!(lookup(&slice, "PyInit_both"), LookupOutcome::Exported);
    assert_eq!(hooks(&slice), ["PyInit_both", "PyModExport_both"]);
}

#[test]
fn dll_without_export_directory() {
    let bytes = fixture("noexports.pyd");
    let slice = open(&bytes).unwrap();
    assert_eq!(slice.kind, ObjectKind::SharedLibrary);
    assert_eq!(
        slice.exports.err().map(|e| e.to_string()).as_deref(),
        Some("no export directory")
    );
}

#[test]
fn executable_with_exports() {
    let bytes = fixture("prog.exe");
    let slice = open(&bytes).unwrap();
    assert_eq!(slice.arch, "x64");
    assert_eq!(slice.kind, ObjectKind::Executable);
    assert_eq!(lookup(&slice, "PyInit_prog"), LookupOutcome::Exported);
}

#[test]
fn every_name_of_a_larger_table_is_found() {
    let bytes = fixture("many.pyd");
    let slice = open(&bytes).unwrap();
    let table = slice.exports.as_ref().unwrap();
    let all = table.exported_with_prefixes(&[""]).unwrap();
    assert_eq!(all.len(), 40);
    assert!(
        all.windows(2).all(|pair| pair[0] < pair[1]),
        "the linker sorts the name table"
    );
    for name in &all {
        assert_eq!(
            table.lookup(name).unwrap(),
            LookupOutcome::Exported,
            "{name}"
        );
    }
    assert_eq!(hooks(&slice), ["PyInit_many"]);
    // Before the first name, between names, after the last, a prefix of a name, an extension.
    for absent in [
        "",
        "A",
        "Alias_",
        "Alias_29x",
        "PyInit_man",
        "PyInit_manyy",
        "Q",
        "zalias_9",
        "\u{ff}",
    ] {
        assert_eq!(
            table.lookup(absent).unwrap(),
            missing(NOT_IN_TABLE),
            "{absent:?}"
        );
    }
    // strcmp stops at the NUL.
    assert_eq!(
        table.lookup("PyInit_many\0junk").unwrap(),
        LookupOutcome::Exported
    );
}

#[test]
fn binary_search_reads_logarithmically_many_names() {
    let names: Vec<String> = (0..1000).map(|i| format!("name_{i:04}")).collect();
    for wanted in names
        .iter()
        .map(String::as_str)
        .chain(["", "name_", "name_0500x", "zzz"])
    {
        let mut reads = 0;
        let found = binary_search(1000, wanted.as_bytes(), |index| {
            reads += 1;
            Ok(names[index as usize].as_bytes())
        })
        .unwrap();
        assert_eq!(
            found.map(|i| names[i as usize].as_str()),
            names.iter().find(|n| *n == wanted).map(|n| n.as_str())
        );
        assert!(reads <= 10, "{wanted}: {reads} reads");
    }
    assert_eq!(binary_search(0, b"x", |_| unreachable!()).unwrap(), None);
}

#[test]
fn binary_search_probes_like_the_loader() {
    // The loader's own form: signed Start/End, inclusive, Next = (Start + End) / 2.
    fn loader_probes(names: &[[u8; 4]], wanted: &[u8]) -> Vec<u32> {
        let (mut start, mut end, mut probes) = (0i64, names.len() as i64 - 1, Vec::new());
        while start <= end {
            let next = (start + end) / 2;
            probes.push(next as u32);
            match wanted.cmp(&names[next as usize][..]) {
                std::cmp::Ordering::Equal => break,
                std::cmp::Ordering::Less => end = next - 1,
                std::cmp::Ordering::Greater => start = next + 1,
            }
        }
        probes
    }
    // Odd keys are the names; even keys fall before, between and after them.
    let names: Vec<[u8; 4]> = (0..70u32).map(|i| (2 * i + 1).to_be_bytes()).collect();
    for count in 0..names.len() {
        let names = &names[..count];
        for key in 0..=2 * count as u32 + 1 {
            let wanted = key.to_be_bytes();
            let mut probes = Vec::new();
            binary_search(count as u32, &wanted, |index| {
                probes.push(index);
                Ok(&names[index as usize][..])
            })
            .unwrap();
            assert_eq!(
                probes,
                loader_probes(names, &wanted),
                "count {count}, key {key}"
            );
        }
    }
}

#[test]
fn unsorted_name_table_hides_names_from_the_loader() {
    let bytes = fixture("unsorted.pyd");
    let slice = open(&bytes).unwrap();
    // The build script swapped the hook's name pointer (index 30) with Alias_00's (index 0).
    assert_eq!(lookup(&slice, "PyInit_unsorted"), missing(UNSORTED));
    assert_eq!(lookup(&slice, "Alias_00"), missing(UNSORTED));
    assert_eq!(lookup(&slice, "Alias_19"), LookupOutcome::Exported);
    assert_eq!(lookup(&slice, "zalias_8"), LookupOutcome::Exported);
    assert_eq!(lookup(&slice, "PyInit_sorted"), missing(NOT_IN_TABLE));
    assert_eq!(hooks(&slice), ["PyInit_unsorted"]);
}

/// Runs everything the rest of the program may call; only panics matter.
fn exercise(bytes: &[u8]) {
    if let Ok(slice) = open(bytes) {
        exercise_slice(
            &slice,
            &[
                "PyInit_many",
                "PyInit_foo",
                "Alias_05",
                "zalias_3",
                "unrelated_helper",
            ],
        );
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    for file in FIXTURES {
        let bytes = fixture(file);
        for len in (0..bytes.len()).step_by(7) {
            exercise(&bytes[..len]);
        }
    }
}

#[test]
fn corrupted_fixtures_never_panic() {
    // xorshift64: deterministic, so a failure reproduces.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for file in FIXTURES {
        let original = fixture(file);
        for _ in 0..1500 {
            let mut bytes = original.clone();
            for _ in 0..=next() % 4 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] ^= 1 << (next() % 8);
            }
            exercise(&bytes);
        }
        // Header bytes matter most: flip every bit of the first 1 KiB once.
        for at in 0..original.len().min(1024) {
            for bit in 0..8 {
                let mut bytes = original.clone();
                bytes[at] ^= 1 << bit;
                exercise(&bytes);
            }
        }
    }
}

/// Offset of IMAGE_EXPORT_DIRECTORY in good_x64.pyd, found through the headers as the
/// loader would (cross-checked with llvm-readobj: export RVA 0x201c in .rdata at 0x2000/0x600).
fn export_directory_offset(bytes: &[u8]) -> usize {
    let e_lfanew = u32::from_le_bytes(bytes[0x3c..0x40].try_into().unwrap()) as usize;
    let optional = e_lfanew + 24;
    let rva = u32::from_le_bytes(bytes[optional + 112..optional + 116].try_into().unwrap());
    assert_eq!(rva, 0x201c);
    0x600 + (rva as usize - 0x2000)
}

fn patch_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

#[test]
fn huge_counts_are_rejected_before_any_walk() {
    let original = fixture("good_x64.pyd");
    let directory = export_directory_offset(&original);
    for (field, what) in [
        (20, "PE export address table"),
        (24, "PE export name pointer table"),
    ] {
        let mut bytes = original.clone();
        patch_u32(&mut bytes, directory + field, u32::MAX);
        assert_eq!(open(&bytes).err(), Some(InspectError::Malformed(what)));
    }
}

#[test]
fn name_pointer_outside_the_image() {
    let mut bytes = fixture("good_x64.pyd");
    let directory = export_directory_offset(&bytes);
    let names_rva = u32::from_le_bytes(bytes[directory + 32..directory + 36].try_into().unwrap());
    patch_u32(
        &mut bytes,
        0x600 + (names_rva as usize - 0x2000),
        0x00ff_0000,
    );
    let slice = open(&bytes).unwrap();
    let table = slice.exports.unwrap();
    assert_eq!(
        table.lookup("PyInit_good_x64"),
        Err(InspectError::Malformed("PE export name"))
    );
    assert_eq!(
        table.exported_with_prefixes(HOOK_PREFIXES),
        Err(InspectError::Malformed("PE export name"))
    );
}

#[test]
fn ordinal_past_the_address_table() {
    let mut bytes = fixture("good_x64.pyd");
    let directory = export_directory_offset(&bytes);
    let ordinals_rva =
        u32::from_le_bytes(bytes[directory + 36..directory + 40].try_into().unwrap());
    let at = 0x600 + (ordinals_rva as usize - 0x2000);
    bytes[at..at + 2].copy_from_slice(&500u16.to_le_bytes());
    let slice = open(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyInit_good_x64"),
        missing("its ordinal lies outside the export address table")
    );
}

#[test]
fn header_errors() {
    assert_eq!(
        open(b"MZ").err(),
        Some(InspectError::Truncated("DOS header"))
    );
    let mut bytes = fixture("good_x64.pyd");
    patch_u32(&mut bytes, 0x3c, 0xffff_fff0);
    assert_eq!(
        open(&bytes).err(),
        Some(InspectError::Truncated("PE signature"))
    );

    let mut bytes = fixture("good_x64.pyd");
    let e_lfanew = u32::from_le_bytes(bytes[0x3c..0x40].try_into().unwrap()) as usize;
    bytes[e_lfanew + 24..e_lfanew + 26].copy_from_slice(&0x107u16.to_le_bytes());
    assert_eq!(
        open(&bytes).err(),
        Some(InspectError::Unsupported("PE ROM image"))
    );

    // An image without IMAGE_FILE_EXECUTABLE_IMAGE is not something the loader maps.
    let mut bytes = fixture("good_x64.pyd");
    bytes[e_lfanew + 22] &= !0x02;
    assert!(matches!(open(&bytes).unwrap().kind, ObjectKind::Other(_)));

    // NumberOfRvaAndSizes = 0: the export directory entry does not exist.
    let mut bytes = fixture("good_x64.pyd");
    patch_u32(&mut bytes, e_lfanew + 24 + 108, 0);
    assert_eq!(
        open(&bytes)
            .unwrap()
            .exports
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("no export directory")
    );
}
