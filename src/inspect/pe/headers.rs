//! PE image headers, read field by field the way the loader reaches them: DOS header →
//! `e_lfanew` → `"PE\0\0"` → COFF file header → optional header (PE32 or PE32+) → data
//! directories 0 (exports) and 1 (imports) → section table.
//!
//! goblin's `pe::header::Header::parse` is not used: besides these headers it scans the whole
//! DOS stub for a Rich header and rejects files whose Rich header lacks its `DanS` marker,
//! which the Windows loader never looks at.

use goblin::pe::characteristic::{IMAGE_FILE_DLL, IMAGE_FILE_EXECUTABLE_IMAGE};
use goblin::pe::header::{
    DOS_MAGIC, PE_MAGIC, PE_POINTER_OFFSET, SIZEOF_COFF_HEADER, SIZEOF_PE_MAGIC,
};
use goblin::pe::optional_header::{IMAGE_ROM_OPTIONAL_HDR_MAGIC, MAGIC_32, MAGIC_64};
use goblin::pe::section_table::SIZEOF_SECTION_TABLE;

use super::address_map::{AddressMap, Section};
use crate::inspect::{InspectError, ObjectKind, Reader};

/// Offsets of the fields this module reads, from the start of each structure (PE/COFF spec).
mod field {
    /// COFF file header.
    pub const MACHINE: u64 = 0;
    pub const NUMBER_OF_SECTIONS: u64 = 2;
    pub const SIZE_OF_OPTIONAL_HEADER: u64 = 16;
    pub const CHARACTERISTICS: u64 = 18;

    /// Optional header; the same offset in PE32 and PE32+.
    pub const SIZE_OF_HEADERS: u64 = 60;
    /// Optional header, PE32 / PE32+ (PE32+ has 64-bit ImageBase and stack/heap sizes).
    pub const NUMBER_OF_RVA_AND_SIZES_32: u64 = 92;
    pub const NUMBER_OF_RVA_AND_SIZES_64: u64 = 108;
    pub const DATA_DIRECTORIES_32: u64 = 96;
    pub const DATA_DIRECTORIES_64: u64 = 112;

    /// Data directory entry.
    pub const DIRECTORY_VIRTUAL_ADDRESS: u64 = 0;
    pub const DIRECTORY_SIZE: u64 = 4;
    pub const DIRECTORY_ENTRY: u64 = 8;

    /// Section header.
    pub const VIRTUAL_SIZE: u64 = 8;
    pub const VIRTUAL_ADDRESS: u64 = 12;
    pub const SIZE_OF_RAW_DATA: u64 = 16;
    pub const POINTER_TO_RAW_DATA: u64 = 20;
}

/// One data directory entry: an RVA and a size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DataDirectory {
    pub virtual_address: u32,
    pub size: u32,
}

/// What the rest of the PE reader needs from the headers.
pub(super) struct ImageHeaders {
    pub machine: u16,
    pub characteristics: u16,
    /// Data directory 0, or `None` when the image has none (absent, or zero address or size).
    pub export_directory: Option<DataDirectory>,
    /// Data directory 1 (the import directory), likewise.
    pub import_directory: Option<DataDirectory>,
    /// PE32+: import lookup entries are 64-bit.
    pub is_64: bool,
    pub address_map: AddressMap,
}

