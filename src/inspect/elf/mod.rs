//! ELF: finds a name the way glibc's `dlsym` does (`elf/dl-lookup.c`).
//!
//! The path is the loader's: ELF header → program headers → `PT_DYNAMIC` → the hash table
//! (`DT_GNU_HASH` when present, else `DT_HASH`) → one bucket and its chain → the dynamic
//! symbols the chain names → their names in `DT_STRTAB` (and `DT_VERSYM`, when present).
//! Section headers, `.symtab` and debug information are never read.

mod dynamic;
mod gnu_hash;
mod header;
mod imports;
mod static_symbols;
mod symbol;
mod sysv_hash;

#[cfg(test)]
mod tests;

use goblin::elf::header::{EM_MIPS, ET_CORE, ET_DYN, ET_EXEC, ET_REL};
use goblin::elf::header::{header32, header64};
use goblin::elf::program_header::{PT_DYNAMIC, PT_LOAD};

use self::dynamic::{AddressSpace, DynamicInfo, Mapped, Table};
use self::gnu_hash::GnuHash;
use self::header::{ElfHeader, object_kind};
use self::imports::ElfImports;
use self::symbol::{Symbol, SymbolTable, Version};
use self::sysv_hash::SysvHash;
use super::{
    ExportTable, ImportTable, InspectError, LookupOutcome, MissReason, ObjectKind, Slice,
    Unsearchable,
};

/// Reads the ELF header and, for objects the dynamic loader can map, the dynamic section;
/// the export table it returns performs each lookup on demand.
pub fn open(bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    let header = ElfHeader::parse(bytes)?;
    let unsearchable = |why| (object_kind(header.e_type, 0), Err(why), None);
    let (kind, exports, imports) = match header.e_type {
        ET_EXEC | ET_DYN => dynamic_tables(bytes, &header)?,
        ET_REL => unsearchable(Unsearchable::Relocatable),
        ET_CORE => unsearchable(Unsearchable::CoreDump),
        _ => unsearchable(Unsearchable::NotLoadable),
    };
    Ok(Slice {
        arch: header.arch(),
        kind,
        exports,
        imports,
        minimum_os: None,
    })
}

/// How many leading bytes of an ELF file the lookups can ever read, known from the header
/// and program headers alone (`head` must hold them): the two headers, every `PT_LOAD` file
/// image (where the dynamic loader, and so this reader, finds every table) and `PT_DYNAMIC`.
/// Section headers, `.symtab`, `.strtab` and debug information lie past it — a quarter of a
/// large stripped-of-nothing module. `None` when `head` does not hold the program headers or
/// an offset overflows: then every byte may matter.
pub fn read_extent(head: &[u8]) -> Option<u64> {
    let header = ElfHeader::parse(head).ok()?;
    let program_headers = header.program_headers(&header.reader(head)).ok()?;
    let header_size = if header.is_64 {
        header64::SIZEOF_EHDR
    } else {
        header32::SIZEOF_EHDR
    };
    let table_end = header
        .e_phoff
        .checked_add(u64::from(header.e_phnum) * u64::from(header.e_phentsize))?;
    let mut end = table_end.max(header_size as u64);
    for ph in &program_headers {
        if ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC {
            end = end.max(ph.p_offset.checked_add(ph.p_filesz)?);
        }
    }
    Some(end)
}

type Exports<'a> = Result<Box<dyn ExportTable + 'a>, Unsearchable>;
type Imports<'a> = Option<Box<dyn ImportTable<'a> + 'a>>;

