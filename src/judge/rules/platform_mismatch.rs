//! PYI012 platform-mismatch: the binary's format or machine is not what its file name, its
//! wheel's platform tags or its cargo target promise, so the platform it is installed on
//! cannot load it.

use crate::inspect::{BinaryFormat, InspectError};
use crate::judge::claims::{self, os_of};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::platform::{Machine, Os, PlatformClaim};

pub static RULE: Rule = Rule {
    id: "PYI012",
    name: "platform-mismatch",
    summary: "The binary's format or architecture is not what its name, wheel tag or target promises.",
    help: "Installers pick a wheel by its platform tags (`manylinux_2_17_x86_64`, \
`macosx_11_0_arm64`, `win_amd64`), and CPython's extension suffix names a platform too \
(`.cpython-312-x86_64-linux-gnu.so`, `.cp312-win_amd64.pyd`). The loader of that platform reads \
only its own format (ELF on Linux, Mach-O on macOS, PE on Windows) and only its own machine: \
glibc skips an ELF file of another machine as if it were not there (`cannot open shared object \
file`), dyld reports `incompatible architecture`, Windows `%1 is not a valid Win32 \
application`. A `universal2` tag promises both an x86_64 and an arm64 slice; the tag `any` promises every \
platform, which no compiled module keeps.\n\n\
This happens when a cross-compiled build is packed under the host's tag, when a wheel is \
renamed, or when `lipo` was skipped for a universal2 wheel.\n\n\
Fix: build for the platform the tag names (`maturin build --target <triple>`, \
`--target universal2-apple-darwin`), or tag the wheel for what it holds.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let platform = &facts.artifact.identity.platform;
    let claims = &platform.claims;
    let format_os = os_of(facts.format());
    let subject = facts.subject();
    let mut findings = Vec::new();
    if platform.any_platform {
        let others: Vec<String> = [Os::Linux, Os::MacOs, Os::Windows]
            .into_iter()
            .filter(|os| *os != format_os)
            .map(|os| os.to_string())
            .collect();
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{subject} is {} {} file, but the wheel's platform tag `any` promises every platform: installers put it on {} too, where it cannot be loaded.",
                    article(facts.format()),
                    facts.format().describe(),
                    claims::join(&others),
                ),
            )
            .help("Tag the wheel for the platform the module was built for (maturin and setuptools do when the package has an extension module); a platform-independent wheel holds no compiled module."),
        );
    }
    if claims.is_empty() {
        return Ok(findings);
    }

    // Android's loader reads ELF as Linux's does, iOS's Mach-O as macOS's: the format decides.
    let loads = |claim: &PlatformClaim| claim.os.format_name() == format_os.format_name();
    let wrong_system: Vec<&PlatformClaim> = claims.iter().filter(|c| !loads(c)).collect();
    if !wrong_system.is_empty() {
        let (promises, several) = claims::describe(&wrong_system);
        let systems: Vec<String> = distinct(wrong_system.iter().map(|c| c.os.to_string()));
        let formats: Vec<String> =
            distinct(wrong_system.iter().map(|c| c.os.format_name().to_string()));
        let cause = format!(
            "{} {} file, but {promises} {} {}, whose loader reads only {} files: it cannot be imported there.",
            article(facts.format()),
            facts.format().describe(),
            claims::promise(several),
            claims::join(&systems),
            claims::join(&formats),
        );
        findings.push(
            Finding::new(&RULE, format!("{subject} is {cause}")).wheel_cause(claims::wheel_cause(
                facts,
                &wrong_system,
                &cause,
            )),
        );
    }

    let slices: Vec<(Option<Machine>, &str)> = facts
        .shared_libraries()
        .map(|slice| (slice.machine(), slice.arch()))
        .collect();
    if slices.is_empty() {
        return Ok(findings);
    }
    let have = claims::join(
        &slices
            .iter()
            .map(|(_, arch)| arch.to_string())
            .collect::<Vec<_>>(),
    );
    // Group the promises by the machines they find missing, so repeated tags make one finding.
    let mut missing_by_claim: Vec<(Vec<Machine>, Vec<&PlatformClaim>)> = Vec::new();
    for claim in claims.iter().filter(|c| loads(c)) {
        let missing: Vec<Machine> = claim
            .machines
            .iter()
            .copied()
            .filter(|&wanted| {
                !slices
                    .iter()
                    .any(|(machine, _)| machine.is_some_and(|m| m.satisfies(wanted)))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        match missing_by_claim.iter_mut().find(|(m, _)| *m == missing) {
            Some((_, group)) => group.push(claim),
            None => missing_by_claim.push((missing, vec![claim])),
        }
    }
    for (missing, group) in missing_by_claim {
        let (promises, several) = claims::describe(&group);
        let wanted = claims::join(&missing.iter().map(Machine::to_string).collect::<Vec<_>>());
        let what = if slices.len() == 1 {
            format!("is {have} code")
        } else {
            format!("has slices for {have} only")
        };
        let cause = format!(
            "{what}, but {promises} {} {wanted}: installed there, it cannot be loaded.",
            claims::promise(several)
        );
        findings.push(
            Finding::new(&RULE, format!("{subject} {cause}"))
            .wheel_cause(claims::wheel_cause(facts, &group, &cause))
            .help(format!(
                "Build it for {wanted} (or tag it for {have}).{}",
                if group.iter().any(|c| c.machines.len() > 1) {
                    " A universal2 module joins an x86_64 and an arm64 build with `lipo -create`; maturin does this with `--target universal2-apple-darwin`."
                } else {
                    ""
                }
            )),
        );
    }
    Ok(findings)
}

/// "an ELF", "a PE", "a Mach-O".
fn article(format: BinaryFormat) -> &'static str {
    if format == BinaryFormat::Elf {
        "an"
    } else {
        "a"
    }
}

fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}
