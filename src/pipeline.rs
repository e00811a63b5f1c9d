//! The pipeline: stage → bytes → inspect → judge for each discovered artifact, ending in one
//! [`RunOutcome`]. This is the only place that runs the stages in order; discover comes
//! before it and the renderers after it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::discover::wheel::inflate_member;
use crate::discover::{Discovery, Found};
use crate::error::CheckError;
use crate::hook::hook_names;
use crate::inspect;
use crate::judge::{self, Facts, Policy, judge};
use crate::map::{map_file, map_open_file};
use crate::model::{Artifact, ByteSource, CargoOutput, NothingToCheck};
use crate::outcome::{Checked, Entry, FailOn, Judged, RunOutcome};
use crate::stage::{Recovery, STAGING_DIR, StageMode, StageOutcome, StageRequest, stage};

/// How the run stages and judges.
#[derive(Debug, Clone)]
pub struct Settings {
    pub stage: StageMode,
    pub lock_timeout: Duration,
    pub fail_on: FailOn,
    /// Rule selection, severities and ignores, applied to every judged artifact.
    pub policy: Policy,
}

/// Something worth telling the user while the run goes on (stderr, in the CLI).
#[derive(Debug)]
pub enum Notice<'a> {
    /// A cargo build holds this lock; the run waits for it.
    Waiting { lock: &'a Path },
    /// Staging did not end where the mode promised (a newer build took cargo's path).
    Unexpected {
        artifact: &'a Path,
        outcome: &'a StageOutcome,
    },
    /// An interrupted earlier run had left this artifact in the staging directory.
    Recovered {
        artifact: &'a Path,
        recovery: &'a Recovery,
    },
}

/// Checks everything discovered, in order.
pub fn run(
    discovery: Discovery,
    settings: &Settings,
    notify: &mut dyn FnMut(Notice),
) -> RunOutcome {
    let mut collisions = staging_collisions(&discovery.found, settings.stage);
    let mut entries = Vec::with_capacity(discovery.found.len());
    for (index, found) in discovery.found.into_iter().enumerate() {
        let entry = match found {
            Found::Artifact(artifact) => match collisions.remove(&index) {
                Some(error) => entry(*artifact, None, Checked::Error(error), settings),
                None => check(*artifact, settings, notify),
            },
            Found::Failed { path, error } => Entry::new(
                path,
                None,
                None,
                Checked::Error(error.into()),
                settings.fail_on,
            ),
            Found::NothingToCheck { path, reason } => Entry::new(
                path,
                None,
                None,
                Checked::NothingToCheck(reason),
                settings.fail_on,
            ),
        };
        entries.push(entry);
    }
    RunOutcome::new(entries, discovery.unchecked, settings.fail_on)
}

/// Every artifact's entry is made here, so the policy meets every judged one.
fn entry(
    artifact: Artifact,
    stage: Option<StageOutcome>,
    mut checked: Checked,
    settings: &Settings,
) -> Entry {
    if let Checked::Judged(judged) = &mut checked {
        settings.policy.apply(&artifact.path, &mut judged.findings);
    }
    Entry::new(
        artifact.path.clone(),
        Some(artifact),
        stage,
        checked,
        settings.fail_on,
    )
}

/// Checks one artifact, wherever its bytes are.
fn check(artifact: Artifact, settings: &Settings, notify: &mut dyn FnMut(Notice)) -> Entry {
    match &artifact.bytes {
        ByteSource::File(path) => {
            let checked = check_mapped(path, &artifact);
            entry(artifact, None, checked, settings)
        }
        ByteSource::WheelMember { wheel, member } => {
            let checked = check_member(wheel, member, &artifact);
            entry(artifact, None, checked, settings)
        }
        ByteSource::Cargo(output) => {
            let output = output.clone();
            check_cargo_output(artifact, &output, settings, notify)
        }
    }
}

/// Stages a cargo output, checks it, and finishes staging even when the check failed, so
/// the file always ends up where the mode promises.
fn check_cargo_output(
    artifact: Artifact,
    output: &CargoOutput,
    settings: &Settings,
    notify: &mut dyn FnMut(Notice),
) -> Entry {
    let request = StageRequest {
        artifact: &output.path,
        target_dir: &output.target_dir,
        profile_dir: &output.profile_dir,
        mode: settings.stage,
        lock_timeout: settings.lock_timeout,
    };
    let staged = match stage(&request, &mut |lock| notify(Notice::Waiting { lock })) {
        Ok(staged) => staged,
        Err(error) => return entry(artifact, None, Checked::Error(error.into()), settings),
    };
    if let Some(recovery) = staged.recovered() {
        notify(Notice::Recovered {
            artifact: &artifact.path,
            recovery,
        });
    }
    let check_path = staged.check_path().to_path_buf();
    // The mapping lives only inside this call, so it is gone before finish() moves the file.
    let checked = check_mapped(&check_path, &artifact);
    let outcome = match staged.finish(&mut |lock| notify(Notice::Waiting { lock })) {
        Ok(outcome) => outcome,
        Err(error) => return entry(artifact, None, Checked::Error(error.into()), settings),
    };
    if outcome.is_unexpected() {
        notify(Notice::Unexpected {
            artifact: &artifact.path,
            outcome: &outcome,
        });
    }
    entry(artifact, Some(outcome), checked, settings)
}

