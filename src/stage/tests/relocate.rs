//! Stale destinations, links of the artifact itself, unwritable staging directories,
//! cross-device renames and copies that fail half-way: nothing is lost in any of them.

use std::cell::{Cell, RefCell};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::super::relocate::{FileOps, RealFs, remove_stale, rename_or_copy};
use super::super::{Moved, Placement, StageError, StageMode, StageOutcome, stage, stage_with};
use super::{Fixture, artifact_bytes, assert_artifact_at, assert_vacant, entries, no_wait};

#[test]
fn a_stale_destination_is_replaced_by_move_and_copy_and_kept_by_isolate() {
    for mode in [StageMode::Isolate, StageMode::Move, StageMode::Copy] {
        let fx = Fixture::new();
        fs::create_dir_all(fx.staging_dir()).expect("mkdir");
        fs::write(fx.staged(), b"stale build").expect("stale");
        let staged = stage(&fx.req(mode), &mut no_wait).expect("stage");
        assert_artifact_at(staged.check_path());
        let outcome = staged.finish(&mut no_wait).expect("finish");
        match mode {
            StageMode::Isolate => {
                // It may be maturin's: isolate leaves it alone.
                assert_artifact_at(&fx.artifact);
                assert_eq!(entries(&fx.staging_dir()), ["libfoo.so"]);
                assert_eq!(fs::read(fx.staged()).expect("kept"), b"stale build");
            }
            _ => assert_artifact_at(&fx.staged()),
        }
        assert!(
            !matches!(outcome, StageOutcome::KeptBoth { .. }),
            "{mode:?}"
        );
    }
}

#[test]
fn a_destination_that_is_a_hard_link_of_the_artifact_works() {
    // rename(2) between two links of one inode succeeds and changes nothing: without the
    // explicit handling the artifact would stay at cargo's path, unstaged.
    for mode in [StageMode::Isolate, StageMode::Move, StageMode::Copy] {
        let fx = Fixture::new();
        fs::create_dir_all(fx.staging_dir()).expect("mkdir");
        fs::hard_link(&fx.artifact, fx.staged()).expect("hard link");
        let staged = stage(&fx.req(mode), &mut no_wait).expect("stage");
        assert_eq!(staged.check_path(), fx.staged());
        assert_artifact_at(staged.check_path());
        if mode == StageMode::Copy {
            assert_artifact_at(&fx.artifact);
        } else {
            assert_vacant(&fx.artifact);
        }
        let outcome = staged.finish(&mut no_wait).expect("finish");
        match mode {
            StageMode::Isolate => {
                assert_eq!(
                    outcome,
                    StageOutcome::MovedBack {
                        path: fx.artifact.clone()
                    }
                );
                assert_artifact_at(&fx.artifact);
                assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
            }
            StageMode::Move => assert_artifact_at(&fx.staged()),
            _ => {
                assert_artifact_at(&fx.artifact);
                assert_artifact_at(&fx.staged());
            }
        }
    }
}

#[test]
fn removing_a_stale_destination_clears_a_file_or_a_link_of_the_artifact() {
    // Needed on Windows, where rename cannot replace a file, and for links of the artifact.
    let fx = Fixture::new();
    fs::create_dir_all(fx.staging_dir()).expect("mkdir");
    fs::write(fx.staged(), b"stale build").expect("stale");
    remove_stale(&fx.staged()).expect("remove stale");
    assert_vacant(&fx.staged());
    fs::hard_link(&fx.artifact, fx.staged()).expect("hard link");
    remove_stale(&fx.staged()).expect("remove link");
    assert_vacant(&fx.staged());
    assert_artifact_at(&fx.artifact);
    remove_stale(&fx.staged()).expect("nothing to remove is fine");
}