/// The kind of a loadable object, the tables `dlsym` would search in it, and the dynamic
/// symbols it imports (counted by the same hash table, as the symbol table has no size).
fn dynamic_tables<'a>(
    bytes: &'a [u8],
    header: &ElfHeader,
) -> Result<(ObjectKind, Exports<'a>, Imports<'a>), InspectError> {
    let reader = header.reader(bytes);
    let program_headers = header.program_headers(&reader)?;
    // The loader maps every `PT_LOAD` file image and reads `PT_DYNAMIC` from it; a file cut
    // short of them is a damaged copy (reading there faults the process), never a module
    // whose tables merely lack a hook.
    for ph in &program_headers {
        if (ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC)
            && ph.p_filesz > 0
            && ph.p_offset.saturating_add(ph.p_filesz) > bytes.len() as u64
        {
            return Err(InspectError::Truncated(if ph.p_type == PT_DYNAMIC {
                "the dynamic segment (PT_DYNAMIC)"
            } else {
                "a loadable segment (PT_LOAD)"
            }));
        }
    }
    let space = AddressSpace::new(&program_headers);
    // glibc keeps the last PT_DYNAMIC it sees, and refuses one with no bytes in the file.
    let dynamic = program_headers
        .iter()
        .rev()
        .find(|ph| ph.p_type == PT_DYNAMIC)
        .filter(|ph| ph.p_filesz > 0);
    let Some(dynamic) = dynamic else {
        return Ok((
            object_kind(header.e_type, 0),
            Err(Unsearchable::NoDynamicSection),
            None,
        ));
    };
    let info = DynamicInfo::read(reader, header.is_64, &space, dynamic)?;
    let kind = object_kind(header.e_type, info.flags_1);

    let Some(hash) = choose_hash_table(header, &info)? else {
        return Ok((kind, Err(Unsearchable::NoHashTable), None));
    };
    let symbols = symbol_table(reader, header.is_64, &space, &info)?;
    let hash = match hash {
        HashChoice::Gnu(addr) => HashTable::Gnu(GnuHash::parse(
            Mapped::at(reader, &space, addr, None, Table::GnuHash)?,
            header.is_64,
        )?),
        HashChoice::Sysv(addr) => HashTable::Sysv(SysvHash::parse(
            Mapped::at(reader, &space, addr, None, Table::SysvHash)?,
            header.sysv_hash_entry_size(),
        )?),
    };
    // A bad version-needs address is reported when the imports are asked for, not here:
    // the export lookup does not read that table, so it must not fail because of it.
    let needs = info.verneed.map(|addr| {
        Mapped::at(reader, &space, addr, None, Table::VersionNeeds)
            .map(|table| (table, info.verneednum.unwrap_or(0)))
    });
    let imports = ElfImports {
        symbols,
        hash,
        needs,
        needed: info.needed,
        rpath: info.rpath,
        runpath: info.runpath,
    };
    Ok((
        kind,
        Ok(Box::new(ElfExports {
            hash,
            symbols,
            file: bytes,
            header: *header,
        })),
        Some(Box::new(imports)),
    ))
}

enum HashChoice {
    Gnu(u64),
    Sysv(u64),
}

/// glibc's `_dl_setup_hash`: the GNU table when there is one, else the SysV table. On MIPS
/// the GNU-style table glibc reads is `DT_MIPS_XHASH` (GNU hash plus a translation array);
/// this crate does not read that one, but ld emits `DT_HASH` beside it with the same answers.
fn choose_hash_table(
    header: &ElfHeader,
    info: &DynamicInfo,
) -> Result<Option<HashChoice>, InspectError> {
    if header.e_machine == EM_MIPS {
        return match (info.hash, info.mips_xhash) {
            (Some(addr), _) => Ok(Some(HashChoice::Sysv(addr))),
            (None, Some(_)) => Err(InspectError::Unsupported(
                "MIPS DT_MIPS_XHASH without DT_HASH",
            )),
            (None, None) => Ok(None),
        };
    }
    Ok(info
        .gnu_hash
        .map(HashChoice::Gnu)
        .or(info.hash.map(HashChoice::Sysv)))
}

fn symbol_table<'a>(
    reader: super::Reader<'a>,
    is_64: bool,
    space: &AddressSpace,
    info: &DynamicInfo,
) -> Result<SymbolTable<'a>, InspectError> {
    let (Some(symtab), Some(strtab)) = (info.symtab, info.strtab) else {
        return Err(InspectError::Malformed(
            "dynamic section (PT_DYNAMIC): a hash table but no DT_SYMTAB or DT_STRTAB",
        ));
    };
    if info
        .syment
        .is_some_and(|size| size != SymbolTable::entry_size(is_64))
    {
        return Err(InspectError::Malformed(
            "dynamic section (PT_DYNAMIC): DT_SYMENT is not the size of ElfN_Sym",
        ));
    }
    Ok(SymbolTable {
        symbols: Mapped::at(reader, space, symtab, None, Table::Symbols)?,
        strings: Mapped::at(reader, space, strtab, info.strsz, Table::Strings)?,
        versions: info
            .versym
            .map(|addr| Mapped::at(reader, space, addr, None, Table::Versions))
            .transpose()?,
        is_64,
    })
}

