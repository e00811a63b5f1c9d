//! Relative virtual addresses (RVAs) to file offsets, through the section table.
//!
//! Everything in the export directory points by RVA, i.e. into the image as the loader lays it
//! out in memory. Each section occupies `[VirtualAddress, VirtualAddress + VirtualSize)` there,
//! filled from `SizeOfRawData` bytes at `PointerToRawData` and zero beyond; the headers occupy
//! the first `SizeOfHeaders` bytes, copied from the start of the file.

use crate::inspect::InspectError;

/// The fields of one section header that place it in memory and in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Section {
    pub virtual_size: u32,
    pub virtual_address: u32,
    pub size_of_raw_data: u32,
    pub pointer_to_raw_data: u32,
}

impl Section {
    /// The part of the section that is backed by file bytes, as an RVA range.
    fn file_backed(&self) -> (u64, u64) {
        // Some linkers leave VirtualSize zero and give only SizeOfRawData.
        let in_memory = if self.virtual_size == 0 {
            self.size_of_raw_data
        } else {
            self.virtual_size
        };
        let start = u64::from(self.virtual_address);
        (
            start,
            start + u64::from(in_memory.min(self.size_of_raw_data)),
        )
    }
}

/// File bytes behind an RVA: where they start and where the run they belong to ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileSpan {
    pub offset: u64,
    /// Exclusive end of the section's file bytes (or of the headers): a string or table must
    /// not run past it, even if the file goes on.
    pub end: u64,
}

#[derive(Clone)]
pub(super) struct AddressMap {
    size_of_headers: u32,
    sections: Vec<Section>,
}

impl AddressMap {
    pub fn new(size_of_headers: u32, sections: Vec<Section>) -> Self {
        AddressMap {
            size_of_headers,
            sections,
        }
    }

    /// The file bytes behind `rva`; `what` names the table the RVA came from.
    pub fn locate(&self, rva: u32, what: &'static str) -> Result<FileSpan, InspectError> {
        let rva = u64::from(rva);
        for section in &self.sections {
            let (start, end) = section.file_backed();
            if (start..end).contains(&rva) {
                let file_start = u64::from(section.pointer_to_raw_data);
                return Ok(FileSpan {
                    offset: file_start + (rva - start),
                    end: file_start + (end - start),
                });
            }
        }
        // The headers map at RVA 0 and are seldom pointed into; sections take precedence.
        if rva < u64::from(self.size_of_headers) {
            return Ok(FileSpan {
                offset: rva,
                end: u64::from(self.size_of_headers),
            });
        }
        Err(InspectError::Malformed(what))
    }

    /// The file offset of `len` bytes at `rva`, which must all lie in one run of file bytes.
    pub fn locate_range(
        &self,
        rva: u32,
        len: u64,
        what: &'static str,
    ) -> Result<u64, InspectError> {
        let span = self.locate(rva, what)?;
        if span.end - span.offset < len {
            return Err(InspectError::Malformed(what));
        }
        Ok(span.offset)
    }
}
