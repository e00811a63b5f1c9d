//! Each mode puts the artifact where it says, with its bytes intact.

use std::fs;

use clap::ValueEnum;

use super::super::{Moved, Placement, Recovery, StageMode, StageOutcome, StageRequest, stage};
use super::{Fixture, assert_artifact_at, assert_vacant, entries, no_wait};

#[test]
fn isolate_moves_out_then_back_and_leaves_nothing_staged() {
    let fx = Fixture::new();
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    assert_eq!(staged.check_path(), fx.staged());
    assert_eq!(staged.placement(), Placement::Staged(Moved::Renamed));
    // Out of cargo's reach while checked: cargo's path is free for a new build.
    assert_vacant(&fx.artifact);
    assert_artifact_at(staged.check_path());

    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::MovedBack {
            path: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

#[test]
fn isolate_keeps_both_when_a_newer_build_took_cargos_path() {
    let fx = Fixture::new();
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    fs::write(&fx.artifact, b"newer build").expect("newer build");

    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::KeptBoth {
            staged: fx.staged(),
            newer_at_original: fx.artifact.clone()
        }
    );
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_artifact_at(&fx.staged());
    let text = outcome.to_string();
    assert!(text.contains(&fx.artifact.display().to_string()), "{text}");
    assert!(text.contains(&fx.staged().display().to_string()), "{text}");

    // The older copy is this tool's, not maturin's: the next isolate replaces it and leaves
    // the staging directory clean, where it stages beside a file it cannot prove its own.
    let next = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage again");
    assert_eq!(
        next.recovered(),
        Some(&Recovery::NewerBuildThere {
            stale: fx.staged(),
            newer: fx.artifact.clone()
        })
    );
    assert_eq!(next.staged_path(), Some(fx.staged().as_path()));
    next.finish(&mut no_wait).expect("finish again");
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

/// Runs that stage nothing themselves — one checking the superseded copy where it lies, one
/// in `--stage none` — must not make that copy look like maturin's own (CI's concurrency e2e
/// found `--stage none` closing the record and the copy left for good).
#[test]
fn checking_in_place_keeps_a_superseded_copy_marked_as_ours() {
    let fx = Fixture::new();
    let staged = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("stage");
    fs::write(&fx.artifact, b"newer build").expect("newer build");
    staged.finish(&mut no_wait).expect("finish: both kept");

    let superseded = fx.staged();
    let in_place = StageRequest {
        artifact: &superseded,
        ..fx.req(StageMode::Isolate)
    };
    let checked = stage(&in_place, &mut no_wait).expect("stage the copy itself");
    assert_eq!(checked.check_path(), superseded.as_path());
    checked.finish(&mut no_wait).expect("finish in place");
    assert_artifact_at(&superseded);

    // A check in place (--stage none) meanwhile leaves the mark too.
    let none = stage(&fx.req(StageMode::None), &mut no_wait).expect("stage none");
    none.finish(&mut no_wait).expect("finish none");
    assert_artifact_at(&superseded);

    let settling = stage(&fx.req(StageMode::Isolate), &mut no_wait).expect("settling run");
    settling.finish(&mut no_wait).expect("finish");
    assert_eq!(fs::read(&fx.artifact).expect("read"), b"newer build");
    assert_eq!(entries(&fx.staging_dir()), Vec::<String>::new());
}

#[test]
fn move_leaves_the_artifact_staged() {
    let fx = Fixture::new();
    let staged = stage(&fx.req(StageMode::Move), &mut no_wait).expect("stage");
    assert_eq!(staged.staged_path(), Some(fx.staged().as_path()));
    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::LeftStaged {
            staged: fx.staged()
        }
    );
    assert_artifact_at(&fx.staged());
    assert_vacant(&fx.artifact);
}

#[test]
fn copy_never_touches_the_original() {
    let fx = Fixture::new();
    let before = fs::symlink_metadata(&fx.artifact).expect("metadata");
    let staged = stage(&fx.req(StageMode::Copy), &mut no_wait).expect("stage");
    assert_eq!(
        staged.placement(),
        Placement::Staged(Moved::Copied {
            cross_device: false
        })
    );
    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::Copied {
            staged: fx.staged(),
            original: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_artifact_at(&fx.staged());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let after = fs::symlink_metadata(&fx.artifact).expect("metadata");
        assert_eq!(after.ino(), before.ino(), "the original was replaced");
        let copy = fs::symlink_metadata(fx.staged()).expect("metadata");
        assert_ne!(copy.ino(), before.ino(), "the copy is a link, not a copy");
    }
    let _ = before;
    // The temporary file was renamed into place, not left beside it.
    assert_eq!(entries(&fx.staging_dir()), vec!["libfoo.so".to_string()]);
}

#[test]
fn none_checks_in_place_and_creates_nothing() {
    let fx = Fixture::new();
    let staged = stage(&fx.req(StageMode::None), &mut no_wait).expect("stage");
    assert_eq!(staged.check_path(), fx.artifact);
    assert_eq!(staged.staged_path(), None);
    let outcome = staged.finish(&mut no_wait).expect("finish");
    assert_eq!(
        outcome,
        StageOutcome::InPlace {
            path: fx.artifact.clone()
        }
    );
    assert_artifact_at(&fx.artifact);
    assert_vacant(&fx.staging_dir());
}

#[test]
fn an_artifact_already_in_the_staging_dir_is_checked_where_it_is() {
    // Without this case, "removing the stale destination" would delete the artifact itself.
    let fx = Fixture::new();
    fs::create_dir_all(fx.staging_dir()).expect("mkdir");
    fs::rename(&fx.artifact, fx.staged()).expect("rename");
    for mode in [StageMode::Isolate, StageMode::Move, StageMode::Copy] {
        let staged_path = fx.staged();
        let mut req = fx.req(mode);
        req.artifact = &staged_path;
        let staged = stage(&req, &mut no_wait).expect("stage");
        assert_eq!(staged.placement(), Placement::AlreadyStaged);
        assert_eq!(staged.check_path(), fx.staged());
        let outcome = staged.finish(&mut no_wait).expect("finish");
        assert_eq!(outcome, StageOutcome::InPlace { path: fx.staged() });
        assert_artifact_at(&fx.staged());
        assert_eq!(entries(&fx.staging_dir()), vec!["libfoo.so".to_string()]);
    }
}

#[test]
fn mode_names_on_the_command_line() {
    assert_eq!(StageMode::default(), StageMode::Isolate);
    let names: Vec<String> = StageMode::value_variants()
        .iter()
        .filter_map(|mode| mode.to_possible_value())
        .map(|value| value.get_name().to_string())
        .collect();
    assert_eq!(names, ["isolate", "move", "copy", "none"]);
    assert_eq!(
        StageMode::from_str("none", false).expect("parse"),
        StageMode::None
    );
}
