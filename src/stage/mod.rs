//! Stage: get a cargo output out of the way of the next build before it is mapped.
//!
//! Mapping a file that cargo or rust-analyzer may rewrite at the same moment is what made
//! maturin's mmap unsound. So a cargo output is first renamed (or, across file systems,
//! copied) into `<target-dir>/maturin/`, where no build writes, under shared locks on cargo's
//! build locks; or, in [`StageMode::None`], checked in place with those locks held for as
//! long as the mapping lives. Nothing is ever overwritten that a build wrote: when a newer
//! build took cargo's path meanwhile, both files are kept and reported.

mod error;
mod identity;
pub mod journal;
mod lock;
mod relocate;

#[cfg(test)]
mod tests;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::ValueEnum;

pub use error::StageError;
pub use journal::Recovery;
pub use lock::{BuildLocks, LOCK_FILES, wait_message};
pub use relocate::Moved;

use identity::{FileIdentity, same_entry};
use relocate::{FileOps, MoveBack, RealFs, copy_into_place, move_back, remove_stale};

/// The staging directory's name inside the target directory (maturin's layout).
pub const STAGING_DIR: &str = "maturin";

/// Where an artifact is checked, and where it ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum StageMode {
    /// Move it into `target/maturin/`, check it there, move it back if cargo's path is free.
    #[default]
    Isolate,
    /// Move it into `target/maturin/` and leave it there (maturin's layout).
    Move,
    /// Copy it into `target/maturin/` (a reflink where possible); the original is not touched.
    Copy,
    /// Check it in place, holding cargo's build locks meanwhile.
    None,
}

/// One cargo output to stage.
#[derive(Debug, Clone)]
pub struct StageRequest<'a> {
    /// The file as cargo left it, e.g. `target/release/libfoo.so`.
    pub artifact: &'a Path,
    /// Cargo's target directory; the staging directory is created inside it.
    pub target_dir: &'a Path,
    /// The directory holding cargo's lock files: `<target-dir>/[<triple>/]<profile>`.
    pub profile_dir: &'a Path,
    pub mode: StageMode,
    /// How long to wait in all for a build holding cargo's locks.
    pub lock_timeout: Duration,
}

/// Where the artifact is while it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At cargo's path ([`StageMode::None`]).
    InPlace,
    /// The artifact already was in the staging directory; nothing moved.
    AlreadyStaged,
    /// Renamed or copied into the staging directory.
    Staged(Moved),
}

/// An artifact ready to be checked at [`Staged::check_path`].
///
/// Drop every mapping of the file before calling [`Staged::finish`] (Windows cannot remove a
/// mapped file's name). In [`StageMode::None`], keep this value alive for as long as the file
/// is mapped: it holds cargo's locks.
#[derive(Debug)]
#[must_use = "call finish() to move the artifact back and release cargo's locks"]
pub struct Staged {
    original: PathBuf,
    check_path: PathBuf,
    mode: StageMode,
    placement: Placement,
    profile_dir: PathBuf,
    lock_timeout: Duration,
    /// The original as it was when copied, to tell a newer build from it at `finish`.
    copied_from: Option<FileIdentity>,
    /// Held only in [`StageMode::None`].
    locks: Option<BuildLocks>,
    /// What an interrupted earlier run had left, and what became of it.
    recovered: Option<Recovery>,
    /// The staging lock on this file name, held until [`Staged::finish`].
    record: Option<journal::Record>,
}

/// Where the artifact is once staging is finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageOutcome {
    /// Checked where cargo put it; nothing moved.
    InPlace { path: PathBuf },
    /// Moved back to cargo's path; the staging directory has no trace of it.
    MovedBack { path: PathBuf },
    /// The original never moved (the rename crossed file systems, so it was copied) and the
    /// copy was removed.
    CopyRemoved { original: PathBuf },
    /// A newer build took cargo's path meanwhile: both files are kept.
    KeptBoth {
        staged: PathBuf,
        newer_at_original: PathBuf,
    },
    /// Cargo's path is empty now (something removed the original after it was copied); the
    /// checked copy is kept.
    OriginalGone { staged: PathBuf, original: PathBuf },
    /// Left in the staging directory ([`StageMode::Move`]).
    LeftStaged { staged: PathBuf },
    /// Copied; the original is untouched and the copy stays in the staging directory.
    Copied { staged: PathBuf, original: PathBuf },
}

