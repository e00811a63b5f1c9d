//! A run killed between staging and moving back (SIGKILL, a CI timeout) leaves the artifact
//! in the staging directory: the next run puts it back, never over a newer build, and says so.

use std::fs;

use super::super::journal::{Recovery, interrupted_original, record_path};
use super::super::{StageMode, StageOutcome, stage};
use super::{Fixture, assert_artifact_at, assert_vacant, entries, no_wait};

/// Stages in isolate mode and "dies" before finishing: nothing runs after the rename.
fn interrupt(fx: &Fixture) {
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    assert_eq!(staged.check_path(), fx.staged());
    drop(staged); // as a killed run: the kernel releases its locks, nothing else happens
    assert_vacant(&fx.artifact);
    assert_artifact_at(&fx.staged());
    let name = fx.artifact.file_name().expect("name");
    assert_eq!(
        interrupted_original(&fx.staging_dir(), name).as_deref(),
        Some(fx.artifact.as_path()),
        "the record names cargo's path"
    );
}

#[test]
fn the_next_run_puts_the_artifact_back_and_checks_it() {
    for mode in [
        StageMode::Isolate,
        StageMode::Move,
        StageMode::Copy,
        StageMode::None,
    ] {
        let fx = Fixture::new();
        interrupt(&fx);
        let staged = stage(&fx.req(mode), &mut no_wait).expect("stage again");
        assert_eq!(
            staged.recovered(),
            Some(&Recovery::PutBack {
                from: fx.staged(),
                to: fx.artifact.clone()
            }),
            "{mode:?}"
        );
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
            StageMode::Copy => {
                assert_artifact_at(&fx.artifact);
                assert_artifact_at(&fx.staged());
            }
            StageMode::None => assert_artifact_at(&fx.artifact),
        }
        assert!(
            !record_path(&fx.staging_dir(), fx.artifact.file_name().unwrap()).exists(),
            "{mode:?}: the record is gone once the file is accounted for"
        );
    }
}

#[test]
fn a_newer_build_at_cargos_path_is_never_overwritten() {
    let fx = Fixture::new();
    interrupt(&fx);
    // As a linker does: a new file under cargo's name.
    fs::write(&fx.artifact, b"newer build").expect("write");
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage again");
    assert_eq!(
        staged.recovered(),
        Some(&Recovery::NewerBuildThere {
            stale: fx.staged(),
            newer: fx.artifact.clone()
        })
    );
    // The newer build is what is checked now.
    assert_eq!(fs::read(staged.check_path()).expect("read"), b"newer build");
    staged.finish(&mut no_wait).expect("finish");
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

#[test]
fn a_file_maturin_left_without_a_record_is_not_taken_for_ours() {
    let fx = Fixture::new();
    // maturin moves the cdylib into target/maturin/ itself; no record of ours names it.
    fs::create_dir_all(fx.staging_dir()).expect("mkdir");
    fs::copy(&fx.artifact, fx.staged()).expect("copy");
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    assert_eq!(staged.recovered(), None);
    staged.finish(&mut no_wait).expect("finish");
    assert_artifact_at(&fx.artifact);
}

/// Runs sharing cargo's locks stage the same artifact one at a time: without that, one would
/// remove as stale the file another had just staged — its only copy.
#[test]
fn many_runs_at_once_lose_nothing() {
    let fx = Fixture::new();
    let expected = fs::read(&fx.artifact).expect("read");
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let (fx, expected) = (&fx, &expected);
            scope.spawn(move || {
                for round in 0..25 {
                    let mode = [StageMode::Isolate, StageMode::Copy, StageMode::None]
                        [(thread + round) % 3];
                    // Waiting for one another is the point here.
                    let staged = stage(&fx.req(mode), &mut |_| {})
                        .unwrap_or_else(|e| panic!("thread {thread} round {round} {mode:?}: {e}"));
                    assert_eq!(&fs::read(staged.check_path()).expect("read"), expected);
                    staged.finish(&mut |_| {}).expect("finish");
                }
            });
        }
    });
    assert_artifact_at(&fx.artifact);
}

/// maturin leaves its copy in `target/maturin/` when a build fails after linking. Isolate
/// stages beside it and never deletes it — also when a run is killed mid-isolate and the next
/// run recovers.
#[test]
fn isolate_never_deletes_a_file_maturin_left_in_the_staging_directory() {
    let fx = Fixture::new();
    fs::create_dir_all(fx.staging_dir()).expect("staging dir");
    fs::write(fx.staged(), b"maturin's copy").expect("maturin's copy");
    let name = fx.artifact.file_name().expect("name").to_owned();
    let beside = super::super::journal::beside(&fx.staging_dir(), &name);

    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    assert_eq!(staged.check_path(), beside);
    assert_eq!(fs::read(fx.staged()).expect("kept"), b"maturin's copy");
    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::MovedBack {
            path: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_eq!(fs::read(fx.staged()).expect("kept"), b"maturin's copy");

    // Killed between the rename and the move back: the next run looks beside, not at
    // maturin's file, and puts the artifact back.
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    drop(staged);
    assert_vacant(&fx.artifact);
    assert_artifact_at(&beside);
    let staged = stage(&fx.req(StageMode::None), &mut no_wait).expect("recover");
    assert_eq!(
        staged.recovered(),
        Some(&Recovery::PutBack {
            from: beside.clone(),
            to: fx.artifact.clone()
        })
    );
    staged.finish(&mut no_wait).expect("finish");
    assert_artifact_at(&fx.artifact);
    assert_vacant(&beside);
    assert_eq!(fs::read(fx.staged()).expect("kept"), b"maturin's copy");
}
