//! The isolate journal: what an interrupted check left in the staging directory.
//!
//! `--stage isolate` renames cargo's output into `target/maturin/` and back. A run killed in
//! between (SIGKILL, a CI timeout) would leave the artifact there and cargo's path empty, and
//! nothing would say whose file it is — maturin leaves its own copies there too. So before the
//! rename a small record names the original path, and it is removed once the file is back (or
//! both were kept). Finding a record, the next staging under the same target directory puts the
//! file back where it belongs, never over a newer build, and says so.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::StageError;
use super::relocate::{FileOps, MoveBack, move_back};

/// What recovery did, for the user to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// An interrupted run had left the artifact in the staging directory; it is back.
    PutBack { from: PathBuf, to: PathBuf },
    /// Cargo's path holds a newer build; the interrupted run's older copy stays staged until
    /// the next staging replaces it.
    NewerBuildThere { stale: PathBuf, newer: PathBuf },
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovery::PutBack { from, to } => write!(
                f,
                "an interrupted earlier run had left the artifact at {}; it was put back to {}",
                from.display(),
                to.display()
            ),
            Recovery::NewerBuildThere { stale, newer } => write!(
                f,
                "an interrupted earlier run had left an older copy at {}; {} holds a newer build, which was kept",
                stale.display(),
                newer.display()
            ),
        }
    }
}

/// The record for the file named `file_name` in `staging_dir`.
pub fn record_path(staging_dir: &Path, file_name: &OsStr) -> PathBuf {
    let mut name = std::ffi::OsString::from(".pyinit-check-isolating.");
    name.push(file_name);
    staging_dir.join(name)
}

/// Records that `original` is about to be renamed into `staging_dir`.
pub(crate) fn record(staging_dir: &Path, file_name: &OsStr, original: &Path) -> io::Result<()> {
    let original = std::path::absolute(original)?;
    fs::write(
        record_path(staging_dir, file_name),
        original.to_string_lossy().as_bytes(),
    )
}

/// The original path an interrupted isolate left a file of this name for, if any.
pub fn interrupted_original(staging_dir: &Path, file_name: &OsStr) -> Option<PathBuf> {
    let text = fs::read_to_string(record_path(staging_dir, file_name)).ok()?;
    let original = PathBuf::from(text.trim_end_matches(['\n', '\r']));
    original.is_absolute().then_some(original)
}

/// Forgets the record (the file is back, or both copies are accounted for).
pub(crate) fn clear(staging_dir: &Path, file_name: &OsStr) {
    let _ = fs::remove_file(record_path(staging_dir, file_name));
}

/// Puts back what an interrupted isolate left at `staging_dir/file_name`. Safe without the
/// original's own profile lock: the move back never replaces an existing name.
pub(crate) fn recover(
    ops: &dyn FileOps,
    staging_dir: &Path,
    file_name: &OsStr,
) -> Result<Option<Recovery>, StageError> {
    let Some(original) = interrupted_original(staging_dir, file_name) else {
        // A record we cannot read names nothing; do not let it linger.
        if record_path(staging_dir, file_name).exists() {
            clear(staging_dir, file_name);
        }
        return Ok(None);
    };
    let staged = staging_dir.join(file_name);
    if fs::symlink_metadata(&staged).is_err() {
        clear(staging_dir, file_name);
        return Ok(None);
    }
    let recovery = match move_back(ops, &staged, &original)? {
        MoveBack::Done => Recovery::PutBack {
            from: staged,
            to: original,
        },
        MoveBack::Occupied => Recovery::NewerBuildThere {
            stale: staged,
            newer: original,
        },
    };
    clear(staging_dir, file_name);
    Ok(Some(recovery))
}
