//! PYI020 unknown-platform-tag: the wheel names a platform tag this tool cannot read, so
//! nothing about that platform was checked.

use crate::inspect::InspectError;
use crate::judge::claims::join;
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI020",
    name: "unknown-platform-tag",
    summary: "A platform tag of the wheel is none this tool can read: nothing about that platform was checked.",
    help: "pyinit-check reads the platform tags installers select: `manylinux_X_Y_<arch>` and \
the legacy `manylinux1/2010/2014_<arch>`, `musllinux_X_Y_<arch>`, `linux_<arch>`, \
`macosx_X_Y_<arch>` (with `universal2`, `intel`), `win32`, `win_amd64`, `win_arm64`, \
`android_<api>_<abi>` (PEP 738) and `ios_X_Y_<arch>_<sdk>` (PEP 730). A tag it cannot read is \
either one no installer selects — `linux_aarch64_x86_64` is no architecture, and `auditwheel` \
refuses such wheels — or a platform the checks here do not cover (`linux_mips64`, \
`linux_armv5l`). Either way the wheel passed no platform check for it, so this is a warning, \
never silence.\n\n\
Fix: tag the wheel with the platform it was built for (`auditwheel repair` picks the \
manylinux or musllinux tag), or ignore this rule for wheels built for platforms outside \
this list.",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let unreadable = &facts.artifact.identity.platform.unreadable;
    if unreadable.is_empty() {
        return Ok(Vec::new());
    }
    let quoted: Vec<String> = unreadable.iter().map(|tag| format!("`{tag}`")).collect();
    let (noun, verb) = if quoted.len() == 1 {
        ("platform tag", "is")
    } else {
        ("platform tags", "are")
    };
    let cause = format!(
        "the wheel's {noun} {} {verb} none this tool can read: no installer selects a tag it cannot parse either, and nothing about that platform was checked.",
        join(&quoted)
    );
    Ok(vec![
        Finding::new(
            &RULE,
            format!(
                "Module `{}`: {cause}",
                facts.artifact.identity.name
            ),
        )
        .help("Tag the wheel with the platform it was built for (`auditwheel repair` picks the manylinux or musllinux tag).")
        .wheel_cause(Some(cause)),
    ])
}
