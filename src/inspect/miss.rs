//! Why a lookup missed, as the loader would see it. Each variant is one rule of one loader;
//! its text is what users read in a finding, so it says what the file holds, not what the
//! code did.

use std::fmt;

/// Why a slice has no table the loader could search at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsearchable {
    /// ELF `ET_REL`.
    Relocatable,
    /// ELF `ET_CORE`.
    CoreDump,
    /// An ELF `e_type` the dynamic loader does not map.
    NotLoadable,
    /// ELF without `PT_DYNAMIC`.
    NoDynamicSection,
    /// ELF with a dynamic section but neither `DT_GNU_HASH` nor `DT_HASH`.
    NoHashTable,
    /// Mach-O with neither an export trie nor a symbol table.
    NoMachOExports,
    /// PE without an export directory.
    NoExportDirectory,
}

impl fmt::Display for Unsearchable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unsearchable::Relocatable => "relocatable object: no dynamic section",
            Unsearchable::CoreDump => "core dump: no dynamic section",
            Unsearchable::NotLoadable => {
                "not an object the dynamic loader maps (e_type is not ET_DYN or ET_EXEC)"
            }
            Unsearchable::NoDynamicSection => {
                "no dynamic section (PT_DYNAMIC): a statically linked object the dynamic loader cannot search"
            }
            Unsearchable::NoHashTable => {
                "no DT_GNU_HASH or DT_HASH: the dynamic loader never searches this object"
            }
            Unsearchable::NoMachOExports => {
                "no export trie (LC_DYLD_INFO, LC_DYLD_EXPORTS_TRIE) and no symbol table (LC_SYMTAB)"
            }
            Unsearchable::NoExportDirectory => "no export directory",
        })
    }
}

/// Why a name does not resolve in one slice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MissReason {
    /// The slice has no searchable table.
    Unsearchable(Unsearchable),
    /// Only a reference to someone else's definition (ELF `SHN_UNDEF`, Mach-O `N_UNDF`).
    Undefined,

    // ELF, glibc's `check_match` / `do_lookup_x` (docs/loader-rules.md §2).
    NotInHashTable,
    ZeroValue,
    NotCodeOrData,
    HiddenVisibility,
    InternalVisibility,
    LocalBinding,
    UnknownBinding,
    NullAddress,
    NonDefaultVersion,
    SeveralVersions,

    // Mach-O, dyld (docs/loader-rules.md §2).
    NotInExportTrie,
    UnknownTrieKind {
        flags: u64,
    },
    ReexportFromUnloadedLibrary {
        name: String,
        ordinal: u64,
    },
    NotInSymbolTable,
    NotAmongExternalSymbols,
    ExternalsUnsorted,
    StabOnly,
    PrivateExternMadeLocal,
    LocalSymbol,
    PrivateExtern,
    AbsoluteSymbol,
    IndirectSymbol,
    PreboundUndefined,
    NotInSection,

    // PE, `GetProcAddress` (docs/loader-rules.md §2).
    /// The loader's binary search missed; [`crate::inspect::SliceView::explain_miss`] can
    /// say more by scanning the table.
    NotInExportNameTable,
    NameTableUnsorted,
    OrdinalOnly {
        ordinal_only_exports: usize,
    },
    OrdinalOutsideAddressTable,
}

