//! The export directory (data directory 0) and the by-name lookup `GetProcAddress` performs.
//!
//! `IMAGE_EXPORT_DIRECTORY` points at three arrays: the export address table
//! (`AddressOfFunctions`, `NumberOfFunctions` RVAs), the name pointer table (`AddressOfNames`,
//! `NumberOfNames` RVAs of NUL-terminated names, sorted bytewise) and the ordinal table
//! (`AddressOfNameOrdinals`, one u16 index into the address table per name). The loader
//! binary-searches the name pointer table with `strcmp`, takes the same position in the
//! ordinal table, and reads that address table entry; an entry that points back inside the
//! export directory is a forwarder string `"DLL.Name"` rather than code.

use std::cmp::Ordering;
use std::ops::Range;

use goblin::pe::export::{
    ExportDirectoryTable, SIZEOF_EXPORT_ADDRESS_TABLE_ENTRY, SIZEOF_EXPORT_DIRECTORY_TABLE,
};

use super::address_map::AddressMap;
use super::headers::DataDirectory;
use crate::inspect::{ExportTable, InspectError, LookupOutcome, MissReason, Reader};

const NAME_POINTER_SIZE: u64 = 4;
const ORDINAL_SIZE: u64 = 2;

/// A PE image's export directory, with its three tables located in the file.
pub(super) struct ExportDirectory<'a> {
    file: Reader<'a>,
    address_map: AddressMap,
    /// RVAs covered by data directory 0; an address table entry in here is a forwarder.
    directory: Range<u64>,
    number_of_functions: u32,
    number_of_names: u32,
    /// File offsets of the address, name pointer and ordinal tables.
    address_table: u64,
    name_pointer_table: u64,
    ordinal_table: u64,
}

impl<'a> ExportDirectory<'a> {
    pub fn parse(
        file: Reader<'a>,
        address_map: AddressMap,
        directory: DataDirectory,
    ) -> Result<Self, InspectError> {
        let what = "PE export directory";
        let header_size = SIZEOF_EXPORT_DIRECTORY_TABLE as u64;
        let offset = address_map.locate_range(directory.virtual_address, header_size, what)?;
        let table = ExportDirectoryTable::parse(file.slice(offset, header_size, what)?, 0)
            .map_err(|_| InspectError::Truncated(what))?;

        let number_of_functions = table.address_table_entries;
        let number_of_names = table.number_of_name_pointers;
        // Each table must lie inside one section's file bytes, which also bounds every count
        // by the file size before anything walks them.
        let locate_table = |rva: u32, count: u32, entry_size: u64, what| {
            if count == 0 {
                Ok(0)
            } else {
                address_map.locate_range(rva, u64::from(count) * entry_size, what)
            }
        };
        let address_table = locate_table(
            table.export_address_table_rva,
            number_of_functions,
            SIZEOF_EXPORT_ADDRESS_TABLE_ENTRY as u64,
            "PE export address table",
        )?;
        let name_pointer_table = locate_table(
            table.name_pointer_rva,
            number_of_names,
            NAME_POINTER_SIZE,
            "PE export name pointer table",
        )?;
        let ordinal_table = locate_table(
            table.ordinal_table_rva,
            number_of_names,
            ORDINAL_SIZE,
            "PE export ordinal table",
        )?;

        let start = u64::from(directory.virtual_address);
        Ok(ExportDirectory {
            file,
            address_map,
            directory: start..start + u64::from(directory.size),
            number_of_functions,
            number_of_names,
            address_table,
            name_pointer_table,
            ordinal_table,
        })
    }

