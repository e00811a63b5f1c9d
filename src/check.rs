//! Check: the pipeline for one artifact — map, inspect, judge — ending in its report.
//!
//! [`check_bytes`] is the core and takes bytes, so wheel members and in-memory buffers go
//! through exactly the same path as mapped files; [`check_artifact`] maps a file first.

use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::discover::wheel::{WheelError, read_member};
use crate::discover::{Artifact, NameSource, Origin, guess_module_of_unimportable};
use crate::hook::{HOOK_PREFIXES, HookNames, hook_names};
use crate::inspect::{BinaryFormat, InspectError, SliceReport, inspect};
use crate::judge::{Facts, Finding, Verdict, VersionSource, evaluate};
use crate::map::{MapError, map_file};
use crate::python::{PythonTargets, PythonVersion};

/// What the user told us about every artifact.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--module-name`: overrides every other source.
    pub module_name: Option<String>,
    /// `--python`: overrides the versions a suffix names.
    pub python: Vec<PythonVersion>,
}

/// The full result for one artifact: what reporters render.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactReport {
    pub path: PathBuf,
    /// Where the file was checked, when staging moved or copied it.
    pub staged_path: Option<PathBuf>,
    /// The wheel a member was read from (`path` is then `<wheel>/<member>`).
    pub container: Option<PathBuf>,
    /// What staging did with the file ("moved back to …", "left in …"), for cargo outputs.
    pub stage: Option<String>,
    pub origin: Origin,
    pub module: String,
    pub module_source: NameSource,
    pub python: PythonTargets,
    pub python_source: VersionSource,
    /// `None` when the module name is invalid.
    pub expected_hooks: Option<HookNames>,
    /// `None` when the file could not be inspected (a skipped directory-scan file).
    pub format: Option<BinaryFormat>,
    pub slices: Vec<SliceReport>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Error)]
pub enum CheckError {
    #[error(transparent)]
    Map(#[from] MapError),
    #[error(transparent)]
    Wheel(#[from] WheelError),
    #[error("{path}: {source}")]
    Inspect { path: PathBuf, source: InspectError },
}

/// Maps the artifact's file (or `staged`, where staging put it) and checks it.
pub fn check_artifact(
    artifact: &Artifact,
    staged: Option<&Path>,
    options: &CheckOptions,
) -> Result<ArtifactReport, CheckError> {
    if let Some((wheel, member)) = &artifact.wheel {
        let bytes = read_member(wheel, member)?;
        return check_bytes(&bytes, artifact, options).map_err(|source| CheckError::Inspect {
            path: artifact.path.clone(),
            source,
        });
    }
    let on_disk = staged.unwrap_or(&artifact.path);
    let bytes = map_file(on_disk)?;
    let mut report =
        check_bytes(&bytes, artifact, options).map_err(|source| CheckError::Inspect {
            path: on_disk.to_path_buf(),
            source,
        })?;
    report.staged_path = staged.map(Path::to_path_buf);
    Ok(report)
}

/// Checks `bytes` as the content of `artifact`. Fails only for a file the user named that is
/// not a binary we can read; a directory-scan file is reported as skipped instead.
pub fn check_bytes(
    bytes: &[u8],
    artifact: &Artifact,
    options: &CheckOptions,
) -> Result<ArtifactReport, InspectError> {
    let (module, module_source) = module_identity(artifact, options);
    let (python, python_source) = python_targets(artifact, options);
    let hooks = hook_names(&module);
    let wanted: Vec<&str> = match &hooks {
        Ok(hooks) => vec![hooks.init.as_str(), hooks.mod_export.as_str()],
        Err(_) => Vec::new(),
    };
    let inspection = inspect(bytes, &wanted, &HOOK_PREFIXES);
    if let Err(error) = &inspection
        && artifact.origin != Origin::DirectoryScan
    {
        return Err(error.clone());
    }
    let facts = Facts {
        path: artifact.path.clone(),
        origin: artifact.origin,
        importable_name: artifact.file_name.is_some(),
        module,
        name_source: module_source,
        python,
        version_source: python_source,
        hooks,
        inspection,
        source: artifact.source.clone(),
    };
    let (verdict, findings) = evaluate(&facts);
    let (format, slices) = match facts.inspection {
        Ok(inspection) => (Some(inspection.format), inspection.slices),
        Err(_) => (None, Vec::new()),
    };
    Ok(ArtifactReport {
        path: facts.path,
        staged_path: None,
        container: artifact.wheel.as_ref().map(|(wheel, _)| wheel.clone()),
        stage: None,
        origin: facts.origin,
        module: facts.module,
        module_source: facts.name_source,
        python: facts.python,
        python_source: facts.version_source,
        expected_hooks: facts.hooks.ok(),
        format,
        slices,
        verdict,
        findings,
    })
}

fn module_identity(artifact: &Artifact, options: &CheckOptions) -> (String, NameSource) {
    if let Some(name) = &options.module_name {
        return (name.clone(), NameSource::CommandLine);
    }
    if let Some((name, source)) = &artifact.module {
        return (name.clone(), source.clone());
    }
    match &artifact.file_name {
        Some(parsed) => (parsed.module.clone(), NameSource::FileName),
        None => {
            let name = artifact
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (guess_module_of_unimportable(&name), NameSource::FileName)
        }
    }
}

fn python_targets(artifact: &Artifact, options: &CheckOptions) -> (PythonTargets, VersionSource) {
    if !options.python.is_empty() {
        return (
            PythonTargets::Versions(options.python.clone()),
            VersionSource::CommandLine,
        );
    }
    match &artifact.file_name {
        Some(parsed) if parsed.python != PythonTargets::Unknown => {
            (parsed.python.clone(), VersionSource::FileSuffix)
        }
        _ => (PythonTargets::Unknown, VersionSource::None),
    }
}
