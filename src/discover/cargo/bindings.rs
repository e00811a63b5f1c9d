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
/// (no binding crate, no cdylib, no binary) or `bindings` names no kind maturin knows.
pub fn decide(
    package: &Package,
    configured: Option<&ConfiguredBindings>,
) -> Option<(Bindings, BindingsSource)> {
    if let Some(configured) = configured {
        let bindings = Bindings::from_name(&configured.value)?;
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
