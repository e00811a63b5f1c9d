//! Why an input cannot be checked, found before any byte of it is read.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

use super::cargo::CargoError;
use super::wheel::WheelError;

#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: a symbolic link to nothing (its target does not exist)")]
    DanglingLink { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{path}: no Python extension modules or wheels found in this directory")]
    NothingInDirectory { path: PathBuf },
    #[error("{path}: not a regular file or directory (a FIFO, socket or device)")]
    NotAFile { path: PathBuf },
    #[error(transparent)]
    Wheel(#[from] WheelError),
    #[error(transparent)]
    Cargo(#[from] CargoError),
}
