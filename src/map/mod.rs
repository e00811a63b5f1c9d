//! Map: give inspection the bytes of a file without reading it.
//!
//! A read-only mapping costs nothing up front: the kernel brings in only the pages the
//! lookup touches, so a multi-gigabyte debug build is checked as quickly as a small one.
//! A file that shrinks or changes while mapped is detected, never a crash (see
//! [`MappedFile::changed`]).

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use thiserror::Error;

#[cfg(unix)]
mod fault_guard;

#[derive(Debug, Error)]
pub enum MapError {
    #[error("{path}: cannot open: {source}")]
    Open { path: PathBuf, source: io::Error },
    #[error("{path}: cannot map into memory: {source}")]
    Map { path: PathBuf, source: io::Error },
}

/// The bytes of a file, mapped read-only, and what is needed to tell afterwards whether
/// the file changed while it was read.
pub struct MappedFile {
    /// `None` for an empty file, which cannot be mapped.
    map: Option<Mmap>,
    file: File,
    /// The file's size and modification time when it was mapped.
    seen: Option<(u64, Option<std::time::SystemTime>)>,
    #[cfg(unix)]
    guard: Option<fault_guard::Guard>,
}

impl Deref for MappedFile {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}

impl MappedFile {
    /// Whether the file was truncated or rewritten in place since it was mapped: a read past
    /// its new end faulted (and read zeros), or its size or modification time moved. The bytes
    /// read are then not the file's, and no verdict may rest on them.
    pub fn changed(&self) -> bool {
        #[cfg(unix)]
        if self.guard.as_ref().is_some_and(fault_guard::Guard::faulted) {
            return true;
        }
        let now = self
            .file
            .metadata()
            .ok()
            .map(|metadata| (metadata.len(), metadata.modified().ok()));
        now != self.seen
    }
}

/// Maps `path` read-only.
///
/// A file the check does not own can change at any moment: see [`MappedFile::changed`], which
/// callers ask once they have read what they need.
pub fn map_file(path: &Path) -> Result<MappedFile, MapError> {
    let file = File::open(path).map_err(|source| MapError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    map_open_file(file, path)
}

/// Maps a file already open (a wheel member spilled to a temporary file); `path` names it in
/// errors.
pub fn map_open_file(file: File, path: &Path) -> Result<MappedFile, MapError> {
    let open_error = |source| MapError::Open {
        path: path.to_path_buf(),
        source,
    };
    let metadata = file.metadata().map_err(open_error)?;
    let seen = Some((metadata.len(), metadata.modified().ok()));
    if metadata.len() == 0 {
        return Ok(MappedFile {
            map: None,
            file,
            seen,
            #[cfg(unix)]
            guard: None,
        });
    }
    // SAFETY: the mapping is read-only and private to this process. The hazard is another
    // process changing the file while `&[u8]` into it is alive:
    // - Truncation: a read past the new end raises SIGBUS. On Unix the mapping is registered
    //   with `fault_guard` before any byte is read, whose handler maps zeros over the faulting
    //   page and records the fault, so the read completes and `changed()` reports it; on
    //   Windows a mapped file cannot be truncated at all.
    // - Rewriting in place: the bytes may change under the readers. Every reader treats the
    //   bytes as untrusted input and bounds-checks each access against the slice length, which
    //   never changes, so new bytes can only yield a wrong answer, never a read out of bounds;
    //   `changed()` compares size and modification time afterwards, so that answer is
    //   reported as "changed while it was being read" instead of as a verdict.
    // Cargo outputs are moreover staged out of cargo's way, or checked under cargo's build
    // locks, and linkers replace an output's directory entry rather than rewriting its inode
    // (docs/loader-rules.md §4), so for them neither case arises from a build.
    let map = unsafe { Mmap::map(&file) }.map_err(|source| MapError::Map {
        path: path.to_path_buf(),
        source,
    })?;
    #[cfg(unix)]
    let guard = Some(fault_guard::Guard::register(map.as_ptr(), map.len()));
    Ok(MappedFile {
        map: Some(map),
        file,
        seen,
        #[cfg(unix)]
        guard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Deterministic: the file shrinks after it is mapped, then the check reads past the new
    /// end. Without the guard this process would die of SIGBUS.
    #[cfg(unix)]
    #[test]
    fn a_read_past_a_truncated_end_is_reported_not_fatal() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&vec![0xabu8; 3 * 65536]).unwrap();
        file.flush().unwrap();
        let mapped = map_file(file.path()).unwrap();
        assert!(!mapped.changed());
        std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(file.path())
            .unwrap();
        let past_the_end = mapped[2 * 65536 + 17];
        assert_eq!(past_the_end, 0, "the faulting page reads as zeros");
        assert!(mapped.changed());
        drop(mapped);
        // A later mapping of the same file is guarded afresh.
        file.as_file().set_len(4096).unwrap();
        let again = map_file(file.path()).unwrap();
        assert!(!again.changed());
    }

    #[test]
    fn a_file_rewritten_in_place_is_changed() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"first version").unwrap();
        file.flush().unwrap();
        let mapped = map_file(file.path()).unwrap();
        std::fs::write(file.path(), b"a longer second version").unwrap();
        assert!(mapped.changed());
    }
}
