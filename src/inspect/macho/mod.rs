//! Mach-O: placeholder, being written.
use super::{InspectError, Slice};
pub fn open_thin(_bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    Err(InspectError::Unsupported("Mach-O not yet implemented"))
}
pub fn open_fat(_bytes: &[u8]) -> Result<Vec<Slice<'_>>, InspectError> {
    Err(InspectError::Unsupported("Mach-O not yet implemented"))
}
