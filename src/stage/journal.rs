//! The staging record: one pyinit-check at a time stages a given file name, and what an
//! interrupted check left in the staging directory is put back.
//!
//! Any number of pyinit-check runs share cargo's locks, so without more two of them could
//! stage the same artifact at once — and one would remove as "stale" the file the other had
//! just staged, its only copy. So staging a name takes an exclusive lock on a record file
//! beside it (`.pyinit-check-staging.<name>`), held until staging is finished; the kernel
//! releases it when a run dies, however it dies.
//!
//! `--stage isolate` renames cargo's output into `target/maturin/` and back. A run killed in
//! between (SIGKILL, a CI timeout) would leave the artifact there and cargo's path empty, and
//! nothing would say whose file it is — maturin leaves its own copies there too. So before the
//! rename the record names the original path, and it is removed once the file is back. When a
//! newer build took cargo's path meanwhile, both files are kept and the record stays, naming the
//! older copy as this tool's, superseded. The next run that takes the record finds that name, puts the file back where it
//! belongs, never over a newer build, and says so.
//!
//! A file already at the staging path may be maturin's own: maturin leaves its copy there when
//! a build fails after linking. Isolate never deletes it; it stages beside it instead
//! ([`beside`]), and the record names that path on a second line so recovery looks there.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::StageError;
use super::identity::same_inode;
use super::lock;
use super::relocate::{FileOps, MoveBack, move_back};

/// What recovery did, for the user to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// An interrupted run had left the artifact in the staging directory; it is back.
    PutBack { from: PathBuf, to: PathBuf },
    /// Cargo's path holds a newer build; the older copy an earlier run left (interrupted, or
    /// finding that build in its way) stays staged until the next staging replaces it.
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
                "an earlier run had left an older copy at {}; {} holds a newer build, which was kept",
                stale.display(),
                newer.display()
            ),
        }
    }
}

/// The record for the file named `file_name` in `staging_dir`.
pub fn record_path(staging_dir: &Path, file_name: &OsStr) -> PathBuf {
    let mut name = std::ffi::OsString::from(".pyinit-check-staging.");
    name.push(file_name);
    staging_dir.join(name)
}

/// The original path an interrupted isolate left a file of this name for, if any. Reads the
/// record without its lock: for discovery, which only needs to know which profile to name.
pub fn interrupted_original(staging_dir: &Path, file_name: &OsStr) -> Option<PathBuf> {
    let text = fs::read_to_string(record_path(staging_dir, file_name)).ok()?;
    Interrupted::parse(&text).map(|interrupted| interrupted.original)
}

/// Where isolate stages `file_name` when the staging path is taken by a file it must not
/// delete.
pub fn beside(staging_dir: &Path, file_name: &OsStr) -> PathBuf {
    let mut name = std::ffi::OsString::from(".pyinit-check-isolated.");
    name.push(file_name);
    staging_dir.join(name)
}

/// What a record says an interrupted run left behind.
struct Interrupted {
    original: PathBuf,
    /// Where it was staged, when not at the usual staging path.
    staged: Option<PathBuf>,
}

impl Interrupted {
    fn parse(text: &str) -> Option<Interrupted> {
        let mut lines = text.lines().map(|line| line.trim_end_matches('\r'));
        let original = PathBuf::from(lines.next()?);
        let staged = lines.next().map(PathBuf::from).filter(|p| p.is_absolute());
        original
            .is_absolute()
            .then_some(Interrupted { original, staged })
    }
}

/// The staging lock on one file name, with its record.
#[derive(Debug)]
pub(crate) struct Record {
    path: PathBuf,
    file: File,
}

