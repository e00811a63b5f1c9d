//! Hand-made ELF objects for what no fixture linker produces here: 64-bit SysV hash entries
//! (s390x, Alpha), symbol kinds and chain orders that only a hostile or unusual linker
//! writes, and dynamic sections with missing or contradictory entries.
//!
//! The builder lays out one `PT_LOAD` covering the whole file (virtual address = offset),
//! then `PT_DYNAMIC`, `.dynsym`, `.dynstr`, a one-bucket hash table and `DT_VERSYM`.

use goblin::elf::dynamic::{
    DF_1_PIE, DT_FLAGS_1, DT_GNU_HASH, DT_HASH, DT_NULL, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB,
    DT_VERSYM,
};
use goblin::elf::header::{
    EM_386, EM_MIPS, EM_PPC, EM_PPC64, EM_S390, EM_X86_64, ET_CORE, ET_DYN, ET_EXEC,
};
use goblin::elf::program_header::{PT_DYNAMIC, PT_LOAD};
use goblin::elf::section_header::SHN_ABS;
use goblin::elf::sym::{
    STB_GLOBAL, STB_GNU_UNIQUE, STB_LOCAL, STB_WEAK, STT_FUNC, STT_GNU_IFUNC, STT_OBJECT,
    STT_SECTION, STT_TLS, STV_HIDDEN, STV_INTERNAL, STV_PROTECTED,
};

use super::missing;
use crate::inspect::elf::dynamic::DT_MIPS_XHASH;
use crate::inspect::elf::gnu_hash::gnu_hash;
use crate::inspect::elf::header::EM_ALPHA;
use crate::inspect::elf::open;
use crate::inspect::{InspectError, LookupOutcome, ObjectKind};

const NOT_IN_TABLE: &str = "not in the dynamic symbol hash table";

#[derive(Clone)]
struct Sym {
    name: &'static str,
    bind: u8,
    kind: u8,
    other: u8,
    shndx: u16,
    value: u64,
    versym: u16,
}

