//! Which CPython versions an artifact must import on, and what each of them looks up.
//!
//! Versions come from `--python` or from the file's suffix (`.cpython-312-…`, `.cp313t-…`,
//! `.abi3.so`, `.abi3t.so`); an untagged `.so`/`.pyd` leaves them unknown. What matters for the
//! check is one fact (PEP 793): CPython 3.15 and later accept `PyModExport_<m>`, older ones
//! only `PyInit_<m>`.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A CPython 3.x version, optionally free-threaded (`3.13t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub minor: u16,
    pub free_threaded: bool,
}

impl PythonVersion {
    /// PEP 793: the first CPython that looks up `PyModExport_<m>`.
    pub const FIRST_WITH_MOD_EXPORT: u16 = 15;

    pub fn accepts_mod_export(self) -> bool {
        self.minor >= Self::FIRST_WITH_MOD_EXPORT
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "3.{}{}",
            self.minor,
            if self.free_threaded { "t" } else { "" }
        )
    }
}

impl Serialize for PythonVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for PythonVersion {
    type Err = String;

    /// Accepts `3.12`, `3.13t`, and the tag forms `312`, `313t`.
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a CPython 3 version (expected e.g. 3.12 or 3.15t)");
        let (digits, free_threaded) = match text.strip_suffix('t') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let minor = if let Some(minor) = digits.strip_prefix("3.") {
            minor
        } else if let Some(minor) = digits.strip_prefix('3').filter(|m| !m.is_empty()) {
            minor
        } else {
            return Err(bad());
        };
        if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) || minor.len() > 3 {
            return Err(bad());
        }
        let minor = minor.parse().map_err(|_| bad())?;
        Ok(PythonVersion {
            minor,
            free_threaded,
        })
    }
}

/// Lists versions for a message, runs of consecutive minors of one build kind joined
/// (`3.8–3.10, 3.13t`).
pub fn describe_versions(versions: &[PythonVersion]) -> String {
    let mut sorted = versions.to_vec();
    sorted.sort_by_key(|v| (v.free_threaded, v.minor));
    sorted.dedup();
    let mut runs: Vec<(PythonVersion, PythonVersion)> = Vec::new();
    for version in sorted {
        match runs.last_mut() {
            Some((_, last))
                if last.free_threaded == version.free_threaded
                    && last.minor + 1 == version.minor =>
            {
                *last = version;
            }
            _ => runs.push((version, version)),
        }
    }
    runs.iter()
        .map(|(first, last)| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The interpreters an artifact is meant for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "versions")]
pub enum PythonTargets {
    /// Named versions, from `--python` or a version-tagged suffix.
    Versions(Vec<PythonVersion>),
    /// `.abi3.so`: the stable ABI, every 3.x from an unstated minimum (3.2 at the earliest).
    Abi3,
    /// `.abi3t.so` (PEP 803): the free-threaded stable ABI, 3.15 and later.
    Abi3t,
    /// An untagged `.so` / `.pyd` and no `--python`.
    Unknown,
}

/// An abi3 module's promise: it imports on every CPython from its floor on, using only the
/// stable ABI that floor has (PEP 384; `abi3t`, PEP 803, likewise for free-threaded builds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StableAbi {
    /// `.abi3t`: the free-threaded stable ABI.
    pub free_threaded: bool,
    /// The oldest interpreter promised (`cp38-abi3` → 3.8), when something names it.
    pub floor: Option<PythonVersion>,
    pub floor_source: FloorSource,
}

/// Where an abi3 floor comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorSource {
    /// The oldest `--python` version.
    CommandLine,
    /// The python tag of a `cpXY-abi3` wheel.
    WheelTag,
    /// PyO3's `abi3-pyXY` feature in the cargo project.
    Project,
    /// Nothing names it.
    Unknown,
}

/// Whether a module that exports only `PyModExport_<m>` imports on the targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModExportCoverage {
    All,
    /// Imports on some targets; the text lists those it does not import on.
    Partial(String),
    /// Imports on none; the text lists them.
    None(String),
    /// The targets are unknown: imports on 3.15+ only.
    Unknown,
}

impl PythonTargets {
    pub fn mod_export_coverage(&self) -> ModExportCoverage {
        match self {
            PythonTargets::Abi3t => ModExportCoverage::All,
            PythonTargets::Abi3 => {
                ModExportCoverage::Partial("abi3 on CPython 3.14 and older".into())
            }
            PythonTargets::Unknown => ModExportCoverage::Unknown,
            PythonTargets::Versions(versions) => {
                let old: Vec<String> = versions
                    .iter()
                    .filter(|v| !v.accepts_mod_export())
                    .map(|v| v.to_string())
                    .collect();
                if old.is_empty() {
                    ModExportCoverage::All
                } else if old.len() == versions.len() {
                    ModExportCoverage::None(old.join(", "))
                } else {
                    ModExportCoverage::Partial(old.join(", "))
                }
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            PythonTargets::Versions(v) => v
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            PythonTargets::Abi3 => "abi3 (3.x)".into(),
            PythonTargets::Abi3t => "abi3t (3.15+)".into(),
            PythonTargets::Unknown => "unknown".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> PythonVersion {
        text.parse().unwrap()
    }

    #[test]
    fn parses_dotted_and_tag_forms() {
        assert_eq!(
            v("3.12"),
            PythonVersion {
                minor: 12,
                free_threaded: false
            }
        );
        assert_eq!(
            v("3.15t"),
            PythonVersion {
                minor: 15,
                free_threaded: true
            }
        );
        assert_eq!(
            v("313t"),
            PythonVersion {
                minor: 13,
                free_threaded: true
            }
        );
        assert_eq!(v("3.13t").to_string(), "3.13t");
        for bad in ["", "3", "2.7", "3.x", "3.12tt", "py3.12", "3.1234"] {
            assert!(
                bad.parse::<PythonVersion>().is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn version_lists_collapse_into_runs() {
        let list = |texts: &[&str]| texts.iter().map(|t| v(t)).collect::<Vec<_>>();
        assert_eq!(
            describe_versions(&list(&["3.10", "3.8", "3.9", "3.13t", "3.12"])),
            "3.8–3.10, 3.12, 3.13t"
        );
        assert_eq!(describe_versions(&list(&["3.11"])), "3.11");
    }

    #[test]
    fn mod_export_counts_from_3_15() {
        let only = |list: &[&str]| PythonTargets::Versions(list.iter().map(|s| v(s)).collect());
        assert_eq!(
            only(&["3.15"]).mod_export_coverage(),
            ModExportCoverage::All
        );
        assert_eq!(
            only(&["3.12"]).mod_export_coverage(),
            ModExportCoverage::None("3.12".into())
        );
        assert_eq!(
            only(&["3.12", "3.15t"]).mod_export_coverage(),
            ModExportCoverage::Partial("3.12".into())
        );
        assert_eq!(
            PythonTargets::Abi3t.mod_export_coverage(),
            ModExportCoverage::All
        );
        assert_eq!(
            PythonTargets::Unknown.mod_export_coverage(),
            ModExportCoverage::Unknown
        );
    }
}