#[derive(Clone, Copy)]
enum HashTable<'a> {
    Gnu(GnuHash<'a>),
    Sysv(SysvHash<'a>),
}

struct ElfExports<'a> {
    hash: HashTable<'a>,
    symbols: SymbolTable<'a>,
    /// The whole file, for the evidence scan of `.symtab`.
    file: &'a [u8],
    header: ElfHeader,
}

impl HashTable<'_> {
    /// How many dynamic symbols there are; `DT_SYMTAB` has no size of its own, so the hash
    /// table is what tells (`nchain`, or the end of the GNU hash chains).
    fn symbol_count(&self) -> Result<u32, InspectError> {
        match self {
            HashTable::Gnu(table) => table.symbol_count(),
            HashTable::Sysv(table) => Ok(table.hashed_symbols().end),
        }
    }
}

impl ElfExports<'_> {
    /// `do_lookup_x`'s verdict on the entry `check_match` accepted, and CPython's on the
    /// address `dlsym` then returns.
    fn verdict(symbol: &Symbol) -> LookupOutcome {
        match symbol.binding_problem() {
            Some(why) => LookupOutcome::Missing(why),
            None if symbol.resolves_to_null() => LookupOutcome::Missing(MissReason::NullAddress),
            None => LookupOutcome::Exported,
        }
    }
}

impl ExportTable for ElfExports<'_> {
    fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError> {
        let wanted = symbol.as_bytes();
        let candidates = match &self.hash {
            HashTable::Gnu(table) => table.candidates(wanted)?,
            HashTable::Sysv(table) => table.candidates(wanted)?,
        };
        // check_match, entry by entry down the chain: an entry that is no definition, or only
        // a versioned one, lets the walk go on; the first plain match decides.
        let mut rejected: Option<MissReason> = None;
        let mut versioned: Option<Symbol> = None;
        let mut versioned_count = 0u32;
        for index in candidates {
            let entry = self.symbols.symbol(index)?;
            if self.symbols.name(&entry)? != wanted {
                continue;
            }
            if let Some(why) = entry.definition_problem() {
                rejected.get_or_insert(why);
                continue;
            }
            match self.symbols.version(index)? {
                Version::Unversioned => return Ok(Self::verdict(&entry)),
                Version::NonDefault => {
                    rejected.get_or_insert(MissReason::NonDefaultVersion);
                }
                Version::Default => {
                    versioned_count = versioned_count.saturating_add(1);
                    versioned.get_or_insert(entry);
                }
            }
        }
        // Asking for no version, dlsym still takes a versioned definition when it is the only one.
        match (versioned_count, versioned) {
            (1, Some(entry)) => Ok(Self::verdict(&entry)),
            (0, _) => Ok(LookupOutcome::Missing(
                rejected.unwrap_or(MissReason::NotInHashTable),
            )),
            _ => Ok(LookupOutcome::Missing(MissReason::SeveralVersions)),
        }
    }

    fn exported_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let indexes = match &self.hash {
            HashTable::Gnu(table) => table.hashed_symbols()?,
            HashTable::Sysv(table) => table.hashed_symbols(),
        };
        let mut names: Vec<String> = Vec::new();
        for index in indexes {
            let entry = self.symbols.symbol(index)?;
            if !self.symbols.is_exported(index, &entry)? {
                continue;
            }
            let Ok(name) = std::str::from_utf8(self.symbols.name(&entry)?) else {
                continue;
            };
            if prefixes.iter().any(|prefix| name.starts_with(prefix))
                && !names.iter().any(|known| known == name)
            {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    fn mentioned_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        // Every dynamic symbol, defined or not, hashed or not, then `.symtab`.
        let mut names: Vec<String> = Vec::new();
        let count = self
            .hash
            .symbol_count()?
            .min(self.symbols.capacity() as u32);
        for index in 0..count {
            let entry = self.symbols.symbol(index)?;
            let Ok(name) = std::str::from_utf8(self.symbols.name(&entry)?) else {
                continue;
            };
            if prefixes.iter().any(|prefix| name.starts_with(prefix))
                && !names.iter().any(|known| known == name)
            {
                names.push(name.to_string());
            }
        }
        for name in static_symbols::names_with_prefixes(
            self.file,
            self.header.big_endian,
            self.header.is_64,
            prefixes,
        ) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        Ok(names)
    }
}
