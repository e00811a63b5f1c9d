//! Cargo: find the cdylibs a cargo build produced and what they are meant to be imported as.
//!
//! Two ways in. [`discover_from_metadata`] asks `cargo metadata` which workspace members have a
//! cdylib target and looks where cargo puts it; [`discover_from_build_messages`] reads the
//! paths a `cargo build --message-format=json` run reported. Either way each library comes
//! with its module name chosen as maturin chooses it, the line of the setting that chose it,
//! near-miss settings worth a warning, and the `#[pymodule]` items of its source — so a
//! mismatch can be shown from both sides.

mod bindings;
mod config;
mod error;
mod layout;
mod locate;
mod messages;
mod metadata;
mod module_name;
mod place;
mod pymodule;
mod python_targets;
mod toml_doc;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub use config::ConfigWarning;
pub use error::CargoError;
pub use place::{CargoPlace, ProjectIndex, ProjectOutput};
pub use pymodule::{PyModuleItem, scan_pymodules};
pub use python_targets::ProjectPython;

use crate::model::{Bindings, BindingsSource, CrateContext, NameSource};
use layout::{
    LibraryNaming, built_profile_dirs, dirs_of_output, has_build_lock, missing_outside_a_build,
    profile_dir_name, triple_dir_name,
};
use messages::{package_name_from_id, read_build_messages};
use metadata::{run_cargo_metadata, selected_packages};
use module_name::resolve_module_name;

/// The parsers of untrusted text, for the fuzz targets in `fuzz/` (not an API).
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    /// Parses a `cargo build --message-format=json` stream.
    pub fn build_messages(bytes: &[u8]) {
        let _ = super::messages::read_build_messages(bytes, "fuzz");
    }

    /// Reads a `Cargo.toml` and a `pyproject.toml` as the module-name resolution does.
    pub fn manifests(text: &str) {
        let path = Path::new("Cargo.toml");
        let _ = super::config::parse_cargo_manifest(path, text);
        let _ = super::config::parse_pyproject(Path::new("pyproject.toml"), text);
    }
}

/// What the user told us about the cargo build, mirroring cargo's own options.
#[derive(Debug, Clone, Default)]
pub struct CargoQuery {
    /// `--manifest-path`; cargo's search from the current directory when absent.
    pub manifest_path: Option<PathBuf>,
    /// `--target-dir`; beats `CARGO_TARGET_DIR` and cargo's configured target dir.
    pub target_dir: Option<PathBuf>,
    /// `--target`; the host when absent (or `CARGO_BUILD_TARGET`, as cargo reads it).
    pub target: Option<String>,
    /// `--profile`; every profile directory that holds the library when absent.
    pub profile: Option<String>,
    /// `-p/--package`: workspace members to check, as cargo selects them.
    pub packages: Vec<String>,
}

/// One cdylib cargo built, and everything known about the module it should be.
#[derive(Debug, Clone)]
pub struct CargoArtifact {
    /// The library where cargo uplifted it (`<profile-dir>/lib<name>.so`).
    pub path: PathBuf,
    pub target_dir: PathBuf,
    /// The directory holding cargo's build locks for this file.
    pub profile_dir: PathBuf,
    /// The cargo package name.
    pub package: String,
    pub manifest_path: PathBuf,
    /// The module name (last dotted component) CPython will derive the hook from.
    pub module: String,
    pub module_source: NameSource,
    /// The outermost `#[pymodule]` items of the library source.
    pub pymodules: Vec<PyModuleItem>,
    pub config_warnings: Vec<ConfigWarning>,
    /// The interpreters the project builds for, when it says.
    pub python: Option<ProjectPython>,
}

impl CargoArtifact {
    /// What the crate says, for explaining a verdict.
    pub fn crate_context(&self) -> CrateContext {
        CrateContext {
            pymodules: self.pymodules.clone(),
            config_warnings: self.config_warnings.clone(),
        }
    }
}

