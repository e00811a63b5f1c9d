//! PYI019 wheel-tags-disagree: the `WHEEL` file's `Tag:` lines are not the tags of the wheel's
//! file name.

use crate::inspect::InspectError;
use crate::judge::claims::join;
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI019",
    name: "wheel-tags-disagree",
    summary: "The wheel's WHEEL metadata lists other tags than its file name.",
    help: "A wheel states its tags twice: in its file name, which installers go by, and in the \
`Tag:` lines of `<name>.dist-info/WHEEL` (PEP 427), which `pip`'s caches, `auditwheel`, \
`wheel tags` and repositories read. They must be the same set (the file name's compressed \
tag sets expanded). When they differ, a wheel was renamed by hand or retagged without its \
metadata, and the tags checked by the other rules are not the ones every tool sees.\n\n\
Fix: retag with `wheel tags` (or `auditwheel repair`), which rewrites both, instead of \
renaming the file.",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Some(disagreement) = &facts.artifact.identity.platform.tag_disagreement else {
        return Ok(Vec::new());
    };
    let quote = |tags: &[String]| {
        let mut quoted: Vec<String> = tags.iter().take(4).map(|tag| format!("`{tag}`")).collect();
        if tags.len() > 4 {
            quoted.push(format!("{} more", tags.len() - 4));
        }
        join(&quoted)
    };
    let metadata = &disagreement.metadata_path;
    let mut parts = Vec::new();
    if !disagreement.only_in_name.is_empty() {
        parts.push(format!(
            "the file name has {} that `{metadata}` does not list",
            quote(&disagreement.only_in_name),
        ));
    }
    if !disagreement.only_in_metadata.is_empty() {
        parts.push(format!(
            "`{metadata}` lists {} that the file name does not have",
            quote(&disagreement.only_in_metadata)
        ));
    }
    let wheel = facts
        .artifact
        .wheel()
        .and_then(|wheel| wheel.file_name())
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let mut findings = Vec::new();
    if !disagreement.compressed.is_empty() {
        let lines = disagreement.compressed.len();
        let cause = format!(
            "`{metadata}` writes {} as one compressed `Tag:` line{} ({}); expanded, {} the file name's set{}, but PEP 427 wants one expanded tag a line, and readers that trust the metadata fail on it (pex did: maturin#2761).",
            if lines == 1 { "a tag set" } else { "tag sets" },
            if lines == 1 { "" } else { "s" },
            quote(&disagreement.compressed),
            if lines == 1 { "it is" } else { "they are" },
            if parts.is_empty() { "" } else { " in part" },
        );
        findings.push(
            Finding::new(&RULE, format!("Wheel `{wheel}`: {cause}"))
                .help("Rebuild with a maturin release that has the fix (#2762), or retag with `wheel tags`, which writes one tag a line.")
                .wheel_cause(Some(cause)),
        );
    }
    if !parts.is_empty() {
        let cause = format!("says two things about its tags: {}.", parts.join("; "));
        findings.push(
            Finding::new(&RULE, format!("Wheel `{wheel}` {cause}"))
                .help("Retag with `wheel tags` or `auditwheel repair`, which rewrite the file name and WHEEL together.")
                .wheel_cause(Some(cause)),
        );
    }
    Ok(findings)
}
