//! Cargo: find the cdylibs a cargo build produced and what they are meant to be imported as.
//!
//! Two ways in. [`discover_from_metadata`] asks `cargo metadata` which workspace members have a
//! cdylib target and looks where cargo puts it; [`discover_from_build_messages`] reads the
//! paths a `cargo build --message-format=json` run reported. Either way each library comes
//! with its module name chosen as maturin chooses it, the line of the setting that chose it,
//! near-miss settings worth a warning, and the `#[pymodule]` items of its source — so a
//! mismatch can be shown from both sides.

mod config;
mod error;
mod layout;
mod messages;
mod metadata;
mod module_name;
mod pymodule;
mod toml_doc;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

pub use config::ConfigWarning;
pub use error::CargoError;
pub use pymodule::{PyModuleItem, scan_pymodules};

use crate::model::{CrateContext, NameSource};
use layout::{
    LibraryNaming, built_profile_dirs, dirs_of_output, has_build_lock, missing_outside_a_build,
    profile_dir_name, triple_dir_name,
};
use messages::{package_name_from_id, read_build_messages};
use metadata::{run_cargo_metadata, selected_packages};
use module_name::{find_workspace_root, resolve_module_name};

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

/// Finds the cdylib of every package `cargo build` would build here (the package of the
/// manifest, or a virtual workspace's default members) in cargo's output layout.
pub fn discover_from_metadata(query: &CargoQuery) -> Result<Vec<CargoArtifact>, CargoError> {
    let manifest_path = query.manifest_path.as_deref();
    let metadata = run_cargo_metadata(manifest_path)?;
    let (packages, selected_manifest) = selected_packages(&metadata, manifest_path);
    let cdylibs: Vec<_> = packages
        .into_iter()
        .filter_map(|package| Some((package, package.cdylib()?)))
        .collect();
    if cdylibs.is_empty() {
        return Err(CargoError::NoCdylib {
            manifest_path: selected_manifest,
        });
    }

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

    let mut artifacts = Vec::new();
    for (package, cdylib) in cdylibs {
        let file_name = naming.file_name(&cdylib.name);
        let mut profile_dirs = match &query.profile {
            Some(profile) => vec![base.join(profile_dir_name(profile))],
            None => built_profile_dirs(&base, &file_name),
        };
        // A check killed mid-isolate left this profile's file in the staging directory; staging
        // puts it back, so it is this profile's artifact to check.
        if query.profile.is_none()
            && let Some(original) = crate::stage::journal::interrupted_original(
                &target_dir.join(crate::stage::STAGING_DIR),
                std::ffi::OsStr::new(&file_name),
            )
            && let Some(dir) = original.parent()
            && dir.parent() == Some(base.as_path())
            && !profile_dirs.iter().any(|known| known == dir)
        {
            profile_dirs.push(dir.to_path_buf());
        }
        if profile_dirs.is_empty() {
            // Name the file a plain `cargo build` would have produced.
            profile_dirs.push(base.join("debug"));
        }
        for profile_dir in &profile_dirs {
            let expected = profile_dir.join(&file_name);
            if missing_outside_a_build(&expected) {
                return Err(CargoError::NotBuilt { path: expected });
            }
        }
        let project = Project::resolve(
            &package.manifest_path,
            &metadata.workspace_root,
            &package.name,
            &cdylib.src_path,
        )?;
        for profile_dir in profile_dirs {
            artifacts.push(project.artifact(
                profile_dir.join(&file_name),
                target_dir.clone(),
                profile_dir,
            ));
        }
    }
    Ok(artifacts)
}

/// The target dir and profile dir of a file in cargo's output layout, when it is one: its
/// directory holds cargo's `.cargo-lock`. Explicit paths there are staged like discovered ones.
pub fn cargo_output_dirs(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let profile_dir = file.parent()?;
    has_build_lock(profile_dir).then(|| dirs_of_output(file, None, None))
}

