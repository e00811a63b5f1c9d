//! Lock: keep cargo from writing a profile directory while we stage from it or map in it.
//!
//! Cargo before 1.96 takes `.cargo-lock` exclusively for a build; from 1.96 it takes
//! `.cargo-lock` shared and `.cargo-artifact-lock` exclusively (docs/loader-rules.md §4). A shared
//! lock on both therefore excludes builds of either generation, while any number of
//! pyinit-check runs can hold them together.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use fs4::{FileExt, TryLockError};

use super::StageError;

/// Cargo's lock files in a profile directory, in the order we take them.
pub const LOCK_FILES: [&str; 2] = [".cargo-lock", ".cargo-artifact-lock"];

/// The first pause between two attempts; it doubles up to [`MAX_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(250);

/// What the CLI prints, once, when cargo holds a lock we need.
pub fn wait_message(lock: &Path) -> String {
    let ours = lock
        .file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with(".pyinit-check-staging."));
    if ours {
        format!(
            "waiting for another pyinit-check run staging the same artifact ({})",
            lock.display()
        )
    } else {
        format!("waiting for cargo's build lock on {}", lock.display())
    }
}

/// Shared locks on cargo's lock files; dropping this releases them.
#[derive(Debug)]
pub struct BuildLocks {
    // Closing a file releases its lock: the files are held only to be dropped.
    held: Vec<(PathBuf, File)>,
}

impl BuildLocks {
    /// The lock files held, for reports and tests.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.held.iter().map(|(path, _)| path.as_path())
    }
}

/// Takes a shared lock on each of cargo's lock files that exists in `profile_dir`, polling
/// while cargo holds one, for at most `timeout` in all.
///
/// Missing lock files are skipped, not created: the user's target directory is cargo's, and a
/// directory cargo never built in has no build to wait for. `on_wait` is called once, with
/// the first lock found busy, so the caller can say why nothing happens.
pub fn acquire(
    profile_dir: &Path,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&Path),
) -> Result<BuildLocks, StageError> {
    let mut wait = Wait::new(timeout);
    let mut held = Vec::with_capacity(LOCK_FILES.len());
    for name in LOCK_FILES {
        let path = profile_dir.join(name);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(source) => return Err(StageError::LockOpen { path, source }),
        };
        // Called through the trait: `File` has an inherent method of the same name (Rust
        // 1.89) with a different error type.
        if wait.until_locked(&path, on_wait, || FileExt::try_lock_shared(&file))? {
            held.push((path, file));
        }
    }
    Ok(BuildLocks { held })
}

/// Takes an exclusive lock on `file` (open at `path`), polling as [`acquire`] does.
pub(crate) fn exclusive(
    file: &File,
    path: &Path,
    timeout: Duration,
    on_wait: &mut dyn FnMut(&Path),
) -> Result<(), StageError> {
    Wait::new(timeout).until_locked(path, on_wait, || FileExt::try_lock(file))?;
    Ok(())
}

/// Polling for locks against one deadline.
struct Wait {
    timeout: Duration,
    /// `None`: a timeout too large to represent, which is as good as waiting forever.
    deadline: Option<Instant>,
    announced: bool,
}

impl Wait {
    fn new(timeout: Duration) -> Self {
        Wait {
            timeout,
            deadline: Instant::now().checked_add(timeout),
            announced: false,
        }
    }

    /// Tries `try_lock` until it succeeds (`true`) or the file system has no locks (`false`;
    /// a file system without locks cannot have a cargo build holding one either, and cargo
    /// itself builds unlocked there).
    fn until_locked(
        &mut self,
        path: &Path,
        on_wait: &mut dyn FnMut(&Path),
        try_lock: impl Fn() -> Result<(), TryLockError>,
    ) -> Result<bool, StageError> {
        let mut pause = FIRST_POLL;
        loop {
            match try_lock() {
                Ok(()) => return Ok(true),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(error)) if error.kind() == io::ErrorKind::Unsupported => {
                    return Ok(false);
                }
                Err(TryLockError::Error(source)) => {
                    return Err(StageError::Lock {
                        path: path.to_path_buf(),
                        source,
                    });
                }
            }
            if !self.announced {
                on_wait(path);
                self.announced = true;
            }
            let now = Instant::now();
            let left = self
                .deadline
                .map_or(pause, |deadline| deadline.saturating_duration_since(now));
            if left.is_zero() {
                return Err(StageError::LockTimeout {
                    path: path.to_path_buf(),
                    waited: self.timeout,
                });
            }
            thread::sleep(pause.min(left));
            pause = (pause * 2).min(MAX_POLL);
        }
    }
}
