//! What a wheel's file name claims (PEP 427 / PEP 425): the interpreters its modules are for.
//!
//! `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, each tag possibly a
//! `.`-separated set. Only CPython's tags matter here: `cp312` in the python tag, and in the
//! abi tag either the interpreter's own ABI (`cp312`, `cp313t`) or the stable ABI (`abi3`,
//! `abi3t`), whose python tag is then the oldest interpreter it promises.

use std::path::Path;

use super::file_name::version_tag;
use crate::python::PythonVersion;

/// The CPython claims of one wheel file name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WheelTags {
    /// Version-specific interpreters (`cp312-cp312`, `cp313-cp313t`).
    pub versions: Vec<PythonVersion>,
    /// The oldest CPython named beside an `abi3`/`abi3t` abi tag: the stable-ABI floor.
    pub abi3_floor: Option<PythonVersion>,
    /// The only stable ABI named is `abi3t` (free-threaded, PEP 803).
    pub abi3t_only: bool,
}

/// The tags of `path`'s file name; `None` when it is no wheel name or names no CPython.
pub fn wheel_tags(path: &Path) -> Option<WheelTags> {
    let name = path.file_name()?.to_str()?.strip_suffix(".whl")?;
    let parts: Vec<&str> = name.split('-').collect();
    if !(5..=6).contains(&parts.len()) {
        return None;
    }
    let (python, abi) = (parts[parts.len() - 3], parts[parts.len() - 2]);
    let pythons: Vec<PythonVersion> = python
        .split('.')
        .filter_map(|tag| version_tag(tag.strip_prefix("cp")?))
        .collect();
    let mut tags = WheelTags::default();
    let abis: Vec<&str> = abi.split('.').collect();
    tags.abi3t_only = abis.contains(&"abi3t") && !abis.contains(&"abi3");
    for abi in abis {
        if abi == "abi3" || abi == "abi3t" {
            tags.abi3_floor = pythons.iter().min().copied();
        } else if let Some(version) = abi.strip_prefix("cp").and_then(version_tag)
            && pythons.iter().any(|p| p.minor == version.minor)
        {
            tags.versions.push(version);
        }
    }
    (tags != WheelTags::default()).then_some(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(name: &str) -> Option<WheelTags> {
        wheel_tags(Path::new(name))
    }

    fn v(text: &str) -> PythonVersion {
        text.parse().unwrap()
    }

    #[test]
    fn reads_version_specific_and_stable_abi_tags() {
        assert_eq!(
            tags("numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"),
            Some(WheelTags {
                versions: vec![v("3.12")],
                abi3_floor: None,
                abi3t_only: false,
            })
        );
        assert_eq!(
            tags("x-1.0-cp313-cp313t-linux_x86_64.whl")
                .unwrap()
                .versions,
            [v("3.13t")]
        );
        assert_eq!(
            tags("cryptography-50.0.2-cp311-abi3-manylinux_2_28_x86_64.whl")
                .unwrap()
                .abi3_floor,
            Some(v("3.11"))
        );
        assert_eq!(
            tags("cryptography-50.0.2-cp315-abi3.abi3t-manylinux_2_28_x86_64.whl")
                .unwrap()
                .abi3_floor,
            Some(v("3.15"))
        );
        assert_eq!(
            tags("x-1.0-1build-cp38.cp39-abi3-any.whl")
                .unwrap()
                .abi3_floor,
            Some(v("3.8"))
        );
    }

    #[test]
    fn names_without_cpython_tags_claim_nothing() {
        assert_eq!(tags("pure-1.0-py3-none-any.whl"), None);
        assert_eq!(tags("notawheel.zip"), None);
        assert_eq!(tags("x-pp310-pypy310_pp73-linux_x86_64.whl"), None);
    }
}
