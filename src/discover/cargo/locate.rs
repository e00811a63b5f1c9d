//! Which `Cargo.toml` to build from when the user names none, found as maturin finds it
//! (docs/loader-rules.md §9): `[tool.maturin] manifest-path` of `./pyproject.toml`, else the
//! Python-first layout's `rust/Cargo.toml`, else cargo's own search from here.

use std::path::{Path, PathBuf};

use super::CargoError;
use super::config::read_pyproject;

/// The manifest maturin would build in `cwd`; `None` leaves the search to cargo.
pub(super) fn locate_manifest(cwd: &Path) -> Result<Option<PathBuf>, CargoError> {
    let pyproject_path = cwd.join("pyproject.toml");
    if !pyproject_path.is_file() {
        return Ok(None);
    }
    let pyproject = read_pyproject(&pyproject_path)?;
    if let Some(relative) = &pyproject.manifest_path {
        let manifest = cwd.join(relative);
        if !manifest.is_file() {
            return Err(CargoError::ManifestPathMissing {
                pyproject: pyproject_path,
                manifest,
            });
        }
        return Ok(Some(manifest));
    }
    let rust = cwd.join("rust").join("Cargo.toml");
    if cwd.join("Cargo.toml").is_file() || !rust.is_file() {
        return Ok(None);
    }
    // maturin takes `rust/` when the Python source is elsewhere: named by `python-source`,
    // or a package under `src/` named after the project.
    let python_first = pyproject.python_source.is_some()
        || pyproject.project_name.as_ref().is_some_and(|name| {
            let package = name.value.replace('-', "_");
            cwd.join("src").join(package).join("__init__.py").is_file()
        });
    Ok(python_first.then_some(rust))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn pyproject_manifest_path_comes_first() {
        let dir = project(&[
            (
                "pyproject.toml",
                "[tool.maturin]\nmanifest-path = \"crates/ext/Cargo.toml\"\n",
            ),
            ("crates/ext/Cargo.toml", ""),
            ("Cargo.toml", ""),
        ]);
        assert_eq!(
            locate_manifest(dir.path()).unwrap(),
            Some(dir.path().join("crates/ext/Cargo.toml"))
        );
    }

    #[test]
    fn a_manifest_path_that_names_nothing_is_an_error_naming_both_files() {
        let dir = project(&[(
            "pyproject.toml",
            "[tool.maturin]\nmanifest-path = \"x/Cargo.toml\"\n",
        )]);
        let err = locate_manifest(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("pyproject.toml: [tool.maturin] manifest-path names"),
            "{err}"
        );
        assert!(err.contains("x/Cargo.toml"), "{err}");
    }

    #[test]
    fn the_python_first_layout_takes_rust_cargo_toml() {
        let with_source = project(&[
            (
                "pyproject.toml",
                "[tool.maturin]\npython-source = \"python\"\n",
            ),
            ("rust/Cargo.toml", ""),
        ]);
        assert_eq!(
            locate_manifest(with_source.path()).unwrap(),
            Some(with_source.path().join("rust/Cargo.toml"))
        );
        let src_layout = project(&[
            ("pyproject.toml", "[project]\nname = \"my-project\"\n"),
            ("rust/Cargo.toml", ""),
            ("src/my_project/__init__.py", ""),
        ]);
        assert_eq!(
            locate_manifest(src_layout.path()).unwrap(),
            Some(src_layout.path().join("rust/Cargo.toml"))
        );
        // Neither: maturin would not look in rust/, nor do we.
        let bare = project(&[
            ("pyproject.toml", "[project]\nname = \"x\"\n"),
            ("rust/Cargo.toml", ""),
        ]);
        assert_eq!(locate_manifest(bare.path()).unwrap(), None);
        // A Cargo.toml here wins, as cargo's search would find it.
        let both = project(&[
            (
                "pyproject.toml",
                "[tool.maturin]\npython-source = \"python\"\n",
            ),
            ("rust/Cargo.toml", ""),
            ("Cargo.toml", ""),
        ]);
        assert_eq!(locate_manifest(both.path()).unwrap(), None);
    }
}
