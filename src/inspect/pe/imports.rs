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
use std::borrow::Cow;

use crate::inspect::{Binding, ImportTable, ImportedSymbol, InspectError, NeededLibrary, Reader};

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

impl<'a> ImportDirectory<'a> {
    /// The names one lookup table imports (ordinal imports have none and are skipped).
    /// `budget` counts down the entries every table may still have: tables of a real image
    /// never share bytes, so more entries than the file holds means a hostile overlap, which
    /// would otherwise cost the square of the file's size.
    fn names(
        &self,
        table_rva: u32,
        library: Cow<'a, str>,
        budget: &mut u64,
        out: &mut Vec<ImportedSymbol<'a>>,
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
                    name: String::from_utf8_lossy(name),
                    binding: Binding::Strong,
                    version: None,
                    library: Some(library.clone()),
                });
            }
            at += width;
        }
        Err(InspectError::Truncated(WHAT_LOOKUP))
    }
}

impl<'a> ImportDirectory<'a> {
    /// Calls `each` with every descriptor's DLL name and lookup table, in order.
    fn descriptors(
        &self,
        mut each: impl FnMut(Cow<'a, str>, u32) -> Result<(), InspectError>,
    ) -> Result<(), InspectError> {
        let span = self
            .address_map
            .locate(self.directory.virtual_address, WHAT_DESCRIPTOR)?;
        let mut at = span.offset;
        // Ends at the all-zero descriptor; the section's file bytes bound the walk.
        while at + DESCRIPTOR_SIZE <= span.end {
            let original_first_thunk = self.file.u32(at, WHAT_DESCRIPTOR)?;
            let name_rva = self.file.u32(at + 12, WHAT_DESCRIPTOR)?;
            let first_thunk = self.file.u32(at + 16, WHAT_DESCRIPTOR)?;
            if name_rva == 0 && first_thunk == 0 {
                return Ok(());
            }
            let name_span = self.address_map.locate(name_rva, WHAT_NAME)?;
            let library = String::from_utf8_lossy(self.file.c_str(
                name_span.offset,
                name_span.end,
                WHAT_NAME,
            )?);
            let table = if original_first_thunk != 0 {
                original_first_thunk
            } else {
                first_thunk
            };
            each(library, table)?;
            at += DESCRIPTOR_SIZE;
        }
        Err(InspectError::Truncated(WHAT_DESCRIPTOR))
    }
}

impl<'a> ImportTable<'a> for ImportDirectory<'a> {
    fn needed_libraries(&self) -> Result<Vec<NeededLibrary>, InspectError> {
        let mut libraries = Vec::new();
        self.descriptors(|name, _| {
            libraries.push(NeededLibrary {
                name: name.into_owned(),
                weak: false,
            });
            Ok(())
        })?;
        Ok(libraries)
    }

    fn imported_symbols(&self) -> Result<Vec<ImportedSymbol<'a>>, InspectError> {
        let mut imports = Vec::new();
        let width = if self.is_64 { 8 } else { 4 };
        let mut budget = self.file.bytes.len() as u64 / width;
        self.descriptors(|library, table| self.names(table, library, &mut budget, &mut imports))?;
        Ok(imports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::pe::address_map::Section;

    /// One section mapping RVA 0x1000 onto the whole buffer.
    fn directory(bytes: &[u8]) -> ImportDirectory<'_> {
        let section = Section {
            virtual_size: bytes.len() as u32,
            virtual_address: 0x1000,
            size_of_raw_data: bytes.len() as u32,
            pointer_to_raw_data: 0,
        };
        ImportDirectory {
            file: Reader::new(bytes, false),
            address_map: AddressMap::new(0, vec![section]),
            directory: DataDirectory {
                virtual_address: 0x1000,
                size: 40,
            },
            is_64: true,
        }
    }

    fn put(bytes: &mut [u8], at: usize, data: &[u8]) {
        bytes[at..at + data.len()].copy_from_slice(data);
    }

    /// A descriptor for `python38.dll` whose lookup table holds two names and an ordinal.
    #[test]
    fn names_come_with_their_dll_and_ordinals_are_skipped() {
        let mut bytes = vec![0u8; 512];
        put(&mut bytes, 0, &(0x1000u32 + 100).to_le_bytes()); // OriginalFirstThunk
        put(&mut bytes, 12, &(0x1000u32 + 200).to_le_bytes()); // Name
        put(&mut bytes, 16, &(0x1000u32 + 100).to_le_bytes()); // FirstThunk
        put(&mut bytes, 100, &(0x1000u64 + 300).to_le_bytes());
        put(&mut bytes, 108, &(1u64 << 63 | 7).to_le_bytes());
        put(&mut bytes, 116, &(0x1000u64 + 320).to_le_bytes());
        put(&mut bytes, 200, b"python38.dll\0");
        put(&mut bytes, 302, b"Py_NewRef\0");
        put(&mut bytes, 322, b"PyObject_GetAttr\0");
        let found = directory(&bytes).imported_symbols().unwrap();
        let names: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|i| (i.name.as_ref(), i.library.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("Py_NewRef", Some("python38.dll")),
                ("PyObject_GetAttr", Some("python38.dll"))
            ]
        );
    }

    /// 100 descriptors sharing one 255-entry lookup table would walk 25,500 entries of a
    /// 4 KiB file; the budget stops the walk at what the file has room for.
    #[test]
    fn lookup_tables_sharing_bytes_are_refused() {
        let mut bytes = vec![0u8; 4096];
        for descriptor in 0..100 {
            let at = descriptor * 20;
            put(&mut bytes, at, &(0x1000u32 + 2048).to_le_bytes());
            put(&mut bytes, at + 12, &(0x1000u32 + 2024).to_le_bytes());
            put(&mut bytes, at + 16, &(0x1000u32 + 2048).to_le_bytes());
        }
        put(&mut bytes, 2024, b"x.dll\0");
        for entry in 0..255 {
            put(
                &mut bytes,
                2048 + entry * 8,
                &(1u64 << 63 | 1).to_le_bytes(),
            );
        }
        assert_eq!(
            directory(&bytes).imported_symbols(),
            Err(InspectError::Malformed(OVERLAPPING))
        );
    }
}