fn sym(name: &'static str) -> Sym {
    Sym {
        name,
        bind: STB_GLOBAL,
        kind: STT_FUNC,
        other: 0,
        shndx: 7,
        value: 0x100,
        versym: 1,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Hash {
    Gnu { bloom: u64 },
    Sysv { entry: usize },
    None,
}

struct Spec {
    is_64: bool,
    be: bool,
    machine: u16,
    e_type: u16,
    hash: Hash,
    syms: Vec<Sym>,
    versions: bool,
    extra_dynamic: Vec<(u64, u64)>,
    drop_tags: Vec<u64>,
    /// Leave the "last in chain" bit off the GNU chain's last entry.
    unterminated: bool,
}

impl Spec {
    fn new(is_64: bool, be: bool, machine: u16, hash: Hash, syms: Vec<Sym>) -> Spec {
        Spec {
            is_64,
            be,
            machine,
            e_type: ET_DYN,
            hash,
            syms,
            versions: false,
            extra_dynamic: vec![],
            drop_tags: vec![],
            unterminated: false,
        }
    }

    fn x86_64(hash: Hash, syms: Vec<Sym>) -> Spec {
        Spec::new(true, false, EM_X86_64, hash, syms)
    }

    fn put(&self, out: &mut Vec<u8>, value: u64, size: usize) {
        let bytes = value.to_be_bytes();
        let field = &bytes[8 - size..];
        if self.be {
            out.extend_from_slice(field);
        } else {
            out.extend(field.iter().rev());
        }
    }

    fn word(&self) -> usize {
        if self.is_64 { 8 } else { 4 }
    }

    fn build(&self) -> Vec<u8> {
        let (w, n) = (self.word(), self.syms.len());
        let mut strtab = vec![0u8];
        let mut name_at = Vec::new();
        for s in &self.syms {
            name_at.push(strtab.len() as u64);
            strtab.extend_from_slice(s.name.as_bytes());
            strtab.push(0);
        }
        let mut symtab = Vec::new();
        let null = Sym {
            name: "",
            bind: 0,
            kind: 0,
            other: 0,
            shndx: 0,
            value: 0,
            versym: 0,
        };
        for (s, name) in
            std::iter::once((&null, 0)).chain(self.syms.iter().zip(name_at.iter().copied()))
        {
            let info = u64::from(s.bind << 4 | s.kind);
            self.put(&mut symtab, name, 4);
            if self.is_64 {
                self.put(&mut symtab, info, 1);
                self.put(&mut symtab, s.other.into(), 1);
                self.put(&mut symtab, s.shndx.into(), 2);
                self.put(&mut symtab, s.value, 8);
                self.put(&mut symtab, 0, 8);
            } else {
                self.put(&mut symtab, s.value, 4);
                self.put(&mut symtab, 0, 4);
                self.put(&mut symtab, info, 1);
                self.put(&mut symtab, s.other.into(), 1);
                self.put(&mut symtab, s.shndx.into(), 2);
            }
        }
        // One bucket holding every symbol, in order.
        let mut hash = Vec::new();
        let first = if n > 0 { 1 } else { 0 };
        match self.hash {
            Hash::Gnu { bloom } => {
                for field in [1, 1, 1, 5] {
                    self.put(&mut hash, field, 4);
                }
                self.put(&mut hash, bloom, w);
                self.put(&mut hash, first, 4);
                for (i, s) in self.syms.iter().enumerate() {
                    let last = u32::from(i + 1 == n && !self.unterminated);
                    self.put(
                        &mut hash,
                        ((gnu_hash(s.name.as_bytes()) & !1) | last).into(),
                        4,
                    );
                }
            }
            Hash::Sysv { entry } => {
                for field in [1, n as u64 + 1, first, 0] {
                    self.put(&mut hash, field, entry);
                }
                for i in 1..=n {
                    self.put(&mut hash, if i < n { i as u64 + 1 } else { 0 }, entry);
                }
            }
            Hash::None => {}
        }
        let mut versym = Vec::new();
        if self.versions {
            for v in std::iter::once(0).chain(self.syms.iter().map(|s| s.versym)) {
                self.put(&mut versym, v.into(), 2);
            }
        }

        let (ehdr, phdr) = if self.is_64 { (64, 56) } else { (52, 32) };
        let mut tags: Vec<(u64, u64)> = vec![];
        let placeholder = |tags: &mut Vec<(u64, u64)>, tag| tags.push((tag, 0));
        match self.hash {
            Hash::Gnu { .. } => placeholder(&mut tags, DT_GNU_HASH),
            Hash::Sysv { .. } => placeholder(&mut tags, DT_HASH),
            Hash::None => {}
        }
        for tag in [DT_SYMTAB, DT_STRTAB, DT_STRSZ, DT_SYMENT] {
            placeholder(&mut tags, tag);
        }
        if self.versions {
            placeholder(&mut tags, DT_VERSYM);
        }
        let placeholders = tags.len();
        tags.extend(self.extra_dynamic.iter().copied());
        tags.retain(|(tag, _)| !self.drop_tags.contains(tag));
        tags.push((DT_NULL, 0));

        let dynamic_at = ehdr + 2 * phdr;
        let symtab_at = dynamic_at + tags.len() * 2 * w;
        let strtab_at = symtab_at + symtab.len();
        let hash_at = (strtab_at + strtab.len()).next_multiple_of(8);
        let versym_at = hash_at + hash.len();
        let total = versym_at + versym.len();
        for (tag, value) in tags.iter_mut().take(placeholders) {
            *value = match *tag {
                DT_GNU_HASH | DT_HASH => hash_at as u64,
                DT_SYMTAB => symtab_at as u64,
                DT_STRTAB => strtab_at as u64,
                DT_STRSZ => strtab.len() as u64,
                DT_SYMENT => symtab.len() as u64 / (n as u64 + 1),
                DT_VERSYM => versym_at as u64,
                _ => *value,
            };
        }

        let mut out = Vec::new();
        out.extend_from_slice(b"\x7fELF");
        out.extend_from_slice(&[
            if self.is_64 { 2 } else { 1 },
            if self.be { 2 } else { 1 },
            1,
        ]);
        out.resize(16, 0);
        self.put(&mut out, self.e_type.into(), 2);
        self.put(&mut out, self.machine.into(), 2);
        self.put(&mut out, 1, 4);
        for field in [0, ehdr as u64, 0] {
            self.put(&mut out, field, w); // e_entry, e_phoff, e_shoff
        }
        self.put(&mut out, 0, 4);
        for field in [ehdr as u64, phdr as u64, 2, 0, 0, 0] {
            self.put(&mut out, field, 2);
        }
        for (p_type, offset, size) in [
            (PT_LOAD, 0, total),
            (PT_DYNAMIC, dynamic_at, tags.len() * 2 * w),
        ] {
            let (offset, size) = (offset as u64, size as u64);
            self.put(&mut out, p_type.into(), 4);
            if self.is_64 {
                self.put(&mut out, 6, 4);
                for field in [offset, offset, offset, size, size, 8] {
                    self.put(&mut out, field, 8);
                }
            } else {
                for field in [offset, offset, offset, size, size, 6, 8] {
                    self.put(&mut out, field, 4);
                }
            }
        }
        for (tag, value) in &tags {
            self.put(&mut out, *tag, w);
            self.put(&mut out, *value, w);
        }
        out.extend_from_slice(&symtab);
        out.extend_from_slice(&strtab);
        out.resize(hash_at, 0);
        out.extend_from_slice(&hash);
        out.extend_from_slice(&versym);
        out
    }

    fn lookup(&self, name: &str) -> Result<LookupOutcome, InspectError> {
        let bytes = self.build();
        let slice = open(&bytes)?;
        let table = slice
            .exports
            .map_err(|_| InspectError::Unsupported("test: no export table"))?;
        table.lookup(name)
    }
}

const ALL_HASHES: [Hash; 2] = [Hash::Gnu { bloom: u64::MAX }, Hash::Sysv { entry: 4 }];

#[test]
fn both_classes_and_byte_orders() {
    for (is_64, be, machine, arch) in [
        (true, false, EM_X86_64, "x86_64"),
        (false, false, EM_386, "i386"),
        (true, true, EM_PPC64, "ppc64"),
        (false, true, EM_PPC, "ppc"),
    ] {
        for hash in ALL_HASHES {
            let spec = Spec::new(
                is_64,
                be,
                machine,
                hash,
                vec![sym("helper"), sym("PyInit_m")],
            );
            let bytes = spec.build();
            let slice = open(&bytes).unwrap();
            assert_eq!(
                (slice.arch.as_str(), &slice.kind),
                (arch, &ObjectKind::SharedLibrary)
            );
            let table = slice.exports.unwrap();
            assert_eq!(
                table.lookup("PyInit_m").unwrap(),
                LookupOutcome::Exported,
                "{arch}"
            );
            assert_eq!(
                table.lookup("PyInit_x").unwrap(),
                missing(NOT_IN_TABLE),
                "{arch}"
            );
            assert_eq!(
                table.exported_with_prefixes(&["PyInit_"]).unwrap(),
                ["PyInit_m"],
                "{arch}"
            );
        }
    }
}

/// glibc reads `DT_HASH` with 64-bit entries on 64-bit s390 and on Alpha.
#[test]
fn sysv_hash_with_64_bit_entries() {
    for (be, machine, arch) in [(true, EM_S390, "s390x"), (false, EM_ALPHA, "alpha")] {
        let spec = Spec::new(
            true,
            be,
            machine,
            Hash::Sysv { entry: 8 },
            vec![sym("helper"), sym("PyInit_m")],
        );
        let bytes = spec.build();
        let slice = open(&bytes).unwrap();
        assert_eq!(slice.arch, arch);
        let table = slice.exports.unwrap();
        assert_eq!(
            table.lookup("PyInit_m").unwrap(),
            LookupOutcome::Exported,
            "{arch}"
        );
        assert_eq!(
            table.exported_with_prefixes(&["PyInit_"]).unwrap(),
            ["PyInit_m"],
            "{arch}"
        );
    }
    // 32-bit s390 keeps 32-bit entries.
    let spec = Spec::new(
        false,
        true,
        EM_S390,
        Hash::Sysv { entry: 4 },
        vec![sym("PyInit_m")],
    );
    assert_eq!(spec.lookup("PyInit_m").unwrap(), LookupOutcome::Exported);
}

#[test]
fn accepted_symbol_kinds() {
    let cases = [
        Sym {
            bind: STB_WEAK,
            ..sym("PyInit_m")
        },
        Sym {
            bind: STB_GNU_UNIQUE,
            kind: STT_OBJECT,
            ..sym("PyInit_m")
        },
        Sym {
            other: STV_PROTECTED,
            ..sym("PyInit_m")
        },
        Sym {
            kind: STT_GNU_IFUNC,
            ..sym("PyInit_m")
        },
        // A TLS offset may be 0.
        Sym {
            kind: STT_TLS,
            value: 0,
            ..sym("PyInit_m")
        },
        Sym {
            shndx: SHN_ABS as u16,
            value: 0x1234,
            ..sym("PyInit_m")
        },
    ];
    for hash in ALL_HASHES {
        for case in &cases {
            let spec = Spec::x86_64(hash, vec![case.clone()]);
            assert_eq!(spec.lookup("PyInit_m").unwrap(), LookupOutcome::Exported);
        }
    }
}

#[test]
fn rejected_symbol_kinds() {
    let cases = [
        (
            Sym {
                shndx: 0,
                value: 0,
                ..sym("PyInit_m")
            },
            "undefined (only referenced here)",
        ),
        (
            Sym {
                shndx: 0,
                value: 0x1234,
                ..sym("PyInit_m")
            },
            "undefined (only referenced here)",
        ),
        (
            Sym {
                value: 0,
                ..sym("PyInit_m")
            },
            "defined with value 0, which the loader takes for no definition",
        ),
        (
            Sym {
                kind: STT_SECTION,
                ..sym("PyInit_m")
            },
            "neither code nor data (a section, file or processor-specific symbol)",
        ),
        // glibc finds it, but at address NULL.
        (
            Sym {
                shndx: SHN_ABS as u16,
                value: 0,
                kind: STT_OBJECT,
                ..sym("PyInit_m")
            },
            "absolute symbol of value 0: dlsym returns NULL, which CPython takes for a missing hook",
        ),
        (
            Sym {
                other: STV_HIDDEN,
                ..sym("PyInit_m")
            },
            "hidden visibility",
        ),
        (
            Sym {
                other: STV_INTERNAL,
                ..sym("PyInit_m")
            },
            "internal visibility",
        ),
        (
            Sym {
                bind: STB_LOCAL,
                ..sym("PyInit_m")
            },
            "local binding",
        ),
        (
            Sym {
                bind: 13,
                ..sym("PyInit_m")
            },
            "an OS- or processor-specific binding the loader ignores",
        ),
    ];
    for hash in ALL_HASHES {
        for (case, why) in &cases {
            let spec = Spec::x86_64(hash, vec![sym("helper"), case.clone()]);
            assert_eq!(spec.lookup("PyInit_m").unwrap(), missing(why));
            let bytes = spec.build();
            let scan = open(&bytes)
                .unwrap()
                .exports
                .unwrap()
                .exported_with_prefixes(&["PyInit_"])
                .unwrap();
            assert!(scan.is_empty(), "{why}");
        }
    }
}

/// An entry `check_match` refuses (undefined, value 0, wrong type) lets the chain walk go on;
/// an entry it accepts ends the search in this object even when it is hidden or local.
#[test]
fn chain_walk_order() {
    let undefined = Sym {
        shndx: 0,
        value: 0,
        ..sym("PyInit_m")
    };
    let hidden = Sym {
        other: STV_HIDDEN,
        ..sym("PyInit_m")
    };
    for hash in ALL_HASHES {
        let spec = Spec::x86_64(hash, vec![undefined.clone(), sym("PyInit_m")]);
        assert_eq!(spec.lookup("PyInit_m").unwrap(), LookupOutcome::Exported);
        let spec = Spec::x86_64(hash, vec![hidden.clone(), sym("PyInit_m")]);
        assert_eq!(
            spec.lookup("PyInit_m").unwrap(),
            missing("hidden visibility")
        );
    }
}

#[test]
fn symbol_versions() {
    let default = |name| Sym {
        versym: 2,
        ..sym(name)
    };
    let non_default = |name| Sym {
        versym: 0x8003,
        ..sym(name)
    };
    let cases = [
        (vec![default("PyInit_m")], LookupOutcome::Exported),
        (
            vec![non_default("PyInit_m")],
            missing("only a non-default symbol version (name@VERSION), which dlsym skips"),
        ),
        (
            vec![non_default("PyInit_m"), default("PyInit_m")],
            LookupOutcome::Exported,
        ),
        (
            vec![default("PyInit_m"), sym("PyInit_m")],
            LookupOutcome::Exported,
        ),
        (
            vec![
                default("PyInit_m"),
                Sym {
                    versym: 3,
                    ..sym("PyInit_m")
                },
            ],
            missing("several versioned definitions and no unversioned one, which dlsym skips"),
        ),
        // The hidden bit means nothing on the base indexes.
        (
            vec![Sym {
                versym: 0x8001,
                ..sym("PyInit_m")
            }],
            LookupOutcome::Exported,
        ),
    ];
    for hash in ALL_HASHES {
        for (syms, outcome) in &cases {
            let spec = Spec {
                versions: true,
                ..Spec::x86_64(hash, syms.clone())
            };
            assert_eq!(&spec.lookup("PyInit_m").unwrap(), outcome);
        }
    }
    let spec = Spec {
        versions: true,
        ..Spec::x86_64(Hash::Sysv { entry: 4 }, vec![non_default("PyInit_m")])
    };
    let bytes = spec.build();
    assert!(
        open(&bytes)
            .unwrap()
            .exports
            .unwrap()
            .exported_with_prefixes(&["PyInit_"])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bloom_filter_rejects() {
    let spec = Spec::x86_64(Hash::Gnu { bloom: 0 }, vec![sym("PyInit_m")]);
    assert_eq!(spec.lookup("PyInit_m").unwrap(), missing(NOT_IN_TABLE));
    // 32-bit bloom words on ELF32: a filled 32-bit word admits everything.
    let spec = Spec::new(
        false,
        false,
        EM_386,
        Hash::Gnu { bloom: 0xffff_ffff },
        vec![sym("PyInit_m")],
    );
    assert_eq!(spec.lookup("PyInit_m").unwrap(), LookupOutcome::Exported);
}

#[test]
fn empty_tables() {
    for hash in [Hash::Gnu { bloom: u64::MAX }, Hash::Sysv { entry: 4 }] {
        let spec = Spec::x86_64(hash, vec![]);
        assert_eq!(spec.lookup("PyInit_m").unwrap(), missing(NOT_IN_TABLE));
        let bytes = spec.build();
        assert!(
            open(&bytes)
                .unwrap()
                .exports
                .unwrap()
                .exported_with_prefixes(&["PyInit_"])
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn object_kinds() {
    let pie = Spec {
        extra_dynamic: vec![(DT_FLAGS_1, DF_1_PIE)],
        ..Spec::x86_64(Hash::Sysv { entry: 4 }, vec![sym("PyInit_m")])
    };
    assert_eq!(open(&pie.build()).unwrap().kind, ObjectKind::Executable);
    let exec = Spec {
        e_type: ET_EXEC,
        ..Spec::x86_64(Hash::Sysv { entry: 4 }, vec![sym("PyInit_m")])
    };
    assert_eq!(open(&exec.build()).unwrap().kind, ObjectKind::Executable);
    let core = Spec {
        e_type: ET_CORE,
        ..Spec::x86_64(Hash::None, vec![])
    };
    let bytes = core.build();
    let slice = open(&bytes).unwrap();
    assert_eq!(slice.kind, ObjectKind::Other("core dump".into()));
    assert!(slice.exports.is_err());
    let odd = Spec {
        e_type: 0xfe01,
        ..Spec::x86_64(Hash::None, vec![])
    };
    assert_eq!(
        open(&odd.build()).unwrap().kind,
        ObjectKind::Other("ELF object of type 0xfe01".into())
    );
}

#[test]
fn dynamic_section_problems() {
    let base = || Spec::x86_64(Hash::Sysv { entry: 4 }, vec![sym("PyInit_m")]);
    let wrong_syment = Spec {
        extra_dynamic: vec![(DT_SYMENT, 16)],
        ..base()
    };
    assert!(matches!(
        open(&wrong_syment.build()),
        Err(InspectError::Malformed(_))
    ));
    let no_strtab = Spec {
        drop_tags: vec![DT_STRTAB],
        ..base()
    };
    assert!(matches!(
        open(&no_strtab.build()),
        Err(InspectError::Malformed(_))
    ));
    let unmapped = Spec {
        extra_dynamic: vec![(DT_SYMTAB, 0x10_0000)],
        ..base()
    };
    assert!(matches!(
        open(&unmapped.build()),
        Err(InspectError::Malformed(_))
    ));
    let no_hash = Spec::x86_64(Hash::None, vec![sym("PyInit_m")]);
    assert_eq!(
        open(&no_hash.build())
            .unwrap()
            .exports
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("no DT_GNU_HASH or DT_HASH: the dynamic loader never searches this object")
    );
}

/// On MIPS glibc's GNU-style table is `DT_MIPS_XHASH`; `DT_GNU_HASH` is not looked at.
#[test]
fn mips_hash_tables() {
    let gnu_only = Spec::new(
        false,
        true,
        EM_MIPS,
        Hash::Gnu { bloom: u64::MAX },
        vec![sym("PyInit_m")],
    );
    assert!(open(&gnu_only.build()).unwrap().exports.is_err());
    let xhash_only = Spec {
        extra_dynamic: vec![(DT_MIPS_XHASH, 0x40)],
        ..Spec::new(false, true, EM_MIPS, Hash::None, vec![])
    };
    assert!(matches!(
        open(&xhash_only.build()),
        Err(InspectError::Unsupported(_))
    ));
    let both = Spec {
        extra_dynamic: vec![(DT_MIPS_XHASH, 0x40)],
        ..Spec::new(
            false,
            true,
            EM_MIPS,
            Hash::Sysv { entry: 4 },
            vec![sym("PyInit_m")],
        )
    };
    assert_eq!(both.lookup("PyInit_m").unwrap(), LookupOutcome::Exported);
}

/// A GNU chain with no last entry runs into the end of the table, never past it.
#[test]
fn gnu_chain_without_end() {
    let spec = Spec {
        unterminated: true,
        ..Spec::x86_64(Hash::Gnu { bloom: u64::MAX }, vec![sym("a"), sym("b")])
    };
    let bytes = spec.build();
    let table = open(&bytes).unwrap().exports.unwrap();
    let truncated = Err(InspectError::Truncated("GNU hash table (DT_GNU_HASH)"));
    assert_eq!(table.lookup("PyInit_m"), truncated);
    assert!(table.exported_with_prefixes(&["PyInit_"]).is_err());
}
