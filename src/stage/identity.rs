//! Identity: tell whether two names are one file, and whether a name still holds the file it
//! held earlier.
//!
//! Linkers and cargo's uplift replace a directory entry rather than rewrite the old file
//! (docs/loader-rules.md §4), so a new build shows up as a different inode under the same name.

use std::fs::{self, Metadata};
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// Enough of a file's metadata to notice that its name now holds another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIdentity {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    dev_ino: (u64, u64),
}

impl FileIdentity {
    pub fn of(meta: &Metadata) -> Self {
        FileIdentity {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            dev_ino: dev_ino(meta),
        }
    }
}

#[cfg(unix)]
fn dev_ino(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Whether `a` and `b` are names of one inode. Windows has no stable way to ask, and needs
/// none: there a stale destination is always removed before the rename.
pub fn same_inode(a: &Metadata, b: &Metadata) -> bool {
    #[cfg(unix)]
    {
        dev_ino(a) == dev_ino(b)
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Whether `a` and `b` are the same directory entry (not merely two links to one file):
/// their directories resolve to one place and the file names match. The final components
/// are compared unresolved, so a symlink named like the artifact is not taken for it.
pub fn same_entry(a: &Path, b: &Path) -> io::Result<bool> {
    let (Some(a_name), Some(b_name)) = (a.file_name(), b.file_name()) else {
        return Ok(false);
    };
    if a_name != b_name {
        return Ok(false);
    }
    let a_dir = fs::canonicalize(parent_or_dot(a))?;
    let b_dir = fs::canonicalize(parent_or_dot(b))?;
    Ok(a_dir == b_dir)
}

fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}
