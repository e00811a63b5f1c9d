//! Relocate: the file-system moves staging makes — rename, reflink-or-copy into place, and
//! the no-clobber move back.
//!
//! The primitive operations go through [`FileOps`] so tests can make a rename cross devices or
//! a copy fail half-way, which a test machine cannot be relied on to do by itself.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process;
use std::sync::atomic::{AtomicU64, Ordering};

use super::StageError;
use super::identity::same_inode;

/// The file-system operations staging is built on.
pub(crate) trait FileOps {
    /// Renames `from` to `to`, replacing a file at `to` (where the platform allows).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Copies `from` to `to`, which must not exist, cloning the extents where the file system
    /// can. May leave a partial `to` behind on error.
    fn copy_new(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Adds the name `link` for `original`; fails with `AlreadyExists` if `link` is taken.
    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()>;
}

/// The real file system.
pub(crate) struct RealFs;

impl FileOps for RealFs {
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn copy_new(&self, from: &Path, to: &Path) -> io::Result<()> {
        reflink_copy::reflink_or_copy(from, to).map(|_| ())
    }

    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()> {
        fs::hard_link(original, link)
    }
}

/// How the artifact reached the staging directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    Renamed,
    /// Copied; the original stayed where it was.
    Copied {
        cross_device: bool,
    },
}

/// Makes `dest` free for the artifact.
///
/// `dest` can be another name for the artifact itself (a hard link, left by hand or by a
/// tool that links instead of copying). Removing that name is safe, since the artifact's own
/// name still holds the bytes, and it is needed: renaming between two names of one inode
/// succeeds on Unix without doing anything, which would leave the artifact at cargo's path.
pub(crate) fn remove_stale(dest: &Path) -> Result<(), StageError> {
    let stale = match fs::symlink_metadata(dest) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(StageError::Metadata {
                path: dest.to_path_buf(),
                source,
            });
        }
    };
    if stale.is_dir() {
        // Never delete a directory tree the user may have put there.
        return Err(StageError::RemoveStale {
            path: dest.to_path_buf(),
            source: io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"),
        });
    }
    fs::remove_file(dest).map_err(|source| StageError::RemoveStale {
        path: dest.to_path_buf(),
        source,
    })
}

/// Renames `artifact` to `dest`; across file systems only, copies it instead and leaves the
/// original where it was.
pub(crate) fn rename_or_copy(
    ops: &dyn FileOps,
    artifact: &Path,
    dest: &Path,
) -> Result<Moved, StageError> {
    match ops.rename(artifact, dest) {
        Ok(()) => {
            drop_leftover_link(artifact, dest)?;
            Ok(Moved::Renamed)
        }
        Err(error) if error.kind() == io::ErrorKind::CrossesDevices => {
            copy_into_place(ops, artifact, dest)?;
            Ok(Moved::Copied { cross_device: true })
        }
        Err(source) => Err(StageError::Rename {
            from: artifact.to_path_buf(),
            to: dest.to_path_buf(),
            source,
        }),
    }
}

/// After a successful rename the artifact's name must be gone. If it is still there as the
/// same inode as `dest`, the rename was the silent no-op between two links of one file (a
/// link made after [`remove_stale`] ran): drop the extra name, the bytes stay at `dest`.
fn drop_leftover_link(artifact: &Path, dest: &Path) -> Result<(), StageError> {
    let Ok(left) = fs::symlink_metadata(artifact) else {
        return Ok(());
    };
    let staged = fs::symlink_metadata(dest).map_err(|source| StageError::Metadata {
        path: dest.to_path_buf(),
        source,
    })?;
    if same_inode(&left, &staged) {
        fs::remove_file(artifact).map_err(|source| StageError::Rename {
            from: artifact.to_path_buf(),
            to: dest.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Distinguishes temporary files of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// How many temporary names to try before giving up on collisions with leftovers.
const TEMP_ATTEMPTS: u32 = 16;

/// Copies `from` to `dest` through a temporary file beside `dest`, renamed into place when
/// complete, so a half-written file never carries the final name. `from` is only read.
pub(crate) fn copy_into_place(
    ops: &dyn FileOps,
    from: &Path,
    dest: &Path,
) -> Result<(), StageError> {
    let copy_error = |source| StageError::Copy {
        from: from.to_path_buf(),
        to: dest.to_path_buf(),
        source,
    };
    let mut attempt = 0;
    let temp = loop {
        let temp = temp_path(dest).ok_or_else(|| {
            copy_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the destination has no file name",
            ))
        })?;
        match ops.copy_new(from, &temp) {
            Ok(()) => break temp,
            // A leftover of a crashed run with our pid: take the next name, never clobber.
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                attempt += 1;
                if attempt >= TEMP_ATTEMPTS {
                    return Err(copy_error(error));
                }
            }
            Err(source) => {
                // The copy's own error is the one worth reporting; a temporary name that
                // cannot be removed either is harmless to the next run, which picks another.
                let _ = fs::remove_file(&temp);
                return Err(copy_error(source));
            }
        }
    };
    ops.rename(&temp, dest).map_err(|source| {
        let _ = fs::remove_file(&temp);
        StageError::Rename {
            from: temp.clone(),
            to: dest.to_path_buf(),
            source,
        }
    })
}

/// `.<name>.tmp-<pid>-<n>` beside `dest`: hidden, and never the final name.
fn temp_path(dest: &Path) -> Option<PathBuf> {
    let name = dest.file_name()?;
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temp = OsString::from(".");
    temp.push(name);
    temp.push(format!(".tmp-{}-{n}", process::id()));
    Some(dest.with_file_name(temp))
}

/// Whether the move back put the artifact at cargo's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveBack {
    Done,
    /// Cargo's path was taken meanwhile (a newer build); the staged file was kept.
    Occupied,
}

/// Moves `staged` back to `original` only if `original` is vacant, atomically: a hard link
/// cannot replace an existing name, and the staged name is removed only once the link is
/// made. The caller holds cargo's locks.
pub(crate) fn move_back(
    ops: &dyn FileOps,
    staged: &Path,
    original: &Path,
) -> Result<MoveBack, StageError> {
    let move_error = |source| StageError::MoveBack {
        staged: staged.to_path_buf(),
        original: original.to_path_buf(),
        source,
    };
    match ops.hard_link(staged, original) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            return Ok(MoveBack::Occupied);
        }
        // File systems without hard links (FAT, some network shares) refuse with one of
        // these. There, a vacancy check and a rename is the best we have; the race it leaves
        // is with writers other than cargo, whose locks we hold.
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied
            ) =>
        {
            match fs::symlink_metadata(original) {
                Ok(_) => return Ok(MoveBack::Occupied),
                Err(vacant) if vacant.kind() == io::ErrorKind::NotFound => {}
                Err(other) => return Err(move_error(other)),
            }
            ops.rename(staged, original).map_err(move_error)?;
            return Ok(MoveBack::Done);
        }
        Err(source) => return Err(move_error(source)),
    }
    fs::remove_file(staged).map_err(|source| StageError::RemoveStaged {
        staged: staged.to_path_buf(),
        original: original.to_path_buf(),
        source,
    })?;
    Ok(MoveBack::Done)
}
