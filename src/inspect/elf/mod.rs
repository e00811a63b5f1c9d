//! ELF: placeholder, being written.
use super::{InspectError, Slice};
pub fn open(_bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    Err(InspectError::Unsupported("ELF not yet implemented"))
}
