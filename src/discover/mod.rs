//! Discover: turn what the user named into the list of artifacts to check.
//!
//! A file is checked as given. A directory is searched recursively for files CPython could
//! import as extension modules: a valid module file name inside directories that are valid
//! package names, so vendored-library folders (`numpy.libs/`, `.dylibs/`) and versioned
//! libraries (`libfoo.so.5`) are passed over, as the import system would.

pub mod cargo;
mod file_name;
pub mod wheel;

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use file_name::{ModuleFileName, guess_module_of_unimportable, parse_module_file_name};

use crate::hook::validate_component;
use crate::judge::Location;
use serde::Serialize;

/// One file to check.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub path: PathBuf,
    /// What CPython makes of the file name; `None` when no CPython would import a file so
    /// named (only possible for files named explicitly).
    pub file_name: Option<ModuleFileName>,
    pub origin: Origin,
    /// The module name and where it came from, when something other than the file name says
    /// (cargo outputs: the project's configuration).
    pub module: Option<(String, NameSource)>,
    /// What the crate's source and configuration say, for cargo outputs: the `#[pymodule]`
    /// items and near-miss settings. Used to explain a failure, never to decide it.
    pub source: Option<SourceContext>,
    /// For a wheel member: the wheel file and the member's path inside it. `path` is then the
    /// two joined, for display.
    pub wheel: Option<(PathBuf, String)>,
}

/// The crate-side view of an artifact.
#[derive(Debug, Clone, Default)]
pub struct SourceContext {
    pub pymodules: Vec<cargo::PyModuleItem>,
    pub config_warnings: Vec<cargo::ConfigWarning>,
}
/// How an artifact came to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Named on the command line.
    Path,
    /// Found by scanning a directory.
    DirectoryScan,
    /// A cargo build output: its file name is cargo's, the module name comes from the config.
    Cargo,
}

/// Where the module name came from, most authoritative first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum NameSource {
    /// `--module-name`.
    CommandLine,
    /// What CPython derives from the file name.
    FileName,
    /// A configuration key (`[tool.maturin] module-name`, `[lib] name`, ...).
    Config { key: String, location: Location },
}

impl NameSource {
    pub fn describe(&self) -> String {
        match self {
            NameSource::CommandLine => "--module-name".into(),
            NameSource::FileName => "file name".into(),
            NameSource::Config { key, .. } => key.clone(),
        }
    }
}

#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{path}: no Python extension modules found in this directory")]
    NothingInDirectory { path: PathBuf },
    #[error("{path}: not a file or directory")]
    NotAFile { path: PathBuf },
    #[error(transparent)]
    Wheel(#[from] wheel::WheelError),
    #[error("{path}: no Python extension modules in this wheel")]
    NothingInWheel { path: PathBuf },
}

/// Expands the user's paths into artifacts, in a stable order.
pub fn discover_paths(paths: &[PathBuf]) -> Result<Vec<Artifact>, DiscoverError> {
    let mut artifacts = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => DiscoverError::NotFound { path: path.clone() },
            _ => DiscoverError::Unreadable {
                path: path.clone(),
                source,
            },
        })?;
        if metadata.is_dir() {
            let before = artifacts.len();
            walk_directory(path, &mut artifacts)?;
            if artifacts.len() == before {
                return Err(DiscoverError::NothingInDirectory { path: path.clone() });
            }
        } else if metadata.is_file() && wheel::is_wheel(path) {
            let before = artifacts.len();
            push_wheel_members(path, Origin::Path, &mut artifacts)?;
            if artifacts.len() == before {
                return Err(DiscoverError::NothingInWheel { path: path.clone() });
            }
        } else if metadata.is_file() {
            let file_name = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(parse_module_file_name);
            artifacts.push(Artifact {
                path: path.clone(),
                file_name,
                origin: Origin::Path,
                module: None,
                source: None,
                wheel: None,
            });
        } else {
            return Err(DiscoverError::NotAFile { path: path.clone() });
        }
    }
    Ok(artifacts)
}

/// Adds the modules a wheel holds, each named `<wheel>/<member>`.
fn push_wheel_members(
    path: &Path,
    origin: Origin,
    out: &mut Vec<Artifact>,
) -> Result<(), DiscoverError> {
    for module in wheel::wheel_modules(path)? {
        out.push(Artifact {
            path: path.join(&module.member),
            file_name: Some(module.file_name),
            origin,
            module: None,
            source: None,
            wheel: Some((path.to_path_buf(), module.member)),
        });
    }
    Ok(())
}

fn walk_directory(dir: &Path, out: &mut Vec<Artifact>) -> Result<(), DiscoverError> {
    let unreadable = |source| DiscoverError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(unreadable)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue; // not UTF-8: no Python module or package can be named so
        };
        // Symlinked directories are not followed, so a link cycle cannot trap the walk.
        let file_type = entry
            .file_type()
            .map_err(|source| DiscoverError::Unreadable {
                path: path.clone(),
                source,
            })?;
        if file_type.is_dir() {
            if validate_component(&name).is_ok() {
                walk_directory(&path, out)?;
            }
        } else if wheel::is_wheel(&path) && path.is_file() {
            push_wheel_members(&path, Origin::DirectoryScan, out)?;
        } else if let Some(file_name) = parse_module_file_name(&name)
            && path.is_file()
        {
            out.push(Artifact {
                path,
                file_name: Some(file_name),
                origin: Origin::DirectoryScan,
                module: None,
                source: None,
                wheel: None,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_scan_skips_vendored_and_versioned_libraries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "pkg/_core.cpython-312-x86_64-linux-gnu.so",
            "pkg/sub/fast.abi3.so",
            "pkg/__init__.py",
            "numpy.libs/libopenblas-1a2b.so",
            "pkg/.dylibs/libz.so",
            "pkg/libfoo.so.5",
            "pkg/notes.txt",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, b"x").unwrap();
        }
        let found = discover_paths(&[root.to_path_buf()]).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|a| a.path.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![
                PathBuf::from("pkg/_core.cpython-312-x86_64-linux-gnu.so"),
                PathBuf::from("pkg/sub/fast.abi3.so")
            ]
        );
        assert!(found.iter().all(|a| a.origin == Origin::DirectoryScan));
    }

    #[test]
    fn missing_paths_and_empty_directories_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.so");
        let err = discover_paths(std::slice::from_ref(&missing)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: no such file or directory", missing.display())
        );
        let err = discover_paths(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(matches!(err, DiscoverError::NothingInDirectory { .. }));
    }
}
