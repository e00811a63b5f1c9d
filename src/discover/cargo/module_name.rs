//! The module name a cargo-built library is meant to be imported as, and the setting that
//! says so, decided in maturin's order:
//!
//! 1. `pyproject.toml` `[tool.maturin] module-name`
//! 2. `Cargo.toml` `[lib] name`
//! 3. `pyproject.toml` `[project] name`
//! 4. `Cargo.toml` `[package] name`
//!
//! Only the last dotted component names the hook. A `-` is kept as written: it makes the name
//! invalid, and saying so (with the line to fix) is the judge's job, not ours.

use std::path::{Path, PathBuf};

use super::CargoError;
use super::bindings::ConfiguredBindings;
use super::config::{ConfigWarning, Pyproject, read_cargo_manifest, read_pyproject};
use super::toml_doc::Keyed;
use crate::hook::last_component;
use crate::model::Location;
use crate::model::NameSource;

/// The outcome: the name, where it came from, and any near-miss settings seen on the way.
#[derive(Debug, Clone)]
pub(super) struct ResolvedName {
    pub module: String,
    pub source: NameSource,
    pub warnings: Vec<ConfigWarning>,
    /// `[tool.maturin] bindings` of the package's pyproject.toml.
    pub bindings: Option<ConfiguredBindings>,
    /// `[project] requires-python` of the package's pyproject.toml.
    pub requires_python: Option<String>,
}

/// Resolves the module name of the package at `manifest_path`. `package_name` (from cargo)
/// stands in when the manifest itself does not spell out `[package] name`.
pub(super) fn resolve_module_name(
    manifest_path: &Path,
    workspace_root: &Path,
    package_name: &str,
) -> Result<ResolvedName, CargoError> {
    let manifest = read_cargo_manifest(manifest_path)?;
    let pyproject = find_pyproject(manifest_path, workspace_root)?;
    let warnings = pyproject
        .as_ref()
        .map(|p| p.warnings.clone())
        .unwrap_or_default();

    let from = |keyed: &Keyed, path: &Path, key: &str| {
        (
            last_component(&keyed.value).to_owned(),
            config_source(key, path, Some(keyed.line)),
        )
    };
    let tool_maturin = pyproject.as_ref().and_then(|p| {
        let keyed = p.module_name.as_ref()?;
        Some(from(
            keyed,
            &p.path,
            "pyproject.toml [tool.maturin] module-name",
        ))
    });
    let lib = || {
        let keyed = manifest.lib_name.as_ref()?;
        Some(from(keyed, &manifest.path, "Cargo.toml [lib] name"))
    };
    let project = || {
        let p = pyproject.as_ref()?;
        let keyed = p.project_name.as_ref()?;
        Some(from(keyed, &p.path, "pyproject.toml [project] name"))
    };
    let package = || match &manifest.package_name {
        Some(keyed) => from(keyed, &manifest.path, "Cargo.toml [package] name"),
        None => (
            last_component(package_name).to_owned(),
            config_source("Cargo.toml [package] name", &manifest.path, None),
        ),
    };
    let (module, source) = tool_maturin
        .or_else(lib)
        .or_else(project)
        .unwrap_or_else(package);
    let bindings = pyproject.as_ref().and_then(|p| {
        let keyed = p.bindings.as_ref()?;
        let key = "pyproject.toml [tool.maturin] bindings";
        Some(ConfiguredBindings {
            value: keyed.value.clone(),
            location: Location {
                path: p.path.clone(),
                line: Some(keyed.line),
                label: key.to_owned(),
            },
        })
    });
    Ok(ResolvedName {
        module,
        source,
        warnings,
        bindings,
        requires_python: pyproject.and_then(|p| p.requires_python),
    })
}

fn config_source(key: &str, path: &Path, line: Option<u32>) -> NameSource {
    NameSource::Config {
        key: key.to_owned(),
        location: Location {
            path: path.to_path_buf(),
            line,
            label: key.to_owned(),
        },
    }
}

