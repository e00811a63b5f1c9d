//! Map: give inspection the bytes of a file without reading it.
//!
//! A read-only mapping costs nothing up front: the kernel brings in only the pages the
//! lookup touches, so a multi-gigabyte debug build is checked as quickly as a small one.

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum MapError {
    #[error("{path}: cannot open: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("{path}: cannot map into memory: {source}")]
    Map { path: PathBuf, source: io::Error },
}

/// The bytes of a file, mapped read-only.
pub struct MappedFile {
    /// `None` for an empty file, which cannot be mapped.
    map: Option<Mmap>,
}

impl Deref for MappedFile {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

/// Maps `path` read-only.
///
/// Callers must have made sure the file will not be truncated while mapped: cargo outputs are
/// staged first (see `stage`), and the caller holds cargo's build locks where cargo could
/// write the file in place.
pub fn map_file(path: &Path) -> Result<MappedFile, MapError> {
    let file = File::open(path).map_err(|source| MapError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let len = file
        .metadata()
        .map_err(|source| MapError::Open {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if len == 0 {
        return Ok(MappedFile { map: None });
    }
    // SAFETY: the mapping is read-only and private to this process; the Rust-level hazard is
    // another process truncating or rewriting the file while we hold `&[u8]` into it (reads
    // past a truncation raise SIGBUS). pyinit-check never maps a file that a build can still
    // write in place: cargo outputs are renamed or copied into `target/maturin/` before they
    // are mapped, and in the no-staging mode cargo's build locks are held for the whole life
    // of the mapping. Linkers replace an output's directory entry rather than rewriting its
    // inode (docs/loader-rules.md §4), so a concurrent rebuild cannot change the bytes we map.
    let map = unsafe { Mmap::map(&file) }.map_err(|source| MapError::Map {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(MappedFile { map: Some(map) })
}
