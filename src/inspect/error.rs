//! Why a file could not be inspected: the bytes are not a binary we know, or they break the
//! format's own rules. Each message names the table that was bad, never a Rust type.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InspectError {
    #[error("file is empty")]
    Empty,
    #[error("not a shared library: unknown file format (no ELF, Mach-O or PE magic number)")]
    UnknownFormat,
    #[error("static archive (.a/.lib), not a shared library")]
    StaticArchive,
    #[error("truncated: {0} extends past the end of the file")]
    Truncated(&'static str),
    #[error("malformed: {0}")]
    Malformed(&'static str),
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
}
