//! PYI016 libc-mismatch: a module linked against glibc in a musllinux wheel (or named for
//! musl), or against musl in a manylinux wheel.

use crate::inspect::InspectError;
use crate::judge::claims::{self, libc_of};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::platform::{Libc, Os, PlatformClaim};

pub static RULE: Rule = Rule {
    id: "PYI016",
    name: "libc-mismatch",
    summary: "The module is linked against glibc where musl is promised (musllinux), or the other way round.",
    help: "Linux has two C libraries whose binaries do not mix: glibc (Debian, Fedora, Ubuntu: \
`manylinux` wheels, `-linux-gnu` suffixes) and musl (Alpine: `musllinux` wheels, `-linux-musl` \
suffixes). A module links the C library of the system it was built on (`DT_NEEDED libc.so.6` or \
glibc's `GLIBC_x.y` symbol versions; musl's `libc.musl-<arch>.so.1`). On the other system the \
loader cannot find that library: `Error loading shared library libc.so.6` on Alpine, \
`libc.musl-x86_64.so.1: cannot open shared object file` on glibc.\n\n\
Fix: build musllinux wheels in a musllinux container or for a `*-linux-musl` target \
(`maturin build --target x86_64-unknown-linux-musl`), manylinux wheels for `*-linux-gnu`.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let promised: Vec<&PlatformClaim> = facts
        .artifact
        .identity
        .platform
        .for_os(Os::Linux)
        .filter(|claim| claim.libc.is_some())
        .collect();
    if promised.is_empty() || claims::os_of(facts.format()) != Os::Linux {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let Some(linked) = libc_of(slice)? else {
            continue;
        };
        let broken: Vec<&PlatformClaim> = promised
            .iter()
            .copied()
            .filter(|claim| claim.libc.is_some_and(|libc| libc != linked))
            .collect();
        if broken.is_empty() {
            continue;
        }
        let (promises, several) = claims::describe(&broken);
        let other = match linked {
            Libc::Glibc => Libc::Musl,
            Libc::Musl => Libc::Glibc,
        };
        let evidence = match linked {
            Libc::Glibc => "`libc.so.6` / `GLIBC_` symbol versions",
            Libc::Musl => "`libc.musl-*.so.1`",
        };
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "Module `{}` is linked against {linked} ({evidence}), but {promises} {} {other}: systems with {other} cannot load it.",
                    facts.artifact.identity.name,
                    claims::promise(several),
                ),
            )
            .help(format!("Build it against {other} (a {other} container or target), or tag it for {linked}."))
            .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}
