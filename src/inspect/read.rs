//! Bounds-checked reads at file offsets, in the byte order a header declared.
//!
//! Every format reader goes through this so that a hostile or truncated file produces an
//! [`InspectError`] naming the table that ran off the end, never a panic.

use super::InspectError;

/// A borrowed view of a file with its byte order.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub bytes: &'a [u8],
    pub big_endian: bool,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], big_endian: bool) -> Self {
        Reader { bytes, big_endian }
    }

    /// `len` bytes at `offset`; `what` names the structure for the error message.
    pub fn slice(
        &self,
        offset: u64,
        len: u64,
        what: &'static str,
    ) -> Result<&'a [u8], InspectError> {
        let start = usize::try_from(offset).map_err(|_| InspectError::Truncated(what))?;
        let len = usize::try_from(len).map_err(|_| InspectError::Truncated(what))?;
        let end = start
            .checked_add(len)
            .ok_or(InspectError::Truncated(what))?;
        self.bytes
            .get(start..end)
            .ok_or(InspectError::Truncated(what))
    }

    pub fn u8(&self, offset: u64, what: &'static str) -> Result<u8, InspectError> {
        Ok(self.slice(offset, 1, what)?[0])
    }

    pub fn u16(&self, offset: u64, what: &'static str) -> Result<u16, InspectError> {
        let b: [u8; 2] = self.array(offset, what)?;
        Ok(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    pub fn u32(&self, offset: u64, what: &'static str) -> Result<u32, InspectError> {
        let b: [u8; 4] = self.array(offset, what)?;
        Ok(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    pub fn u64(&self, offset: u64, what: &'static str) -> Result<u64, InspectError> {
        let b: [u8; 8] = self.array(offset, what)?;
        Ok(if self.big_endian {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }

    /// A 32- or 64-bit word, as the file's class says.
    pub fn word(&self, offset: u64, is_64: bool, what: &'static str) -> Result<u64, InspectError> {
        if is_64 {
            self.u64(offset, what)
        } else {
            self.u32(offset, what).map(u64::from)
        }
    }

    /// The NUL-terminated string at `offset`, which must end before `limit` (exclusive).
    pub fn c_str(
        &self,
        offset: u64,
        limit: u64,
        what: &'static str,
    ) -> Result<&'a [u8], InspectError> {
        let limit = limit.min(self.bytes.len() as u64);
        if offset >= limit {
            return Err(InspectError::Truncated(what));
        }
        let region = self.slice(offset, limit - offset, what)?;
        // `from_bytes_until_nul` finds the NUL with the library's word-at-a-time search.
        std::ffi::CStr::from_bytes_until_nul(region)
            .map(std::ffi::CStr::to_bytes)
            .map_err(|_| InspectError::Truncated(what))
    }

    /// An unsigned LEB128 number at `offset`; returns the value and the offset after it.
    pub fn uleb128(&self, offset: u64, what: &'static str) -> Result<(u64, u64), InspectError> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        let mut at = offset;
        loop {
            let byte = self.u8(at, what)?;
            at += 1;
            if shift >= 64 || (shift == 63 && byte & 0x7e != 0) {
                return Err(InspectError::Malformed(what));
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok((value, at));
            }
            shift += 7;
        }
    }

    fn array<const N: usize>(
        &self,
        offset: u64,
        what: &'static str,
    ) -> Result<[u8; N], InspectError> {
        let s = self.slice(offset, N as u64, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }
}
