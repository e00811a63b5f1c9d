//! What a cargo package becomes in a wheel, as maturin decides it: its bindings and why.

use std::fmt;

use super::Location;

/// maturin's binding kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bindings {
    PyO3,
    PyO3Ffi,
    Cffi,
    UniFfi,
    Bin,
}

impl Bindings {
    /// Whether the built library is a CPython extension module, imported through its hook.
    pub fn is_extension_module(self) -> bool {
        matches!(self, Bindings::PyO3 | Bindings::PyO3Ffi)
    }

    /// maturin's spelling in `[tool.maturin] bindings` and `--bindings`.
    pub fn name(self) -> &'static str {
        match self {
            Bindings::PyO3 => "pyo3",
            Bindings::PyO3Ffi => "pyo3-ffi",
            Bindings::Cffi => "cffi",
            Bindings::UniFfi => "uniffi",
            Bindings::Bin => "bin",
        }
    }

    pub fn from_name(name: &str) -> Option<Bindings> {
        [
            Bindings::PyO3,
            Bindings::PyO3Ffi,
            Bindings::Cffi,
            Bindings::UniFfi,
            Bindings::Bin,
        ]
        .into_iter()
        .find(|bindings| bindings.name() == name)
    }

    /// What the package's build is, for saying why it has no hook.
    pub fn what_it_builds(self) -> &'static str {
        match self {
            Bindings::PyO3 | Bindings::PyO3Ffi => "an extension module",
            Bindings::Cffi => "a plain library that cffi loads by path, with no module hook",
            Bindings::UniFfi => {
                "a plain library that uniffi's generated Python loads through ctypes, with no \
                 module hook"
            }
            Bindings::Bin => "an executable shipped in the wheel's scripts, not a module",
        }
    }
}

impl fmt::Display for Bindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What decided the bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingsSource {
    /// `[tool.maturin] bindings` in the project's pyproject.toml.
    Pyproject(Location),
    /// A dependency on this crate (`pyo3`, `pyo3-ffi`, `uniffi`).
    Dependency(&'static str),
    /// No binding crate: a cdylib is cffi's, only binaries make `bin`.
    CrateTypes,
}

impl fmt::Display for BindingsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindingsSource::Pyproject(location) => write!(
                f,
                "{} at {}{}",
                location.label,
                location.path.display(),
                location.line.map(|l| format!(":{l}")).unwrap_or_default()
            ),
            BindingsSource::Dependency(krate) => write!(f, "it depends on `{krate}`"),
            BindingsSource::CrateTypes => {
                f.write_str("it has no pyo3, pyo3-ffi or uniffi dependency")
            }
        }
    }
}
