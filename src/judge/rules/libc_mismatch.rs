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
        .claims
        .iter()
        .filter(|claim| claim.libc.is_some())
        .collect();
    if promised.is_empty() || claims::os_of(facts.format()) != Os::Linux {
        return Ok(Vec::new());
    }
    let subject = facts.subject();
    let mut findings = Vec::new();
    let mut binary_names_a_libc = false;
    for slice in facts.shared_libraries() {
        let Some(linked) = libc_of(slice)? else {
            continue;
        };
        binary_names_a_libc = true;
        let broken: Vec<&PlatformClaim> = promised
            .iter()
            .copied()
            .filter(|claim| claim.libc.is_some_and(|libc| !linked.contains(&libc)))
            .collect();
        let Some(wanted) = broken.first().and_then(|claim| claim.libc) else {
            continue;
        };
        let (promises, several) = claims::describe(&broken);
        let (name, evidence) = match linked {
            [Libc::Glibc] => ("glibc", "`libc.so.6` / `GLIBC_` symbol versions"),
            [Libc::Musl] => ("musl", "`libc.musl-*.so.1`"),
            _ => ("musl or bionic", "`libc.so`"),
        };
        let cause = format!(
            "linked against {name} ({evidence}), but {promises} {} {wanted}: systems with {wanted} cannot load it.",
            claims::promise(several),
        );
        findings.push(
            Finding::new(&RULE, format!("{subject} is {cause}"))
                .help(format!(
                    "Build it against {wanted} (a {wanted} container or target), or tag it for {name}."
                ))
                .slice(Some(slice.arch()))
                .wheel_cause(claims::wheel_cause(facts, &broken, &cause)),
        );
    }
    // The promises among themselves, when the binary names no C library to judge them by:
    // a suffix naming musl in a manylinux wheel is wrong whatever the module needs.
    let mut by_libc: Vec<(Libc, Vec<&PlatformClaim>)> = Vec::new();
    for claim in &promised {
        let libc = claim.libc.unwrap_or(Libc::Glibc);
        match by_libc.iter_mut().find(|(l, _)| *l == libc) {
            Some((_, group)) => group.push(claim),
            None => by_libc.push((libc, vec![claim])),
        }
    }
    if by_libc.len() > 1 && !binary_names_a_libc {
        let parts: Vec<String> = by_libc
            .iter()
            .map(|(libc, group)| {
                let (promises, several) = claims::describe(group);
                format!("{promises} {} {libc}", claims::promise(several))
            })
            .collect();
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{subject} has contradicting C library promises: {}. A module is built for one of them, and systems with the other cannot load it.",
                    claims::join(&parts)
                ),
            )
            .help("Build each wheel in its own container or for its own target (`*-linux-gnu` for manylinux, `*-linux-musl` for musllinux), so the suffix and the tag name the same C library."),
        );
    }
    Ok(findings)
}
