//! The loader's view of an ELF object: virtual addresses mapped to file offsets through the
//! `PT_LOAD` segments, and the `PT_DYNAMIC` entries that locate the symbol lookup tables.
//!
//! The dynamic section holds addresses, not file offsets. The loader reads each table where
//! the `PT_LOAD` that contains its address puts it, so that is where this module reads it too,
//! and a table may not run past the file image of its segment.

use goblin::elf::dynamic::{
    DT_FLAGS_1, DT_GNU_HASH, DT_HASH, DT_NEEDED, DT_NULL, DT_RPATH, DT_RUNPATH, DT_STRSZ,
    DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERNEED, DT_VERNEEDNUM, DT_VERSYM, dyn32, dyn64,
};
use goblin::elf::program_header::PT_LOAD;

use super::header::ProgramHeader;
use crate::inspect::{InspectError, Reader};

/// `DT_MIPS_XHASH`: on MIPS, glibc looks here instead of `DT_GNU_HASH`.
pub const DT_MIPS_XHASH: u64 = 0x7000_0036;

/// The tables the lookup reads, named for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Dynamic,
    GnuHash,
    SysvHash,
    Symbols,
    Strings,
    Versions,
    VersionNeeds,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Dynamic => "dynamic section (PT_DYNAMIC)",
            Table::GnuHash => "GNU hash table (DT_GNU_HASH)",
            Table::SysvHash => "SysV hash table (DT_HASH)",
            Table::Symbols => "dynamic symbol table (DT_SYMTAB)",
            Table::Strings => "dynamic string table (DT_STRTAB)",
            Table::Versions => "symbol version table (DT_VERSYM)",
            Table::VersionNeeds => "version needs (DT_VERNEED)",
        }
    }

    fn unmapped(self) -> &'static str {
        match self {
            Table::Dynamic => "PT_DYNAMIC (its address is in no PT_LOAD segment)",
            Table::GnuHash => "DT_GNU_HASH (its address is in no PT_LOAD segment)",
            Table::SysvHash => "DT_HASH (its address is in no PT_LOAD segment)",
            Table::Symbols => "DT_SYMTAB (its address is in no PT_LOAD segment)",
            Table::Strings => "DT_STRTAB (its address is in no PT_LOAD segment)",
            Table::Versions => "DT_VERSYM (its address is in no PT_LOAD segment)",
            Table::VersionNeeds => "DT_VERNEED (its address is in no PT_LOAD segment)",
        }
    }
}

/// The `PT_LOAD` segments: what the loader maps, and so what an address can point into.
pub struct AddressSpace {
    loads: Vec<ProgramHeader>,
}

impl AddressSpace {
    pub fn new(program_headers: &[ProgramHeader]) -> AddressSpace {
        AddressSpace {
            loads: program_headers
                .iter()
                .filter(|ph| ph.p_type == PT_LOAD)
                .copied()
                .collect(),
        }
    }

    /// The file offset of `vaddr` and how many bytes of its segment's file image follow it.
    /// Bytes past `p_filesz` are zero-filled memory, never table contents a linker wrote.
    pub fn to_file(&self, vaddr: u64) -> Option<(u64, u64)> {
        self.loads.iter().find_map(|ph| {
            let into = vaddr.checked_sub(ph.p_vaddr)?;
            if into >= ph.p_filesz {
                return None;
            }
            Some((ph.p_offset.checked_add(into)?, ph.p_filesz - into))
        })
    }
}

/// A table located by its address: reads are relative to its start and may not leave the
/// segment it lies in (nor `limit` bytes, when the dynamic section gives a size).
#[derive(Clone, Copy)]
pub struct Mapped<'a> {
    reader: Reader<'a>,
    start: u64,
    len: u64,
    table: Table,
}

impl<'a> Mapped<'a> {
    pub fn at(
        reader: Reader<'a>,
        space: &AddressSpace,
        vaddr: u64,
        limit: Option<u64>,
        table: Table,
    ) -> Result<Mapped<'a>, InspectError> {
        let (start, in_segment) = space
            .to_file(vaddr)
            .ok_or(InspectError::Malformed(table.unmapped()))?;
        // A segment may claim more file bytes than the file holds; a table is never longer
        // than what is really there, which also bounds every walk measured by its length.
        let in_file = (reader.bytes.len() as u64).saturating_sub(start);
        let len = limit
            .map_or(in_segment, |limit| limit.min(in_segment))
            .min(in_file);
        Ok(Mapped {
            reader,
            start,
            len,
            table,
        })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// The file offset of `size` bytes at `at`, once they are known to lie inside the table.
    fn offset(&self, at: u64, size: u64) -> Result<u64, InspectError> {
        match at.checked_add(size) {
            Some(end) if end <= self.len => self
                .start
                .checked_add(at)
                .ok_or(InspectError::Truncated(self.table.name())),
            _ => Err(InspectError::Truncated(self.table.name())),
        }
    }