    /// The name the `index`th name pointer points at, without its NUL.
    fn name(&self, index: u32) -> Result<&'a [u8], InspectError> {
        let what = "PE export name";
        let rva = self.file.u32(
            self.name_pointer_table + u64::from(index) * NAME_POINTER_SIZE,
            what,
        )?;
        let span = self.address_map.locate(rva, what)?;
        self.file.c_str(span.offset, span.end, what)
    }

    /// What the name at position `index` of the name pointer table resolves to.
    fn resolve(&self, index: u32) -> Result<LookupOutcome, InspectError> {
        let ordinal = self.file.u16(
            self.ordinal_table + u64::from(index) * ORDINAL_SIZE,
            "PE export ordinal table",
        )?;
        if u32::from(ordinal) >= self.number_of_functions {
            return Ok(LookupOutcome::Missing(
                MissReason::OrdinalOutsideAddressTable,
            ));
        }
        let entry =
            self.address_table + u64::from(ordinal) * SIZEOF_EXPORT_ADDRESS_TABLE_ENTRY as u64;
        let rva = self.file.u32(entry, "PE export address table")?;
        if !self.directory.contains(&u64::from(rva)) {
            return Ok(LookupOutcome::Exported);
        }
        let what = "PE export forwarder";
        let span = self.address_map.locate(rva, what)?;
        let target = self.file.c_str(span.offset, span.end, what)?;
        Ok(LookupOutcome::Forwarded(
            String::from_utf8_lossy(target).into_owned(),
        ))
    }

    /// Why `wanted`, which the binary search did not find, cannot be resolved. Scans the whole
    /// name table, so it runs only on this failure path.
    fn explain_missing(&self, wanted: &[u8]) -> Result<MissReason, InspectError> {
        let mut named = vec![false; self.number_of_functions as usize];
        for index in 0..self.number_of_names {
            if self.name(index)? == wanted {
                return Ok(MissReason::NameTableUnsorted);
            }
            let ordinal = self.file.u16(
                self.ordinal_table + u64::from(index) * ORDINAL_SIZE,
                "PE export ordinal table",
            )?;
            if let Some(slot) = named.get_mut(usize::from(ordinal)) {
                *slot = true;
            }
        }
        // Unused ordinals hold a zero RVA; the other unnamed entries are NONAME exports.
        let mut ordinal_only = 0usize;
        for (ordinal, &has_name) in named.iter().enumerate() {
            let entry =
                self.address_table + ordinal as u64 * SIZEOF_EXPORT_ADDRESS_TABLE_ENTRY as u64;
            if !has_name && self.file.u32(entry, "PE export address table")? != 0 {
                ordinal_only += 1;
            }
        }
        Ok(match ordinal_only {
            0 => MissReason::NotInExportNameTable,
            n => MissReason::OrdinalOnly {
                ordinal_only_exports: n,
            },
        })
    }
}

/// The loader's binary search over `count` sorted names: `Start = 0, End = count - 1`,
/// probing `(Start + End) / 2` and comparing with `strcmp`. Returns the position of `wanted`,
/// having read at most ⌈log2(count + 1)⌉ names. The probes must be the loader's own: in an
/// unsorted table they decide which names it can still find.
pub(super) fn binary_search<'n>(
    count: u32,
    wanted: &[u8],
    mut name_at: impl FnMut(u32) -> Result<&'n [u8], InspectError>,
) -> Result<Option<u32>, InspectError> {
    // `[start, past_end)` is the loader's `[Start, End]`; `start + (End - start) / 2` is
    // `(Start + End) / 2` without signed arithmetic.
    let (mut start, mut past_end) = (0u32, count);
    while start < past_end {
        let next = start + (past_end - 1 - start) / 2;
        // Both sides stop at their NUL, and bytes compare unsigned, exactly like strcmp.
        match wanted.cmp(name_at(next)?) {
            Ordering::Equal => return Ok(Some(next)),
            Ordering::Less => past_end = next,
            Ordering::Greater => start = next + 1,
        }
    }
    Ok(None)
}

/// GetProcAddress takes a C string: anything after a NUL is not part of the name.
fn c_string(symbol: &str) -> &[u8] {
    symbol
        .as_bytes()
        .split(|&b| b == 0)
        .next()
        .unwrap_or_default()
}

impl ExportTable for ExportDirectory<'_> {
    fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError> {
        let wanted = c_string(symbol);
        match binary_search(self.number_of_names, wanted, |index| self.name(index))? {
            Some(index) => self.resolve(index),
            None => Ok(LookupOutcome::Missing(MissReason::NotInExportNameTable)),
        }
    }

    fn explain_miss(&self, symbol: &str, reason: MissReason) -> Result<MissReason, InspectError> {
        if reason != MissReason::NotInExportNameTable {
            return Ok(reason);
        }
        self.explain_missing(c_string(symbol))
    }

    fn exported_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let mut found = Vec::new();
        for index in 0..self.number_of_names {
            let name = self.name(index)?;
            if prefixes
                .iter()
                .any(|prefix| name.starts_with(prefix.as_bytes()))
            {
                found.push(String::from_utf8_lossy(name).into_owned());
            }
        }
        Ok(found)
    }
}