/// The `pyproject.toml` maturin would read for this package: the nearest one from the
/// manifest's directory upward, as far as the directory holding the workspace root (maturin
/// looks that far too: a project root with `pyproject.toml` and `manifest-path =
/// "rust/Cargo.toml"` is a common layout). One whose `[tool.maturin] manifest-path` names a
/// different crate is skipped — in a workspace, a root pyproject usually belongs to one
/// member only.
fn find_pyproject(
    manifest_path: &Path,
    workspace_root: &Path,
) -> Result<Option<Pyproject>, CargoError> {
    let manifest_dir = manifest_path.parent().unwrap_or(Path::new("."));
    let limit = workspace_root.parent().unwrap_or(workspace_root);
    let mut dirs: Vec<&Path> = manifest_dir
        .ancestors()
        .take_while(|dir| dir.starts_with(limit))
        .collect();
    // A member may live outside the root's directory (`members = ["../x"]`).
    if dirs.is_empty() {
        dirs = vec![manifest_dir, workspace_root];
    }
    for dir in dirs {
        let candidate = dir.join("pyproject.toml");
        if !candidate.is_file() {
            continue;
        }
        let pyproject = read_pyproject(&candidate)?;
        let belongs = match &pyproject.manifest_path {
            None => true,
            Some(relative) => same_file(&dir.join(relative), manifest_path),
        };
        if belongs {
            return Ok(Some(pyproject));
        }
    }
    Ok(None)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p));
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    /// Resolves a fixture package and returns (module, key, file, line).
    fn resolve(case: &str, member: &str) -> (String, String, PathBuf, Option<u32>, ResolvedName) {
        let root = fixture(case);
        let manifest = root.join(member).join("Cargo.toml");
        let resolved = resolve_module_name(&manifest, &root, "fallback").unwrap();
        let NameSource::Config { key, location } = &resolved.source else {
            panic!("not from config: {:?}", resolved.source);
        };
        assert_eq!(&location.label, key);
        let file = location.path.strip_prefix(&root).unwrap().to_path_buf();
        (
            resolved.module.clone(),
            key.clone(),
            file,
            location.line,
            resolved,
        )
    }

    #[test]
    fn tool_maturin_module_name_comes_first_and_only_its_last_component_counts() {
        let (module, key, file, line, _) = resolve("name_tool_maturin", "");
        assert_eq!(module, "_native");
        assert_eq!(key, "pyproject.toml [tool.maturin] module-name");
        assert_eq!((file, line), (PathBuf::from("pyproject.toml"), Some(10)));
    }

    #[test]
    fn lib_name_comes_before_the_project_name() {
        let (module, key, file, line, _) = resolve("name_lib", "");
        assert_eq!(module, "lib_name");
        assert_eq!(key, "Cargo.toml [lib] name");
        assert_eq!((file, line), (PathBuf::from("Cargo.toml"), Some(7)));
    }

    #[test]
    fn project_name_comes_before_the_package_name() {
        let (module, key, file, line, _) = resolve("name_project", "");
        assert_eq!(module, "project_name");
        assert_eq!(key, "pyproject.toml [project] name");
        assert_eq!((file, line), (PathBuf::from("pyproject.toml"), Some(2)));
    }

    #[test]
    fn package_name_comes_last_and_keeps_its_dash_for_the_judge() {
        let (module, key, file, line, resolved) = resolve("name_package", "");
        assert_eq!(module, "pkg-name");
        assert_eq!(key, "Cargo.toml [package] name");
        assert_eq!((file, line), (PathBuf::from("Cargo.toml"), Some(2)));
        assert!(resolved.warnings.is_empty());
    }

    #[test]
    fn module_underscore_name_is_ignored_as_maturin_does_and_reported() {
        let (module, key, _, _, resolved) = resolve("name_typo", "");
        assert_eq!(module, "typo_project");
        assert_eq!(key, "pyproject.toml [project] name");
        let [warning] = &resolved.warnings[..] else {
            panic!("expected one warning: {:?}", resolved.warnings);
        };
        assert_eq!(
            warning.location.path,
            fixture("name_typo").join("pyproject.toml")
        );
        assert_eq!(warning.location.line, Some(5));
        assert_eq!(
            warning.location.label,
            "pyproject.toml [tool.maturin] module_name"
        );
        assert!(
            warning.message.contains("did you mean `module-name`?"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn a_workspace_root_pyproject_applies_to_the_member_it_names() {
        let (module, key, file, line, _) = resolve("name_workspace", "crates/ext");
        assert_eq!(module, "_ext");
        assert_eq!(key, "pyproject.toml [tool.maturin] module-name");
        assert_eq!((file, line), (PathBuf::from("pyproject.toml"), Some(7)));
        // The other member is not the one the root pyproject's manifest-path names.
        let (module, key, file, _, _) = resolve("name_workspace", "crates/other");
        assert_eq!(module, "other");
        assert_eq!(key, "Cargo.toml [package] name");
        assert_eq!(file, PathBuf::from("crates/other/Cargo.toml"));
    }

    #[test]
    fn a_pyproject_above_a_standalone_crate_is_found_through_its_manifest_path() {
        let root = fixture("name_src_layout");
        let manifest = root.join("rust/Cargo.toml");
        // A crate with no `[workspace]` above it is its own workspace root.
        let workspace_root = root.join("rust");
        let resolved = resolve_module_name(&manifest, &workspace_root, "x").unwrap();
        assert_eq!(resolved.module, "_core");
        assert_eq!(
            resolved.source.to_string(),
            "pyproject.toml [tool.maturin] module-name"
        );
    }

    #[test]
    fn a_malformed_pyproject_is_an_error_with_its_line() {
        let root = fixture("bad_pyproject");
        let err = resolve_module_name(&root.join("Cargo.toml"), &root, "x").unwrap_err();
        let message = err.to_string();
        let expected = format!(
            "{}:5: invalid TOML: ",
            root.join("pyproject.toml").display()
        );
        assert!(message.starts_with(&expected), "{message}");
    }
}