/// What a cargo project holds to check.
#[derive(Debug, Default)]
pub struct CargoFindings {
    pub artifacts: Vec<CargoArtifact>,
    /// Packages maturin packages as something other than an extension module.
    pub not_extensions: Vec<NotAnExtension>,
    /// Workspace members maturin packages nothing from: (manifest, package).
    pub skipped: Vec<(PathBuf, String)>,
}

/// A package whose bindings make no extension module (cffi, uniffi, bin).
#[derive(Debug, Clone)]
pub struct NotAnExtension {
    pub package: String,
    pub manifest_path: PathBuf,
    pub bindings: Bindings,
    pub source: BindingsSource,
}

/// Finds the cdylib of every package `cargo build` would build here (the package of the
/// manifest maturin would use, or a workspace's members) in cargo's output layout.
pub fn discover_from_metadata(query: &CargoQuery) -> Result<CargoFindings, CargoError> {
    let located = match &query.manifest_path {
        Some(path) => Some(path.clone()),
        None => match std::env::current_dir() {
            Ok(cwd) => locate::locate_manifest(&cwd)?,
            Err(_) => None,
        },
    };
    let manifest_path = located.as_deref();
    let metadata = run_cargo_metadata(manifest_path)?;
    let (packages, selected_manifest) = select(&metadata, manifest_path, &query.packages)?;

    let target_dir = query
        .target_dir
        .clone()
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| metadata.target_directory.clone());
    let target = effective_target(query);
    let naming = target
        .as_deref()
        .map_or_else(LibraryNaming::host, LibraryNaming::for_triple);
    let base = match &target {
        Some(triple) => target_dir.join(triple_dir_name(triple)),
        None => target_dir.clone(),
    };
    let place = OutputPlace {
        target_dir: &target_dir,
        base: &base,
        naming,
        profile: query.profile.as_deref(),
    };

    let mut findings = CargoFindings::default();
    for package in packages {
        let project = Project::resolve(package, &metadata.workspace_root)?;
        if let Some(not_extension) = project.not_an_extension() {
            findings.not_extensions.push(not_extension);
            continue;
        }
        match (&project.bindings, package.cdylib()) {
            (Some(_), Some(cdylib)) => {
                findings
                    .artifacts
                    .extend(place.outputs(&project, &cdylib.name)?);
            }
            _ => findings
                .skipped
                .push((package.manifest_path.clone(), package.name.clone())),
        }
    }
    if findings.artifacts.is_empty() && findings.not_extensions.is_empty() {
        return Err(CargoError::NoCdylib {
            manifest_path: selected_manifest.clone(),
            members_without: findings
                .skipped
                .iter()
                .filter(|(manifest, _)| *manifest != selected_manifest)
                .map(|(_, name)| name.clone())
                .collect(),
        });
    }
    Ok(findings)
}

/// The packages to check: `-p` names, else the manifest's package, else the workspace's
/// members. A workspace root whose own package builds nothing for Python stands for its
/// members, as a maturin project whose extension lives in a member does.
fn select<'m>(
    metadata: &'m metadata::Metadata,
    manifest_path: Option<&Path>,
    names: &[String],
) -> Result<(Vec<&'m metadata::Package>, PathBuf), CargoError> {
    let members = || {
        metadata
            .workspace_members
            .iter()
            .filter_map(|id| metadata.packages.iter().find(|package| &package.id == id))
    };
    if !names.is_empty() {
        let mut chosen = Vec::new();
        for name in names {
            let package = members()
                .find(|package| &package.name == name)
                .ok_or_else(|| CargoError::UnknownPackage {
                    name: name.clone(),
                    workspace_root: metadata.workspace_root.clone(),
                    members: members().map(|package| package.name.clone()).collect(),
                })?;
            chosen.push(package);
        }
        return Ok((chosen, metadata.workspace_root.join("Cargo.toml")));
    }
    let (packages, manifest) = selected_packages(metadata, manifest_path);
    let builds_nothing =
        |package: &&metadata::Package| package.cdylib().is_none() && !package.has_bin();
    let is_root = packages.len() == 1
        && packages[0].manifest_path.parent() == Some(metadata.workspace_root.as_path());
    if is_root && packages.iter().all(builds_nothing) && metadata.workspace_members.len() > 1 {
        return Ok((members().collect(), manifest));
    }
    Ok((packages, manifest))
}

