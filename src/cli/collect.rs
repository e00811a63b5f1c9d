//! From the command line to reports: discover the artifacts (paths, cargo metadata or cargo's
//! build messages), stage cargo outputs, check each, and put every file back where it belongs.

use std::path::PathBuf;
use std::time::Duration;

use crate::check::{ArtifactReport, CheckOptions, check_artifact};
use crate::discover::cargo::{
    CargoQuery, cargo_output_dirs, discover_from_build_messages_file, discover_from_metadata,
};
use crate::discover::{Artifact, Origin, discover_paths};
use crate::stage::{STAGING_DIR, StageMode, StageRequest, stage, wait_message};

use super::Cli;
use crate::report::human::printable;

/// One artifact to check, with cargo's directories when it is a cargo output to stage.
pub struct Job {
    pub artifact: Artifact,
    /// `(target dir, profile dir)`.
    pub cargo_dirs: Option<(PathBuf, PathBuf)>,
}

pub fn jobs(cli: &Cli) -> Result<Vec<Job>, String> {
    let query = CargoQuery {
        manifest_path: cli.manifest_path.clone(),
        target_dir: cli.target_dir.clone(),
        target: cli.target.clone(),
        profile: cli.profile.clone(),
    };
    let from_cargo = |found: Vec<crate::discover::cargo::CargoArtifact>| {
        found
            .into_iter()
            .map(|c| Job {
                artifact: c.to_artifact(),
                cargo_dirs: Some((c.target_dir, c.profile_dir)),
            })
            .collect()
    };
    let jobs = if let Some(messages) = &cli.cargo_json {
        discover_from_build_messages_file(messages, &query)
            .map(from_cargo)
            .map_err(|e| e.to_string())?
    } else if cli.paths.is_empty() {
        discover_from_metadata(&query)
            .map(from_cargo)
            .map_err(|e| e.to_string())?
    } else {
        let artifacts = discover_paths(&cli.paths).map_err(|e| e.to_string())?;
        artifacts
            .into_iter()
            .map(|artifact| {
                // A file named inside cargo's output layout is staged like a discovered one.
                let cargo_dirs = (artifact.origin == Origin::Path)
                    .then(|| cargo_output_dirs(&artifact.path))
                    .flatten();
                Job {
                    artifact,
                    cargo_dirs,
                }
            })
            .collect()
    };
    refuse_colliding_stages(cli, jobs)
}

/// `target/maturin/` holds one file per name (maturin's layout). When two artifacts would be
/// left there under the same name — `target/debug/libfoo.so` and `target/release/libfoo.so` —
/// the second would replace the first, and in `move` mode that is the first's only copy.
fn refuse_colliding_stages(cli: &Cli, jobs: Vec<Job>) -> Result<Vec<Job>, String> {
    if !matches!(cli.stage, StageMode::Move | StageMode::Copy) {
        return Ok(jobs);
    }
    let mut seen: Vec<(PathBuf, &PathBuf)> = Vec::new();
    for job in &jobs {
        let (Some((target_dir, _)), Some(name)) = (&job.cargo_dirs, job.artifact.path.file_name())
        else {
            continue;
        };
        let destination = target_dir.join(STAGING_DIR).join(name);
        if let Some((_, first)) = seen.iter().find(|(d, _)| *d == destination) {
            return Err(format!(
                "{} and {} would both be staged as {}; pick one with --profile (or --target)",
                first.display(),
                job.artifact.path.display(),
                destination.display()
            ));
        }
        seen.push((destination, &job.artifact.path));
    }
    Ok(jobs)
}

/// Stages (for cargo outputs), checks, and finishes staging even when the check failed, so
/// the artifact always ends up where the mode promises.
pub fn check_job(cli: &Cli, job: &Job, options: &CheckOptions) -> Result<ArtifactReport, String> {
    let Some((target_dir, profile_dir)) = &job.cargo_dirs else {
        return check_artifact(&job.artifact, None, options).map_err(|e| e.to_string());
    };
    let request = StageRequest {
        artifact: &job.artifact.path,
        target_dir,
        profile_dir,
        mode: cli.stage,
        lock_timeout: Duration::from_secs(cli.lock_timeout),
    };
    let mut say_waiting =
        |lock: &std::path::Path| eprintln!("pyinit-check: {}", printable(wait_message(lock)));
    let staged = stage(&request, &mut say_waiting).map_err(|e| e.to_string())?;
    let check_path = staged.check_path().to_path_buf();
    let moved = check_path != job.artifact.path;
    // The mapping lives only inside check_artifact, so it is gone before finish() moves the file.
    let checked = check_artifact(
        &job.artifact,
        moved.then_some(check_path.as_path()),
        options,
    );
    let outcome = staged.finish(&mut say_waiting).map_err(|e| e.to_string())?;
    let mut report = checked.map_err(|e| e.to_string())?;
    report.staged_path = outcome.staged().map(PathBuf::from);
    if outcome.is_unexpected() {
        eprintln!(
            "pyinit-check: {}: {}",
            printable(job.artifact.path.display()),
            printable(&outcome)
        );
    }
    report.stage = (cli.stage != StageMode::None || moved).then(|| outcome.to_string());
    Ok(report)
}