impl StageOutcome {
    /// Where the checked file stays in the staging directory, when it stays there.
    pub fn staged(&self) -> Option<&Path> {
        match self {
            StageOutcome::LeftStaged { staged }
            | StageOutcome::Copied { staged, .. }
            | StageOutcome::KeptBoth { staged, .. }
            | StageOutcome::OriginalGone { staged, .. } => Some(staged),
            StageOutcome::InPlace { .. }
            | StageOutcome::MovedBack { .. }
            | StageOutcome::CopyRemoved { .. } => None,
        }
    }

    /// Whether a build (or something else) changed cargo's path meanwhile, so the file did
    /// not end up where the mode promised and the user should be told where it is.
    pub fn is_unexpected(&self) -> bool {
        matches!(
            self,
            StageOutcome::KeptBoth { .. } | StageOutcome::OriginalGone { .. }
        )
    }
}

impl fmt::Display for StageOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StageOutcome::InPlace { path } => write!(f, "checked in place at {}", path.display()),
            StageOutcome::MovedBack { path } => write!(f, "moved back to {}", path.display()),
            StageOutcome::CopyRemoved { original } => write!(
                f,
                "left at {}; the staged copy was removed",
                original.display()
            ),
            StageOutcome::KeptBoth {
                staged,
                newer_at_original,
            } => write!(
                f,
                "a newer build is at {}; the checked file was kept at {}",
                newer_at_original.display(),
                staged.display()
            ),
            StageOutcome::OriginalGone { staged, original } => write!(
                f,
                "{} was removed meanwhile; the checked copy was kept at {}",
                original.display(),
                staged.display()
            ),
            StageOutcome::LeftStaged { staged } => write!(f, "moved to {}", staged.display()),
            StageOutcome::Copied { staged, original } => write!(
                f,
                "copied to {}; the original is at {}",
                staged.display(),
                original.display()
            ),
        }
    }
}

/// Stages `req.artifact` as `req.mode` says. `on_wait` is called once if cargo holds a lock
/// we need (see [`wait_message`]).
pub fn stage(req: &StageRequest, on_wait: &mut dyn FnMut(&Path)) -> Result<Staged, StageError> {
    stage_with(req, &RealFs, on_wait)
}

pub(crate) fn stage_with(
    req: &StageRequest,
    ops: &dyn FileOps,
    on_wait: &mut dyn FnMut(&Path),
) -> Result<Staged, StageError> {
    let mut staged = Staged {
        original: req.artifact.to_path_buf(),
        check_path: req.artifact.to_path_buf(),
        mode: req.mode,
        placement: Placement::InPlace,
        profile_dir: req.profile_dir.to_path_buf(),
        lock_timeout: req.lock_timeout,
        copied_from: None,
        locks: None,
        recovered: None,
        record: None,
    };
    let artifact = req.artifact;
    let name = artifact.file_name().ok_or_else(|| StageError::NoFileName {
        path: artifact.to_path_buf(),
    })?;
    let dir = req.target_dir.join(STAGING_DIR);
    let dest = dir.join(name);
    if req.mode == StageMode::None {
        let locks = lock::acquire(req.profile_dir, req.lock_timeout, on_wait)?;
        if journal::record_path(&dir, name).exists() {
            let mut record = journal::Record::take(&dir, name, req.lock_timeout, on_wait)?;
            match record.recover(ops, &dest) {
                Ok(recovered) => {
                    // A superseded copy stays, still marked as this tool's, for isolate to
                    // replace: checking in place must not make it look like maturin's own.
                    record.end_unstaged(recovered.as_ref());
                    staged.recovered = recovered;
                }
                Err(error) => {
                    record.close();
                    return Err(error);
                }
            }
        }
        artifact_metadata(req.artifact)?;
        staged.locks = Some(locks);
        return Ok(staged);
    }

    // Held until this function returns: the staged file is out of cargo's reach after that.
    let _locks = lock::acquire(req.profile_dir, req.lock_timeout, on_wait)?;
    if fs::symlink_metadata(&dir).is_err() {
        // No staging directory, so nothing an earlier run could have left: an artifact that is
        // not there is simply not built, and no directory is created for it.
        artifact_metadata(artifact)?;
    }
    fs::create_dir_all(&dir).map_err(|source| StageError::CreateDir {
        dir: dir.clone(),
        source,
    })?;
    // Held until finish(): no other pyinit-check stages this name meanwhile.
    let mut record = journal::Record::take(&dir, name, req.lock_timeout, on_wait)?;
    match stage_under_record(req, ops, &mut record, &mut staged, (&dir, name)) {
        Ok(()) => {
            staged.record = Some(record);
            Ok(staged)
        }
        Err(error) => {
            record.close();
            Err(error)
        }
    }
}

