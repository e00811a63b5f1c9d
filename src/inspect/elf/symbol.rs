//! Dynamic symbols (`Elf32_Sym` / `Elf64_Sym`), their names and versions, and glibc's rules
//! for when `dlsym` may return one (`check_match` and `do_lookup_x` in `elf/dl-lookup.c`).

use goblin::elf::section_header::{SHN_ABS, SHN_UNDEF};
use goblin::elf::sym::{
    STB_GLOBAL, STB_GNU_UNIQUE, STB_LOCAL, STB_WEAK, STT_COMMON, STT_FUNC, STT_GNU_IFUNC,
    STT_NOTYPE, STT_OBJECT, STT_TLS, STV_HIDDEN, STV_INTERNAL, st_bind, st_type, st_visibility,
    sym32, sym64,
};
use goblin::elf::symver::VERSYM_HIDDEN;

use super::dynamic::Mapped;
use crate::inspect::{InspectError, MissReason};

/// The fields of one dynamic symbol that the lookup rules read.
#[derive(Debug, Clone, Copy)]
pub struct Symbol {
    pub st_name: u32,
    pub st_info: u8,
    pub st_other: u8,
    pub st_shndx: u16,
    pub st_value: u64,
}

impl Symbol {
    /// Why `check_match` passes over this entry before it even compares names, if it does.
    /// The chain walk then goes on to the next entry, so a later one may still match.
    pub fn definition_problem(&self) -> Option<MissReason> {
        let shndx = u32::from(self.st_shndx);
        // An undefined entry is only a reference to someone else's definition. glibc's own
        // test is "value 0": dlsym passes no relocation class, so an undefined entry with a
        // value (a canonical PLT address, found only in non-PIC executables) would slip
        // through, but it is still no definition of the hook in this object.
        if shndx == SHN_UNDEF {
            return Some(MissReason::Undefined);
        }
        if self.st_value == 0 && shndx != SHN_ABS && st_type(self.st_info) != STT_TLS {
            return Some(MissReason::ZeroValue);
        }
        match st_type(self.st_info) {
            STT_NOTYPE | STT_OBJECT | STT_FUNC | STT_COMMON | STT_TLS | STT_GNU_IFUNC => None,
            _ => Some(MissReason::NotCodeOrData),
        }
    }

    /// Why `do_lookup_x` ignores the entry that matched, if it does. Unlike a definition
    /// problem this ends the search in the object: the loader does not look further down
    /// the chain.
    pub fn binding_problem(&self) -> Option<MissReason> {
        match st_visibility(self.st_other) {
            STV_HIDDEN => return Some(MissReason::HiddenVisibility),
            STV_INTERNAL => return Some(MissReason::InternalVisibility),
            _ => {}
        }
        match st_bind(self.st_info) {
            STB_GLOBAL | STB_WEAK | STB_GNU_UNIQUE => None,
            STB_LOCAL => Some(MissReason::LocalBinding),
            _ => Some(MissReason::UnknownBinding),
        }
    }

    /// Whether the address `dlsym` returns for this entry is NULL: an absolute symbol of value
    /// 0, such as the `GLIBC_2.2.5`-style symbols that name version definitions. glibc finds
    /// it, but CPython takes a NULL hook for a missing one.
    pub fn resolves_to_null(&self) -> bool {
        u32::from(self.st_shndx) == SHN_ABS
            && self.st_value == 0
            && st_type(self.st_info) != STT_TLS
    }
}

/// How a symbol's `DT_VERSYM` entry looks to `dlsym`, which asks for no particular version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// No version table, or the local/global base index (0 or 1): taken as it is.
    Unversioned,
    /// `name@@VERSION`: taken only if it is the one versioned definition of the name.
    Default,
    /// `name@VERSION` (the hidden bit set): never taken by `dlsym`.
    NonDefault,
}

/// `DT_SYMTAB` with the string table its names live in and, when present, `DT_VERSYM`.
#[derive(Clone, Copy)]
pub struct SymbolTable<'a> {
    pub symbols: Mapped<'a>,
    pub strings: Mapped<'a>,
    pub versions: Option<Mapped<'a>>,
    pub is_64: bool,
}

impl<'a> SymbolTable<'a> {
    /// The size of `ElfN_Sym`; glibc asserts `DT_SYMENT` equals it.
    pub fn entry_size(is_64: bool) -> u64 {
        (if is_64 {
            sym64::SIZEOF_SYM
        } else {
            sym32::SIZEOF_SYM
        }) as u64
    }

    pub fn symbol(&self, index: u32) -> Result<Symbol, InspectError> {
        let at = u64::from(index) * Self::entry_size(self.is_64);
        let t = &self.symbols;
        if self.is_64 {
            Ok(Symbol {
                st_name: t.u32(at)?,
                st_info: t.u8(at + 4)?,
                st_other: t.u8(at + 5)?,
                st_shndx: t.u16(at + 6)?,
                st_value: t.u64(at + 8)?,
            })
        } else {
            Ok(Symbol {
                st_name: t.u32(at)?,
                st_value: t.u32(at + 4)?.into(),
                st_info: t.u8(at + 12)?,
                st_other: t.u8(at + 13)?,
                st_shndx: t.u16(at + 14)?,
            })
        }
    }

    /// Whether symbol `index` is undefined (`st_shndx == SHN_UNDEF`), reading that field only:
    /// the import walk asks this of every dynamic symbol and reads the rest of few.
    pub fn is_undefined(&self, index: u32) -> Result<bool, InspectError> {
        let at = u64::from(index) * Self::entry_size(self.is_64);
        let shndx = self.symbols.u16(at + if self.is_64 { 6 } else { 14 })?;
        Ok(u32::from(shndx) == SHN_UNDEF)
    }

    pub fn name(&self, symbol: &Symbol) -> Result<&'a [u8], InspectError> {
        self.strings.c_str(symbol.st_name.into())
    }

    /// How many entries `DT_SYMTAB` can hold before its segment (or the file) ends.
    pub fn capacity(&self) -> u64 {
        self.symbols.len() / Self::entry_size(self.is_64)
    }

    /// The raw `DT_VERSYM` entry of symbol `index`, when there is a version table.
    pub fn versym(&self, index: u32) -> Result<Option<u16>, InspectError> {
        self.versions
            .map(|versions| versions.u16(u64::from(index) * 2))
            .transpose()
    }

    pub fn version(&self, index: u32) -> Result<Version, InspectError> {
        let Some(versym) = self.versym(index)? else {
            return Ok(Version::Unversioned);
        };
        // Indexes 0 (local) and 1 (global, the base version) name no version at all.
        Ok(
            match (versym & !VERSYM_HIDDEN, versym & VERSYM_HIDDEN != 0) {
                (0 | 1, _) => Version::Unversioned,
                (_, false) => Version::Default,
                (_, true) => Version::NonDefault,
            },
        )
    }

    /// Whether `dlsym` can return symbol `index` by name: the rules of [`Symbol`] and a
    /// version it accepts. Used by the full scan, which has no chain to fall back on.
    pub fn is_exported(&self, index: u32, symbol: &Symbol) -> Result<bool, InspectError> {
        Ok(symbol.definition_problem().is_none()
            && symbol.binding_problem().is_none()
            && !symbol.resolves_to_null()
            && self.version(index)? != Version::NonDefault)
    }
}