/// Maps `path` and checks it as `artifact`. A file that changed while it was read (truncated
/// or rewritten in place by another process) gets no verdict: what was read is not the file.
fn check_mapped(path: &Path, artifact: &Artifact) -> Checked {
    let mapped = match map_file(path) {
        Ok(mapped) => mapped,
        Err(error) => return Checked::Error(error.into()),
    };
    let checked = checked(&mapped, path, artifact);
    if mapped.changed() {
        return Checked::Error(CheckError::Changed {
            path: path.to_path_buf(),
        });
    }
    checked
}

/// Inflates a wheel member into an anonymous temporary file and checks its mapping: memory
/// stays bounded by what the lookups touch, whatever the member's size (a zip bomb included).
fn check_member(wheel: &Path, member: &str, artifact: &Artifact) -> Checked {
    let spill_error = |source| {
        Checked::Error(CheckError::Spill {
            path: artifact.path.clone(),
            source,
        })
    };
    let mut spill = match tempfile::tempfile() {
        Ok(file) => file,
        Err(source) => return spill_error(source),
    };
    if let Err(error) = inflate_member(wheel, member, &mut spill) {
        return Checked::Error(error.into());
    }
    match map_open_file(spill, &artifact.path) {
        Ok(mapped) => checked(&mapped, &artifact.path, artifact),
        Err(error) => Checked::Error(error.into()),
    }
}

/// Inspects and judges `bytes` (read from `path`) as `artifact`.
fn checked(bytes: &[u8], path: &Path, artifact: &Artifact) -> Checked {
    let inspect_error = |source| {
        Checked::Error(CheckError::Inspect {
            path: path.to_path_buf(),
            source,
        })
    };
    let binary = match inspect::open(bytes) {
        Ok(binary) => binary,
        Err(source) => return inspect_error(source),
    };
    let hooks = hook_names(&artifact.identity.name);
    let facts = Facts {
        artifact,
        hooks: &hooks,
        binary: &binary,
    };
    match judge::is_plain_library(&facts) {
        Ok(true) => return Checked::NothingToCheck(NothingToCheck::PlainLibrary),
        Ok(false) => {}
        Err(source) => return inspect_error(source),
    }
    let findings = match judge(&facts) {
        Ok(findings) => findings,
        Err(source) => return inspect_error(source),
    };
    // The report shows the module's own hooks in every slice, whatever the rules asked.
    if let Ok(names) = &hooks {
        for slice in &binary.slices {
            for symbol in [&names.init, &names.mod_export] {
                if let Err(source) = slice.lookup(symbol) {
                    return inspect_error(source);
                }
            }
        }
    }
    Checked::Judged(Judged {
        format: binary.format,
        slices: binary
            .slices
            .into_iter()
            .map(inspect::SliceView::into_summary)
            .collect(),
        findings,
        hooks,
    })
}

/// `target/maturin/` holds one file per name (maturin's layout). When two artifacts would be
/// left there under the same name — `target/debug/libfoo.so` and `target/release/libfoo.so` —
/// the second would replace the first, and in `move` mode that is the first's only copy. Both
/// are refused, so nothing moves.
fn staging_collisions(found: &[Found], mode: StageMode) -> HashMap<usize, CheckError> {
    let mut collisions = HashMap::new();
    if !matches!(mode, StageMode::Move | StageMode::Copy) {
        return collisions;
    }
    let destinations: Vec<(usize, PathBuf, &Path)> = found
        .iter()
        .enumerate()
        .filter_map(|(index, found)| match found {
            Found::Artifact(artifact) => match &artifact.bytes {
                ByteSource::Cargo(output) => Some((
                    index,
                    output
                        .target_dir
                        .join(STAGING_DIR)
                        .join(output.path.file_name()?),
                    output.path.as_path(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for (index, destination, path) in &destinations {
        let other = destinations
            .iter()
            .find(|(i, d, _)| i != index && d == destination);
        if let Some((_, _, other)) = other {
            collisions.insert(
                *index,
                CheckError::StagingCollision {
                    path: path.to_path_buf(),
                    other: other.to_path_buf(),
                    destination: destination.clone(),
                },
            );
        }
    }
    collisions
}
