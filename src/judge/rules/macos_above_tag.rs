//! PYI017 macos-above-tag: a Mach-O slice is built for a newer macOS than its wheel's
//! `macosx_X_Y` tag promises, so pip installs it where dyld refuses it.

use crate::inspect::{ApplePlatform, InspectError};
use crate::judge::claims;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::platform::{Machine, Os, PlatformClaim, Version};

pub static RULE: Rule = Rule {
    id: "PYI017",
    name: "macos-above-tag",
    summary: "A Mach-O slice's minimum macOS (LC_BUILD_VERSION minos) is above the wheel's macosx tag.",
    help: "A `macosx_11_0_arm64` wheel promises to load on macOS 11.0 and later, and pip \
installs it there. Each Mach-O slice records the oldest macOS it was built for \
(`LC_BUILD_VERSION`'s `minos`, or `LC_VERSION_MIN_MACOSX` in older files), set by \
`MACOSX_DEPLOYMENT_TARGET` at build time; dyld refuses to load it on anything older \
(`built for macOS 13.0 which is newer than running OS`).\n\n\
Apple Silicon Macs start at macOS 11, so an arm64 slice is held to at least 11.0 even in a \
`macosx_10_9_universal2` wheel, as pip and delocate do.\n\n\
From macOS 11 on, installers know major releases only: pip on macOS 12.3 offers `macosx_12_0` \
and no `macosx_12_3` tag exists to select. So from 11 on the majors are compared; a slice \
built for 12.3 in a `macosx_12_0` wheel is only a note (it does not load on 12.0–12.2, which \
no tag can express). Below 11 the whole `10.X` is compared, as delocate does.\n\n\
Fix: set `MACOSX_DEPLOYMENT_TARGET` to the tag's version when building (maturin derives the \
tag from it), or tag the wheel with the release the slices need (`macosx_13_0`, never a minor \
from 11 on). `delocate-listdeps` and \
`otool -l` show the same load commands.",
    severity: Severity::Error,
};

/// The first macOS that ran on Apple Silicon.
const FIRST_ARM64_MACOS: Version = Version::new(11, 0);

/// Whether a slice built for `minimum` breaks a promise of `floor` in a way a tag can
/// express: below 11 every `10.X` is its own release; from 11 on only majors are.
fn releases_differ(minimum: Version, floor: Version) -> bool {
    if floor.major < 11 {
        minimum > floor
    } else {
        minimum.major > floor.major
    }
}

/// The tag an installer selects for a slice built for `minimum`.
fn tag_for(minimum: Version) -> String {
    if minimum.major < 11 {
        format!("macosx_{}_{}", minimum.major, minimum.minor)
    } else {
        format!("macosx_{}_0", minimum.major)
    }
}

/// The release just before `version`, for "it does not load on 12.0 up to 12.2".
fn below(version: Version) -> String {
    if version.patch > 0 {
        format!("{}.{}.{}", version.major, version.minor, version.patch - 1)
    } else {
        format!("{}.{}", version.major, version.minor.saturating_sub(1))
    }
}

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let mac_claims: Vec<&PlatformClaim> = facts
        .artifact
        .identity
        .platform
        .for_os(Os::MacOs)
        .filter(|claim| claim.floor.is_some())
        .collect();
    if mac_claims.is_empty() {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let Some(minimum) = slice.minimum_os() else {
            continue;
        };
        if minimum.platform != ApplePlatform::MacOs {
            continue;
        }
        let machine = slice.machine();
        // A tag speaks for the slices of its machines (`macosx_10_12_x86_64.macosx_11_0_arm64`).
        let broken: Vec<(&PlatformClaim, Version)> = mac_claims
            .iter()
            .copied()
            .filter(|claim| {
                claim.machines.is_empty()
                    || machine.is_some_and(|m| claim.machines.iter().any(|&c| m.satisfies(c)))
            })
            .filter_map(|claim| {
                let mut floor = claim.floor?;
                if machine == Some(Machine::Aarch64) {
                    floor = floor.max(FIRST_ARM64_MACOS);
                }
                (minimum.version > floor).then_some((claim, floor))
            })
            .collect();
        let Some(lowest) = broken.iter().map(|(_, floor)| *floor).min() else {
            continue;
        };
        let group: Vec<&PlatformClaim> = broken.iter().map(|(claim, _)| *claim).collect();
        let (promises, several) = claims::describe(&group);
        let minor_only = !releases_differ(minimum.version, lowest);
        let consequence = if minor_only {
            format!(
                "no tag can say {}, since installers know macOS releases from 11 on by major only; it does not load on {lowest} up to {}",
                minimum.version,
                below(minimum.version)
            )
        } else {
            format!(
                "on macOS {lowest} and anything else older than {}, dyld refuses to load it",
                minimum.version
            )
        };
        let cause = format!(
            "built for macOS {} ({}), but {promises} {} macOS {lowest}: {consequence}.",
            minimum.version,
            minimum.command,
            claims::promise(several),
        );
        let mut finding = Finding::new(
            &RULE,
            format!(
                "{}{} is {cause}",
                facts.slice_prefix(slice),
                facts.subject(),
            ),
        )
        .slice(Some(slice.arch()))
        .wheel_cause(claims::wheel_cause(facts, &group, &cause));
        finding = if minor_only {
            finding.severity(Severity::Note).help(format!(
                "Nothing to retag: build with MACOSX_DEPLOYMENT_TARGET={lowest} if macOS {lowest} matters to you."
            ))
        } else {
            finding.help(format!(
                "Build with MACOSX_DEPLOYMENT_TARGET={lowest}, or tag the wheel {}.",
                tag_for(minimum.version)
            ))
        };
        findings.push(finding);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_macos_11_only_majors_are_releases_a_tag_can_name() {
        let v = Version::new;
        assert!(!releases_differ(v(12, 3), v(12, 0)));
        assert!(releases_differ(v(13, 0), v(12, 0)));
        assert!(releases_differ(v(10, 13), v(10, 9)));
        assert!(releases_differ(v(11, 0), v(10, 9)));
        assert_eq!(tag_for(v(12, 3)), "macosx_12_0");
        assert_eq!(tag_for(v(10, 13)), "macosx_10_13");
        assert_eq!(below(v(12, 3)), "12.2");
    }
}
