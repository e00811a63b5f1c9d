//! The interpreters a cargo build is for, as maturin and PyO3 decide them
//! (docs/loader-rules.md §9): an `abi3`/`abi3-pyXY` feature of pyo3 or pyo3-ffi makes a
//! stable-ABI module; else `PYO3_PYTHON` names the one interpreter built against; else
//! `[project] requires-python` bounds the versions the wheel may be installed on.

use super::metadata::Package;
use crate::python::{PythonTargets, PythonVersion};

/// The newest CPython this tool knows the loader rules of.
const NEWEST_MINOR: u16 = PythonVersion::FIRST_WITH_MOD_EXPORT;

pub(super) fn python_targets(
    package: &Package,
    requires_python: Option<&str>,
    pyo3_python: Option<&str>,
) -> Option<PythonTargets> {
    let abi3 = ["pyo3", "pyo3-ffi"]
        .into_iter()
        .filter_map(|krate| package.normal_dependency(krate))
        .flat_map(|dep| dep.features.iter())
        .any(|feature| feature == "abi3" || feature.starts_with("abi3-py"));
    if abi3 {
        return Some(PythonTargets::Abi3);
    }
    if let Some(version) = pyo3_python.and_then(version_of_interpreter) {
        return Some(PythonTargets::Versions(vec![version]));
    }
    let floor = requires_python.and_then(lower_bound)?;
    Some(PythonTargets::Versions(
        (floor..=NEWEST_MINOR)
            .map(|minor| PythonVersion {
                minor,
                free_threaded: false,
            })
            .collect(),
    ))
}

/// `python3.12`, `/usr/bin/python3.13t` → 3.12, 3.13t; `python3` says nothing.
fn version_of_interpreter(path: &str) -> Option<PythonVersion> {
    let name = path.rsplit(['/', '\\']).next()?;
    let name = name.strip_suffix(".exe").unwrap_or(name);
    name.strip_prefix("python")?.parse().ok()
}

/// The smallest 3.x a `requires-python` specifier admits, from its `>=` or `>` clause.
fn lower_bound(spec: &str) -> Option<u16> {
    spec.split(',').map(str::trim).find_map(|clause| {
        // `>3.9` still admits 3.9.1, so every form names its own minor as the floor.
        let version = [">=", "~=", ">"]
            .into_iter()
            .find_map(|operator| clause.strip_prefix(operator))?;
        let mut parts = version.trim().split('.');
        if parts.next()? != "3" {
            return None;
        }
        parts.next()?.trim_end_matches('*').parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_python_gives_its_floor() {
        assert_eq!(lower_bound(">=3.9"), Some(9));
        assert_eq!(lower_bound(">= 3.10, <4"), Some(10));
        assert_eq!(lower_bound("~=3.11"), Some(11));
        assert_eq!(lower_bound("<3.13"), None);
        assert_eq!(lower_bound(">=2.7"), None);
    }

    #[test]
    fn an_interpreter_path_names_its_version() {
        assert_eq!(
            version_of_interpreter("/opt/py/bin/python3.12"),
            Some("3.12".parse().unwrap())
        );
        assert_eq!(
            version_of_interpreter("python3.13t"),
            Some("3.13t".parse().unwrap())
        );
        assert_eq!(version_of_interpreter("python3"), None);
    }
}
