//! Stage errors: every message names the file it is about and says what went wrong, and,
//! where a file was left somewhere unexpected, where it is now.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StageError {
    /// Checked under cargo's lock: a build that was relinking the file when it was discovered
    /// has finished, and the file is still not there.
    #[error("{path} not found — run cargo build first")]
    NotBuilt { path: PathBuf },

    #[error("{path}: cannot read file information: {source}")]
    Metadata { path: PathBuf, source: io::Error },

    /// Staging renames or copies one regular file; a symlink would move only the link and
    /// leave the bytes where a build can still replace them.
    #[error("{path}: cannot stage: not a regular file")]
    NotAFile { path: PathBuf },

    #[error("{path}: cannot stage: the path has no file name")]
    NoFileName { path: PathBuf },

    #[error("{dir}: cannot create the staging directory: {source}")]
    CreateDir { dir: PathBuf, source: io::Error },

    #[error(
        "{path}: cannot write pyinit-check's staging record (the staging directory must be writable): {source}"
    )]
    Journal { path: PathBuf, source: io::Error },

    #[error("{path}: cannot remove the stale staged file: {source}")]
    RemoveStale { path: PathBuf, source: io::Error },

    #[error("{from}: cannot move to {to}: {source}")]
    Rename {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },

    #[error("{from}: cannot copy to {to}: {source} (the original was left where it is)")]
    Copy {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },

    #[error("{path}: cannot open cargo's build lock: {source}")]
    LockOpen { path: PathBuf, source: io::Error },

    #[error("{path}: cannot take a shared lock on cargo's build lock: {source}")]
    Lock { path: PathBuf, source: io::Error },

    #[error(
        "{path}: cargo still holds its build lock after {waited:?}; \
         wait for the build to finish or raise --lock-timeout (seconds)"
    )]
    LockTimeout { path: PathBuf, waited: Duration },

    #[error(
        "{staged}: cannot move back to {original}: {source}; the artifact is still at {staged}"
    )]
    MoveBack {
        staged: PathBuf,
        original: PathBuf,
        source: io::Error,
    },

    #[error(
        "{staged}: the artifact is back at {original}, but this second name for it \
         could not be removed: {source}"
    )]
    RemoveStaged {
        staged: PathBuf,
        original: PathBuf,
        source: io::Error,
    },

    #[error(
        "{staged}: cannot remove the staged copy (the original is intact at {original}): {source}"
    )]
    RemoveCopy {
        staged: PathBuf,
        original: PathBuf,
        source: io::Error,
    },

    /// `finish` could not take cargo's locks, so nothing was moved back.
    #[error("{staged}: not moved back to {original}, the artifact is still here: {cause}")]
    Unfinished {
        staged: PathBuf,
        original: PathBuf,
        #[source]
        cause: Box<StageError>,
    },
}