impl fmt::Display for MissReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissReason::Unsearchable(why) => write!(f, "{why}"),
            MissReason::Undefined => f.write_str("undefined (only referenced here)"),
            MissReason::NotInHashTable => f.write_str("not in the dynamic symbol hash table"),
            MissReason::ZeroValue => {
                f.write_str("defined with value 0, which the loader takes for no definition")
            }
            MissReason::NotCodeOrData => f.write_str(
                "neither code nor data (a section, file or processor-specific symbol)",
            ),
            MissReason::HiddenVisibility => f.write_str("hidden visibility"),
            MissReason::InternalVisibility => f.write_str("internal visibility"),
            MissReason::LocalBinding => f.write_str("local binding"),
            MissReason::UnknownBinding => {
                f.write_str("an OS- or processor-specific binding the loader ignores")
            }
            MissReason::NullAddress => f.write_str(
                "absolute symbol of value 0: dlsym returns NULL, which CPython takes for a missing hook",
            ),
            MissReason::NonDefaultVersion => f.write_str(
                "only a non-default symbol version (name@VERSION), which dlsym skips",
            ),
            MissReason::SeveralVersions => f.write_str(
                "several versioned definitions and no unversioned one, which dlsym skips",
            ),
            MissReason::NotInExportTrie => f.write_str("not in the export trie"),
            MissReason::UnknownTrieKind { flags } => write!(
                f,
                "export trie entry has an unknown symbol kind (flags {flags:#x}), which dyld rejects"
            ),
            MissReason::ReexportFromUnloadedLibrary { name, ordinal } => write!(
                f,
                "re-export of {name} from dependent library #{ordinal}, which this image does not load"
            ),
            MissReason::NotInSymbolTable => f.write_str("not in the symbol table"),
            MissReason::NotAmongExternalSymbols => {
                f.write_str("not among the external symbols (LC_DYSYMTAB)")
            }
            MissReason::ExternalsUnsorted => f.write_str(
                "external symbols not sorted by name: dyld before macOS 12 binary-searches them and \
                 misses it (dyld4 would find it)",
            ),
            MissReason::StabOnly => f.write_str("only a debugger (stab) entry"),
            MissReason::PrivateExternMadeLocal => f.write_str(
                "private extern (hidden visibility), made local by the static linker",
            ),
            MissReason::LocalSymbol => f.write_str("local symbol (static)"),
            MissReason::PrivateExtern => f.write_str("private extern (hidden visibility)"),
            MissReason::AbsoluteSymbol => {
                f.write_str("absolute symbol (N_ABS), not defined in a section")
            }
            MissReason::IndirectSymbol => {
                f.write_str("indirect symbol (N_INDR), not defined in a section")
            }
            MissReason::PreboundUndefined => f.write_str("prebound undefined symbol (N_PBUD)"),
            MissReason::NotInSection => f.write_str("not defined in a section"),
            MissReason::NotInExportNameTable => f.write_str("not in the export name table"),
            MissReason::NameTableUnsorted => f.write_str(
                "the export name table is not sorted, so the loader's binary search misses it",
            ),
            MissReason::OrdinalOnly {
                ordinal_only_exports: 1,
            } => f.write_str("not exported by name (the DLL has 1 ordinal-only export)"),
            MissReason::OrdinalOnly {
                ordinal_only_exports,
            } => write!(
                f,
                "not exported by name (the DLL has {ordinal_only_exports} ordinal-only exports)"
            ),
            MissReason::OrdinalOutsideAddressTable => {
                f.write_str("its ordinal lies outside the export address table")
            }
        }
    }
}

#[cfg(test)]
impl MissReason {
    /// The reason whose message is `text`: lets the format tests state expectations as the
    /// words users read.
    pub fn from_text(text: &str) -> MissReason {
        use MissReason::*;
        let unsearchable = [
            self::Unsearchable::Relocatable,
            self::Unsearchable::CoreDump,
            self::Unsearchable::NotLoadable,
            self::Unsearchable::NoDynamicSection,
            self::Unsearchable::NoHashTable,
            self::Unsearchable::NoMachOExports,
            self::Unsearchable::NoExportDirectory,
        ]
        .map(MissReason::Unsearchable);
        let plain = [
            Undefined,
            NotInHashTable,
            ZeroValue,
            NotCodeOrData,
            HiddenVisibility,
            InternalVisibility,
            LocalBinding,
            UnknownBinding,
            NullAddress,
            NonDefaultVersion,
            SeveralVersions,
            NotInExportTrie,
            NotInSymbolTable,
            NotAmongExternalSymbols,
            ExternalsUnsorted,
            StabOnly,
            PrivateExternMadeLocal,
            LocalSymbol,
            PrivateExtern,
            AbsoluteSymbol,
            IndirectSymbol,
            PreboundUndefined,
            NotInSection,
            NotInExportNameTable,
            NameTableUnsorted,
            OrdinalOutsideAddressTable,
        ];
        let counted = (1..=64).map(|n| OrdinalOnly {
            ordinal_only_exports: n,
        });
        unsearchable
            .into_iter()
            .chain(plain)
            .chain(counted)
            .find(|reason| reason.to_string() == text)
            .unwrap_or_else(|| panic!("no miss reason reads `{text}`"))
    }
}
