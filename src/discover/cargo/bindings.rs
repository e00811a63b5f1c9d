//! Which kind of Python package a cargo package becomes, decided as maturin decides it
//! (docs/loader-rules.md §9): `[tool.maturin] bindings` when set, else its dependencies and
//! crate types. Only PyO3 and pyo3-ffi builds are extension modules with a hook to find;
//! cffi and uniffi libraries are loaded by `cffi`/`ctypes` by path, and `bin` ships an
//! executable.

use super::metadata::Package;
use crate::model::{Bindings, BindingsSource, Location};

/// A `[tool.maturin] bindings` value and where it is written.
#[derive(Debug, Clone)]
pub struct ConfiguredBindings {
    pub value: String,
    pub location: Location,
}

/// The bindings maturin would use for `package`; `None` when maturin would refuse to guess
/// (no binding crate, no cdylib, no binary).
pub fn decide(
    package: &Package,
    configured: Option<&ConfiguredBindings>,
) -> Option<(Bindings, BindingsSource)> {
    // A value maturin does not know would stop maturin; here detection decides instead.
    if let Some(configured) = configured
        && let Some(bindings) = Bindings::from_name(&configured.value)
    {
        return Some((
            bindings,
            BindingsSource::Pyproject(configured.location.clone()),
        ));
    }
    let has_cdylib = package.cdylib().is_some();
    let has_bin = package.has_bin();
    let binding_crate = ["pyo3", "pyo3-ffi"]
        .into_iter()
        .find(|krate| package.depends_on(krate));
    if let Some(krate) = binding_crate {
        // maturin: a PyO3 crate with binaries and no cdylib ships the binaries.
        let bindings = if !has_cdylib && has_bin {
            Bindings::Bin
        } else if krate == "pyo3" {
            Bindings::PyO3
        } else {
            Bindings::PyO3Ffi
        };
        return Some((bindings, BindingsSource::Dependency(krate)));
    }
    if package.depends_on("uniffi") {
        return Some((Bindings::UniFfi, BindingsSource::Dependency("uniffi")));
    }
    if has_cdylib {
        Some((Bindings::Cffi, BindingsSource::CrateTypes))
    } else if has_bin {
        Some((Bindings::Bin, BindingsSource::CrateTypes))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(kinds: &[&str], deps: &[(&str, Option<&str>)]) -> Package {
        let targets: Vec<_> = kinds
            .iter()
            .map(|kind| serde_json::json!({"name": "x", "kind": [kind], "src_path": "/x/src/lib.rs"}))
            .collect();
        let dependencies: Vec<_> = deps
            .iter()
            .map(|(name, kind)| serde_json::json!({"name": name, "kind": kind, "features": []}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": "x", "name": "x", "manifest_path": "/x/Cargo.toml",
            "targets": targets, "dependencies": dependencies,
        }))
        .unwrap()
    }

    fn decided(package: &Package) -> Option<Bindings> {
        decide(package, None).map(|(bindings, _)| bindings)
    }

    #[test]
    fn bindings_are_decided_in_maturins_order() {
        let pyo3 = [("pyo3", None)];
        assert_eq!(decided(&package(&["cdylib"], &pyo3)), Some(Bindings::PyO3));
        assert_eq!(decided(&package(&["bin"], &pyo3)), Some(Bindings::Bin));
        assert_eq!(
            decided(&package(&["cdylib"], &[("pyo3-ffi", None)])),
            Some(Bindings::PyO3Ffi)
        );
        assert_eq!(
            decided(&package(&["cdylib"], &[("uniffi", None)])),
            Some(Bindings::UniFfi)
        );
        assert_eq!(decided(&package(&["cdylib"], &[])), Some(Bindings::Cffi));
        assert_eq!(decided(&package(&["bin"], &[])), Some(Bindings::Bin));
        assert_eq!(decided(&package(&["lib"], &[])), None);
        // A dev-dependency is not linked into the library.
        assert_eq!(
            decided(&package(&["cdylib"], &[("pyo3", Some("dev"))])),
            Some(Bindings::Cffi)
        );
    }

    #[test]
    fn the_pyproject_setting_wins_and_names_its_line() {
        let configured = ConfiguredBindings {
            value: "cffi".into(),
            location: Location {
                path: "/x/pyproject.toml".into(),
                line: Some(4),
                label: "pyproject.toml [tool.maturin] bindings".into(),
            },
        };
        let (bindings, source) =
            decide(&package(&["cdylib"], &[("pyo3", None)]), Some(&configured)).unwrap();
        assert_eq!(bindings, Bindings::Cffi);
        assert_eq!(
            source.to_string(),
            "pyproject.toml [tool.maturin] bindings at /x/pyproject.toml:4"
        );
        let unknown = ConfiguredBindings {
            value: "rust-cpython".into(),
            ..configured
        };
        let (bindings, source) = decide(&package(&["cdylib"], &[]), Some(&unknown)).unwrap();
        assert_eq!(
            (bindings, source),
            (Bindings::Cffi, BindingsSource::CrateTypes)
        );
    }
}
