//! Universal ("fat") files: a big-endian `fat_header` {`magic`, `nfat_arch`} followed by
//! `nfat_arch` entries — `fat_arch` (20 bytes: `cputype`, `cpusubtype`, `offset` u32, `size`
//! u32, `align`) under `FAT_MAGIC`, `fat_arch_64` (32 bytes: the same with u64 `offset` and
//! `size`, then `reserved`) under `FAT_MAGIC_64`. Each entry delimits one thin image.
//!
//! dyld maps only the slice for the running CPU, so every slice is opened and checked.

use goblin::mach::fat::{FAT_MAGIC, SIZEOF_FAT_ARCH, SIZEOF_FAT_HEADER};

use super::header::MachHeader;
use super::open_thin;
use crate::inspect::{InspectError, Reader, Slice};

/// `FAT_MAGIC_64` from mach-o/fat.h (goblin has no constant for it).
const FAT_MAGIC_64: u32 = 0xcafe_babf;
const SIZEOF_FAT_ARCH_64: u64 = 32;

/// More architectures than any universal file holds. A Java class file starts with the same
/// 0xcafebabe; its next four bytes (minor, major version) read as `nfat_arch` give 45 or more,
/// so a count above this means "not Mach-O" rather than a broken universal file.
const MAX_FAT_ARCHES: u32 = 30;

/// Static archives can be universal too (`lipo` of two `.a` files).
const ARCHIVE_MAGIC: &[u8] = b"!<arch>\n";

/// Opens every slice of a universal file, in the order of its `fat_arch` table.
pub fn open_fat(bytes: &[u8]) -> Result<Vec<Slice<'_>>, InspectError> {
    let file = Reader::new(bytes, true);
    let magic = file.u32(0, "fat header")?;
    let entry_size = match magic {
        FAT_MAGIC => SIZEOF_FAT_ARCH as u64,
        FAT_MAGIC_64 => SIZEOF_FAT_ARCH_64,
        _ => return Err(InspectError::UnknownFormat),
    };
    let nfat_arch = file.u32(4, "fat header")?;
    if nfat_arch > MAX_FAT_ARCHES {
        return Err(InspectError::UnknownFormat);
    }
    if nfat_arch == 0 {
        return Err(InspectError::Malformed("fat header lists no architectures"));
    }
    let mut slices = Vec::with_capacity(nfat_arch as usize);
    for index in 0..u64::from(nfat_arch) {
        let at = SIZEOF_FAT_HEADER as u64 + index * entry_size;
        let cputype = file.u32(at, "fat_arch table")?;
        let (offset, size) = if magic == FAT_MAGIC_64 {
            (
                file.u64(at + 8, "fat_arch table")?,
                file.u64(at + 16, "fat_arch table")?,
            )
        } else {
            (
                u64::from(file.u32(at + 8, "fat_arch table")?),
                u64::from(file.u32(at + 12, "fat_arch table")?),
            )
        };
        let image = file.slice(
            offset,
            size,
            "universal file slice (fat_arch offset + size)",
        )?;
        if image.starts_with(ARCHIVE_MAGIC) {
            return Err(InspectError::StaticArchive);
        }
        let header = match MachHeader::parse(image) {
            Err(InspectError::UnknownFormat) => {
                return Err(InspectError::Malformed(
                    "universal file slice is not a Mach-O image",
                ));
            }
            other => other?,
        };
        if header.cputype != cputype {
            return Err(InspectError::Malformed(
                "fat_arch cputype disagrees with its slice's Mach-O header",
            ));
        }
        // Only the cputype is compared: it decides which CPU runs the slice. The slice is named
        // after its own header.
        slices.push(open_thin(image)?);
    }
    Ok(slices)
}