#[test]
fn a_rename_onto_a_link_of_itself_does_not_leave_the_artifact_behind() {
    // Without `remove_stale` first (a link made in between), rename(2) succeeds and does
    // nothing; the rename step itself must notice and drop cargo's name.
    let fx = Fixture::new();
    fs::create_dir_all(fx.staging_dir()).expect("mkdir");
    fs::hard_link(&fx.artifact, fx.staged()).expect("hard link");
    let moved = rename_or_copy(&RealFs, &fx.artifact, &fx.staged()).expect("rename");
    assert_eq!(moved, Moved::Renamed);
    assert_vacant(&fx.artifact);
    assert_artifact_at(&fx.staged());
}

#[test]
fn a_staging_dir_that_is_a_file_is_a_clear_error() {
    let fx = Fixture::new();
    fs::write(fx.staging_dir(), b"not a directory").expect("write");
    let error = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect_err("must fail");
    assert!(matches!(error, StageError::CreateDir { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&fx.staging_dir().display().to_string()),
        "{message}"
    );
    assert_artifact_at(&fx.artifact);
}

#[test]
fn a_stale_directory_in_the_way_is_not_deleted() {
    let fx = Fixture::new();
    fs::create_dir_all(fx.staged().join("user-data")).expect("mkdir");
    let error = stage(&fx.req(StageMode::Move), &mut no_wait).expect_err("must fail");
    assert!(matches!(error, StageError::RemoveStale { .. }), "{error:?}");
    assert!(fx.staged().join("user-data").is_dir());
    assert_artifact_at(&fx.artifact);
}

/// Makes a directory unwritable even for root (`chattr +i`, where the file system has
/// attributes), and writable again when dropped, so the temporary directory can go.
#[cfg(target_os = "linux")]
struct Immutable(PathBuf);

#[cfg(target_os = "linux")]
impl Immutable {
    fn set(dir: &Path) -> Option<Immutable> {
        let status = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status();
        status
            .is_ok_and(|s| s.success())
            .then(|| Immutable(dir.to_path_buf()))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_staging_dir_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new();
    fs::create_dir_all(fx.staging_dir()).expect("mkdir");
    fs::set_permissions(fx.staging_dir(), fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores directory permissions; probe instead of guessing who we are, and then make
    // the directory immutable, which binds root too.
    #[cfg(target_os = "linux")]
    let mut _immutable = None;
    if File::create(fx.staging_dir().join("probe")).is_ok() {
        fs::remove_file(fx.staging_dir().join("probe")).expect("remove probe");
        #[cfg(target_os = "linux")]
        {
            _immutable = Immutable::set(&fx.staging_dir());
        }
        #[cfg(target_os = "linux")]
        let unwritable = _immutable.is_some();
        #[cfg(not(target_os = "linux"))]
        let unwritable = false;
        if !unwritable {
            crate::skip_test(
                "a_read_only_staging_dir_is_a_clear_error: neither chmod 0o555 nor chattr +i \
                 makes the directory unwritable here (the injected-error test covers the same \
                 path)",
            );
            return;
        }
    }
    let error = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect_err("must fail");
    #[cfg(target_os = "linux")]
    drop(_immutable);
    fs::set_permissions(fx.staging_dir(), fs::Permissions::from_mode(0o755)).expect("chmod");
    // The first write there is the staging record (the per-name lock), before any move.
    assert!(matches!(error, StageError::Journal { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&fx.staging_dir().display().to_string())
            && message.contains("must be writable"),
        "{message}"
    );
    assert_artifact_at(&fx.artifact);
}

/// The real file system, except that renames of one path fail with `error`, copies are
/// counted, and hard links can be refused.
struct Faulty {
    rename_from: Option<(PathBuf, io::ErrorKind)>,
    /// Write this many bytes of the source, then fail with this error.
    copy_fails: Option<(usize, io::ErrorKind)>,
    no_hard_links: bool,
    /// Every hard link (the move back) fails with this error.
    link_fails: Option<io::ErrorKind>,
    copies: Cell<u32>,
    /// Every path a copy wrote to.
    copied_to: RefCell<Vec<PathBuf>>,
}

impl Faulty {
    fn new() -> Self {
        Faulty {
            rename_from: None,
            copy_fails: None,
            no_hard_links: false,
            link_fails: None,
            copies: Cell::new(0),
            copied_to: RefCell::new(Vec::new()),
        }
    }

    fn rename_fails(mut self, from: &Path, kind: io::ErrorKind) -> Self {
        self.rename_from = Some((from.to_path_buf(), kind));
        self
    }

    fn copy_fails_after(mut self, bytes: usize, kind: io::ErrorKind) -> Self {
        self.copy_fails = Some((bytes, kind));
        self
    }
}

impl FileOps for Faulty {
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        match &self.rename_from {
            Some((path, kind)) if path == from => Err(io::Error::from(*kind)),
            _ => RealFs.rename(from, to),
        }
    }

    fn copy_new(&self, from: &Path, to: &Path) -> io::Result<()> {
        self.copies.set(self.copies.get() + 1);
        self.copied_to.borrow_mut().push(to.to_path_buf());
        let Some((bytes, kind)) = self.copy_fails else {
            return RealFs.copy_new(from, to);
        };
        let source = fs::read(from)?;
        let mut partial = File::create_new(to)?;
        partial.write_all(&source[..bytes.min(source.len())])?;
        Err(io::Error::from(kind))
    }

    fn hard_link(&self, original: &Path, link: &Path) -> io::Result<()> {
        if let Some(kind) = self.link_fails {
            return Err(io::Error::from(kind));
        }
        if self.no_hard_links {
            return Err(io::Error::from(io::ErrorKind::Unsupported));
        }
        RealFs.hard_link(original, link)
    }
}

#[test]
fn a_refused_rename_is_reported_and_not_papered_over_with_a_copy() {
    let fx = Fixture::new();
    let ops = Faulty::new().rename_fails(&fx.artifact, io::ErrorKind::PermissionDenied);
    let error = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect_err("must fail");
    assert!(matches!(error, StageError::Rename { .. }), "{error:?}");
    assert_eq!(
        ops.copies.get(),
        0,
        "a non-EXDEV error must not fall back to a copy"
    );
    assert_artifact_at(&fx.artifact);
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

#[test]
fn an_injected_cross_device_rename_copies_and_leaves_the_original() {
    let fx = Fixture::new();
    let ops = Faulty::new().rename_fails(&fx.artifact, io::ErrorKind::CrossesDevices);
    let staged = stage_with(&fx.req(StageMode::Move), &ops, &mut no_wait).expect("stage");
    assert_eq!(
        staged.placement(),
        Placement::Staged(Moved::Copied { cross_device: true })
    );
    assert_eq!(ops.copies.get(), 1);
    let outcome = staged.finish_with(&ops, &mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::Copied {
            staged: fx.staged(),
            original: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_artifact_at(&fx.staged());
    assert_eq!(entries(&fx.staging_dir()), vec!["libfoo.so".to_string()]);
}

#[test]
fn isolate_after_a_cross_device_copy_removes_the_copy() {
    let fx = Fixture::new();
    let ops = Faulty::new().rename_fails(&fx.artifact, io::ErrorKind::CrossesDevices);
    let staged = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect("stage");
    assert_artifact_at(staged.check_path());
    let outcome = staged.finish_with(&ops, &mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::CopyRemoved {
            original: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

#[test]
fn isolate_after_a_cross_device_copy_keeps_both_when_a_newer_build_appeared() {
    let fx = Fixture::new();
    let ops = Faulty::new().rename_fails(&fx.artifact, io::ErrorKind::CrossesDevices);
    let staged = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect("stage");
    // As a linker does: a new file under cargo's name, not a rewrite of the old one.
    let newer = fx.profile.join("libfoo.so.new");
    fs::write(&newer, b"newer build").expect("write");
    fs::rename(&newer, &fx.artifact).expect("replace");
    let outcome = staged.finish_with(&ops, &mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::KeptBoth {
            staged: fx.staged(),
            newer_at_original: fx.artifact.clone()
        }
    );
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_artifact_at(&fx.staged());
}

#[test]
fn a_copy_failing_half_way_leaves_no_file_under_the_final_name() {
    let half = artifact_bytes().len() / 2;
    for (mode, kind) in [
        (StageMode::Move, io::ErrorKind::StorageFull),
        (StageMode::Isolate, io::ErrorKind::Other),
        (StageMode::Copy, io::ErrorKind::StorageFull),
    ] {
        let fx = Fixture::new();
        let ops = Faulty::new()
            .rename_fails(&fx.artifact, io::ErrorKind::CrossesDevices)
            .copy_fails_after(half, kind);
        let error = stage_with(&fx.req(mode), &ops, &mut no_wait).expect_err("must fail");
        assert!(matches!(error, StageError::Copy { .. }), "{error:?}");
        assert_eq!(ops.copies.get(), 1);
        // The partial bytes went to a hidden temporary name, never to the final one.
        for to in ops.copied_to.borrow().iter() {
            let name = to.file_name().expect("name").to_string_lossy().into_owned();
            assert!(name.starts_with(".libfoo.so.tmp-"), "copied to {name}");
            assert_eq!(to.parent(), Some(fx.staging_dir().as_path()));
        }
        assert_artifact_at(&fx.artifact);
        assert_vacant(&fx.staged());
        // Neither the final name nor a half-written temporary file is left behind.
        assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new(), "{mode:?}");
        let message = error.to_string();
        assert!(
            message.contains(&fx.artifact.display().to_string()),
            "{message}"
        );
    }
}

#[test]
fn moving_back_without_hard_links_still_never_overwrites() {
    let fx = Fixture::new();
    let mut ops = Faulty::new();
    ops.no_hard_links = true;
    let staged = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect("stage");
    let outcome = staged.finish_with(&ops, &mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::MovedBack {
            path: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());

    let staged = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect("stage");
    fs::write(&fx.artifact, b"newer build").expect("newer build");
    let outcome = staged.finish_with(&ops, &mut no_wait).expect("finish");
    assert!(
        matches!(outcome, StageOutcome::KeptBoth { .. }),
        "{outcome:?}"
    );
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_artifact_at(&fx.staged());
}

/// A temporary directory on another file system than the default one, if the machine has one.
#[cfg(unix)]
fn other_file_system(than: &Path) -> Option<tempfile::TempDir> {
    use std::os::unix::fs::MetadataExt;
    let here = fs::metadata(than).ok()?.dev();
    ["/dev/shm", "/run/user", "/var/tmp", "/tmp"]
        .iter()
        .filter(|dir| fs::metadata(dir).is_ok_and(|m| m.is_dir() && m.dev() != here))
        .find_map(|dir| tempfile::tempdir_in(dir).ok())
}

#[cfg(unix)]
#[test]
fn a_real_cross_device_rename_copies_and_leaves_the_original() {
    let target_root = tempfile::tempdir().expect("temp dir");
    let Some(other) = other_file_system(target_root.path()) else {
        // Every Linux machine has /dev/shm (tmpfs); CI needs one for a real EXDEV.
        crate::skip_test(&format!(
            "a_real_cross_device_rename_copies_and_leaves_the_original: no second file system \
             next to {}",
            target_root.path().display()
        ));
        return;
    };
    // Cargo's output on one file system, the target directory (and so target/maturin) on
    // another: the rename fails with EXDEV for real.
    let fx = Fixture::in_root(other);
    let target = target_root.path().join("target");
    for mode in [StageMode::Move, StageMode::Isolate] {
        let mut req = fx.req(mode);
        req.target_dir = &target;
        let staged = stage(&req, &mut no_wait).expect("stage");
        assert_eq!(
            staged.placement(),
            Placement::Staged(Moved::Copied { cross_device: true })
        );
        assert_artifact_at(staged.check_path());
        assert_artifact_at(&fx.artifact);
        let outcome = staged.finish(&mut no_wait).expect("finish");
        match mode {
            StageMode::Move => assert_artifact_at(&target.join("maturin/libfoo.so")),
            _ => {
                assert_eq!(
                    outcome,
                    StageOutcome::CopyRemoved {
                        original: fx.artifact.clone()
                    }
                );
                // Only what the move before left there, in maturin's place.
                assert_eq!(entries(&target.join("maturin")), ["libfoo.so"]);
            }
        }
        assert_artifact_at(&fx.artifact);
    }
}

/// Every staging step failing with every error a disk, a permission or another process can
/// cause: each run either completes or fails with an error naming the artifact, and the
/// artifact's bytes are always complete somewhere — at cargo's path or, said so, staged.
#[test]
fn injected_faults_lose_nothing_and_leave_nothing_half_written() {
    use io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem, ResourceBusy, StorageFull};
    let half = artifact_bytes().len() / 2;
    let mut faults = 0;
    for kind in [
        PermissionDenied,
        ResourceBusy,
        ReadOnlyFilesystem,
        StorageFull,
    ] {
        for mode in [StageMode::Isolate, StageMode::Move, StageMode::Copy] {
            // The rename into the staging directory fails.
            let fx = Fixture::new();
            let ops = Faulty::new().rename_fails(&fx.artifact, kind);
            if mode != StageMode::Copy {
                let error = stage_with(&fx.req(mode), &ops, &mut no_wait).expect_err("rename");
                assert!(
                    error
                        .to_string()
                        .contains(&fx.artifact.display().to_string())
                );
                assert_artifact_at(&fx.artifact);
                assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new(), "{kind:?}");
                faults += 1;
            }

            // Across devices, the copy fails half-way.
            let fx = Fixture::new();
            let ops = Faulty::new()
                .rename_fails(&fx.artifact, io::ErrorKind::CrossesDevices)
                .copy_fails_after(half, kind);
            let error = stage_with(&fx.req(mode), &ops, &mut no_wait).expect_err("copy");
            assert!(matches!(error, StageError::Copy { .. }), "{error:?}");
            assert_artifact_at(&fx.artifact);
            assert_eq!(
                entries(&fx.staging_dir()),
                Vec::<String>::new(),
                "{kind:?} {mode:?}"
            );
            faults += 1;
        }

        // Isolate: the move back fails. The artifact stays staged, the error says where, and
        // the next run puts it back.
        let fx = Fixture::new();
        let mut ops = Faulty::new();
        ops.link_fails = Some(kind);
        let staged = stage_with(&fx.req(StageMode::Isolate), &ops, &mut no_wait).expect("stage");
        match staged.finish_with(&ops, &mut no_wait) {
            // Without hard links (PermissionDenied on some file systems) a vacancy check and a
            // rename stand in: the file is back.
            Ok(outcome) => {
                assert_eq!(kind, PermissionDenied);
                assert_eq!(
                    outcome,
                    StageOutcome::MovedBack {
                        path: fx.artifact.clone()
                    }
                );
                assert_artifact_at(&fx.artifact);
            }
            Err(error) => {
                assert!(matches!(error, StageError::MoveBack { .. }), "{error:?}");
                assert!(error.to_string().contains("the artifact is still at"));
                assert_artifact_at(&fx.staged());
                let again = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("next run");
                assert!(again.recovered().is_some(), "{kind:?}");
                again.finish(&mut no_wait).expect("finish");
                assert_artifact_at(&fx.artifact);
            }
        }
        assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new(), "{kind:?}");
        faults += 1;
    }
    assert_eq!(faults, 4 * (2 + 3) + 4);
}
