//! The pipeline: stage → bytes → inspect → judge for each discovered artifact, ending in one
//! [`RunOutcome`]. This is the only place that runs the stages in order; discover comes
//! before it and the renderers after it. Artifacts are independent of each other, so they
//! are checked on several threads; entries still come out in discovery order.

mod schedule;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::discover::wheel::OpenWheel;
use crate::discover::{Discovery, Found};
use crate::error::CheckError;
use crate::hook::{hook_names, loader_hook_names};
use crate::inspect::{self, InspectError};
use crate::judge::{self, Facts, Policy};
use crate::map::{map_file, map_open_file};
use crate::model::{Artifact, ArtifactKind, ByteSource, CargoOutput, NameSource, NothingToCheck};
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
    /// How many artifacts are checked at once (at least 1).
    pub jobs: usize,
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

/// The jobs a run takes when the user does not say: one per core when it inflates wheel
/// members, where the time goes; one otherwise. Checking a file on disk costs tens of
/// microseconds, mostly mapping and unmapping it, and unmapping in a process with several
/// threads costs more than it saves (5,000 modules: 187 ms on one job, 233 ms on two).
pub fn default_jobs(discovery: &Discovery, cores: usize) -> usize {
    let inflates = discovery.found.iter().any(|found| {
        matches!(found, Found::Artifact(artifact)
            if matches!(artifact.bytes, ByteSource::WheelMember { .. }))
    });
    if inflates { cores.max(1) } else { 1 }
}

/// One piece of work for a worker.
enum Unit {
    /// Decided before any work: discovery failed, nothing to check, a staging collision.
    Decided(Box<Entry>),
    /// A file or a cargo output.
    Artifact(Box<Artifact>),
    /// A wheel's modules, together, so that the archive is opened once for all of them.
    Wheel {
        wheel: PathBuf,
        members: Vec<(String, Box<Artifact>)>,
    },
}

/// Checks everything discovered on up to `settings.jobs` threads. `on_entry` sees each entry
/// in discovery order as soon as it and every entry before it are done (the run's output is
/// the same whatever the number of jobs); `notify` may be called from any worker.
pub fn run(
    discovery: Discovery,
    settings: &Settings,
    notify: &(dyn Fn(Notice) + Sync),
    on_entry: &mut dyn FnMut(&Entry),
) -> RunOutcome {
    let units = units(discovery.found, settings);
    let mut entries = Vec::with_capacity(units.len());
    // Cargo outputs are staged one at a time: staging moves files in cargo's target
    // directory under cargo's locks and the staging lock, and its guarantees (where a file
    // ends up, recovery after an interruption) were built and tested for one artifact at a
    // time; a build directory holds a handful of outputs, so nothing is lost waiting.
    let cargo_turn = Mutex::new(());
    let work = |unit: Unit| -> Vec<Entry> {
        match unit {
            Unit::Decided(entry) => vec![*entry],
            Unit::Artifact(artifact) => {
                let serial = matches!(artifact.bytes, ByteSource::Cargo(_))
                    .then(|| cargo_turn.lock().unwrap_or_else(PoisonError::into_inner));
                let entry = check(*artifact, settings, notify);
                drop(serial);
                vec![entry]
            }
            Unit::Wheel { wheel, members } => check_wheel(&wheel, members, settings),
        }
    };
    schedule::in_order(units, settings.jobs, &work, &mut |done: Vec<Entry>| {
        for entry in done {
            on_entry(&entry);
            entries.push(entry);
        }
    });
    RunOutcome::new(entries, discovery.unchecked, settings.fail_on)
}

/// The run's units of work, in discovery order. A wheel's members are listed one after
/// another by discovery, so consecutive members of one wheel make one unit.
fn units(found: Vec<Found>, settings: &Settings) -> Vec<Unit> {
    let mut collisions = staging_collisions(&found, settings.stage);
    let mut units: Vec<Unit> = Vec::with_capacity(found.len());
    for (index, found) in found.into_iter().enumerate() {
        // Inputs decided by discovery become entries as they are; only artifacts are checked.
        let (path, checked) = match found {
            Found::Artifact(artifact) => {
                push_artifact(&mut units, artifact, collisions.remove(&index), settings);
                continue;
            }
            Found::Failed { path, error } => (path, Checked::Error(error.into())),
            Found::NothingToCheck { path, reason } => (path, Checked::NothingToCheck(reason)),
        };
        units.push(Unit::Decided(Box::new(Entry::new(
            path,
            None,
            None,
            checked,
            settings.fail_on,
        ))));
    }
    units
}

