//! PE: placeholder, being written.
use super::{InspectError, Slice};
pub fn open(_bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    Err(InspectError::Unsupported("PE not yet implemented"))
}
