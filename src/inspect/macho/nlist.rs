//! The nlist symbol table, which dyld searches only when an image has no export trie (images
//! linked for macOS before 10.6, and relocatable objects).
//!
//! An entry is `nlist` (12 bytes: `n_strx` u32, `n_type` u8, `n_sect` u8, `n_desc` u16,
//! `n_value` u32) or `nlist_64` (16 bytes, `n_value` u64). It is exported when `n_type` has
//! `N_EXT` set, `N_PEXT` clear, no `N_STAB` bits and type `N_SECT`.
//!
//! With `LC_DYSYMTAB`, dyld looks only at the externally defined symbols
//! (`iextdefsym`/`nextdefsym`), which the static linker sorts by name; the classic loader
//! (`ImageLoaderMachOClassic`, dyld before macOS 12) binary-searches that run, and so does this
//! lookup. Without `LC_DYSYMTAB` every entry is scanned, as dyld does.

use std::ops::Range;

use goblin::mach::symbols::{N_ABS, N_EXT, N_INDR, N_PBUD, N_PEXT, N_SECT, N_STAB, N_TYPE, N_UNDF};

use super::load_commands::{ExternalDefined, Symtab};
use super::mangle;
use crate::inspect::{ExportTable, InspectError, LookupOutcome, MissReason, Reader};

const NLIST_SIZE: u64 = 12;
const NLIST_64_SIZE: u64 = 16;

pub(super) struct SymbolTable<'a> {
    image: Reader<'a>,
    entry_size: u64,
    symoff: u64,
    nsyms: u32,
    stroff: u64,
    strsize: u64,
    /// The externally defined symbols from `LC_DYSYMTAB`, if the image has one.
    external: Option<Range<u32>>,
}

/// The two fields of an nlist entry a lookup needs.
struct Entry<'a> {
    /// `None` when `n_strx` points outside the string table (dyld skips such entries).
    name: Option<&'a [u8]>,
    n_type: u8,
}

impl<'a> SymbolTable<'a> {
    /// Checks that the tables `LC_SYMTAB` points at lie in the image (a few comparisons; no
    /// entry is read here).
    pub fn new(
        image: Reader<'a>,
        is_64: bool,
        symtab: Symtab,
        dysymtab: Option<ExternalDefined>,
    ) -> Result<Self, InspectError> {
        let entry_size = if is_64 { NLIST_64_SIZE } else { NLIST_SIZE };
        let table = Self {
            image,
            entry_size,
            symoff: u64::from(symtab.symoff),
            nsyms: symtab.nsyms,
            stroff: u64::from(symtab.stroff),
            strsize: u64::from(symtab.strsize),
            external: None,
        };
        image.slice(
            table.symoff,
            u64::from(symtab.nsyms) * entry_size,
            "symbol table (LC_SYMTAB)",
        )?;
        image.slice(table.stroff, table.strsize, "string table (LC_SYMTAB)")?;
        let external = match dysymtab {
            None => None,
            Some(d) => {
                let end = d
                    .iextdefsym
                    .checked_add(d.nextdefsym)
                    .filter(|&end| end <= symtab.nsyms)
                    .ok_or(InspectError::Malformed(
                        "LC_DYSYMTAB external symbols lie outside the symbol table",
                    ))?;
                Some(d.iextdefsym..end)
            }
        };
        Ok(Self { external, ..table })
    }

