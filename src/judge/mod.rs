//! Judge: run every rule over an artifact's facts and collect the findings.
//!
//! Rules live one per file in `rules/`; each names itself, explains itself in its `Rule`
//! and returns findings. Adding a rule is one file plus one line in [`RULES`].

mod facts;
mod finding;
pub mod rules;

pub use facts::{Facts, NameSource, Origin, VersionSource};
pub use finding::{Finding, Location, Rule, Severity};

use serde::Serialize;

use crate::inspect::{BinaryFormat, LookupOutcome, SliceReport};

/// A rule: its documentation and its check.
pub struct RuleEntry {
    pub rule: &'static Rule,
    pub check: fn(&Facts) -> Vec<Finding>,
}

/// Every rule, in id order.
pub const RULES: &[RuleEntry] = &[
    RuleEntry {
        rule: &rules::missing_module_hook::RULE,
        check: rules::missing_module_hook::check,
    },
    RuleEntry {
        rule: &rules::hook_needs_python_3_15::RULE,
        check: rules::hook_needs_python_3_15::check,
    },
    RuleEntry {
        rule: &rules::not_a_shared_library::RULE,
        check: rules::not_a_shared_library::check,
    },
    RuleEntry {
        rule: &rules::invalid_module_name::RULE,
        check: rules::invalid_module_name::check,
    },
    RuleEntry {
        rule: &rules::unimportable_file_name::RULE,
        check: rules::unimportable_file_name::check,
    },
    RuleEntry {
        rule: &rules::forwarded_hook::RULE,
        check: rules::forwarded_hook::check,
    },
    RuleEntry {
        rule: &rules::skipped_file::RULE,
        check: rules::skipped_file::check,
    },
    RuleEntry {
        rule: &rules::module_name_typo::RULE,
        check: rules::module_name_typo::check,
    },
];

/// Finds a rule by id (`PYI001`) or name (`missing-module-hook`), case-insensitively.
pub fn find_rule(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .map(|entry| entry.rule)
        .find(|rule| rule.id.eq_ignore_ascii_case(key) || rule.name.eq_ignore_ascii_case(key))
}

/// The overall outcome for one artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No error-level finding.
    Pass,
    Fail,
    /// A directory-scan file that is no binary we can read (see PYI007).
    Skipped,
}

/// Runs every rule; findings come out worst first, then in rule order.
pub fn evaluate(facts: &Facts) -> (Verdict, Vec<Finding>) {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .flat_map(|entry| (entry.check)(facts))
        .collect();
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let verdict = if findings.iter().any(|f| f.severity == Severity::Error) {
        Verdict::Fail
    } else if facts.inspection.is_err() {
        Verdict::Skipped
    } else {
        Verdict::Pass
    };
    (verdict, findings)
}

/// How `symbol` fared in `slice` (missing when it was not looked up at all).
pub(crate) fn outcome<'a>(slice: &'a SliceReport, symbol: &str) -> &'a LookupOutcome {
    static NOT_LOOKED_UP: LookupOutcome = LookupOutcome::Missing(String::new());
    slice
        .lookups
        .iter()
        .find(|(name, _)| name == symbol)
        .map(|(_, outcome)| outcome)
        .unwrap_or(&NOT_LOOKED_UP)
}

/// "arm64 slice: " for a fat file, nothing for a thin one.
pub(crate) fn slice_prefix(format: BinaryFormat, slice: &SliceReport) -> String {
    if format == BinaryFormat::MachOFat {
        format!("{} slice: ", slice.arch)
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule file must be registered: a rule that never runs is a silent gap.
    #[test]
    fn every_rule_file_is_registered_once_with_a_unique_id() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/judge/rules");
        let files = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".rs") && name != "mod.rs")
            .count();
        assert_eq!(RULES.len(), files, "a rule file is missing from RULES");
        let mut ids: Vec<&str> = RULES.iter().map(|e| e.rule.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "duplicate rule id");
    }
}