/// The part of staging done while this run alone stages the file name.
fn stage_under_record(
    req: &StageRequest,
    ops: &dyn FileOps,
    record: &mut journal::Record,
    staged: &mut Staged,
    (dir, name): (&Path, &std::ffi::OsStr),
) -> Result<(), StageError> {
    let artifact = req.artifact;
    let dest = &dir.join(name);
    staged.recovered = record.recover(ops, dest)?;
    let meta = artifact_metadata(artifact)?;
    if !meta.is_file() {
        return Err(StageError::NotAFile {
            path: artifact.to_path_buf(),
        });
    }
    if same_entry(artifact, dest).map_err(|source| StageError::Metadata {
        path: artifact.to_path_buf(),
        source,
    })? {
        // Already in the staging directory, where no build writes: removing the "stale"
        // destination would delete the artifact itself.
        staged.placement = Placement::AlreadyStaged;
        return Ok(());
    }
    // A file at maturin's path that is not the artifact may be maturin's own (left by a
    // build that failed after linking): isolate never deletes it and stages beside it.
    // Move and copy put the artifact in maturin's place, as the next `maturin build` would.
    // A copy this run's recovery found stale (its record proved it ours) may go; so may
    // another name of the artifact's own inode.
    let ours =
        matches!(&staged.recovered, Some(Recovery::NewerBuildThere { stale, .. }) if stale == dest);
    let occupied =
        fs::symlink_metadata(dest).is_ok_and(|there| !ours && !identity::same_inode(&there, &meta));
    let beside = (req.mode == StageMode::Isolate && occupied).then(|| journal::beside(dir, name));
    let dest = beside.as_deref().unwrap_or(dest);
    remove_stale(dest)?;
    if req.mode == StageMode::Isolate {
        record.note(artifact, beside.as_deref())?;
    }
    let moved = if req.mode == StageMode::Copy {
        copy_into_place(ops, artifact, dest)?;
        Moved::Copied {
            cross_device: false,
        }
    } else {
        relocate::rename_or_copy(ops, artifact, dest)?
    };
    if let Moved::Copied { .. } = moved {
        // The original never moved: nothing to put back if this run is interrupted.
        record.forget();
        staged.copied_from = Some(FileIdentity::of(&meta));
    }
    staged.check_path = dest.to_path_buf();
    staged.placement = Placement::Staged(moved);
    Ok(())
}

/// The artifact's own metadata (not a symlink's target), read under cargo's locks: only
/// there does "missing" mean "not built" rather than "being relinked by a build right now".
fn artifact_metadata(artifact: &Path) -> Result<fs::Metadata, StageError> {
    fs::symlink_metadata(artifact).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => StageError::NotBuilt {
            path: artifact.to_path_buf(),
        },
        _ => StageError::Metadata {
            path: artifact.to_path_buf(),
            source,
        },
    })
}

impl Staged {
    /// Where to check the artifact.
    pub fn check_path(&self) -> &Path {
        &self.check_path
    }

    /// Cargo's path for the artifact.
    pub fn original(&self) -> &Path {
        &self.original
    }

    pub fn mode(&self) -> StageMode {
        self.mode
    }

    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// What an interrupted earlier run had left in the staging directory, and what became of it.
    pub fn recovered(&self) -> Option<&Recovery> {
        self.recovered.as_ref()
    }

    /// The staged path, when the artifact is checked somewhere other than cargo's path.
    pub fn staged_path(&self) -> Option<&Path> {
        matches!(self.placement, Placement::Staged(_)).then_some(self.check_path.as_path())
    }

