//! PYI015 glibc-above-tag: a module needs a newer glibc than its manylinux tag (or its
//! cargo-zigbuild target) promises, so pip installs it on systems that cannot load it.

use crate::inspect::{InspectError, NeededVersion, SliceView};
use crate::judge::claims;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::platform::{Libc, Machine, Os, PlatformClaim, Version};

pub static RULE: Rule = Rule {
    id: "PYI015",
    name: "glibc-above-tag",
    summary: "The module needs a newer glibc (GLIBC_x.y symbol versions) than its manylinux tag promises.",
    help: "A `manylinux_2_17` wheel promises to load on every Linux with glibc 2.17 or later \
(`manylinux1` = 2.5, `manylinux2010` = 2.12, `manylinux2014` = 2.17), and pip installs it \
there. glibc versions its symbols: a module linked on a newer system asks for the newest \
version of each function it calls (`pthread_create@GLIBC_2.34`, `arc4random@GLIBC_2.36`), and \
the loader refuses it on an older glibc with ``version `GLIBC_2.34' not found``. Every version the \
module's `DT_VERNEED` lists is checked at load, so the highest one is the module's real floor. \
(`GLIBC_ABI_DT_RELR`, written by linkers packing relative relocations, needs glibc 2.36.) \
As auditwheel's policy does, `manylinux2014`/`manylinux_2_17` allows `GLIBC_2.18` on aarch64, \
whose CentOS 7 baseline exports it.\n\n\
Fix: build in the manylinux container of the tag (`maturin build --manylinux 2_17` uses \
`quay.io/pypa/manylinux2014_*` through maturin-action; `--zig` links against the tag's glibc), \
or raise the tag to the highest version needed. `auditwheel show` reports the same versions.",
    severity: Severity::Error,
};

/// `GLIBC_ABI_DT_RELR` is no release number: glibc 2.36 introduced it.
const DT_RELR_MARKER: (&str, Version) = ("GLIBC_ABI_DT_RELR", Version::new(2, 36));