    pub fn u16(&self, at: u64) -> Result<u16, InspectError> {
        self.reader.u16(self.offset(at, 2)?, self.table.name())
    }

    pub fn u32(&self, at: u64) -> Result<u32, InspectError> {
        self.reader.u32(self.offset(at, 4)?, self.table.name())
    }

    pub fn u64(&self, at: u64) -> Result<u64, InspectError> {
        self.reader.u64(self.offset(at, 8)?, self.table.name())
    }

    pub fn word(&self, at: u64, is_64: bool) -> Result<u64, InspectError> {
        if is_64 {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }

    pub fn u8(&self, at: u64) -> Result<u8, InspectError> {
        self.reader.u8(self.offset(at, 1)?, self.table.name())
    }

    /// The NUL-terminated string at `at`, which must end inside the table.
    pub fn c_str(&self, at: u64) -> Result<&'a [u8], InspectError> {
        let offset = self.offset(at, 1)?;
        self.reader.c_str(
            offset,
            self.start.saturating_add(self.len),
            self.table.name(),
        )
    }
}

/// The `PT_DYNAMIC` entries the symbol lookup (and the import walk) needs, as addresses (`d_ptr`) or values (`d_val`).
#[derive(Debug, Clone, Default)]
pub struct DynamicInfo {
    /// `DT_NEEDED`, in order: offsets into `DT_STRTAB` of the libraries to load first.
    pub needed: Vec<u64>,
    pub gnu_hash: Option<u64>,
    pub hash: Option<u64>,
    pub mips_xhash: Option<u64>,
    pub symtab: Option<u64>,
    pub strtab: Option<u64>,
    pub strsz: Option<u64>,
    pub syment: Option<u64>,
    pub versym: Option<u64>,
    pub verneed: Option<u64>,
    pub verneednum: Option<u64>,
    pub flags_1: u64,
    /// `DT_RPATH` and `DT_RUNPATH`: string table offsets of `:`-separated directory lists.
    pub rpath: Option<u64>,
    pub runpath: Option<u64>,
}

impl DynamicInfo {
    /// Reads the `ElfN_Dyn` array of `dynamic` up to `DT_NULL` (or the end of the segment).
    /// A tag given twice keeps its last value, as glibc's `elf_get_dynamic_info` does.
    pub fn read(
        reader: Reader<'_>,
        is_64: bool,
        space: &AddressSpace,
        dynamic: &ProgramHeader,
    ) -> Result<DynamicInfo, InspectError> {
        let section = Mapped::at(
            reader,
            space,
            dynamic.p_vaddr,
            Some(dynamic.p_filesz),
            Table::Dynamic,
        )?;
        let entry = if is_64 {
            dyn64::SIZEOF_DYN
        } else {
            dyn32::SIZEOF_DYN
        } as u64;
        let mut info = DynamicInfo::default();
        for i in 0..section.len() / entry {
            let d_tag = section.word(i * entry, is_64)?;
            let d_un = section.word(i * entry + entry / 2, is_64)?;
            match d_tag {
                DT_NULL => break,
                DT_GNU_HASH => info.gnu_hash = Some(d_un),
                DT_HASH => info.hash = Some(d_un),
                DT_MIPS_XHASH => info.mips_xhash = Some(d_un),
                DT_SYMTAB => info.symtab = Some(d_un),
                DT_STRTAB => info.strtab = Some(d_un),
                DT_STRSZ => info.strsz = Some(d_un),
                DT_SYMENT => info.syment = Some(d_un),
                DT_VERSYM => info.versym = Some(d_un),
                DT_VERNEED => info.verneed = Some(d_un),
                DT_VERNEEDNUM => info.verneednum = Some(d_un),
                DT_FLAGS_1 => info.flags_1 = d_un,
                DT_NEEDED => info.needed.push(d_un),
                DT_RPATH => info.rpath = Some(d_un),
                DT_RUNPATH => info.runpath = Some(d_un),
                _ => {}
            }
        }
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A segment may claim gigabytes of file image in a file of a few hundred bytes (found by
    /// fuzzing: a DT_HASH chain cycle was then walked billions of steps, "bounded" by the
    /// claimed size). A table is as long as the file really is.
    #[test]
    fn a_table_ends_where_the_file_does() {
        let bytes = [0u8; 600];
        let space = AddressSpace::new(&[ProgramHeader {
            p_type: PT_LOAD,
            p_offset: 0,
            p_vaddr: 0x1000,
            p_filesz: 0x7000_0000,
        }]);
        let reader = Reader::new(&bytes, false);
        let table = Mapped::at(reader, &space, 0x1000 + 100, None, Table::SysvHash).unwrap();
        assert_eq!(table.len(), 500);
    }
}