/// Takes the cdylibs a `cargo build --message-format=json` run reported. Of the query, only
/// `target_dir` and `target` are used, to tell the target dir apart from a triple directory.
pub fn discover_from_build_messages(
    reader: impl BufRead,
    query: &CargoQuery,
) -> Result<Vec<CargoArtifact>, CargoError> {
    discover_from_named_messages(reader, "cargo build messages", query)
}

/// [`discover_from_build_messages`] for `--cargo-json FILE|-`: `-` reads standard input.
pub fn discover_from_build_messages_file(
    path: &Path,
    query: &CargoQuery,
) -> Result<Vec<CargoArtifact>, CargoError> {
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
) -> Result<Vec<CargoArtifact>, CargoError> {
    let built = read_build_messages(reader, source_name)?;
    if built.is_empty() {
        return Err(CargoError::NoCdylibInMessages {
            source_name: source_name.to_owned(),
        });
    }
    let target = effective_target(query);
    let mut projects: HashMap<PathBuf, Project> = HashMap::new();
    let mut artifacts = Vec::new();
    for cdylib in built {
        if missing_outside_a_build(&cdylib.path) {
            return Err(CargoError::NotBuilt { path: cdylib.path });
        }
        let project = match projects.get(&cdylib.manifest_path) {
            Some(project) => project,
            None => {
                let workspace_root = find_workspace_root(&cdylib.manifest_path)?;
                let project = Project::resolve(
                    &cdylib.manifest_path,
                    &workspace_root,
                    package_name_from_id(&cdylib.package_id),
                    &cdylib.target.src_path,
                )?;
                projects
                    .entry(cdylib.manifest_path.clone())
                    .or_insert(project)
            }
        };
        let (target_dir, profile_dir) =
            dirs_of_output(&cdylib.path, query.target_dir.as_deref(), target.as_deref());
        artifacts.push(project.artifact(cdylib.path, target_dir, profile_dir));
    }
    Ok(artifacts)
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
struct Project {
    package: String,
    manifest_path: PathBuf,
    module: String,
    module_source: NameSource,
    pymodules: Vec<PyModuleItem>,
    config_warnings: Vec<ConfigWarning>,
}

impl Project {
    fn resolve(
        manifest_path: &Path,
        workspace_root: &Path,
        package: &str,
        src_path: &Path,
    ) -> Result<Self, CargoError> {
        let name = resolve_module_name(manifest_path, workspace_root, package)?;
        Ok(Project {
            package: package.to_owned(),
            manifest_path: manifest_path.to_path_buf(),
            module: name.module,
            module_source: name.source,
            pymodules: scan_pymodules(src_path),
            config_warnings: name.warnings,
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

        let found = discover_from_metadata(&query(target_dir)).unwrap();
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
        let found = discover_from_metadata(&bench).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, target_dir.join("release").join(&file_name));

        assert_eq!(found[0].module, "tiny");
    }

    #[test]
    fn metadata_says_to_build_first_when_the_library_is_missing() {
        let target = tempfile::tempdir().unwrap();
        let err = discover_from_metadata(&query(target.path())).unwrap_err();
        let missing = target.path().join("debug").join(host_file_name());
        assert_eq!(
            err.to_string(),
            format!("{} not found — run cargo build first", missing.display())
        );
        let custom = CargoQuery {
            profile: Some("dist".into()),
            ..query(target.path())
        };
        let err = discover_from_metadata(&custom).unwrap_err();
        let missing = target.path().join("dist").join(host_file_name());
        assert_eq!(
            err.to_string(),
            format!("{} not found — run cargo build first", missing.display())
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
        let found = discover_from_metadata(&query(target.path())).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, profile_dir.join(host_file_name()));
        assert_eq!(found[0].profile_dir, profile_dir);
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

        let found = discover_from_build_messages_file(&log_file, &CargoQuery::default()).unwrap();
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
