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
Fix: set `MACOSX_DEPLOYMENT_TARGET` to the tag's version when building (maturin derives the \
tag from it), or tag the wheel with the minimum the slices state. `delocate-listdeps` and \
`otool -l` show the same load commands.",
    severity: Severity::Error,
};

/// The first macOS that ran on Apple Silicon.
const FIRST_ARM64_MACOS: Version = Version::new(11, 0);

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
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{}Module `{}` is built for macOS {} ({}), but {promises} {} macOS {lowest}: on macOS {lowest} and anything else older than {}, dyld refuses to load it.",
                    facts.slice_prefix(slice),
                    facts.artifact.identity.name,
                    minimum.version,
                    minimum.command,
                    claims::promise(several),
                    minimum.version,
                ),
            )
            .help(format!(
                "Build with MACOSX_DEPLOYMENT_TARGET={lowest}, or tag the wheel macosx_{}_{}.",
                minimum.version.major, minimum.version.minor
            ))
            .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}