/// Adds an artifact to the units: decided already when staging would collide, else joined
/// to the unit of its wheel when it follows a member of the same wheel.
fn push_artifact(
    units: &mut Vec<Unit>,
    artifact: Box<Artifact>,
    collision: Option<CheckError>,
    settings: &Settings,
) {
    if let Some(error) = collision {
        let checked = Checked::Error(error);
        units.push(Unit::Decided(Box::new(entry(
            *artifact, None, checked, settings,
        ))));
        return;
    }
    let (wheel, member) = match &artifact.bytes {
        ByteSource::WheelMember { wheel, member } => (wheel.clone(), member.clone()),
        _ => return units.push(Unit::Artifact(artifact)),
    };
    match units.last_mut() {
        Some(Unit::Wheel {
            wheel: last,
            members,
        }) if *last == wheel => members.push((member, artifact)),
        _ => units.push(Unit::Wheel {
            wheel,
            members: vec![(member, artifact)],
        }),
    }
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

/// Checks one artifact that is not a wheel member: a file, or a cargo output.
fn check(artifact: Artifact, settings: &Settings, notify: &(dyn Fn(Notice) + Sync)) -> Entry {
    match &artifact.bytes {
        ByteSource::Cargo(output) => {
            let output = output.clone();
            check_cargo_output(artifact, &output, settings, notify)
        }
        ByteSource::File(path) => {
            let checked = check_mapped(path, &artifact);
            entry(artifact, None, checked, settings)
        }
        // Units put every wheel member in a wheel's group; one here still gets checked.
        ByteSource::WheelMember { wheel, member } => {
            let checked = match OpenWheel::open(wheel) {
                Ok(mut archive) => check_member(&mut archive, member, &artifact),
                Err(error) => Checked::Error(error.into()),
            };
            entry(artifact, None, checked, settings)
        }
    }
}

/// Stages a cargo output, checks it, and finishes staging even when the check failed, so
/// the file always ends up where the mode promises.
fn check_cargo_output(
    artifact: Artifact,
    output: &CargoOutput,
    settings: &Settings,
    notify: &(dyn Fn(Notice) + Sync),
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

/// Checks a wheel's modules from one open archive, in order.
fn check_wheel(
    wheel: &Path,
    members: Vec<(String, Box<Artifact>)>,
    settings: &Settings,
) -> Vec<Entry> {
    let mut archive = OpenWheel::open(wheel);
    members
        .into_iter()
        .map(|(member, artifact)| {
            let checked = match &mut archive {
                Ok(archive) => check_member(archive, &member, &artifact),
                // Each entry carries its own error: opening again yields it (the wheel
                // vanished or broke since discovery read it).
                Err(_) => match OpenWheel::open(wheel) {
                    Ok(mut archive) => check_member(&mut archive, &member, &artifact),
                    Err(error) => Checked::Error(error.into()),
                },
            };
            entry(*artifact, None, checked, settings)
        })
        .collect()
}

/// How much of a member is inflated at a time on its way to the temporary file: large
/// enough that a member of hundreds of megabytes costs few system calls, small enough to
/// stay out of the memory budget.
const SPILL_BUFFER: usize = 256 << 10;

/// How many leading bytes recognise a format: the longest magic number (`!<arch>\n`).
const MAGIC: usize = 8;

/// How much of a member is inflated before deciding how much more is needed: enough for an
/// ELF header and its program headers.
const HEAD: usize = 64 << 10;

/// Inflates a wheel member into an anonymous temporary file and checks its mapping: memory
/// stays bounded by what the lookups touch, whatever the member's size (a zip bomb included).
fn check_member(archive: &mut OpenWheel<File>, member: &str, artifact: &Artifact) -> Checked {
    let spill_error = |source| {
        Checked::Error(CheckError::Spill {
            path: artifact.path.clone(),
            source,
        })
    };
    let spill = match tempfile::tempfile() {
        Ok(file) => file,
        Err(source) => return spill_error(source),
    };
    let mut inflating = match archive.start(member) {
        Ok(inflating) => inflating,
        Err(error) => return Checked::Error(error.into()),
    };
    let mut head = vec![0u8; HEAD];
    let filled = match inflating.head(&mut head) {
        Ok(filled) => filled,
        Err(error) => return Checked::Error(error.into()),
    };
    let head = &head[..filled];
    if filled >= MAGIC
        && matches!(
            inspect::detect(head),
            Err(InspectError::UnknownFormat | InspectError::StaticArchive)
        )
    {
        // The magic number decides that this is no binary, and no later byte could change
        // that: the rest (gigabytes, for a zip bomb) is never inflated.
        return checked(head, &artifact.path, artifact);
    }
    // `io::copy` fills a `BufWriter`'s own buffer directly, so this is the only copy.
    let mut writer = BufWriter::with_capacity(SPILL_BUFFER, spill);
    if let Err(source) = writer.write_all(head) {
        return spill_error(source);
    }
    // Inflating stops where the lookups can no longer read (an ELF module's section headers,
    // symbol tables and debug information, often a quarter of it, are never inflated); the
    // file still gets the member's full length, its tail a hole that reads as zeros.
    let size = inflating.size();
    let cut_at = inspect::read_extent(head).filter(|&extent| extent < size);
    let inflated = match cut_at {
        Some(extent) => inflating.until(extent, &mut writer),
        None => inflating.rest(&mut writer),
    };
    let cut = match inflated {
        Ok(inflated) => cut_at.is_some() && inflated < size,
        Err(error) => return Checked::Error(error.into()),
    };
    let spill = match writer.into_inner() {
        Ok(file) => file,
        Err(error) => return spill_error(error.into_error()),
    };
    if cut && let Err(source) = spill.set_len(size) {
        return spill_error(source);
    }
    let judged = match spill.try_clone().map_err(&spill_error) {
        Ok(file) => match map_open_file(file, &artifact.path) {
            Ok(mapped) => checked(&mapped, &artifact.path, artifact),
            Err(error) => Checked::Error(error.into()),
        },
        Err(error) => return error,
    };
    // A file with no trace of a module in what the loader reads may still carry one in its
    // static symbol table, past the cut: only then is the rest inflated and the file judged
    // whole.
    let (true, Checked::NothingToCheck(NothingToCheck::LoadedByPath), Some(extent)) =
        (cut, &judged, cut_at)
    else {
        return judged;
    };
    let mut spill = spill;
    if let Err(source) = spill.seek(SeekFrom::Start(extent)) {
        return spill_error(source);
    }
    let mut writer = BufWriter::with_capacity(SPILL_BUFFER, spill);
    if let Err(error) = inflating.rest(&mut writer) {
        return Checked::Error(error.into());
    }
    match writer.into_inner() {
        Ok(file) => match map_open_file(file, &artifact.path) {
            Ok(mapped) => checked(&mapped, &artifact.path, artifact),
            Err(error) => Checked::Error(error.into()),
        },
        Err(error) => spill_error(error.into_error()),
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
    // CPython derives the hook from whatever file name it found; a name from the build or
    // the command line must also be one an `import` statement can spell.
    let hooks = match artifact.identity.name_source {
        NameSource::FileName => loader_hook_names(&artifact.identity.name),
        _ => hook_names(&artifact.identity.name),
    };
    let facts = Facts {
        artifact,
        hooks: &hooks,
        binary: &binary,
    };
    // A module unless evidence says it is a library loaded by path; a library found as one
    // (vendored) is judged as one.
    let kind = match artifact.kind {
        ArtifactKind::Library => ArtifactKind::Library,
        ArtifactKind::Module => match judge::role(&facts) {
            Ok(judge::Role::LoadedByPath) => ArtifactKind::Library,
            Ok(judge::Role::Module(_)) => ArtifactKind::Module,
            Err(source) => return inspect_error(source),
        },
    };
    let findings = match judge::judge(&facts, kind) {
        Ok(findings) => findings,
        Err(source) => return inspect_error(source),
    };
    // Loaded by path with everything it needs at hand: nothing to check as a module.
    if artifact.kind == ArtifactKind::Module && kind == ArtifactKind::Library && findings.is_empty()
    {
        return Checked::NothingToCheck(NothingToCheck::LoadedByPath);
    }
    // The report shows the module's own hooks in every slice, whatever the rules asked.
    if let (ArtifactKind::Module, Ok(names)) = (kind, &hooks) {
        for slice in &binary.slices {
            for symbol in [&names.init, &names.mod_export] {
                if let Err(source) = slice.lookup(symbol) {
                    return inspect_error(source);
                }
            }
        }
    }
    let mut dependencies = Vec::with_capacity(binary.slices.len());
    for slice in &binary.slices {
        if *slice.kind() != inspect::ObjectKind::SharedLibrary {
            dependencies.push(Vec::new());
            continue;
        }
        match judge::search::resolve(&facts, slice) {
            Ok(found) => dependencies.push(found),
            Err(source) => return inspect_error(source),
        }
    }
    Checked::Judged(Judged {
        format: binary.format,
        dependencies,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{DiscoverRequest, discover};
    use std::io::Write;

    fn discovered(path: &Path) -> Discovery {
        discover(&DiscoverRequest {
            paths: vec![path.to_path_buf()],
            ..DiscoverRequest::default()
        })
    }

    #[test]
    fn only_runs_that_inflate_take_every_core_by_default() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/elf");
        assert_eq!(default_jobs(&discovered(&fixtures), 8), 1);
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("pkg-1.0-cp312-cp312-linux_x86_64.whl");
        let mut zip = zip::ZipWriter::new(File::create(&wheel).unwrap());
        zip.start_file("pkg/foo.so", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&std::fs::read(fixtures.join("foo.so")).unwrap())
            .unwrap();
        zip.finish().unwrap();
        assert_eq!(default_jobs(&discovered(&wheel), 8), 8);
        assert_eq!(default_jobs(&discovered(&wheel), 0), 1);
    }
}