impl ImageHeaders {
    pub fn parse(file: Reader<'_>) -> Result<Self, InspectError> {
        if file.u16(0, "DOS header")? != DOS_MAGIC {
            return Err(InspectError::Malformed("DOS header (no MZ signature)"));
        }
        let e_lfanew = u64::from(file.u32(u64::from(PE_POINTER_OFFSET), "DOS header")?);
        if file.u32(e_lfanew, "PE signature")? != PE_MAGIC {
            return Err(InspectError::Malformed(
                "PE signature (no PE\\0\\0 at e_lfanew)",
            ));
        }

        let coff = e_lfanew + SIZEOF_PE_MAGIC as u64;
        let what = "COFF file header";
        let machine = file.u16(coff + field::MACHINE, what)?;
        let number_of_sections = file.u16(coff + field::NUMBER_OF_SECTIONS, what)?;
        let size_of_optional_header = file.u16(coff + field::SIZE_OF_OPTIONAL_HEADER, what)?;
        let characteristics = file.u16(coff + field::CHARACTERISTICS, what)?;

        let optional_offset = coff + SIZEOF_COFF_HEADER as u64;
        // Reads inside the optional header go through its own reader, so a field past
        // SizeOfOptionalHeader is reported even when the file goes on.
        let optional = Reader::new(
            file.slice(
                optional_offset,
                u64::from(size_of_optional_header),
                "PE optional header",
            )?,
            false,
        );
        let magic = optional.u16(0, "PE optional header")?;
        let (number_of_rva_and_sizes, data_directories) = optional_header_layout(magic)?;
        let size_of_headers = optional.u32(field::SIZE_OF_HEADERS, "PE optional header")?;
        let directories = optional.u32(number_of_rva_and_sizes, "PE optional header")?;
        // Entry 0 of the data directories is the export table, entry 1 the import table.
        let export_directory = if directories == 0 {
            None
        } else {
            data_directory(optional, data_directories)?
        };
        // The import directory is read only when asked for: a bad entry fails that, not the
        // export lookup.
        let import_directory = if directories < 2 {
            None
        } else {
            data_directory(optional, data_directories + field::DIRECTORY_ENTRY)
                .ok()
                .flatten()
        };

        let section_table = optional_offset + u64::from(size_of_optional_header);
        let address_map = AddressMap::new(
            size_of_headers,
            parse_sections(file, section_table, number_of_sections)?,
        );

        Ok(ImageHeaders {
            machine,
            characteristics,
            export_directory,
            import_directory,
            is_64: magic == MAGIC_64,
            address_map,
        })
    }

    pub fn kind(&self) -> ObjectKind {
        if self.characteristics & IMAGE_FILE_EXECUTABLE_IMAGE == 0 {
            ObjectKind::Other(
                "PE image not marked executable (IMAGE_FILE_EXECUTABLE_IMAGE clear)".into(),
            )
        } else if self.characteristics & IMAGE_FILE_DLL != 0 {
            ObjectKind::SharedLibrary
        } else {
            ObjectKind::Executable
        }
    }
}

/// Where NumberOfRvaAndSizes and the data directories sit, by the optional header's Magic.
/// The data directory entry at `at`; `None` when its address or size is zero.
fn data_directory(optional: Reader<'_>, at: u64) -> Result<Option<DataDirectory>, InspectError> {
    let what = "PE data directories";
    let directory = DataDirectory {
        virtual_address: optional.u32(at + field::DIRECTORY_VIRTUAL_ADDRESS, what)?,
        size: optional.u32(at + field::DIRECTORY_SIZE, what)?,
    };
    Ok(Some(directory).filter(|d| d.virtual_address != 0 && d.size != 0))
}

fn optional_header_layout(magic: u16) -> Result<(u64, u64), InspectError> {
    match magic {
        MAGIC_32 => Ok((
            field::NUMBER_OF_RVA_AND_SIZES_32,
            field::DATA_DIRECTORIES_32,
        )),
        MAGIC_64 => Ok((
            field::NUMBER_OF_RVA_AND_SIZES_64,
            field::DATA_DIRECTORIES_64,
        )),
        IMAGE_ROM_OPTIONAL_HDR_MAGIC => Err(InspectError::Unsupported("PE ROM image")),
        _ => Err(InspectError::Malformed(
            "PE optional header (unknown magic)",
        )),
    }
}

fn parse_sections(file: Reader<'_>, offset: u64, count: u16) -> Result<Vec<Section>, InspectError> {
    let what = "PE section table";
    let size = SIZEOF_SECTION_TABLE as u64;
    // Checked as a whole first, so the vector below is never larger than the file allows.
    file.slice(offset, size * u64::from(count), what)?;
    (0..u64::from(count))
        .map(|index| {
            let header = offset + index * size;
            Ok(Section {
                virtual_size: file.u32(header + field::VIRTUAL_SIZE, what)?,
                virtual_address: file.u32(header + field::VIRTUAL_ADDRESS, what)?,
                size_of_raw_data: file.u32(header + field::SIZE_OF_RAW_DATA, what)?,
                pointer_to_raw_data: file.u32(header + field::POINTER_TO_RAW_DATA, what)?,
            })
        })
        .collect()
}