    fn entry(&self, index: u32) -> Result<Entry<'a>, InspectError> {
        let at = self.symoff + u64::from(index) * self.entry_size;
        let n_strx = u64::from(self.image.u32(at, "symbol table entry")?);
        let n_type = self.image.u8(at + 4, "symbol table entry")?;
        let name = if n_strx < self.strsize {
            let name = self
                .image
                .c_str(
                    self.stroff + n_strx,
                    self.stroff + self.strsize,
                    "string table entry",
                )
                .map_err(|_| {
                    InspectError::Malformed("symbol name runs past the end of the string table")
                })?;
            Some(name)
        } else {
            None
        };
        Ok(Entry { name, n_type })
    }

    /// The classic loader's binary search over the sorted external symbols.
    fn binary_search(
        &self,
        range: Range<u32>,
        symbol: &[u8],
    ) -> Result<Option<Entry<'a>>, InspectError> {
        let (mut base, mut count) = (range.start, range.end - range.start);
        while count > 0 {
            let pivot = base + count / 2;
            let entry = self.entry(pivot)?;
            let name = entry.name.ok_or(InspectError::Malformed(
                "external symbol name offset outside the string table",
            ))?;
            match symbol.cmp(name) {
                std::cmp::Ordering::Equal => return Ok(Some(entry)),
                std::cmp::Ordering::Greater => {
                    base = pivot + 1;
                    count -= 1;
                }
                std::cmp::Ordering::Less => {}
            }
            count /= 2;
        }
        Ok(None)
    }

    /// The entries dyld would consider, in table order.
    fn searched(&self) -> Range<u32> {
        self.external.clone().unwrap_or(0..self.nsyms)
    }
}

/// Why an entry with the wanted name is or is not an export.
fn classify(n_type: u8) -> LookupOutcome {
    let missing = LookupOutcome::Missing;
    if n_type & N_STAB != 0 {
        return missing(MissReason::StabOnly);
    }
    if n_type & N_EXT == 0 {
        // The static linker turns private externs into locals and keeps N_PEXT as a trace.
        return if n_type & N_PEXT != 0 {
            missing(MissReason::PrivateExternMadeLocal)
        } else {
            missing(MissReason::LocalSymbol)
        };
    }
    if n_type & N_PEXT != 0 {
        return missing(MissReason::PrivateExtern);
    }
    match n_type & N_TYPE {
        N_SECT => LookupOutcome::Exported,
        N_UNDF => missing(MissReason::Undefined),
        N_ABS => missing(MissReason::AbsoluteSymbol),
        N_INDR => missing(MissReason::IndirectSymbol),
        N_PBUD => missing(MissReason::PreboundUndefined),
        _ => missing(MissReason::NotInSection),
    }
}

impl ExportTable for SymbolTable<'_> {
    fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError> {
        let mangled = mangle(symbol);
        let Some(external) = self.external.clone() else {
            // No LC_DYSYMTAB: dyld scans all entries and takes the first exported match.
            let mut first_miss = None;
            for index in 0..self.nsyms {
                let entry = self.entry(index)?;
                if entry.name == Some(mangled.as_slice()) {
                    match classify(entry.n_type) {
                        LookupOutcome::Exported => return Ok(LookupOutcome::Exported),
                        miss => first_miss = first_miss.or(Some(miss)),
                    }
                }
            }
            return Ok(first_miss.unwrap_or(LookupOutcome::Missing(MissReason::NotInSymbolTable)));
        };
        if let Some(entry) = self.binary_search(external.clone(), &mangled)? {
            return Ok(classify(entry.n_type));
        }
        // A miss is final for the classic loader. A linker that did not sort the run would make
        // it miss names dyld4 (macOS 12+), which scans, still finds: say so rather than "absent".
        for index in external {
            let entry = self.entry(index)?;
            if entry.name == Some(mangled.as_slice()) {
                return Ok(match classify(entry.n_type) {
                    LookupOutcome::Exported => {
                        LookupOutcome::Missing(MissReason::ExternalsUnsorted)
                    }
                    miss => miss,
                });
            }
        }
        Ok(LookupOutcome::Missing(MissReason::NotAmongExternalSymbols))
    }

    fn exported_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let mut found = Vec::new();
        for index in self.searched() {
            let entry = self.entry(index)?;
            let Some(c) = entry.name.and_then(|name| name.strip_prefix(b"_")) else {
                continue;
            };
            if prefixes.iter().any(|p| c.starts_with(p.as_bytes()))
                && classify(entry.n_type).is_resolvable()
            {
                found.push(String::from_utf8_lossy(c).into_owned());
            }
        }
        found.sort();
        found.dedup();
        Ok(found)
    }
}
