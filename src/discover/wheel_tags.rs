//! What a wheel's file name claims (PEP 427 / PEP 425): the interpreters its modules are for.
//!
//! `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, each tag possibly a
//! `.`-separated set. Only CPython's tags matter here: `cp312` in the python tag, and in the
//! abi tag either the interpreter's own ABI (`cp312`, `cp313t`) or the stable ABI (`abi3`,
//! `abi3t`), whose python tag is then the oldest interpreter it promises.

use std::collections::BTreeSet;
use std::path::Path;

use super::file_name::version_tag;
use crate::platform::{PlatformClaims, TagDisagreement, parse_wheel_platform};
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
    /// The platform tags (`manylinux_2_17_x86_64`, `macosx_11_0_arm64`), as written.
    pub platforms: Vec<String>,
    /// Every `python-abi-platform` combination the name stands for (PEP 425's compressed
    /// tag sets expanded), to compare with the `WHEEL` file's `Tag:` lines.
    pub expanded: BTreeSet<String>,
}

/// The tags of `path`'s file name; `None` when it is no wheel name.
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
    let platform = parts[parts.len() - 1];
    let mut tags = WheelTags {
        platforms: platform.split('.').map(str::to_owned).collect(),
        expanded: expand(python, abi, platform),
        ..WheelTags::default()
    };
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
    Some(tags)
}

/// What the wheel's name promises about platforms (its checked platform tags), and where its
/// `WHEEL` file (`metadata`: path and `Tag:` lines) says otherwise.
pub fn platform_claims(
    tags: &WheelTags,
    metadata: Option<&(String, Vec<String>)>,
) -> PlatformClaims {
    let tag_disagreement = metadata.and_then(|(path, lines)| {
        // A compressed set on one line (`…-manylinux_2_17_x86_64.manylinux2014_x86_64`) stands
        // for its expansion; it is still reported, since PEP 427 wants one tag a line.
        let mut listed = BTreeSet::new();
        let mut compressed = Vec::new();
        for line in lines {
            match line.splitn(3, '-').collect::<Vec<_>>()[..] {
                [python, abi, platform] if line.contains('.') => {
                    compressed.push(line.clone());
                    listed.extend(expand(python, abi, platform));
                }
                _ => {
                    listed.insert(line.clone());
                }
            }
        }
        let only_in_name: Vec<String> = tags.expanded.difference(&listed).cloned().collect();
        let only_in_metadata: Vec<String> = listed.difference(&tags.expanded).cloned().collect();
        let agree = only_in_name.is_empty() && only_in_metadata.is_empty();
        (!agree || !compressed.is_empty()).then(|| TagDisagreement {
            only_in_name,
            only_in_metadata,
            metadata_path: path.clone(),
            compressed,
        })
    });
    let (claims, unreadable): (Vec<_>, Vec<_>) = tags
        .platforms
        .iter()
        .filter(|tag| tag.as_str() != "any")
        .map(|tag| (tag, parse_wheel_platform(tag)))
        .partition(|(_, claim)| claim.is_some());
    PlatformClaims {
        claims: claims.into_iter().filter_map(|(_, claim)| claim).collect(),
        any_platform: tags.platforms.iter().all(|tag| tag == "any"),
        tag_disagreement,
        unreadable: unreadable.into_iter().map(|(tag, _)| tag.clone()).collect(),
    }
}

/// `cp312.cp313-abi3-a.b` → every `python-abi-platform` triple.
fn expand(python: &str, abi: &str, platform: &str) -> BTreeSet<String> {
    let mut expanded = BTreeSet::new();
    for python in python.split('.') {
        for abi in abi.split('.') {
            for platform in platform.split('.') {
                expanded.insert(format!("{python}-{abi}-{platform}"));
            }
        }
    }
    expanded
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
        let numpy = tags("numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl")
            .unwrap();
        assert_eq!(
            (numpy.versions, numpy.abi3_floor, numpy.abi3t_only),
            (vec![v("3.12")], None, false)
        );
        assert_eq!(
            numpy.platforms,
            ["manylinux_2_27_x86_64", "manylinux_2_28_x86_64"]
        );
        assert_eq!(
            numpy.expanded.into_iter().collect::<Vec<_>>(),
            [
                "cp312-cp312-manylinux_2_27_x86_64",
                "cp312-cp312-manylinux_2_28_x86_64"
            ]
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
    fn the_wheel_file_must_list_the_tags_of_the_name() {
        let name =
            tags("x-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").unwrap();
        let agreeing = (
            "x-1.0.dist-info/WHEEL".to_string(),
            vec![
                "cp312-cp312-manylinux2014_x86_64".to_string(),
                "cp312-cp312-manylinux_2_17_x86_64".to_string(),
            ],
        );
        let claims = platform_claims(&name, Some(&agreeing));
        assert_eq!(claims.tag_disagreement, None);
        assert_eq!(claims.claims.len(), 2);
        let stale = (
            agreeing.0.clone(),
            vec!["cp312-cp312-linux_x86_64".to_string()],
        );
        let disagreement = platform_claims(&name, Some(&stale))
            .tag_disagreement
            .unwrap();
        assert_eq!(disagreement.only_in_metadata, ["cp312-cp312-linux_x86_64"]);
        assert_eq!(disagreement.only_in_name.len(), 2);
        assert_eq!(platform_claims(&name, None).tag_disagreement, None);
    }

    #[test]
    fn a_compressed_tag_line_stands_for_its_expansion_and_is_still_reported() {
        let name = tags("x-1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl").unwrap();
        let maturin_1_8 = (
            "x-1.0.dist-info/WHEEL".to_string(),
            vec!["cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64".to_string()],
        );
        let disagreement = platform_claims(&name, Some(&maturin_1_8))
            .tag_disagreement
            .unwrap();
        assert!(disagreement.only_in_name.is_empty() && disagreement.only_in_metadata.is_empty());
        assert_eq!(disagreement.compressed, maturin_1_8.1);
    }

    #[test]
    fn unreadable_platform_tags_are_kept_to_be_reported() {
        let claims = platform_claims(
            &tags("testsimple-0.0.1-cp313-cp313-linux_aarch64_x86_64.whl").unwrap(),
            None,
        );
        assert_eq!(
            (claims.claims.len(), claims.unreadable),
            (0, vec!["linux_aarch64_x86_64".to_string()])
        );
        assert!(
            platform_claims(&tags("p-1.0-py3-none-any.whl").unwrap(), None)
                .unreadable
                .is_empty()
        );
    }

    #[test]
    fn names_without_cpython_tags_claim_no_interpreter() {
        let pure = tags("pure-1.0-py3-none-any.whl").unwrap();
        assert_eq!((pure.versions.len(), pure.abi3_floor), (0, None));
        assert_eq!(tags("notawheel.zip"), None);
        let pypy = tags("x-1.0-pp310-pypy310_pp73-linux_x86_64.whl").unwrap();
        assert_eq!(
            (pypy.versions.len(), pypy.platforms),
            (0, vec!["linux_x86_64".to_string()])
        );
    }
}
