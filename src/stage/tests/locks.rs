//! Cargo's build locks: staging waits for a build, gives up after the timeout, shares with
//! other readers, and never creates a lock file.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use fs4::{FileExt, TryLockError};

use super::super::{StageError, StageMode, stage, wait_message};
use super::{Fixture, assert_artifact_at, assert_vacant, entries, no_wait};

/// Locks `path` exclusively, as a cargo build does.
fn hold_exclusive(path: &Path) -> File {
    let file = File::open(path).expect("open lock");
    FileExt::lock(&file).expect("exclusive lock");
    file
}

fn hold_shared(path: &Path) -> File {
    let file = File::open(path).expect("open lock");
    FileExt::lock_shared(&file).expect("shared lock");
    file
}

/// Whether a cargo build could take `path` exclusively right now.
fn build_could_lock(path: &Path) -> bool {
    let file = File::open(path).expect("open lock");
    match FileExt::try_lock(&file) {
        Ok(()) => true,
        Err(TryLockError::WouldBlock) => false,
        Err(TryLockError::Error(error)) => panic!("{}: {error}", path.display()),
    }
}

#[test]
fn staging_waits_for_a_build_then_proceeds() {
    let fx = Fixture::new();
    let lock = fx.lock(".cargo-lock");
    let build = hold_exclusive(&lock);
    let released = Arc::new(AtomicBool::new(false));
    let builder = {
        let released = Arc::clone(&released);
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            released.store(true, Ordering::SeqCst);
            drop(build);
        })
    };
    let mut waits: Vec<PathBuf> = Vec::new();
    let staged = stage(&fx.req(StageMode::Isolate), &mut |path| {
        waits.push(path.to_path_buf())
    })
    .expect("stage");
    // Staging happened only after the build let go, and said once why it waited.
    assert!(
        released.load(Ordering::SeqCst),
        "staged while cargo held the lock"
    );
    assert_eq!(waits, vec![lock.clone()]);
    assert_eq!(
        wait_message(&lock),
        format!("waiting for cargo's build lock on {}", lock.display())
    );
    builder.join().expect("builder thread");
    assert_artifact_at(staged.check_path());
    staged.finish(&mut no_wait).expect("finish");
    assert_artifact_at(&fx.artifact);
}

#[test]
fn staging_times_out_while_a_build_holds_the_lock() {
    let fx = Fixture::new();
    let lock = fx.lock(".cargo-lock");
    let _build = hold_exclusive(&lock);
    let mut req = fx.req(StageMode::Isolate);
    req.lock_timeout = Duration::from_millis(200);
    let mut waits = 0;
    let error = stage(&req, &mut |_| waits += 1).expect_err("must time out");
    match &error {
        StageError::LockTimeout { path, waited } => {
            assert_eq!(path, &lock);
            assert_eq!(*waited, Duration::from_millis(200));
        }
        other => panic!("expected a lock timeout, got {other:?}"),
    }
    assert!(error.to_string().contains(&lock.display().to_string()));
    assert!(
        error.to_string().contains("--lock-timeout"),
        "the message names the option that raises the wait: {error}"
    );
    assert_eq!(waits, 1, "the wait is announced exactly once");
    // Nothing moved, and the staging directory was not even created.
    assert_artifact_at(&fx.artifact);
    assert_vacant(&fx.staging_dir());
}

#[test]
fn the_artifact_lock_of_cargo_1_96_is_honoured() {
    // Cargo from 1.96 holds `.cargo-lock` shared and `.cargo-artifact-lock` exclusively.
    let fx = Fixture::new();
    let artifact_lock = fx.lock(".cargo-artifact-lock");
    fs::write(&artifact_lock, b"").expect("write");
    let _cargo_lock = hold_shared(&fx.lock(".cargo-lock"));
    let _build = hold_exclusive(&artifact_lock);
    let mut req = fx.req(StageMode::None);
    req.lock_timeout = Duration::from_millis(150);
    let error = stage(&req, &mut |_| {}).expect_err("must time out");
    assert!(
        matches!(&error, StageError::LockTimeout { path, .. } if path == &artifact_lock),
        "{error:?}"
    );
}

