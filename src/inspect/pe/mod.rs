//! PE images (Windows `.pyd` / `.dll`): CPython loads them with `LoadLibraryExW` and finds the
//! hook with `GetProcAddress`, a binary search of the export name pointer table.
//!
//! [`open`] reads the headers and locates the export directory's tables; a lookup then reads
//! O(log n) names, one ordinal and one address table entry, as the loader does. The import
//! directory is read only when a rule asks what the image imports.

mod address_map;
mod exports;
mod headers;
mod imports;
#[cfg(test)]
mod tests;

use goblin::pe::header::{
    COFF_MACHINE_ARM, COFF_MACHINE_ARM64, COFF_MACHINE_ARMNT, COFF_MACHINE_THUMB, COFF_MACHINE_X86,
    COFF_MACHINE_X86_64,
};

use super::{ExportTable, ImportTable, InspectError, Reader, Slice, Unsearchable};
use exports::ExportDirectory;
use headers::ImageHeaders;
use imports::ImportDirectory;

/// COFF machine values of the ARM64EC and ARM64X hybrids. In a linked image they appear only in
/// object files and the hybrid metadata (an ARM64EC DLL says x64, an ARM64X DLL says arm64).
const COFF_MACHINE_ARM64EC: u16 = 0xa641;
const COFF_MACHINE_ARM64X: u16 = 0xa64e;

/// Opens a PE image (the bytes start with `MZ`).
pub fn open(bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    let file = Reader::new(bytes, false);
    let headers = ImageHeaders::parse(file)?;
    let arch = arch_name(headers.machine);
    let kind = headers.kind();
    let imports = headers.import_directory.map(|directory| {
        Box::new(ImportDirectory {
            file,
            address_map: headers.address_map.clone(),
            directory,
            is_64: headers.is_64,
        }) as Box<dyn ImportTable<'_> + '_>
    });
    let exports = match headers.export_directory {
        None => Err(Unsearchable::NoExportDirectory),
        Some(directory) => {
            let table = ExportDirectory::parse(file, headers.address_map, directory)?;
            Ok(Box::new(table) as Box<dyn ExportTable + '_>)
        }
    };
    Ok(Slice {
        arch,
        kind,
        exports,
        imports,
        minimum_os: None,
    })
}

/// The architecture as Windows tools name it (MSVC's `/machine:` values).
fn arch_name(machine: u16) -> String {
    match machine {
        COFF_MACHINE_X86 => "x86".into(),
        COFF_MACHINE_X86_64 => "x64".into(),
        COFF_MACHINE_ARM64 => "arm64".into(),
        COFF_MACHINE_ARMNT | COFF_MACHINE_ARM | COFF_MACHINE_THUMB => "arm".into(),
        COFF_MACHINE_ARM64EC => "arm64ec".into(),
        COFF_MACHINE_ARM64X => "arm64x".into(),
        other => format!("machine {other:#06x}"),
    }
}
