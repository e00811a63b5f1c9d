//! The interpreters a cargo build is for, as maturin and PyO3 decide them
//! (docs/loader-rules.md §9): an `abi3`/`abi3-pyXY` feature of pyo3 or pyo3-ffi makes a
//! stable-ABI module whose floor is the smallest `XY` (else `requires-python`'s floor); a
//! version-specific build is for the one interpreter it was built against, which
//! `PYO3_PYTHON` names when it is a versioned path. `requires-python` alone says which
//! interpreters a wheel *installs* on, not which one this build is for, so it is no target.

use super::metadata::Package;
use crate::python::{PythonTargets, PythonVersion};

/// What a project says about the interpreters its build is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectPython {
    pub targets: PythonTargets,
    /// The abi3 floor (`abi3-py38` → 3.8).
    pub abi3_floor: Option<PythonVersion>,
}

pub(super) fn python_targets(
    package: &Package,
    requires_python: Option<&str>,
    pyo3_python: Option<&str>,
) -> Option<ProjectPython> {
    let features: Vec<&str> = ["pyo3", "pyo3-ffi"]
        .into_iter()
        .filter_map(|krate| package.normal_dependency(krate))
        .flat_map(|dep| dep.features.iter().map(String::as_str))
        .collect();
    if features
        .iter()
        .any(|feature| *feature == "abi3" || feature.starts_with("abi3-py"))
    {
        let floor = features
            .iter()
            .filter_map(|feature| feature.strip_prefix("abi3-py"))
            .filter_map(|digits| digits.parse::<PythonVersion>().ok())
            .min()
            .or_else(|| {
                let minor = requires_python.and_then(lower_bound)?;
                Some(PythonVersion {
                    minor,
                    free_threaded: false,
                })
            });
        return Some(ProjectPython {
            targets: PythonTargets::Abi3,
            abi3_floor: floor,
        });
    }
    let version = pyo3_python.and_then(version_of_interpreter)?;
    Some(ProjectPython {
        targets: PythonTargets::Versions(vec![version]),
        abi3_floor: None,
    })
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

    fn package(features: &[&str]) -> Package {
        serde_json::from_value(serde_json::json!({
            "id": "x", "name": "x", "manifest_path": "/x/Cargo.toml", "targets": [],
            "dependencies": [{"name": "pyo3", "kind": null, "features": features}],
        }))
        .unwrap()
    }

    #[test]
    fn abi3_features_give_the_floor_and_a_versioned_pyo3_python_the_version() {
        let abi3 = python_targets(&package(&["abi3-py310", "abi3-py38"]), None, None).unwrap();
        assert_eq!(abi3.targets, PythonTargets::Abi3);
        assert_eq!(abi3.abi3_floor, Some("3.8".parse().unwrap()));
        let bare = python_targets(&package(&["abi3"]), Some(">=3.9"), None).unwrap();
        assert_eq!(bare.abi3_floor, Some("3.9".parse().unwrap()));
        let specific = python_targets(&package(&[]), Some(">=3.8"), Some("python3.12")).unwrap();
        assert_eq!(
            specific.targets,
            PythonTargets::Versions(vec!["3.12".parse().unwrap()])
        );
        // requires-python is where a wheel installs, not what this build is for.
        assert_eq!(python_targets(&package(&[]), Some(">=3.8"), None), None);
        assert_eq!(python_targets(&package(&[]), None, Some("python3")), None);
    }
}
