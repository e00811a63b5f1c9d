//! PYI022 runtime-above-policy: a module or a vendored library needs a newer C++ or GCC
//! runtime (`GLIBCXX_`, `CXXABI_`, `GCC_` symbol versions) than the system its manylinux tag
//! promises provides.

use crate::inspect::InspectError;
use crate::judge::claims;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::libraries::linux_policy;
use crate::platform::{Libc, Os, PlatformClaim};

pub static RULE: Rule = Rule {
    id: "PYI022",
    name: "runtime-above-policy",
    summary: "A binary needs a newer libstdc++/libgcc_s (GLIBCXX_, CXXABI_, GCC_ versions) than its manylinux policy allows.",
    help: "A manylinux policy guarantees `libstdc++.so.6` and `libgcc_s.so.1` on the system, but \
only as old as its baseline distribution ships them: manylinux2014 (CentOS 7) has GCC 4.8's \
runtime, up to `GLIBCXX_3.4.19` and `CXXABI_1.3.7` on x86_64. A binary linked against a newer \
runtime asks for newer symbol versions, and on such a system the import fails with \
``version `GLIBCXX_3.4.21' not found (required by …)``. auditwheel holds every binary of the \
wheel — modules and the libraries vendored with them — to the policy's `symbol_versions`, and \
so does this rule (the lists come from auditwheel's policy files, `tools/libraries`).\n\n\
Fix: build in the tag's manylinux container, whose devtoolset links the newer parts of the C++ \
runtime statically, or raise the tag to the policy whose runtime is new enough.",
    severity: Severity::Error,
};

/// The runtimes a policy limits beside glibc (PYI015 judges `GLIBC_`).
const RUNTIMES: [&str; 3] = ["GLIBCXX", "CXXABI", "GCC"];

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    if claims::os_of(facts.format()) != Os::Linux {
        return Ok(Vec::new());
    }
    // The strictest glibc promise decides, as it does for PYI015.
    let Some((claim, policy)) = facts
        .artifact
        .identity
        .platform
        .for_os(Os::Linux)
        .filter(|claim| claim.libc == Some(Libc::Glibc))
        .filter_map(|claim| Some((claim, linux_policy(Libc::Glibc, claim.floor?)?)))
        .min_by_key(|(_, policy)| policy.version)
    else {
        return Ok(Vec::new());
    };
    let what = facts.subject();
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let Some(machine) = slice.machine() else {
            continue;
        };
        let mut refused: Vec<(String, String)> = Vec::new();
        for need in slice.version_needs()?.iter().filter(|need| !need.weak) {
            let prefix = need.version.split('_').next().unwrap_or_default();
            if RUNTIMES.contains(&prefix)
                && policy.allows(machine, &need.version) == Some(false)
                && !refused.iter().any(|(version, _)| *version == need.version)
            {
                refused.push((need.version.to_string(), need.library.to_string()));
            }
        }
        if refused.is_empty() {
            continue;
        }
        let listed: Vec<String> = refused
            .iter()
            .take(4)
            .map(|(version, library)| format!("`{version}` ({library})"))
            .collect();
        let more = refused.len().saturating_sub(4);
        let (promises, _) = claims::describe(&[claim as &PlatformClaim]);
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{}{what} needs {}{}, which {promises} does not guarantee: auditwheel's {} policy allows none of them on {machine}, and the import fails there with ``version `{}' not found``.",
                    facts.slice_prefix(slice),
                    claims::join(&listed),
                    if more > 0 { format!(" and {more} more") } else { String::new() },
                    policy.name,
                    refused[0].0,
                ),
            )
            .help("Build in the tag's manylinux container (its devtoolset links the newer runtime parts statically), or raise the tag to a policy whose runtime is new enough.")
            .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}
