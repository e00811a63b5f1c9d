//! The import directory (data directory 1): which DLLs the image needs and which names it
//! takes from each, as the loader binds them before `DllMain` (PE/COFF spec, "The .idata
//! Section").
//!
//! The directory is an array of 20-byte import descriptors ended by an all-zero one. Each names
//! a DLL (`Name`) and points at a lookup table (`OriginalFirstThunk`, or `FirstThunk` when a
//! linker left the former zero): native-width entries ended by zero, each either an ordinal
//! (top bit set) or the RVA of a hint/name entry (a 2-byte hint, then the NUL-terminated
//! name). A name the DLL does not export fails `LoadLibraryExW` with `ERROR_PROC_NOT_FOUND`.
//! Delay-load imports (data directory 13) are bound on first call and are not listed.

use super::address_map::AddressMap;
use super::headers::DataDirectory;
use crate::inspect::{Binding, ImportTable, ImportedSymbol, InspectError, Reader};

const DESCRIPTOR_SIZE: u64 = 20;
const WHAT_DESCRIPTOR: &str = "PE import directory";
const WHAT_NAME: &str = "PE import DLL name";
const WHAT_LOOKUP: &str = "PE import lookup table";
const WHAT_HINT_NAME: &str = "PE import hint/name entry";
const OVERLAPPING: &str = "PE import lookup tables (more entries than the file has room for)";

pub(super) struct ImportDirectory<'a> {
    pub file: Reader<'a>,
    pub address_map: AddressMap,
    pub directory: DataDirectory,
    pub is_64: bool,
}

impl ImportDirectory<'_> {
    /// The names one lookup table imports (ordinal imports have none and are skipped).
    /// `budget` counts down the entries every table may still have: tables of a real image
    /// never share bytes, so more entries than the file holds means a hostile overlap, which
    /// would otherwise cost the square of the file's size.
    fn names(
        &self,
        table_rva: u32,
        library: &str,
        budget: &mut u64,
        out: &mut Vec<ImportedSymbol>,
    ) -> Result<(), InspectError> {
        let span = self.address_map.locate(table_rva, WHAT_LOOKUP)?;
        let width: u64 = if self.is_64 { 8 } else { 4 };
        let ordinal_flag: u64 = if self.is_64 { 1 << 63 } else { 1 << 31 };
        // The table ends at a zero entry, and never past its section's file bytes.
        let mut at = span.offset;
        while at + width <= span.end {
            *budget = budget
                .checked_sub(1)
                .ok_or(InspectError::Malformed(OVERLAPPING))?;
            let entry = self.file.word(at, self.is_64, WHAT_LOOKUP)?;
            if entry == 0 {
                return Ok(());
            }
            if entry & ordinal_flag == 0 {
                let hint_name = u32::try_from(entry & 0x7fff_ffff)
                    .map_err(|_| InspectError::Malformed(WHAT_HINT_NAME))?;
                let name_span = self.address_map.locate(hint_name, WHAT_HINT_NAME)?;
                let name = self.file.c_str(
                    name_span.offset.saturating_add(2),
                    name_span.end,
                    WHAT_HINT_NAME,
                )?;
                out.push(ImportedSymbol {
                    name: String::from_utf8_lossy(name).into_owned(),
                    binding: Binding::Strong,
                    version: None,
                    library: Some(library.to_string()),
                });
            }
            at += width;
        }
        Err(InspectError::Truncated(WHAT_LOOKUP))
    }
}

impl ImportTable for ImportDirectory<'_> {
    fn imported_symbols(&self) -> Result<Vec<ImportedSymbol>, InspectError> {
        let span = self
            .address_map
            .locate(self.directory.virtual_address, WHAT_DESCRIPTOR)?;
        let mut imports = Vec::new();
        let width = if self.is_64 { 8 } else { 4 };
        let mut budget = self.file.bytes.len() as u64 / width;
        let mut at = span.offset;
        // Ends at the all-zero descriptor; the section's file bytes bound the walk.
        while at + DESCRIPTOR_SIZE <= span.end {
            let original_first_thunk = self.file.u32(at, WHAT_DESCRIPTOR)?;
            let name_rva = self.file.u32(at + 12, WHAT_DESCRIPTOR)?;
            let first_thunk = self.file.u32(at + 16, WHAT_DESCRIPTOR)?;
            if name_rva == 0 && first_thunk == 0 {
                return Ok(imports);
            }
            let name_span = self.address_map.locate(name_rva, WHAT_NAME)?;
            let library = String::from_utf8_lossy(self.file.c_str(
                name_span.offset,
                name_span.end,
                WHAT_NAME,
            )?)
            .into_owned();
            let table = if original_first_thunk != 0 {
                original_first_thunk
            } else {
                first_thunk
            };
            self.names(table, &library, &mut budget, &mut imports)?;
            at += DESCRIPTOR_SIZE;
        }
        Err(InspectError::Truncated(WHAT_DESCRIPTOR))
    }
}
