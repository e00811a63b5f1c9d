//! The symbols an ELF object needs from others: its undefined dynamic symbols, each with its
//! binding and, through `DT_VERSYM` and `DT_VERNEED`, the version it asks for.
//!
//! The loader binds exactly these when it relocates the object (glibc `_dl_relocate_object`,
//! each reference resolved by `_dl_lookup_symbol_x`): a strong one no object defines fails
//! the `dlopen` with "undefined symbol", a weak one is bound to null. Only `DT_SYMTAB`, its
//! strings and the two version tables are read; `.symtab` and debug sections never are. The
//! walk is one pass over `DT_SYMTAB` (a few bytes per symbol; names only of undefined ones).

use std::borrow::Cow;

use goblin::elf::sym::{STB_GLOBAL, STB_GNU_UNIQUE, STB_WEAK, st_bind};
use goblin::elf::symver::VERSYM_HIDDEN;

use super::HashTable;
use super::dynamic::Mapped;
use super::symbol::SymbolTable;
use crate::inspect::{
    Binding, ImportTable, ImportedSymbol, InspectError, NeededLibrary, NeededVersion, SearchPath,
    SearchPathKind,
};

const NEED_LOOPS: &str = "version needs (DT_VERNEED): an entry's vn_next or vna_next loops";
/// `VER_FLG_WEAK` in `vna_flags`.
const VER_FLG_WEAK: u16 = 0x2;
/// Both `ElfN_Verneed` and `ElfN_Vernaux` are 16 bytes in either class.
const NEED_ENTRY: u64 = 16;

/// One `Elf_Vernaux`: the version index (`vna_other`) symbols refer to, and what it names.
struct Need<'a> {
    index: u16,
    needed: NeededVersion<'a>,
}

/// The dynamic symbols and version tables of one object, read only when a rule asks.
pub struct ElfImports<'a> {
    pub symbols: SymbolTable<'a>,
    /// The hash table, which alone tells how many dynamic symbols there are.
    pub hash: HashTable<'a>,
    /// `DT_VERNEED` and `DT_VERNEEDNUM`.
    pub needs: Option<Result<(Mapped<'a>, u64), InspectError>>,
    /// `DT_NEEDED`: string table offsets.
    pub needed: Vec<u64>,
    /// `DT_RPATH`, `DT_RUNPATH`: string table offsets.
    pub rpath: Option<u64>,
    pub runpath: Option<u64>,
}

impl<'a> ElfImports<'a> {
    /// The `Elf_Verneed` list: each entry names a file and its `Elf_Vernaux` versions.
    fn needs(&self) -> Result<Vec<Need<'a>>, InspectError> {
        let (table, count) = match &self.needs {
            None => return Ok(Vec::new()),
            Some(needs) => needs.clone()?,
        };
        // No walk may take more steps than the table has entries, whatever the links say.
        let max_entries = table.len() / NEED_ENTRY;
        let mut steps = 0u64;
        let mut step = || {
            steps += 1;
            if steps > max_entries {
                Err(InspectError::Malformed(NEED_LOOPS))
            } else {
                Ok(())
            }
        };
        let mut needs = Vec::new();
        let mut at = 0u64;
        for _ in 0..count.min(max_entries) {
            step()?;
            let vn_cnt = table.u16(at + 2)?;
            let vn_file = table.u32(at + 4)?;
            let vn_aux = table.u32(at + 8)?;
            let vn_next = table.u32(at + 12)?;
            let library = self.string(vn_file)?;
            let mut aux = at.saturating_add(vn_aux.into());
            for _ in 0..vn_cnt {
                step()?;
                let vna_flags = table.u16(aux + 4)?;
                let vna_other = table.u16(aux + 6)?;
                let vna_name = table.u32(aux + 8)?;
                let vna_next = table.u32(aux + 12)?;
                needs.push(Need {
                    index: vna_other,
                    needed: NeededVersion {
                        library: library.clone(),
                        version: self.string(vna_name)?,
                        weak: vna_flags & VER_FLG_WEAK != 0,
                    },
                });
                if vna_next == 0 {
                    break;
                }
                aux = aux.saturating_add(vna_next.into());
            }
            if vn_next == 0 {
                break;
            }
            at = at.saturating_add(vn_next.into());
        }
        Ok(needs)
    }

    fn string(&self, offset: u32) -> Result<Cow<'a, str>, InspectError> {
        Ok(text(self.symbols.strings.c_str(offset.into())?))
    }
}

impl<'a> ImportTable<'a> for ElfImports<'a> {
    fn needed_libraries(&self) -> Result<Vec<NeededLibrary>, InspectError> {
        self.needed
            .iter()
            .map(|&offset| {
                let name = self.symbols.strings.c_str(offset)?;
                Ok(NeededLibrary {
                    name: String::from_utf8_lossy(name).into_owned(),
                    weak: false,
                })
            })
            .collect()
    }

    fn search_paths(&self) -> Result<Vec<SearchPath>, InspectError> {
        let mut paths = Vec::new();
        for (kind, offset) in [
            (SearchPathKind::Rpath, self.rpath),
            (SearchPathKind::Runpath, self.runpath),
        ] {
            let Some(offset) = offset else { continue };
            let list = String::from_utf8_lossy(self.symbols.strings.c_str(offset)?).into_owned();
            paths.extend(
                list.split(':')
                    .filter(|dir| !dir.is_empty())
                    .map(|dir| SearchPath {
                        kind,
                        path: dir.to_string(),
                    }),
            );
        }
        Ok(paths)
    }

    fn version_needs(&self) -> Result<Vec<NeededVersion<'a>>, InspectError> {
        Ok(self.needs()?.into_iter().map(|need| need.needed).collect())
    }

    fn imported_symbols(&self) -> Result<Vec<ImportedSymbol<'a>>, InspectError> {
        let needs = self.needs()?;
        // Never past what DT_SYMTAB's segment holds, whatever the hash table claims.
        let count = u64::from(self.hash.symbol_count()?).min(self.symbols.capacity()) as u32;
        let mut imports = Vec::with_capacity(count as usize);
        // Index 0 is the null symbol (STN_UNDEF).
        for index in 1..count {
            if !self.symbols.is_undefined(index)? {
                continue;
            }
            let symbol = self.symbols.symbol(index)?;
            let binding = match st_bind(symbol.st_info) {
                STB_GLOBAL | STB_GNU_UNIQUE => Binding::Strong,
                STB_WEAK => Binding::Weak,
                // A local undefined entry binds nothing outside the object.
                _ => continue,
            };
            let name = self.symbols.name(&symbol)?;
            if name.is_empty() {
                continue;
            }
            let version = match self.symbols.versym(index)? {
                Some(versym) => {
                    let wanted = versym & !VERSYM_HIDDEN;
                    needs
                        .iter()
                        .find(|need| need.index == wanted)
                        .map(|need| need.needed.clone())
                }
                None => None,
            };
            imports.push(ImportedSymbol {
                name: text(name),
                binding,
                version,
                library: None,
            });
        }
        Ok(imports)
    }
}

/// A name from the string table, borrowed when it is UTF-8 (always, in practice: the check is
/// the fast one, not the lossy decoder's).
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
