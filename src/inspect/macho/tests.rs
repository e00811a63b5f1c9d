//! Tests: the real fixtures built by `tests/fixtures/build-macho.sh`, images assembled here for
//! what the LLVM tools cannot produce (big-endian, re-exports, broken tries), and hostile input.

use crate::inspect::hostile::{Rng, exercise_slice};
use goblin::mach::constants::cputype::{
    CPU_TYPE_ARM64, CPU_TYPE_POWERPC, CPU_TYPE_POWERPC64, CPU_TYPE_X86_64,
};
use goblin::mach::header::{MH_BUNDLE, MH_CORE, MH_DYLIB};
use goblin::mach::load_command::{LC_DYLD_EXPORTS_TRIE, LC_DYLD_INFO_ONLY, LC_LOAD_DYLIB};
use goblin::mach::symbols::{N_EXT, N_PEXT, N_SECT, N_UNDF};

use super::{open_fat, open_thin};
use crate::inspect::{BinaryFormat, InspectError, LookupOutcome, ObjectKind, Slice, detect};

const HOOK_PREFIXES: &[&str] = &["PyInit_", "PyInitU_", "PyModExport_", "PyModExportU_"];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/macho/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn open(bytes: &[u8]) -> Result<Vec<Slice<'_>>, InspectError> {
    match detect(bytes)? {
        BinaryFormat::MachO => open_thin(bytes).map(|slice| vec![slice]),
        BinaryFormat::MachOFat => open_fat(bytes),
        other => panic!("not Mach-O: {other:?}"),
    }
}

fn lookup(slice: &Slice<'_>, symbol: &str) -> LookupOutcome {
    slice
        .exports
        .as_ref()
        .expect("export table")
        .lookup(symbol)
        .expect("lookup")
}

fn hooks(slice: &Slice<'_>) -> Vec<String> {
    slice
        .exports
        .as_ref()
        .expect("export table")
        .exported_with_prefixes(HOOK_PREFIXES)
        .expect("scan")
}

fn missing(why: &str) -> LookupOutcome {
    LookupOutcome::Missing(crate::inspect::MissReason::from_text(why))
}

const NOT_IN_TRIE: &str = "not in the export trie";

// --- fixtures -------------------------------------------------------------------------------

#[test]
fn thin_dylibs_export_their_hook() {
    for (file, arch) in [
        ("thin_x86_64.so", "x86_64"),
        ("thin_arm64.so", "arm64"),
        ("arm64_32.so", "arm64_32"),
    ] {
        let bytes = fixture(file);
        let slices = open(&bytes).unwrap();
        assert_eq!(slices.len(), 1, "{file}");
        let slice = &slices[0];
        let module = file.split('.').next().unwrap();
        assert_eq!(slice.arch, arch, "{file}");
        assert_eq!(slice.kind, ObjectKind::SharedLibrary, "{file}");
        assert_eq!(
            lookup(slice, &format!("PyInit_{module}")),
            LookupOutcome::Exported,
            "{file}"
        );
        assert_eq!(
            lookup(slice, &format!("PyModExport_{module}")),
            missing(NOT_IN_TRIE),
            "{file}"
        );
        assert_eq!(
            lookup(slice, "unrelated_helper"),
            LookupOutcome::Exported,
            "{file}"
        );
        // A prefix of an export, and an export plus a suffix, are not exports.
        assert_eq!(lookup(slice, "PyInit_"), missing(NOT_IN_TRIE), "{file}");
        assert_eq!(
            lookup(slice, &format!("PyInit_{module}x")),
            missing(NOT_IN_TRIE),
            "{file}"
        );
        assert_eq!(hooks(slice), [format!("PyInit_{module}")], "{file}");
    }
}