    /// Ends staging: in [`StageMode::Isolate`] moves the artifact back to cargo's path if it is
    /// still vacant (taking cargo's locks again, so `on_wait` may be called); releases the
    /// locks of [`StageMode::None`]; says where the artifact is.
    pub fn finish(self, on_wait: &mut dyn FnMut(&Path)) -> Result<StageOutcome, StageError> {
        self.finish_with(&RealFs, on_wait)
    }

    pub(crate) fn finish_with(
        self,
        ops: &dyn FileOps,
        on_wait: &mut dyn FnMut(&Path),
    ) -> Result<StageOutcome, StageError> {
        let record = self.record;
        let moved = match self.placement {
            Placement::InPlace | Placement::AlreadyStaged => {
                if let Some(record) = record {
                    record.end_unstaged(self.recovered.as_ref());
                }
                return Ok(StageOutcome::InPlace {
                    path: self.check_path,
                });
            }
            Placement::Staged(moved) => moved,
        };
        let staged = self.check_path;
        let original = self.original;
        match (self.mode, moved) {
            (StageMode::Isolate, _) => {}
            (_, Moved::Renamed) => {
                close(record);
                return Ok(StageOutcome::LeftStaged { staged });
            }
            (_, Moved::Copied { .. }) => {
                close(record);
                return Ok(StageOutcome::Copied { staged, original });
            }
        }

        let _locks = match lock::acquire(&self.profile_dir, self.lock_timeout, on_wait) {
            Ok(locks) => locks,
            Err(cause) => {
                return Err(StageError::Unfinished {
                    staged,
                    original,
                    cause: Box::new(cause),
                });
            }
        };
        match moved {
            Moved::Renamed => {
                // Until the file is back (or both are kept), the record keeps its original
                // path for the next run: an error here drops the record without closing it.
                let outcome = match move_back(ops, &staged, &original)? {
                    MoveBack::Done => StageOutcome::MovedBack { path: original },
                    MoveBack::Occupied => StageOutcome::KeptBoth {
                        staged: staged.clone(),
                        newer_at_original: original,
                    },
                };
                settle(record, &outcome);
                Ok(outcome)
            }
            Moved::Copied { .. } => {
                let outcome = discard_copy(staged, original, self.copied_from.as_ref());
                if let Ok(outcome) = &outcome {
                    settle(record, outcome);
                }
                outcome
            }
        }
    }
}

/// Ends an isolate's record. When both files were kept, the older one in the staging
/// directory is this tool's and superseded, yet looks like maturin's own leftover (which is
/// never deleted): the record keeps naming it, so the next run knows it may replace it.
fn settle(record: Option<journal::Record>, outcome: &StageOutcome) {
    match (record, outcome) {
        (
            Some(record),
            StageOutcome::KeptBoth {
                staged,
                newer_at_original,
            },
        ) => record.keep_for_next_run(newer_at_original, staged),
        (record, _) => close(record),
    }
}

/// Removes the record and releases the staging lock, if held.
fn close(record: Option<journal::Record>) {
    if let Some(record) = record {
        record.close();
    }
}

/// Isolate after a copy: the original never moved, so the copy goes, unless cargo's path now
/// holds another file (a newer build, or nothing), in which case the checked copy is the
/// only one of its bytes left and is kept.
fn discard_copy(
    staged: PathBuf,
    original: PathBuf,
    copied_from: Option<&FileIdentity>,
) -> Result<StageOutcome, StageError> {
    let now = match fs::symlink_metadata(&original) {
        Ok(meta) => FileIdentity::of(&meta),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(StageOutcome::OriginalGone { staged, original });
        }
        Err(source) => {
            return Err(StageError::Metadata {
                path: original,
                source,
            });
        }
    };
    if copied_from != Some(&now) {
        return Ok(StageOutcome::KeptBoth {
            staged,
            newer_at_original: original,
        });
    }
    match fs::remove_file(&staged) {
        Ok(()) => Ok(StageOutcome::CopyRemoved { original }),
        Err(source) => Err(StageError::RemoveCopy {
            staged,
            original,
            source,
        }),
    }
}