/// The glibc release a version name needs: `GLIBC_2.34` → 2.34.
fn glibc_release(need: &NeededVersion) -> Option<Version> {
    if need.weak {
        // A weak version need only warns when missing.
        return None;
    }
    if need.version == DT_RELR_MARKER.0 {
        return Some(DT_RELR_MARKER.1);
    }
    Version::parse_dotted(need.version.strip_prefix("GLIBC_")?)
}

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let glibc_claims: Vec<&PlatformClaim> = facts
        .artifact
        .identity
        .platform
        .for_os(Os::Linux)
        .filter(|claim| claim.libc == Some(Libc::Glibc))
        .filter(|claim| claim.floor.is_some())
        .collect();
    if glibc_claims.is_empty() || claims::os_of(facts.format()) != Os::Linux {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let Some((needed, version_name)) = highest_need(slice)? else {
            continue;
        };
        let machine = slice.machine();
        let broken: Vec<&PlatformClaim> = glibc_claims
            .iter()
            .copied()
            .filter(|claim| allowed(claim, machine).is_some_and(|floor| needed > floor))
            .collect();
        let Some(lowest) = broken.iter().filter_map(|claim| claim.floor).min() else {
            continue;
        };
        let symbols = symbols_needing(slice, &version_name)?;
        let by = if symbols.is_empty() {
            String::new()
        } else {
            format!(" (for {})", symbols)
        };
        let (promises, several) = claims::describe(&broken);
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{} needs glibc {needed}: `{version_name}`{by}, but {promises} {} glibc {lowest}: on glibc {}, importing it fails with ``version `{version_name}' not found``.",
                    facts.subject(),
                    claims::promise(several),
                    releases_from(lowest, before(needed)),
                ),
            )
            .help(format!(
                "Build against glibc {lowest} (the tag's manylinux container, or `maturin build --zig`), or tag the wheel manylinux_{}_{}.",
                needed.major, needed.minor
            ))
            .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}

/// The highest glibc a claim allows on `machine`. The tag's number, except where the policy
/// behind it allows more: manylinux2014's aarch64 baseline (CentOS 7) exports GLIBC_2.18
/// symbols, which auditwheel's `manylinux_2_17` policy accepts on aarch64.
fn allowed(claim: &PlatformClaim, machine: Option<Machine>) -> Option<Version> {
    let floor = claim.floor?;
    Some(
        if machine == Some(Machine::Aarch64) && floor == Version::new(2, 17) {
            Version::new(2, 18)
        } else {
            floor
        },
    )
}

/// The highest glibc release the slice's version needs ask for, with that version's name.
fn highest_need(slice: &SliceView<'_>) -> Result<Option<(Version, String)>, InspectError> {
    Ok(slice
        .version_needs()?
        .iter()
        .filter_map(|need| Some((glibc_release(need)?, need.version.to_string())))
        .max_by_key(|(release, _)| *release))
}

/// Up to three imported symbols bound to `version`, quoted: what raises the floor.
fn symbols_needing(slice: &SliceView<'_>, version: &str) -> Result<String, InspectError> {
    let imported = slice.imported_symbols()?;
    let mut names: Vec<&str> = imported
        .iter()
        .filter(|import| {
            import
                .version
                .as_ref()
                .is_some_and(|v| v.version == version)
        })
        .map(|import| import.name.as_ref())
        .collect();
    names.sort_unstable();
    names.dedup();
    let more = names.len().saturating_sub(3);
    let mut listed: Vec<String> = names
        .iter()
        .take(3)
        .map(|name| format!("`{name}`"))
        .collect();
    if more > 0 {
        listed.push(format!("{more} more"));
    }
    Ok(claims::join(&listed))
}

/// "2.17 to 2.33", or "2.27" when the range is one release.
fn releases_from(first: Version, last: Version) -> String {
    if first >= last {
        first.to_string()
    } else {
        format!("{first} to {last}")
    }
}

/// The release before `version`, for "on glibc 2.17 to 2.33".
fn before(version: Version) -> Version {
    Version::new(version.major, version.minor.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::parse_wheel_platform;

    #[test]
    fn manylinux2014_allows_glibc_2_18_on_aarch64_only() {
        let aarch64 = parse_wheel_platform("manylinux2014_aarch64").unwrap();
        assert_eq!(
            allowed(&aarch64, Some(Machine::Aarch64)),
            Some(Version::new(2, 18))
        );
        let x86_64 = parse_wheel_platform("manylinux_2_17_x86_64").unwrap();
        assert_eq!(
            allowed(&x86_64, Some(Machine::X86_64)),
            Some(Version::new(2, 17))
        );
        let newer = parse_wheel_platform("manylinux_2_28_aarch64").unwrap();
        assert_eq!(
            allowed(&newer, Some(Machine::Aarch64)),
            Some(Version::new(2, 28))
        );
    }

    #[test]
    fn version_names_become_releases() {
        let need = |version: &'static str, weak| NeededVersion {
            library: "libc.so.6".into(),
            version: version.into(),
            weak,
        };
        assert_eq!(
            glibc_release(&need("GLIBC_2.2.5", false)),
            Some(Version {
                major: 2,
                minor: 2,
                patch: 5
            })
        );
        assert_eq!(
            glibc_release(&need("GLIBC_2.34", false)),
            Some(Version::new(2, 34))
        );
        assert_eq!(
            glibc_release(&need("GLIBC_ABI_DT_RELR", false)),
            Some(Version::new(2, 36))
        );
        assert_eq!(glibc_release(&need("GLIBC_PRIVATE", false)), None);
        assert_eq!(glibc_release(&need("GLIBC_2.34", true)), None);
        assert_eq!(glibc_release(&need("GCC_4.2.0", false)), None);
    }
}