/// Where cargo puts outputs for this query.
struct OutputPlace<'q> {
    target_dir: &'q Path,
    /// The target dir, or its triple directory under `--target`.
    base: &'q Path,
    naming: LibraryNaming,
    profile: Option<&'q str>,
}

impl OutputPlace<'_> {
    /// The library of `project` in every profile directory that holds it, newest first; when
    /// none does, the copy maturin left in `target/maturin/`, checked where it is.
    fn outputs(
        &self,
        project: &Project,
        target_name: &str,
    ) -> Result<Vec<CargoArtifact>, CargoError> {
        let file_name = self.naming.file_name(target_name);
        let staging_dir = self.target_dir.join(crate::stage::STAGING_DIR);
        let mut profile_dirs = match self.profile {
            Some(profile) => vec![self.base.join(profile_dir_name(profile))],
            None => built_profile_dirs(self.base, &file_name),
        };
        // A check killed mid-isolate left this profile's file in the staging directory; staging
        // puts it back, so it is this profile's artifact to check.
        let interrupted = crate::stage::journal::interrupted_original(
            &staging_dir,
            std::ffi::OsStr::new(&file_name),
        );
        if self.profile.is_none()
            && let Some(original) = &interrupted
            && let Some(dir) = original.parent()
            && dir.parent() == Some(self.base)
            && !profile_dirs.iter().any(|known| known == dir)
        {
            profile_dirs.push(dir.to_path_buf());
        }
        let maturins = staging_dir.join(&file_name);
        if profile_dirs.is_empty() && interrupted.is_none() && maturins.is_file() {
            // maturin moves the library here while it builds a wheel and leaves it when a
            // later step fails: the build's only copy, checked in place, never staged.
            return Ok(vec![project.artifact(
                maturins,
                self.target_dir.to_path_buf(),
                staging_dir,
            )]);
        }
        if profile_dirs.is_empty() {
            // Name the file a plain `cargo build` would have produced.
            profile_dirs.push(self.base.join("debug"));
        }
        for profile_dir in &profile_dirs {
            let expected = profile_dir.join(&file_name);
            if missing_outside_a_build(&expected) {
                let also_looked_at = self
                    .profile_dirs_present()
                    .into_iter()
                    .filter(|dir| dir != profile_dir)
                    .map(|dir| dir.join(&file_name))
                    .chain(std::iter::once(maturins.clone()))
                    .collect();
                return Err(CargoError::NotBuilt {
                    path: expected,
                    also_looked_at,
                });
            }
        }
        Ok(profile_dirs
            .into_iter()
            .map(|dir| project.artifact(dir.join(&file_name), self.target_dir.to_path_buf(), dir))
            .collect())
    }

    /// Every profile directory cargo has made under the base (those holding its lock).
    fn profile_dirs_present(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.base) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|dir| has_build_lock(dir))
            .collect();
        dirs.sort();
        dirs
    }
}

/// Takes the cdylibs a `cargo build --message-format=json` run reported. Of the query, only
/// `target_dir` and `target` are used, to tell the target dir apart from a triple directory.
pub fn discover_from_build_messages(
    reader: impl BufRead,
    query: &CargoQuery,
) -> Result<CargoFindings, CargoError> {
    discover_from_named_messages(reader, "cargo build messages", query)
}