#[test]
fn none_mode_holds_the_locks_until_finish_and_readers_share_them() {
    let fx = Fixture::new();
    let cargo_lock = fx.lock(".cargo-lock");
    let artifact_lock = fx.lock(".cargo-artifact-lock");
    fs::write(&artifact_lock, b"").expect("write");
    // Another reader (a second pyinit-check, or cargo 1.96's shared `.cargo-lock`).
    let other_reader = hold_shared(&cargo_lock);

    let first = stage(&fx.req(StageMode::None), &mut no_wait).expect("first");
    let second = stage(&fx.req(StageMode::None), &mut no_wait).expect("second");
    let isolated = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("isolate");
    isolated.finish(&mut no_wait).expect("finish isolate");
    drop(other_reader);

    // While a None-mode check is mapping the file, no build may start.
    assert!(!build_could_lock(&cargo_lock));
    assert!(!build_could_lock(&artifact_lock));
    first.finish(&mut no_wait).expect("finish first");
    assert!(
        !build_could_lock(&cargo_lock),
        "the second holder still reads"
    );
    second.finish(&mut no_wait).expect("finish second");
    assert!(build_could_lock(&cargo_lock));
    assert!(build_could_lock(&artifact_lock));
    assert_artifact_at(&fx.artifact);
}

#[test]
fn missing_lock_files_are_not_created() {
    let fx = Fixture::without_locks();
    let staged = stage(&fx.req(StageMode::None), &mut no_wait).expect("none");
    staged.finish(&mut no_wait).expect("finish");
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("isolate");
    staged.finish(&mut no_wait).expect("finish");
    assert_eq!(entries(&fx.profile), vec!["libfoo.so".to_string()]);
    assert_artifact_at(&fx.artifact);
}

#[test]
fn moving_back_waits_for_a_build_and_says_where_the_file_is_if_it_cannot() {
    let fx = Fixture::new();
    let mut req = fx.req(StageMode::Isolate);
    req.lock_timeout = Duration::from_millis(150);
    let staged = stage(&req, &mut no_wait).expect("stage");
    let build = hold_exclusive(&fx.lock(".cargo-lock"));
    let error = staged.finish(&mut |_| {}).expect_err("must time out");
    assert!(matches!(error, StageError::Unfinished { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains(&fx.staged().display().to_string()),
        "{error}"
    );
    drop(build);
    // Nothing moved without the lock: the build could have been writing cargo's path.
    assert_vacant(&fx.artifact);
    assert_artifact_at(&fx.staged());
}

#[test]
fn a_timeout_too_large_to_represent_waits_instead_of_panicking() {
    let fx = Fixture::new();
    let lock = fx.lock(".cargo-lock");
    let build = hold_exclusive(&lock);
    let builder = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        drop(build);
    });
    let mut req = fx.req(StageMode::None);
    req.lock_timeout = Duration::MAX;
    let staged = stage(&req, &mut |_| {}).expect("stage");
    builder.join().expect("builder thread");
    staged.finish(&mut no_wait).expect("finish");
}

/// A build relinking the artifact removes it first. Discovery can see that gap; staging must
/// wait for the build and find the new file, not report it missing.
#[test]
fn a_file_missing_while_a_build_relinks_it_is_found_after_the_build() {
    for mode in [StageMode::None, StageMode::Isolate] {
        let fx = Fixture::new();
        let build = hold_exclusive(&fx.lock(".cargo-lock"));
        let relinked = fs::read(&fx.artifact).expect("read artifact");
        fs::remove_file(&fx.artifact).expect("remove artifact");
        let builder = {
            let artifact = fx.artifact.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(200));
                fs::write(&artifact, relinked).expect("relink");
                drop(build);
            })
        };
        let staged = stage(&fx.req(mode), &mut |_| {}).expect("the relinked file is staged");
        builder.join().expect("builder thread");
        assert_artifact_at(staged.check_path());
        staged.finish(&mut no_wait).expect("finish");
        assert_artifact_at(&fx.artifact);
    }
}

/// Missing under cargo's lock is missing: one line naming the file, in every mode.
#[test]
fn a_file_missing_under_the_lock_says_to_build_first() {
    for mode in [
        StageMode::None,
        StageMode::Isolate,
        StageMode::Move,
        StageMode::Copy,
    ] {
        let fx = Fixture::new();
        fs::remove_file(&fx.artifact).expect("remove artifact");
        let error = stage(&fx.req(mode), &mut no_wait).expect_err("nothing to stage");
        assert_eq!(
            error.to_string(),
            format!(
                "{} not found — run cargo build first",
                fx.artifact.display()
            ),
            "{mode:?}"
        );
        assert_vacant(&fx.staging_dir());
    }
}
