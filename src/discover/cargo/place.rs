//! A file named directly (or met in a scan) that lives in a cargo target directory is that
//! project's output, however it is reached: the library cargo uplifts into a profile
//! directory, its copy under `deps/`, or the copy maturin moves into `target/maturin/`. Each
//! gets the project's module name, bindings and Python targets, exactly as the no-argument
//! run gives them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::layout::{LibraryNaming, dirs_of_profile, has_build_lock};
use super::locate::locate_manifest;
use super::metadata::{manifest_of_current_dir, run_cargo_metadata};
use super::{CargoArtifact, CargoQuery, NotAnExtension, Project};

/// Where in a target directory a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CargoPlace {
    /// `<profile>/lib<name>.so`: cargo's own path, staged before it is checked.
    Uplifted {
        target_dir: PathBuf,
        profile_dir: PathBuf,
    },
    /// `<profile>/deps/…`, `<profile>/examples/…`: cargo's intermediate copy.
    Intermediate {
        target_dir: PathBuf,
        profile_dir: PathBuf,
    },
    /// `<target-dir>/maturin/…`: maturin's (or a staging run's) copy.
    MaturinStaging { target_dir: PathBuf },
}

impl CargoPlace {
    /// Where a file in `parent` is. Depends on the directory alone, so a scan asks once per
    /// directory, not once per file.
    pub fn of_dir(parent: &Path) -> Option<CargoPlace> {
        if has_build_lock(parent) {
            let (target_dir, profile_dir) = dirs_of_profile(parent, None, None);
            return Some(CargoPlace::Uplifted {
                target_dir,
                profile_dir,
            });
        }
        let grandparent = parent.parent()?;
        let parent_name = parent.file_name()?.to_str()?;
        if matches!(parent_name, "deps" | "examples") && has_build_lock(grandparent) {
            let (target_dir, profile_dir) = dirs_of_profile(grandparent, None, None);
            return Some(CargoPlace::Intermediate {
                target_dir,
                profile_dir,
            });
        }
        if parent_name == crate::stage::STAGING_DIR && is_target_dir(grandparent) {
            return Some(CargoPlace::MaturinStaging {
                target_dir: grandparent.to_path_buf(),
            });
        }
        None
    }

    pub fn target_dir(&self) -> &Path {
        match self {
            CargoPlace::Uplifted { target_dir, .. }
            | CargoPlace::Intermediate { target_dir, .. }
            | CargoPlace::MaturinStaging { target_dir } => target_dir,
        }
    }
}

/// What a project's output is.
#[derive(Debug)]
pub enum ProjectOutput {
    Extension(Box<CargoArtifact>),
    NotExtension(NotAnExtension),
}

/// The projects that build into each target directory, looked up once per directory.
#[derive(Default)]
pub struct ProjectIndex {
    by_target_dir: HashMap<PathBuf, Vec<(String, Project)>>,
}

impl ProjectIndex {
    /// The project output `file` at `place` is, when a project building into that target
    /// directory has a library of that file name.
    pub fn output(
        &mut self,
        file: &Path,
        place: &CargoPlace,
        query: &CargoQuery,
    ) -> Option<ProjectOutput> {
        let target_dir = canonical(place.target_dir());
        let projects = self
            .by_target_dir
            .entry(target_dir.clone())
            .or_insert_with(|| projects_building_into(&target_dir, query));
        let file_name = file.file_name()?.to_str()?;
        let (_, project) = projects.iter().find(|(name, _)| name == file_name)?;
        if let Some(not_extension) = project.not_an_extension() {
            return Some(ProjectOutput::NotExtension(not_extension));
        }
        let (target_dir, profile_dir) = match place {
            CargoPlace::Uplifted {
                target_dir,
                profile_dir,
            }
            | CargoPlace::Intermediate {
                target_dir,
                profile_dir,
            } => (target_dir.clone(), profile_dir.clone()),
            CargoPlace::MaturinStaging { target_dir } => (
                target_dir.clone(),
                target_dir.join(crate::stage::STAGING_DIR),
            ),
        };
        Some(ProjectOutput::Extension(Box::new(project.artifact(
            file.to_path_buf(),
            target_dir,
            profile_dir,
        ))))
    }
}

/// The workspace members with a cdylib that build into `target_dir`, by every file name the
/// library can have. The project is found beside the target directory (its usual place),
/// through `--manifest-path`, or as maturin finds it from here; cargo's `--target-dir` and
/// `CARGO_TARGET_DIR` move outputs anywhere, so the project's own target directory is not
/// required to match: a library of the same name is the project's.
fn projects_building_into(target_dir: &Path, query: &CargoQuery) -> Vec<(String, Project)> {
    let beside = target_dir.parent().map(|dir| dir.join("Cargo.toml"));
    let from_here = std::env::current_dir().ok().and_then(|cwd| {
        locate_manifest(&cwd)
            .ok()
            .flatten()
            .or_else(manifest_of_current_dir)
    });
    let candidates = [beside, query.manifest_path.clone(), from_here];
    for manifest in candidates.into_iter().flatten() {
        if !manifest.is_file() {
            continue;
        }
        let Ok(metadata) = run_cargo_metadata(Some(&manifest)) else {
            continue;
        };
        let mut projects = Vec::new();
        for package in &metadata.packages {
            let Some(cdylib) = package.cdylib() else {
                continue;
            };
            let Ok(project) = Project::resolve(package, &metadata.workspace_root) else {
                continue;
            };
            for naming in [
                LibraryNaming::Elf,
                LibraryNaming::Apple,
                LibraryNaming::Windows,
            ] {
                projects.push((naming.file_name(&cdylib.name), project.clone()));
            }
        }
        if !projects.is_empty() {
            return projects;
        }
    }
    Vec::new()
}

/// cargo marks a target directory it made with `CACHEDIR.TAG`, and any it builds in with
/// `.rustc_info.json`.
fn is_target_dir(dir: &Path) -> bool {
    dir.join("CACHEDIR.TAG").is_file() || dir.join(".rustc_info.json").is_file()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
