//! Stage tests: nothing the user built is lost or overwritten, in every mode and failure.
//!
//! Every test compares the bytes at the final location with the artifact's original bytes,
//! and names what would break if the behaviour it covers were missing.

mod interrupted;
mod locks;
mod modes;
mod relocate;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use super::{STAGING_DIR, StageMode, StageRequest};

/// A cargo target directory with one built artifact and, optionally, cargo's lock files.
pub(super) struct Fixture {
    _root: TempDir,
    pub target: PathBuf,
    pub profile: PathBuf,
    pub artifact: PathBuf,
}

impl Fixture {
    /// `target/release/libfoo.so` holding [`artifact_bytes`], and `target/release/.cargo-lock`.
    pub fn new() -> Self {
        let fixture = Fixture::without_locks();
        fs::write(fixture.profile.join(".cargo-lock"), b"").expect("write .cargo-lock");
        fixture
    }

    pub fn without_locks() -> Self {
        Fixture::in_root(tempfile::tempdir().expect("temp dir"))
    }

    pub fn in_root(root: TempDir) -> Self {
        let target = root.path().join("target");
        let profile = target.join("release");
        fs::create_dir_all(&profile).expect("create profile dir");
        let artifact = profile.join("libfoo.so");
        fs::write(&artifact, artifact_bytes()).expect("write artifact");
        Fixture {
            _root: root,
            target,
            profile,
            artifact,
        }
    }

    pub fn req(&self, mode: StageMode) -> StageRequest<'_> {
        StageRequest {
            artifact: &self.artifact,
            target_dir: &self.target,
            profile_dir: &self.profile,
            mode,
            lock_timeout: Duration::from_secs(10),
        }
    }

    pub fn staging_dir(&self) -> PathBuf {
        self.target.join(STAGING_DIR)
    }

    pub fn staged(&self) -> PathBuf {
        self.staging_dir().join("libfoo.so")
    }

    pub fn lock(&self, name: &str) -> PathBuf {
        self.profile.join(name)
    }
}

/// 192 KiB of deterministic noise: large enough that a half copy is visibly half.
pub(super) fn artifact_bytes() -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..192 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// Names in `dir`, sorted; empty if it does not exist.
pub(super) fn entries(dir: &Path) -> Vec<String> {
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .map(|entry| {
            entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

pub(super) fn assert_vacant(path: &Path) {
    assert!(
        fs::symlink_metadata(path).is_err(),
        "{} should not exist",
        path.display()
    );
}

pub(super) fn assert_artifact_at(path: &Path) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        bytes == artifact_bytes(),
        "{} does not hold the artifact's bytes ({} bytes)",
        path.display(),
        bytes.len()
    );
}

/// An `on_wait` for tests where cargo holds no lock.
pub(super) fn no_wait(path: &Path) {
    panic!("unexpected wait for {}", path.display());
}
