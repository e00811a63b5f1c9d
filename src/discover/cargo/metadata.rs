//! Asking cargo about the workspace: `cargo metadata --format-version 1 --no-deps`, and the
//! packages a plain `cargo build` at the same place would build.
//!
//! `--no-deps` keeps it offline and fast: only workspace members are described, which is all
//! a cdylib to check can be.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::CargoError;

/// The parts of `cargo metadata`'s output this tool reads.
#[derive(Debug, Deserialize)]
pub(super) struct Metadata {
    pub packages: Vec<Package>,
    pub workspace_members: Vec<String>,
    /// Absent from cargo older than 1.71.
    #[serde(default)]
    pub workspace_default_members: Option<Vec<String>>,
    pub target_directory: PathBuf,
    pub workspace_root: PathBuf,
}

#[derive(Debug, Deserialize)]
pub(super) struct Package {
    pub id: String,
    pub name: String,
    pub manifest_path: PathBuf,
    pub targets: Vec<Target>,
    /// As declared (`--no-deps` leaves them unresolved, which is all a binding check needs).
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// A declared dependency.
#[derive(Debug, Deserialize)]
pub(super) struct Dependency {
    /// The package depended on (its real name, also when renamed in the manifest).
    pub name: String,
    /// `null` for a normal dependency, `dev` or `build` otherwise.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub features: Vec<String>,
}

/// A build target as both `cargo metadata` and cargo's build messages describe it.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Target {
    pub name: String,
    /// For a library target, the crate types it is built as (`["cdylib", "rlib"]`).
    pub kind: Vec<String>,
    pub src_path: PathBuf,
}

impl Target {
    /// The library target built as a cdylib. Examples can be cdylibs too (`kind` "example"),
    /// but no packaging tool imports them, and nothing configures their module name.
    pub fn is_cdylib(&self) -> bool {
        self.kind.iter().any(|kind| kind == "cdylib")
    }
}

impl Package {
    pub fn cdylib(&self) -> Option<&Target> {
        self.targets.iter().find(|target| target.is_cdylib())
    }

    pub fn has_bin(&self) -> bool {
        self.targets
            .iter()
            .any(|target| target.kind.iter().any(|kind| kind == "bin"))
    }

    /// Whether the library links `krate` (a normal dependency; dev and build ones do not).
    pub fn depends_on(&self, krate: &str) -> bool {
        self.normal_dependency(krate).is_some()
    }

    pub fn normal_dependency(&self, krate: &str) -> Option<&Dependency> {
        self.dependencies
            .iter()
            .find(|dep| dep.name == krate && dep.kind.is_none())
    }
}

/// The cargo to run: the one that started us (`CARGO`, set by cargo for its subcommands and
/// build scripts), else whichever is on `PATH`.
pub(super) fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs `cargo metadata` for `manifest_path` (or the current directory, as cargo would).
pub(super) fn run_cargo_metadata(manifest_path: Option<&Path>) -> Result<Metadata, CargoError> {
    let program = cargo_program();
    let mut command = Command::new(&program);
    command.args(["metadata", "--format-version", "1", "--no-deps"]);
    if let Some(path) = manifest_path {
        command.arg("--manifest-path").arg(path);
    }
    let described = match manifest_path {
        Some(path) => path.display().to_string(),
        None => "the current directory".to_owned(),
    };
    let output =
        command
            .stdin(Stdio::null())
            .output()
            .map_err(|source| CargoError::CargoNotRunnable {
                program: program.to_string_lossy().into_owned(),
                source,
            })?;
    if !output.status.success() {
        return Err(CargoError::MetadataFailed {
            manifest: described,
            message: one_line(&String::from_utf8_lossy(&output.stderr))
                .unwrap_or_else(|| format!("cargo exited with {}", output.status)),
        });
    }
    serde_json::from_slice(&output.stdout).map_err(|source| CargoError::MetadataJson {
        manifest: described,
        source,
    })
}

