//! The symbols a Mach-O image imports: the undefined external entries of its nlist table
//! (`LC_DYSYMTAB`'s `iundefsym`/`nundefsym` run, or every `N_UNDF | N_EXT` entry without one).
//!
//! Extension modules link with `-undefined dynamic_lookup`, so each CPython reference stays an
//! undefined symbol that dyld binds by name in the flat namespace. A reference marked
//! `N_WEAK_REF` in `n_desc` is bound to null when nothing defines it. Which binds happen at
//! load and which at first call depends on the binding kind (chained fixups and non-lazy
//! pointers: at load; classic lazy stubs: at first call), so a missing one fails either the
//! import (`symbol not found in flat namespace`) or the first call into it.

use goblin::mach::symbols::{N_EXT, N_STAB, N_TYPE, N_UNDF};

use super::load_commands::{Extent, ExternalDefined, Symtab, dylib_name};
use crate::inspect::{
    Binding, ImportTable, ImportedSymbol, InspectError, NeededLibrary, Reader, SearchPath,
    SearchPathKind,
};

/// `N_WEAK_REF` in `n_desc` (mach-o/nlist.h).
const N_WEAK_REF: u16 = 0x0040;
const NLIST_SIZE: u64 = 12;
const NLIST_64_SIZE: u64 = 16;
const WHAT: &str = "symbol table entry";

pub(super) struct UndefinedSymbols<'a> {
    pub image: Reader<'a>,
    pub is_64: bool,
    /// `None`: no `LC_SYMTAB`, so nothing is imported by name.
    pub symtab: Option<Symtab>,
    pub dysymtab: Option<ExternalDefined>,
    /// The dylib load commands, in order, and which of them are weak.
    pub dylibs: Vec<Extent>,
    pub weak_dylibs: Vec<bool>,
    /// The `LC_RPATH` commands.
    pub rpaths: Vec<Extent>,
}

impl<'a> ImportTable<'a> for UndefinedSymbols<'a> {
    fn needed_libraries(&self) -> Result<Vec<NeededLibrary>, InspectError> {
        self.dylibs
            .iter()
            .zip(&self.weak_dylibs)
            .map(|(&command, &weak)| {
                Ok(NeededLibrary {
                    name: String::from_utf8_lossy(dylib_name(&self.image, command)?).into_owned(),
                    weak,
                })
            })
            .collect()
    }

    fn search_paths(&self) -> Result<Vec<SearchPath>, InspectError> {
        self.rpaths
            .iter()
            .map(|&command| {
                Ok(SearchPath {
                    kind: SearchPathKind::LcRpath,
                    path: String::from_utf8_lossy(dylib_name(&self.image, command)?).into_owned(),
                })
            })
            .collect()
    }

    fn imported_symbols(&self) -> Result<Vec<ImportedSymbol<'a>>, InspectError> {
        let Some(symtab) = self.symtab else {
            return Ok(Vec::new());
        };
        let entry_size = if self.is_64 {
            NLIST_64_SIZE
        } else {
            NLIST_SIZE
        };
        let range = match self.dysymtab {
            Some(d) => {
                let end = d
                    .iundefsym
                    .checked_add(d.nundefsym)
                    .filter(|&end| end <= symtab.nsyms)
                    .ok_or(InspectError::Malformed(
                        "LC_DYSYMTAB undefined symbols lie outside the symbol table",
                    ))?;
                d.iundefsym..end
            }
            None => 0..symtab.nsyms,
        };
        let symoff = u64::from(symtab.symoff);
        let (stroff, strsize) = (u64::from(symtab.stroff), u64::from(symtab.strsize));
        let mut imports = Vec::new();
        for index in range {
            let at = symoff + u64::from(index) * entry_size;
            let n_strx = u64::from(self.image.u32(at, WHAT)?);
            let n_type = self.image.u8(at + 4, WHAT)?;
            let n_desc = self.image.u16(at + 6, WHAT)?;
            let n_value = self.image.word(at + 8, self.is_64, WHAT)?;
            // A common symbol is N_UNDF with its size as value: the linker allocates it here.
            let undefined = n_type & N_STAB == 0
                && n_type & N_TYPE == N_UNDF
                && n_type & N_EXT != 0
                && n_value == 0;
            if !undefined || n_strx >= strsize {
                continue;
            }
            let name = self
                .image
                .c_str(stroff + n_strx, stroff + strsize, "string table entry")?;
            let Some(c_name) = name.strip_prefix(b"_") else {
                continue;
            };
            imports.push(ImportedSymbol {
                name: String::from_utf8_lossy(c_name),
                binding: if n_desc & N_WEAK_REF != 0 {
                    Binding::Weak
                } else {
                    Binding::Strong
                },
                version: None,
                library: None,
            });
        }
        Ok(imports)
    }

    /// Every nlist entry, whatever its type (local, private extern, undefined, debug): the
    /// evidence scan reads names, never binds them.
    fn mentioned_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let Some(symtab) = self.symtab else {
            return Ok(Vec::new());
        };
        let entry_size = if self.is_64 {
            NLIST_64_SIZE
        } else {
            NLIST_SIZE
        };
        let (stroff, strsize) = (u64::from(symtab.stroff), u64::from(symtab.strsize));
        let mut names: Vec<String> = Vec::new();
        for index in 0..symtab.nsyms {
            let at = u64::from(symtab.symoff) + u64::from(index) * entry_size;
            let n_strx = u64::from(self.image.u32(at, WHAT)?);
            if n_strx >= strsize {
                continue;
            }
            let name = self
                .image
                .c_str(stroff + n_strx, stroff + strsize, "string table entry")?;
            let Some(c_name) = name
                .strip_prefix(b"_")
                .and_then(|c| std::str::from_utf8(c).ok())
            else {
                continue;
            };
            if prefixes.iter().any(|prefix| c_name.starts_with(prefix))
                && !names.iter().any(|known| known == c_name)
            {
                names.push(c_name.to_string());
            }
        }
        Ok(names)
    }
}