/// [`discover_from_build_messages`] for `--cargo-json FILE|-`: `-` reads standard input.
pub fn discover_from_build_messages_file(
    path: &Path,
    query: &CargoQuery,
) -> Result<CargoFindings, CargoError> {
    if path == Path::new("-") {
        let stdin = std::io::stdin();
        return discover_from_named_messages(stdin.lock(), "<stdin>", query);
    }
    let file = std::fs::File::open(path).map_err(|source| CargoError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    discover_from_named_messages(BufReader::new(file), &path.display().to_string(), query)
}

fn discover_from_named_messages(
    reader: impl BufRead,
    source_name: &str,
    query: &CargoQuery,
) -> Result<CargoFindings, CargoError> {
    let built = read_build_messages(reader, source_name)?;
    if built.is_empty() {
        return Err(CargoError::NoCdylibInMessages {
            source_name: source_name.to_owned(),
        });
    }
    let target = effective_target(query);
    let mut projects: HashMap<PathBuf, Project> = HashMap::new();
    let mut findings = CargoFindings::default();
    for cdylib in built {
        if missing_outside_a_build(&cdylib.path) {
            return Err(CargoError::NotBuilt {
                path: cdylib.path,
                also_looked_at: Vec::new(),
            });
        }
        let project = match projects.get(&cdylib.manifest_path) {
            Some(project) => project,
            None => {
                let project = project_of_manifest(
                    &cdylib.manifest_path,
                    package_name_from_id(&cdylib.package_id),
                )?;
                projects
                    .entry(cdylib.manifest_path.clone())
                    .or_insert(project)
            }
        };
        if let Some(not_extension) = project.not_an_extension() {
            findings.not_extensions.push(not_extension);
            continue;
        }
        let (target_dir, profile_dir) =
            dirs_of_output(&cdylib.path, query.target_dir.as_deref(), target.as_deref());
        findings
            .artifacts
            .push(project.artifact(cdylib.path, target_dir, profile_dir));
    }
    Ok(findings)
}

/// The project of the package `name` at `manifest_path`, as `cargo metadata` describes it.
fn project_of_manifest(manifest_path: &Path, name: &str) -> Result<Project, CargoError> {
    let metadata = run_cargo_metadata(Some(manifest_path))?;
    let package = metadata
        .packages
        .iter()
        .find(|package| {
            package.name == name && metadata::same_file(&package.manifest_path, manifest_path)
        })
        .ok_or_else(|| CargoError::NoCdylib {
            manifest_path: manifest_path.to_path_buf(),
            members_without: Vec::new(),
        })?;
    Project::resolve(package, &metadata.workspace_root)
}

/// `--target`, else `CARGO_BUILD_TARGET`, which cargo reads the same way.
fn effective_target(query: &CargoQuery) -> Option<String> {
    query.target.clone().or_else(|| {
        std::env::var("CARGO_BUILD_TARGET")
            .ok()
            .filter(|target| !target.is_empty())
    })
}

/// What is known about a package regardless of which profile's file is checked.
#[derive(Debug, Clone)]
struct Project {
    package: String,
    manifest_path: PathBuf,
    module: String,
    module_source: NameSource,
    pymodules: Vec<PyModuleItem>,
    config_warnings: Vec<ConfigWarning>,
    /// `None` when maturin could not tell (no binding crate, cdylib or binary).
    bindings: Option<(Bindings, BindingsSource)>,
    python: Option<ProjectPython>,
}

impl Project {
    fn resolve(package: &metadata::Package, workspace_root: &Path) -> Result<Self, CargoError> {
        let name = resolve_module_name(&package.manifest_path, workspace_root, &package.name)?;
        let bindings = bindings::decide(package, name.bindings.as_ref());
        let pyo3_python = std::env::var("PYO3_PYTHON").ok();
        let python = python_targets::python_targets(
            package,
            name.requires_python.as_deref(),
            pyo3_python.as_deref(),
        );
        let src_path = package
            .cdylib()
            .map(|target| target.src_path.clone())
            .unwrap_or_default();
        Ok(Project {
            package: package.name.clone(),
            manifest_path: package.manifest_path.clone(),
            module: name.module,
            module_source: name.source,
            pymodules: if src_path.as_os_str().is_empty() {
                Vec::new()
            } else {
                scan_pymodules(&src_path)
            },
            config_warnings: name.warnings,
            bindings,
            python,
        })
    }

    /// What the package is instead, when its bindings make no extension module.
    fn not_an_extension(&self) -> Option<NotAnExtension> {
        let (bindings, source) = self.bindings.as_ref()?;
        (!bindings.is_extension_module()).then(|| NotAnExtension {
            package: self.package.clone(),
            manifest_path: self.manifest_path.clone(),
            bindings: *bindings,
            source: source.clone(),
        })
    }

    fn artifact(&self, path: PathBuf, target_dir: PathBuf, profile_dir: PathBuf) -> CargoArtifact {
        CargoArtifact {
            path,
            target_dir,
            profile_dir,
            package: self.package.clone(),
            manifest_path: self.manifest_path.clone(),
            module: self.module.clone(),
            module_source: self.module_source.clone(),
            pymodules: self.pymodules.clone(),
            config_warnings: self.config_warnings.clone(),
            python: self.python.clone(),
        }
    }
}

/// A project under `tests/fixtures/cargo/`, for the tests of every cargo module.
#[cfg(test)]
fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cargo")
        .join(case)
}

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::model::Location;

    fn host_file_name() -> String {
        LibraryNaming::host().file_name("tiny")
    }

    /// Builds the tiny fixture crate for real; it has no dependencies, so this is quick and
    /// offline.
    fn cargo_build(target_dir: &Path, args: &[&str]) {
        let status = Command::new(metadata::cargo_program())
            .args(["build", "--quiet", "--manifest-path"])
            .arg(fixture("tiny_cdylib/Cargo.toml"))
            .arg("--target-dir")
            .arg(target_dir)
            .args(args)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn set_mtime(path: &Path, seconds: u64) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
            .unwrap();
    }

    fn query(target_dir: &Path) -> CargoQuery {
        CargoQuery {
            manifest_path: Some(fixture("tiny_cdylib/Cargo.toml")),
            target_dir: Some(target_dir.to_path_buf()),
            ..CargoQuery::default()
        }
    }

    fn assert_tiny_project(artifact: &CargoArtifact) {
        let root = fixture("tiny_cdylib");
        assert_eq!(artifact.package, "tiny-cdylib");
        assert_eq!(artifact.manifest_path, root.join("Cargo.toml"));
        assert_eq!(artifact.module, "tiny");
        assert_eq!(
            artifact.module_source,
            NameSource::Config {
                key: "Cargo.toml [lib] name".into(),
                location: Location {
                    path: root.join("Cargo.toml"),
                    line: Some(8),
                    label: "Cargo.toml [lib] name".into(),
                },
            }
        );
        assert_eq!(
            artifact.pymodules,
            [PyModuleItem {
                name: "tiny".into(),
                rust_name: "tiny".into(),
                renamed: false,
                location: Location {
                    path: root.join("src/lib.rs"),
                    line: Some(12),
                    label: "#[pymodule] fn tiny".into(),
                },
            }]
        );
        assert!(artifact.config_warnings.is_empty());
    }

    #[test]
    fn metadata_finds_every_built_profile_newest_first() {
        let target = tempfile::tempdir().unwrap();
        let target_dir = target.path();
        cargo_build(target_dir, &[]);
        cargo_build(target_dir, &["--release"]);
        let file_name = host_file_name();
        set_mtime(&target_dir.join("debug").join(&file_name), 2_000_000);
        set_mtime(&target_dir.join("release").join(&file_name), 1_000_000);

        let found = discover_from_metadata(&query(target_dir))
            .unwrap()
            .artifacts;
        let dirs: Vec<_> = found.iter().map(|a| a.profile_dir.clone()).collect();
        assert_eq!(dirs, [target_dir.join("debug"), target_dir.join("release")]);
        for artifact in &found {
            assert_eq!(artifact.path, artifact.profile_dir.join(&file_name));
            assert_eq!(artifact.target_dir, target_dir);
            assert_tiny_project(artifact);
        }

        let bench = CargoQuery {
            profile: Some("bench".into()),
            ..query(target_dir)
        };
        let found = discover_from_metadata(&bench).unwrap().artifacts;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, target_dir.join("release").join(&file_name));

        assert_eq!(found[0].module, "tiny");
    }

    #[test]
    fn metadata_says_to_build_first_when_the_library_is_missing() {
        let target = tempfile::tempdir().unwrap();
        let err = discover_from_metadata(&query(target.path())).unwrap_err();
        let missing = target.path().join("debug").join(host_file_name());
        let maturins = target.path().join("maturin").join(host_file_name());
        assert_eq!(
            err.to_string(),
            format!(
                "{} not found — run cargo build first (also looked at {})",
                missing.display(),
                maturins.display()
            )
        );
        let custom = CargoQuery {
            profile: Some("dist".into()),
            ..query(target.path())
        };
        let err = discover_from_metadata(&custom).unwrap_err();
        let missing = target.path().join("dist").join(host_file_name());
        assert_eq!(
            err.to_string(),
            format!(
                "{} not found — run cargo build first (also looked at {})",
                missing.display(),
                maturins.display()
            )
        );
    }

    /// maturin moves the library into target/maturin/ while it builds a wheel and leaves it
    /// there when a later step fails: with cargo's paths empty, that file is the build.
    #[test]
    fn metadata_checks_the_copy_maturin_left_when_cargos_path_is_empty() {
        let target = tempfile::tempdir().unwrap();
        let release = target.path().join("release");
        std::fs::create_dir_all(&release).unwrap();
        std::fs::write(release.join(".cargo-lock"), b"").unwrap();
        let maturin = target.path().join("maturin");
        std::fs::create_dir_all(&maturin).unwrap();
        std::fs::write(maturin.join(host_file_name()), b"\x7fELF").unwrap();

        let found = discover_from_metadata(&query(target.path()))
            .unwrap()
            .artifacts;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, maturin.join(host_file_name()));
        assert_tiny_project(&found[0]);

        // Not there either: the message names every place looked at, for profiles that exist.
        std::fs::remove_file(maturin.join(host_file_name())).unwrap();
        let err = discover_from_metadata(&CargoQuery {
            profile: Some("dev".into()),
            ..query(target.path())
        })
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&release.join(host_file_name()).display().to_string()),
            "{message}"
        );
        assert!(
            message.contains(&maturin.join(host_file_name()).display().to_string()),
            "{message}"
        );
    }

    /// Where cargo builds, a missing file may be one a running build is relinking: discovery
    /// names it and leaves the verdict to staging, which looks under cargo's lock.
    #[test]
    fn metadata_defers_a_missing_library_where_cargo_builds() {
        let target = tempfile::tempdir().unwrap();
        let profile_dir = target.path().join("debug");
        std::fs::create_dir_all(&profile_dir).unwrap();
        std::fs::write(profile_dir.join(".cargo-lock"), b"").unwrap();
        let found = discover_from_metadata(&query(target.path()))
            .unwrap()
            .artifacts;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, profile_dir.join(host_file_name()));
        assert_eq!(found[0].profile_dir, profile_dir);
    }

    /// `-p` picks workspace members as cargo does; an unknown name lists the members.
    #[test]
    fn package_flags_pick_workspace_members() {
        let workspace = fixture("name_workspace");
        let target = tempfile::tempdir().unwrap();
        let query = |packages: &[&str]| CargoQuery {
            manifest_path: Some(workspace.join("Cargo.toml")),
            target_dir: Some(target.path().to_path_buf()),
            packages: packages.iter().map(|p| p.to_string()).collect(),
            ..CargoQuery::default()
        };
        // Both members are plain cdylibs (no binding crate): maturin would call them cffi.
        let both = discover_from_metadata(&query(&[])).unwrap();
        let names: Vec<_> = both
            .not_extensions
            .iter()
            .map(|p| p.package.as_str())
            .collect();
        assert_eq!(names, ["ext", "other"]);
        let one = discover_from_metadata(&query(&["other"])).unwrap();
        let names: Vec<_> = one
            .not_extensions
            .iter()
            .map(|p| p.package.as_str())
            .collect();
        assert_eq!(names, ["other"]);
        let err = discover_from_metadata(&query(&["nope"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("-p nope: no such package in the workspace at "),
            "{err}"
        );
        assert!(err.ends_with("(members: ext, other)"), "{err}");
    }

    #[test]
    fn metadata_rejects_a_package_without_a_cdylib() {
        let manifest = fixture("no_cdylib/Cargo.toml");
        let query = CargoQuery {
            manifest_path: Some(manifest.clone()),
            ..CargoQuery::default()
        };
        let err = discover_from_metadata(&query).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("no cdylib target in {}", manifest.display())
        );
    }

    #[test]
    fn metadata_failure_is_reported_on_one_line() {
        let manifest = fixture("no_such_project/Cargo.toml");
        let query = CargoQuery {
            manifest_path: Some(manifest.clone()),
            ..CargoQuery::default()
        };
        let message = discover_from_metadata(&query).unwrap_err().to_string();
        let prefix = format!("`cargo metadata` failed for {}: ", manifest.display());
        assert!(message.starts_with(&prefix), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    /// A captured transcript with its placeholders filled in, JSON-escaped.
    fn transcript(name: &str, target_dir: &Path) -> String {
        let escaped = |path: &Path| {
            let quoted = serde_json::to_string(&path.to_string_lossy()).unwrap();
            quoted[1..quoted.len() - 1].to_owned()
        };
        std::fs::read_to_string(fixture("messages").join(name))
            .unwrap()
            .replace("@FIXTURE@", &escaped(&fixture("tiny_cdylib")))
            .replace("@TARGET@", &escaped(target_dir))
    }

    /// Lays out a target dir the way cargo does, with placeholder libraries.
    fn fake_target_dir(root: &Path) {
        let triple = root.join("x86_64-unknown-linux-gnu");
        for dir in [root.join("debug"), triple.join("release")] {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(".cargo-lock"), b"").unwrap();
            std::fs::write(dir.join("libtiny.so"), b"\x7fELF").unwrap();
        }
        std::fs::write(root.join("CACHEDIR.TAG"), b"").unwrap();
        std::fs::write(triple.join("CACHEDIR.TAG"), b"").unwrap();
    }

    #[test]
    fn build_messages_give_each_library_with_its_directories() {
        let target = tempfile::tempdir().unwrap();
        let target_dir = target.path();
        fake_target_dir(target_dir);
        let log = transcript("host-debug-with-stderr.jsonl", target_dir)
            + &transcript("cross-release.jsonl", target_dir);
        let log_file = target_dir.join("build.json");
        std::fs::write(&log_file, log).unwrap();

        let found = discover_from_build_messages_file(&log_file, &CargoQuery::default())
            .unwrap()
            .artifacts;
        let dirs: Vec<_> = found
            .iter()
            .map(|a| (a.target_dir.clone(), a.profile_dir.clone()))
            .collect();
        assert_eq!(
            dirs,
            [
                (target_dir.to_path_buf(), target_dir.join("debug")),
                (
                    target_dir.to_path_buf(),
                    target_dir.join("x86_64-unknown-linux-gnu/release")
                ),
            ]
        );
        for artifact in &found {
            assert_eq!(artifact.path, artifact.profile_dir.join("libtiny.so"));
            assert_tiny_project(artifact);
        }
    }

    #[test]
    fn build_messages_need_a_cdylib_and_its_file() {
        let target = tempfile::tempdir().unwrap();
        let log = transcript("host-debug-with-stderr.jsonl", target.path());
        let err = discover_from_build_messages(log.as_bytes(), &CargoQuery::default()).unwrap_err();
        let missing = target.path().join("debug/libtiny.so");
        assert_eq!(
            err.to_string(),
            format!("{} not found — run cargo build first", missing.display())
        );

        let only_noise =
            "   Compiling x v0.1.0\n{\"reason\":\"build-finished\",\"success\":true}\n";
        let err = discover_from_build_messages(only_noise.as_bytes(), &CargoQuery::default())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "cargo build messages: no cdylib among the compiler-artifact messages \
             (was cargo run with --message-format=json?)"
        );
    }
}