/// Cargo's multi-line error (`error: ...`, `Caused by:`, indented causes) folded into one line.
fn one_line(stderr: &str) -> Option<String> {
    let parts: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && *line != "Caused by:")
        .map(|line| line.strip_prefix("error: ").unwrap_or(line))
        .collect();
    (!parts.is_empty()).then(|| parts.join(": "))
}

/// The packages `cargo build` would build here, with the manifest to name when none of them
/// has a cdylib: the package the manifest belongs to, or for a virtual workspace manifest its
/// default members (all members unless `default-members` says otherwise).
pub(super) fn selected_packages<'m>(
    metadata: &'m Metadata,
    manifest_path: Option<&Path>,
) -> (Vec<&'m Package>, PathBuf) {
    let selected = manifest_path
        .map(Path::to_path_buf)
        .or_else(manifest_of_current_dir);
    if let Some(selected) = &selected
        && let Some(package) = metadata
            .packages
            .iter()
            .find(|package| same_file(&package.manifest_path, selected))
    {
        return (vec![package], package.manifest_path.clone());
    }
    let members = metadata
        .workspace_default_members
        .as_ref()
        .unwrap_or(&metadata.workspace_members);
    let packages = members
        .iter()
        .filter_map(|id| metadata.packages.iter().find(|package| &package.id == id))
        .collect();
    let manifest = selected.unwrap_or_else(|| metadata.workspace_root.join("Cargo.toml"));
    (packages, manifest)
}

/// The `Cargo.toml` cargo itself would pick without `--manifest-path`: the nearest one at or
/// above the current directory.
pub(super) fn manifest_of_current_dir() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|candidate| candidate.is_file())
}

pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canonical(a) == canonical(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(json: &str) -> Metadata {
        serde_json::from_str(json).unwrap()
    }

    const WORKSPACE: &str = r#"{
        "packages": [
            {"id": "a", "name": "a", "manifest_path": "/nowhere/ws/a/Cargo.toml", "targets": [
                {"name": "a", "kind": ["lib"], "crate_types": ["lib"], "src_path": "/nowhere/ws/a/src/lib.rs"}]},
            {"id": "b", "name": "b-ext", "manifest_path": "/nowhere/ws/b/Cargo.toml", "targets": [
                {"name": "b_ext", "kind": ["cdylib", "rlib"], "crate_types": ["cdylib", "rlib"], "src_path": "/nowhere/ws/b/src/lib.rs"},
                {"name": "demo", "kind": ["example"], "crate_types": ["cdylib"], "src_path": "/nowhere/ws/b/examples/demo.rs"}]}
        ],
        "workspace_members": ["a", "b"],
        "workspace_default_members": ["b"],
        "target_directory": "/nowhere/ws/target",
        "workspace_root": "/nowhere/ws",
        "version": 1
    }"#;

    #[test]
    fn a_member_manifest_selects_its_package() {
        let metadata = metadata(WORKSPACE);
        let (packages, manifest) =
            selected_packages(&metadata, Some(Path::new("/nowhere/ws/a/Cargo.toml")));
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].name, "a");
        assert_eq!(manifest, Path::new("/nowhere/ws/a/Cargo.toml"));
        assert!(packages[0].cdylib().is_none());
    }

    #[test]
    fn a_virtual_manifest_selects_the_default_members() {
        let metadata = metadata(WORKSPACE);
        let (packages, manifest) =
            selected_packages(&metadata, Some(Path::new("/nowhere/ws/Cargo.toml")));
        let names: Vec<_> = packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b-ext"]);
        assert_eq!(manifest, Path::new("/nowhere/ws/Cargo.toml"));
        // The library target, not the cdylib example.
        assert_eq!(packages[0].cdylib().map(|t| t.name.as_str()), Some("b_ext"));
    }

    #[test]
    fn cargo_errors_become_one_line() {
        let stderr = "error: failed to parse manifest at `/x/Cargo.toml`\n\nCaused by:\n  \
                      missing field `name`\n";
        assert_eq!(
            one_line(stderr).as_deref(),
            Some("failed to parse manifest at `/x/Cargo.toml`: missing field `name`")
        );
        assert_eq!(one_line("\n"), None);
    }
}