impl Record {
    /// Takes the record for `file_name` in `staging_dir` (which must exist), waiting while
    /// another pyinit-check stages the same name.
    pub(crate) fn take(
        staging_dir: &Path,
        file_name: &OsStr,
        timeout: Duration,
        on_wait: &mut dyn FnMut(&Path),
    ) -> Result<Record, StageError> {
        let path = record_path(staging_dir, file_name);
        let error = |source| StageError::Journal {
            path: path.clone(),
            source,
        };
        loop {
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(error)?;
            lock::exclusive(&file, &path, timeout, on_wait)?;
            // The holder we waited for may have removed the record as it finished: then this
            // lock is on a file nobody else will open, and the record must be opened anew.
            let current = fs::metadata(&path);
            let held = file.metadata().map_err(error)?;
            if current.is_ok_and(|current| same_inode(&current, &held)) {
                return Ok(Record { path, file });
            }
        }
    }

    /// What an interrupted run recorded, if anything.
    fn interrupted(&mut self) -> Option<Interrupted> {
        let mut text = String::new();
        self.file.rewind().ok()?;
        self.file.read_to_string(&mut text).ok()?;
        Interrupted::parse(&text)
    }

    /// Records that `original` is about to be renamed into the staging directory, to
    /// `beside` when isolate stages beside a file it must not delete.
    pub(crate) fn note(
        &mut self,
        original: &Path,
        beside: Option<&Path>,
    ) -> Result<(), StageError> {
        let error = |source| StageError::Journal {
            path: self.path.clone(),
            source,
        };
        let mut text = std::path::absolute(original)
            .map_err(error)?
            .to_string_lossy()
            .into_owned();
        if let Some(beside) = beside {
            text.push('\n');
            text.push_str(
                &std::path::absolute(beside)
                    .map_err(error)?
                    .to_string_lossy(),
            );
        }
        self.file.set_len(0).map_err(error)?;
        self.file.rewind().map_err(error)?;
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(error)
    }

    /// Leaves the record naming `original` and the older copy kept at `staged` (a newer build
    /// took `original`), then releases the lock: the next run's recovery finds the copy
    /// superseded and stages over it. Best effort: without the record the copy only stays.
    pub(crate) fn keep_for_next_run(mut self, original: &Path, staged: &Path) {
        let _ = self.note(original, Some(staged));
    }

    /// Ends a run that staged nothing itself: a superseded copy recovery found
    /// ([`Recovery::NewerBuildThere`]) is still there, so the record keeps naming it for the
    /// next run that stages; otherwise the record goes.
    pub(crate) fn end_unstaged(self, recovered: Option<&Recovery>) {
        match recovered {
            Some(Recovery::NewerBuildThere { stale, newer }) if stale.exists() => {
                self.keep_for_next_run(newer, stale);
            }
            _ => self.close(),
        }
    }

    /// Forgets what was noted: nothing is left to put back.
    pub(crate) fn forget(&mut self) {
        let _ = self.file.set_len(0);
    }

    /// Removes the record and releases the lock. Dropping a record instead only releases the
    /// lock, keeping what was noted for the next run.
    pub(crate) fn close(self) {
        let _ = self.file.set_len(0);
        let _ = fs::remove_file(&self.path);
    }

    /// Puts back what an interrupted isolate left at `staged` (or beside it, as noted), then
    /// forgets it. Safe without the original's own profile lock: the move back never replaces
    /// an existing name.
    pub(crate) fn recover(
        &mut self,
        ops: &dyn FileOps,
        staged: &Path,
    ) -> Result<Option<Recovery>, StageError> {
        let Some(Interrupted {
            original,
            staged: beside,
        }) = self.interrupted()
        else {
            return Ok(None);
        };
        let staged = beside.as_deref().unwrap_or(staged);
        if fs::symlink_metadata(staged).is_err() {
            self.forget();
            return Ok(None);
        }
        let recovery = match move_back(ops, staged, &original)? {
            MoveBack::Done => Recovery::PutBack {
                from: staged.to_path_buf(),
                to: original,
            },
            MoveBack::Occupied => Recovery::NewerBuildThere {
                stale: staged.to_path_buf(),
                newer: original,
            },
        };
        self.forget();
        Ok(Some(recovery))
    }
}