#[test]
fn bundle_is_a_shared_library() {
    let bytes = fixture("bundle.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(slice.kind, ObjectKind::SharedLibrary);
    assert_eq!(lookup(&slice, "PyInit_bundle"), LookupOutcome::Exported);
}

#[test]
fn hidden_hook_is_not_in_the_trie() {
    let bytes = fixture("hidden.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(lookup(&slice, "PyInit_hidden"), missing(NOT_IN_TRIE));
    assert_eq!(hooks(&slice), Vec::<String>::new());
}

#[test]
fn wrong_name_suggests_the_hook_it_has() {
    let bytes = fixture("wrong_name.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(lookup(&slice, "PyInit_wrong_name"), missing(NOT_IN_TRIE));
    assert_eq!(hooks(&slice), ["PyInit_other"]);
}

#[test]
fn modexport_only() {
    let bytes = fixture("modexport.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyModExport_modexport"),
        LookupOutcome::Exported
    );
    assert_eq!(lookup(&slice, "PyInit_modexport"), missing(NOT_IN_TRIE));
    assert_eq!(hooks(&slice), ["PyModExport_modexport"]);
}

#[test]
fn exports_trie_load_command() {
    let bytes = fixture("exports_trie.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(slice.arch, "arm64");
    assert_eq!(
        lookup(&slice, "PyInit_exports_trie"),
        LookupOutcome::Exported
    );
    assert_eq!(lookup(&slice, "PyInit_other"), missing(NOT_IN_TRIE));
}

#[test]
fn universal_files_check_every_slice() {
    for file in ["universal2.so", "fat64.so"] {
        let bytes = fixture(file);
        let module = file.split('.').next().unwrap();
        let slices = open(&bytes).unwrap();
        let arches: Vec<_> = slices.iter().map(|s| s.arch.as_str()).collect();
        assert_eq!(arches, ["x86_64", "arm64"], "{file}");
        for slice in &slices {
            assert_eq!(slice.kind, ObjectKind::SharedLibrary, "{file}");
            assert_eq!(
                lookup(slice, &format!("PyInit_{module}")),
                LookupOutcome::Exported,
                "{file} {}",
                slice.arch
            );
        }
    }
}

#[test]
fn universal_file_with_a_wrong_slice() {
    let bytes = fixture("universal2_arm64_wrong.so");
    let binary = crate::inspect::open(&bytes).unwrap();
    assert_eq!(binary.format, BinaryFormat::MachOFat);
    let [x86, arm] = &binary.slices[..] else {
        panic!("two slices expected")
    };
    let wanted = "PyInit_universal2_arm64_wrong";
    assert_eq!(x86.arch(), "x86_64");
    assert_eq!(x86.lookup(wanted).unwrap(), LookupOutcome::Exported);
    assert_eq!(arm.arch(), "arm64");
    assert_eq!(arm.lookup(wanted).unwrap(), missing(NOT_IN_TRIE));
    assert_eq!(arm.exported_hooks().unwrap(), ["PyInit_universal2"]);
    // Only what was asked is in the report: no scan ran on the passing slice.
    assert_eq!(x86.summary().exported_hooks, None);
    assert_eq!(arm.summary().lookups.len(), 1);
}

#[test]
fn without_trie_the_sorted_external_symbols_are_binary_searched() {
    let bytes = fixture("notrie.so");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(slice.arch, "x86_64");
    for name in ["PyInit_notrie", "PyInit_zzz", "unrelated_helper"] {
        assert_eq!(lookup(&slice, name), LookupOutcome::Exported, "{name}");
    }
    for name in ["PyInit_a", "PyInit_notrif", "zzz", ""] {
        assert_eq!(
            lookup(&slice, name),
            missing("not among the external symbols (LC_DYSYMTAB)"),
            "{name}"
        );
    }
    assert_eq!(hooks(&slice), ["PyInit_notrie", "PyInit_zzz"]);
}

#[test]
fn unsorted_external_symbols_defeat_the_binary_search() {
    let bytes = fixture("notrie_unsorted.so");
    let slice = open_thin(&bytes).unwrap();
    let LookupOutcome::Missing(why) = lookup(&slice, "PyInit_notrie_unsorted") else {
        panic!("binary search found it")
    };
    assert!(
        why.to_string()
            .starts_with("external symbols not sorted by name"),
        "{why}"
    );
    assert_eq!(lookup(&slice, "PyInit_aaa"), LookupOutcome::Exported);
    assert_eq!(hooks(&slice), ["PyInit_aaa", "PyInit_notrie_unsorted"]);
}

#[test]
fn relocatable_objects_use_the_symbol_table() {
    for (file, arch) in [("objfile.o", "x86_64"), ("objfile_i386.o", "i386")] {
        let bytes = fixture(file);
        let slice = open_thin(&bytes).unwrap();
        let module = file.split('.').next().unwrap();
        assert_eq!(slice.arch, arch);
        assert_eq!(slice.kind, ObjectKind::Relocatable);
        assert_eq!(
            lookup(&slice, &format!("PyInit_{module}")),
            LookupOutcome::Exported,
            "{file}"
        );
    }
    let bytes = fixture("objfile_hidden.o");
    let slice = open_thin(&bytes).unwrap();
    assert_eq!(
        lookup(&slice, "PyInit_objfile_hidden"),
        missing("private extern (hidden visibility)")
    );
    assert_eq!(lookup(&slice, "unrelated_helper"), LookupOutcome::Exported);
    assert_eq!(hooks(&slice), Vec::<String>::new());
}

// --- hostile input --------------------------------------------------------------------------

const FIXTURES: &[&str] = &[
    "arm64_32.so",
    "bundle.so",
    "exports_trie.so",
    "fat64.so",
    "hidden.so",
    "modexport.so",
    "notrie.so",
    "notrie_unsorted.so",
    "objfile.o",
    "objfile_hidden.o",
    "objfile_i386.o",
    "thin_arm64.so",
    "thin_x86_64.so",
    "universal2.so",
    "universal2_arm64_wrong.so",
    "wrong_name.so",
];

/// Everything a check would do with a file; any result is fine, a panic is not.
fn exercise(bytes: &[u8], hook: &str) {
    let slices = match detect(bytes) {
        Ok(BinaryFormat::MachO) => open_thin(bytes).map(|slice| vec![slice]),
        Ok(BinaryFormat::MachOFat) => open_fat(bytes),
        _ => return,
    };
    for slice in slices.into_iter().flatten() {
        exercise_slice(&slice, &[hook, "unrelated_helper"]);
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    for file in FIXTURES {
        let bytes = fixture(file);
        let hook = format!("PyInit_{}", file.split('.').next().unwrap());
        for len in (0..bytes.len()).step_by(7) {
            exercise(&bytes[..len], &hook);
        }
    }
}

#[test]
fn corrupted_fixtures_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for file in FIXTURES {
        let bytes = fixture(file);
        let hook = format!("PyInit_{}", file.split('.').next().unwrap());
        for round in 0..1500 {
            let mut bad = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                // Headers and load commands sit at the start, tries and symbol tables at the end
                // (of each slice); aim there rather than at padding.
                let window = 2048.min(bad.len());
                let at = match round % 3 {
                    0 => rng.below(window),
                    1 => bad.len() - 1 - rng.below(window),
                    _ => rng.below(bad.len()),
                };
                bad[at] ^= 1 << rng.below(8);
            }
            exercise(&bad, &hook);
        }
    }
}

// --- assembled images -----------------------------------------------------------------------

/// A Mach-O image assembled from parts: header, load commands, then the trie(s), the nlist
/// array and the string table, in the chosen word size and byte order.
struct Image {
    big_endian: bool,
    is_64: bool,
    cputype: u32,
    filetype: u32,
    /// (load command, trie bytes): LC_DYLD_INFO_ONLY or LC_DYLD_EXPORTS_TRIE.
    tries: Vec<(u32, Vec<u8>)>,
    /// (name, n_type) in table order; `None` for no LC_SYMTAB.
    symbols: Option<Vec<(&'static str, u8)>>,
    /// (iextdefsym, nextdefsym) for an LC_DYSYMTAB.
    external: Option<(u32, u32)>,
    dylibs: Vec<&'static str>,
}

impl Image {
    fn new(cputype: u32) -> Self {
        Image {
            big_endian: false,
            is_64: true,
            cputype,
            filetype: MH_DYLIB,
            tries: Vec::new(),
            symbols: None,
            external: None,
            dylibs: Vec::new(),
        }
    }

    fn trie(mut self, bytes: Vec<u8>) -> Self {
        self.tries.push((LC_DYLD_INFO_ONLY, bytes));
        self
    }

    fn build(&self) -> Vec<u8> {
        let be = self.big_endian;
        let u32b = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
        let header_size = if self.is_64 { 32 } else { 28 };
        let trie_cmd_size = |cmd: u32| if cmd == LC_DYLD_EXPORTS_TRIE { 16 } else { 48 };
        let dylib_cmd_size = |name: &str| (24 + name.len() + 1).div_ceil(8) * 8;
        let mut sizeofcmds: usize = self.tries.iter().map(|(cmd, _)| trie_cmd_size(*cmd)).sum();
        sizeofcmds += if self.symbols.is_some() { 24 } else { 0 };
        sizeofcmds += if self.external.is_some() { 80 } else { 0 };
        sizeofcmds += self
            .dylibs
            .iter()
            .map(|name| dylib_cmd_size(name))
            .sum::<usize>();
        let ncmds = self.tries.len()
            + usize::from(self.symbols.is_some())
            + usize::from(self.external.is_some())
            + self.dylibs.len();

        // Data after the load commands.
        let mut data = Vec::new();
        let data_start = header_size + sizeofcmds;
        let mut trie_offsets = Vec::new();
        for (_, trie) in &self.tries {
            trie_offsets.push(data_start + data.len());
            data.extend_from_slice(trie);
        }
        while data.len() % 8 != 0 {
            data.push(0);
        }
        let symoff = data_start + data.len();
        let mut strings = vec![0u8];
        let symbols = self.symbols.clone().unwrap_or_default();
        for (name, n_type) in &symbols {
            data.extend_from_slice(&u32b(strings.len() as u32));
            strings.extend_from_slice(name.as_bytes());
            strings.push(0);
            data.push(*n_type);
            data.push(if n_type & 0x0e == N_SECT { 1 } else { 0 });
            data.extend_from_slice(&[0, 0]);
            if self.is_64 {
                data.extend_from_slice(&if be {
                    0x1000u64.to_be_bytes()
                } else {
                    0x1000u64.to_le_bytes()
                });
            } else {
                data.extend_from_slice(&u32b(0x1000));
            }
        }
        let stroff = data_start + data.len();
        data.extend_from_slice(&strings);

        let mut out = Vec::new();
        let magic: u32 = if self.is_64 { 0xfeed_facf } else { 0xfeed_face };
        for field in [
            magic,
            self.cputype,
            0,
            self.filetype,
            ncmds as u32,
            sizeofcmds as u32,
            0,
        ] {
            out.extend_from_slice(&u32b(field));
        }
        if self.is_64 {
            out.extend_from_slice(&[0; 4]);
        }
        for ((cmd, trie), offset) in self.tries.iter().zip(&trie_offsets) {
            out.extend_from_slice(&u32b(*cmd));
            out.extend_from_slice(&u32b(trie_cmd_size(*cmd) as u32));
            if *cmd != LC_DYLD_EXPORTS_TRIE {
                out.extend_from_slice(&[0; 32]);
            }
            out.extend_from_slice(&u32b(*offset as u32));
            out.extend_from_slice(&u32b(trie.len() as u32));
        }
        if self.symbols.is_some() {
            for field in [
                2,
                24,
                symoff as u32,
                symbols.len() as u32,
                stroff as u32,
                strings.len() as u32,
            ] {
                out.extend_from_slice(&u32b(field)); // LC_SYMTAB
            }
        }
        if let Some((first, count)) = self.external {
            let mut fields = [0u32; 20];
            fields[..6].copy_from_slice(&[0xb, 80, 0, first, first, count]); // LC_DYSYMTAB
            for field in fields {
                out.extend_from_slice(&u32b(field));
            }
        }
        for name in &self.dylibs {
            let size = dylib_cmd_size(name);
            for field in [LC_LOAD_DYLIB, size as u32, 24, 0, 0x10000, 0x10000] {
                out.extend_from_slice(&u32b(field));
            }
            let mut lc_str = name.as_bytes().to_vec();
            lc_str.resize(size - 24, 0);
            out.extend_from_slice(&lc_str);
        }
        assert_eq!(out.len(), data_start);
        out.extend_from_slice(&data);
        out
    }
}

/// Where an assembled trie edge leads: a node of the same trie, or a raw offset (for garbage).
#[derive(Clone, Copy)]
enum To {
    Node(usize),
    Raw(u64),
}

/// A trie node: its terminal information (flags and the rest) and its children.
struct TrieNode {
    terminal: Vec<u8>,
    children: Vec<(&'static str, To)>,
}

fn node(terminal: &[u8], children: &[(&'static str, To)]) -> TrieNode {
    TrieNode {
        terminal: terminal.to_vec(),
        children: children.to_vec(),
    }
}

/// Terminal information of a regular export at address 0x1000.
const REGULAR: &[u8] = &[0x00, 0x80, 0x20];

/// Lays the nodes out in order. Child offsets are written as 3-byte (non-minimal but valid)
/// uleb128 so that every node's size is known before any offset is.
fn assemble(nodes: &[TrieNode]) -> Vec<u8> {
    let size = |n: &TrieNode| {
        assert!(n.terminal.len() < 128);
        1 + n.terminal.len()
            + 1
            + n.children
                .iter()
                .map(|(edge, _)| edge.len() + 1 + 3)
                .sum::<usize>()
    };
    let mut offsets = Vec::new();
    let mut at = 0;
    for n in nodes {
        offsets.push(at as u64);
        at += size(n);
    }
    let mut out = Vec::new();
    for n in nodes {
        out.push(n.terminal.len() as u8);
        out.extend_from_slice(&n.terminal);
        out.push(n.children.len() as u8);
        for (edge, to) in &n.children {
            out.extend_from_slice(edge.as_bytes());
            out.push(0);
            let v = match *to {
                To::Node(i) => offsets[i],
                To::Raw(v) => v,
            };
            assert!(v < 1 << 21);
            out.extend_from_slice(&[
                0x80 | (v & 0x7f) as u8,
                0x80 | ((v >> 7) & 0x7f) as u8,
                (v >> 14) as u8,
            ]);
        }
    }
    out
}

fn table(image: &[u8]) -> Box<dyn crate::inspect::ExportTable + '_> {
    open_thin(image).unwrap().exports.unwrap()
}

#[test]
fn trie_lookup_stays_on_the_names_path() {
    // Garbage hangs off the root and off the node the wanted name passes through: an offset far
    // past the end, an edge back to the root, and a child offset into the middle of a label.
    let trie = assemble(&[
        node(
            &[],
            &[
                ("_zzz", To::Raw(5000)),
                ("_q", To::Node(0)),
                ("_Py", To::Node(1)),
            ],
        ),
        node(&[], &[("Init_bad", To::Raw(3)), ("Init_good", To::Node(2))]),
        node(REGULAR, &[]),
    ]);
    let image = Image::new(CPU_TYPE_ARM64).trie(trie).build();
    let exports = table(&image);
    assert_eq!(
        exports.lookup("PyInit_good").unwrap(),
        LookupOutcome::Exported
    );
    assert_eq!(exports.lookup("PyInit_none").unwrap(), missing(NOT_IN_TRIE));
    assert_eq!(exports.lookup("Py").unwrap(), missing(NOT_IN_TRIE));
    // dyld fails on the same names, for the same reasons.
    assert_eq!(
        exports.lookup("zzz"),
        Err(InspectError::Malformed(
            "export trie child offset out of range"
        ))
    );
    assert_eq!(
        exports.lookup("q"),
        Err(InspectError::Malformed(
            "export trie child offset out of range"
        ))
    );
    assert!(matches!(
        exports.lookup("PyInit_bad"),
        Err(InspectError::Malformed(_))
    ));
    // The full walk sees everything, garbage included.
    assert!(matches!(
        exports.exported_with_prefixes(HOOK_PREFIXES),
        Err(InspectError::Malformed(_))
    ));
}

#[test]
fn trie_cycles_terminate() {
    // Two nodes pointing at each other, and a node whose empty edge points at itself.
    let trie = assemble(&[
        node(&[], &[("_P", To::Node(1)), ("_S", To::Node(3))]),
        node(&[], &[("y", To::Node(2))]),
        node(&[], &[("I", To::Node(1))]),
        node(&[], &[("", To::Node(3))]),
    ]);
    let image = Image::new(CPU_TYPE_ARM64).trie(trie).build();
    let exports = table(&image);
    let cycle = Err(InspectError::Malformed("export trie has a cycle"));
    assert_eq!(exports.lookup("PyIyIyIyIyIyIyI"), cycle);
    assert_eq!(exports.lookup("Self"), cycle);
    assert_eq!(exports.lookup("PyX").unwrap(), missing(NOT_IN_TRIE));
    assert!(matches!(
        exports.exported_with_prefixes(&["P"]),
        Err(InspectError::Malformed(_))
    ));
}

#[test]
fn trie_paths_stop_where_dylds_do() {
    // A chain "_", "a", "a", ... with every node terminal: dyld reaches 127 nodes, not 128.
    let mut nodes = vec![node(&[], &[("_", To::Node(1))])];
    for i in 1..140 {
        nodes.push(node(REGULAR, &[("a", To::Node(i + 1))]));
    }
    nodes.push(node(REGULAR, &[]));
    let image = Image::new(CPU_TYPE_ARM64).trie(assemble(&nodes)).build();
    let exports = table(&image);
    assert_eq!(
        exports.lookup(&"a".repeat(125)).unwrap(),
        LookupOutcome::Exported
    );
    assert!(matches!(
        exports.lookup(&"a".repeat(126)),
        Err(InspectError::Malformed(_))
    ));
    let reachable = exports.exported_with_prefixes(&["a"]).unwrap();
    assert_eq!(reachable.len(), 125);
}

#[test]
fn trie_re_exports() {
    let trie = assemble(&[
        node(&[], &[("_PyInit_", To::Node(1))]),
        node(
            &[],
            &[
                ("renamed", To::Node(2)),
                ("same", To::Node(3)),
                ("nowhere", To::Node(4)),
                ("kind", To::Node(5)),
            ],
        ),
        node(b"\x08\x01_PyInit_real\0", &[]),
        node(b"\x08\x01\0", &[]),
        node(b"\x08\x05\0", &[]),
        node(b"\x03\x10", &[]),
    ]);
    let mut image = Image::new(CPU_TYPE_X86_64).trie(trie);
    image.dylibs = vec!["/usr/lib/libreal.dylib"];
    let image = image.build();
    let exports = table(&image);
    assert_eq!(
        exports.lookup("PyInit_renamed").unwrap(),
        LookupOutcome::Forwarded("PyInit_real in /usr/lib/libreal.dylib".into())
    );
    assert_eq!(
        exports.lookup("PyInit_same").unwrap(),
        LookupOutcome::Forwarded("PyInit_same in /usr/lib/libreal.dylib".into())
    );
    let LookupOutcome::Missing(why) = exports.lookup("PyInit_nowhere").unwrap() else {
        panic!()
    };
    assert!(why.to_string().contains("#5"), "{why}");
    let LookupOutcome::Missing(why) = exports.lookup("PyInit_kind").unwrap() else {
        panic!()
    };
    assert!(why.to_string().contains("unknown symbol kind"), "{why}");
    assert_eq!(
        exports.exported_with_prefixes(HOOK_PREFIXES).unwrap(),
        ["PyInit_renamed", "PyInit_same"]
    );
}

#[test]
fn an_empty_trie_is_still_the_trie() {
    let mut image = Image::new(CPU_TYPE_X86_64).trie(Vec::new());
    image.symbols = Some(vec![("_PyInit_m", N_SECT | N_EXT)]);
    let image = image.build();
    assert_eq!(
        table(&image).lookup("PyInit_m").unwrap(),
        missing(NOT_IN_TRIE)
    );
}

#[test]
fn lc_dyld_exports_trie_wins_over_lc_dyld_info() {
    let trie = assemble(&[node(&[], &[("_PyInit_m", To::Node(1))]), node(REGULAR, &[])]);
    let mut image = Image::new(CPU_TYPE_ARM64).trie(Vec::new());
    image.tries.push((LC_DYLD_EXPORTS_TRIE, trie));
    let image = image.build();
    assert_eq!(
        table(&image).lookup("PyInit_m").unwrap(),
        LookupOutcome::Exported
    );
}

#[test]
fn trie_out_of_the_file_is_truncation() {
    let trie = assemble(&[node(&[], &[("_PyInit_m", To::Node(1))]), node(REGULAR, &[])]);
    let image = Image::new(CPU_TYPE_ARM64).trie(trie).build();
    // export_off and export_size of the LC_DYLD_INFO_ONLY right after the 64-bit header.
    let field = |at: usize| u32::from_le_bytes(image[at..at + 4].try_into().unwrap()) as usize;
    let short = &image[..field(32 + 40) + field(32 + 44) - 1];
    assert_eq!(
        open_thin(short).err(),
        Some(InspectError::Truncated("export trie"))
    );
}

/// Symbols of a classic image: one local, four sorted external definitions (one private
/// extern), one undefined reference.
fn classic_symbols() -> Vec<(&'static str, u8)> {
    vec![
        ("_local_hook", N_SECT),
        ("_PyInit_a", N_SECT | N_EXT),
        ("_PyInit_hidden", N_SECT | N_EXT | N_PEXT),
        ("_PyInit_m", N_SECT | N_EXT),
        ("_PyInit_z", N_SECT | N_EXT),
        ("_PyInit_undef", N_UNDF | N_EXT),
    ]
}

#[test]
fn nlist_big_endian_32_bit_with_dysymtab() {
    let mut image = Image::new(CPU_TYPE_POWERPC);
    (image.big_endian, image.is_64, image.filetype) = (true, false, MH_BUNDLE);
    image.symbols = Some(classic_symbols());
    image.external = Some((1, 4));
    let image = image.build();
    let slice = open_thin(&image).unwrap();
    assert_eq!(slice.arch, "ppc");
    assert_eq!(slice.kind, ObjectKind::SharedLibrary);
    for name in ["PyInit_a", "PyInit_m", "PyInit_z"] {
        assert_eq!(lookup(&slice, name), LookupOutcome::Exported, "{name}");
    }
    assert_eq!(
        lookup(&slice, "PyInit_hidden"),
        missing("private extern (hidden visibility)")
    );
    let outside = missing("not among the external symbols (LC_DYSYMTAB)");
    for name in ["PyInit_undef", "local_hook", "PyInit_", "PyInit_zz", "A"] {
        assert_eq!(lookup(&slice, name), outside, "{name}");
    }
    assert_eq!(hooks(&slice), ["PyInit_a", "PyInit_m", "PyInit_z"]);
}

#[test]
fn nlist_big_endian_64_bit_without_dysymtab_is_scanned() {
    let mut image = Image::new(CPU_TYPE_POWERPC64);
    image.big_endian = true;
    image.symbols = Some(classic_symbols());
    let image = image.build();
    let slice = open_thin(&image).unwrap();
    assert_eq!(slice.arch, "ppc64");
    assert_eq!(lookup(&slice, "PyInit_m"), LookupOutcome::Exported);
    assert_eq!(
        lookup(&slice, "PyInit_undef"),
        missing("undefined (only referenced here)")
    );
    assert_eq!(
        lookup(&slice, "local_hook"),
        missing("local symbol (static)")
    );
    assert_eq!(
        lookup(&slice, "PyInit_hidden"),
        missing("private extern (hidden visibility)")
    );
    assert_eq!(
        lookup(&slice, "PyInit_q"),
        missing("not in the symbol table")
    );
    assert_eq!(hooks(&slice), ["PyInit_a", "PyInit_m", "PyInit_z"]);
}

#[test]
fn nlist_external_range_must_fit() {
    let mut image = Image::new(CPU_TYPE_X86_64);
    image.symbols = Some(classic_symbols());
    image.external = Some((3, 4));
    assert!(matches!(
        open_thin(&image.build()),
        Err(InspectError::Malformed(_))
    ));
}

#[test]
fn no_table_at_all() {
    let mut image = Image::new(CPU_TYPE_X86_64);
    image.filetype = MH_CORE;
    let image = image.build();
    let slice = open_thin(&image).unwrap();
    assert_eq!(slice.kind, ObjectKind::Other("Mach-O core file".into()));
    assert!(slice.exports.is_err());
}

#[test]
fn unknown_cpu_is_named_by_number() {
    let image = Image::new(0x77).build();
    assert_eq!(open_thin(&image).unwrap().arch, "cputype 0x77");
}

#[test]
fn load_commands_are_bounded() {
    let image = Image::new(CPU_TYPE_X86_64).trie(Vec::new()).build();
    // ncmds larger than sizeofcmds can hold.
    let mut bad = image.clone();
    bad[16..20].copy_from_slice(&1000u32.to_le_bytes());
    assert!(matches!(open_thin(&bad), Err(InspectError::Malformed(_))));
    // A zero cmdsize would loop forever if trusted.
    let mut bad = image.clone();
    bad[36..40].copy_from_slice(&0u32.to_le_bytes());
    assert!(matches!(open_thin(&bad), Err(InspectError::Malformed(_))));
    // sizeofcmds past the end of the file.
    let mut bad = image;
    bad[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        open_thin(&bad).err(),
        Some(InspectError::Truncated("load commands"))
    );
}

// --- universal headers ----------------------------------------------------------------------

/// A FAT_MAGIC file holding `images` (cputype, bytes) at 4 KiB boundaries.
fn fat(images: &[(u32, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xcafe_babeu32.to_be_bytes());
    out.extend_from_slice(&(images.len() as u32).to_be_bytes());
    let mut offset = 4096u32;
    for (cputype, bytes) in images {
        for field in [*cputype, 0, offset, bytes.len() as u32, 12] {
            out.extend_from_slice(&field.to_be_bytes());
        }
        offset += (bytes.len() as u32).div_ceil(4096) * 4096;
    }
    for (_, bytes) in images {
        out.resize(out.len().div_ceil(4096) * 4096, 0);
        out.extend_from_slice(bytes);
    }
    out
}

#[test]
fn fat_slices_are_checked() {
    let trie = assemble(&[node(&[], &[("_PyInit_m", To::Node(1))]), node(REGULAR, &[])]);
    let x86 = Image::new(CPU_TYPE_X86_64).trie(trie.clone()).build();
    let arm = Image::new(CPU_TYPE_ARM64).trie(trie).build();
    let good = fat(&[(CPU_TYPE_X86_64, &x86), (CPU_TYPE_ARM64, &arm)]);
    let slices = open_fat(&good).unwrap();
    assert_eq!(
        slices.iter().map(|s| s.arch.as_str()).collect::<Vec<_>>(),
        ["x86_64", "arm64"]
    );

    let swapped = fat(&[(CPU_TYPE_ARM64, &x86)]);
    assert!(matches!(
        open_fat(&swapped),
        Err(InspectError::Malformed(_))
    ));

    let archive = fat(&[(CPU_TYPE_X86_64, b"!<arch>\nmember")]);
    assert_eq!(open_fat(&archive).err(), Some(InspectError::StaticArchive));

    let not_macho = fat(&[(CPU_TYPE_X86_64, b"plain text, not an image")]);
    assert!(matches!(
        open_fat(&not_macho),
        Err(InspectError::Malformed(_))
    ));

    let cut = &good[..good.len() - 10];
    assert!(matches!(open_fat(cut), Err(InspectError::Truncated(_))));

    let mut empty = good.clone();
    empty[4..8].copy_from_slice(&0u32.to_be_bytes());
    assert!(matches!(open_fat(&empty), Err(InspectError::Malformed(_))));
}

#[test]
fn java_class_files_are_not_universal_binaries() {
    // magic, minor_version 0, major_version 52 (Java 8), then a constant pool.
    let class = b"\xca\xfe\xba\xbe\x00\x00\x00\x34\x00\x1d\x0a\x00\x06\x00\x0f\x09";
    assert_eq!(detect(class), Ok(BinaryFormat::MachOFat));
    assert_eq!(open_fat(class).err(), Some(InspectError::UnknownFormat));
}
