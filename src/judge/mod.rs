//! Judge: run every rule over an artifact's facts and collect the findings.
//!
//! Rules live one per file in `rules/`; each names itself, explains itself in its `Rule`
//! and returns findings. Adding a rule is one file plus one line in [`RULES`]. Judge reads
//! the artifact model and the opened binary; it knows nothing of how either was found.

mod claims;
mod cpython_imports;
mod facts;
mod finding;
pub mod policy;
mod role;
pub mod rules;
pub mod search;

pub use claims::join;
pub use facts::{Facts, HookLookups};
pub use finding::{FailOn, Finding, Location, Rule, Severity};
pub use policy::{Policy, Suppression};
pub use role::{Evidence, Role, role};

use crate::inspect::InspectError;
use crate::model::ArtifactKind;

/// A rule: its documentation and its check.
pub struct RuleEntry {
    pub rule: &'static Rule,
    pub check: fn(&Facts) -> Result<Vec<Finding>, InspectError>,
    /// Whether it also judges libraries (vendored, or loaded by path): what loading any
    /// shared library needs — its platform, the libraries it needs in turn.
    pub libraries: bool,
}

/// Every rule, in id order.
pub const RULES: &[RuleEntry] = &[
    RuleEntry {
        rule: &rules::missing_module_hook::RULE,
        check: rules::missing_module_hook::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::hook_needs_python_3_15::RULE,
        check: rules::hook_needs_python_3_15::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::not_a_shared_library::RULE,
        check: rules::not_a_shared_library::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::invalid_module_name::RULE,
        check: rules::invalid_module_name::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::unimportable_file_name::RULE,
        check: rules::unimportable_file_name::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::forwarded_hook::RULE,
        check: rules::forwarded_hook::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::module_name_typo::RULE,
        check: rules::module_name_typo::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::module_name_conflict::RULE,
        check: rules::module_name_conflict::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::missing_c_api_symbol::RULE,
        check: rules::missing_c_api_symbol::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::abi3_symbol_outside_stable_abi::RULE,
        check: rules::abi3_symbol_outside_stable_abi::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::platform_mismatch::RULE,
        check: rules::platform_mismatch::check,
        libraries: true,
    },
    RuleEntry {
        rule: &rules::links_libpython::RULE,
        check: rules::links_libpython::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::wrong_python_dll::RULE,
        check: rules::wrong_python_dll::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::glibc_above_tag::RULE,
        check: rules::glibc_above_tag::check,
        libraries: true,
    },
    RuleEntry {
        rule: &rules::libc_mismatch::RULE,
        check: rules::libc_mismatch::check,
        libraries: true,
    },
    RuleEntry {
        rule: &rules::macos_above_tag::RULE,
        check: rules::macos_above_tag::check,
        libraries: true,
    },
    RuleEntry {
        rule: &rules::abi3_on_free_threaded::RULE,
        check: rules::abi3_on_free_threaded::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::wheel_tags_disagree::RULE,
        check: rules::wheel_tags_disagree::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::unknown_platform_tag::RULE,
        check: rules::unknown_platform_tag::check,
        libraries: false,
    },
    RuleEntry {
        rule: &rules::library_not_found::RULE,
        check: rules::library_not_found::check,
        libraries: true,
    },
    RuleEntry {
        rule: &rules::runtime_above_policy::RULE,
        check: rules::runtime_above_policy::check,
        libraries: true,
    },
];

/// Ids that were used once and are never to be reused.
pub const RETIRED_RULE_IDS: &[&str] = &[
    // PYI007 skipped-file: a module file that is no binary is now an input that could not be
    // checked (exit 2), not a warning.
    "PYI007",
];

/// Finds a rule by id (`PYI001`) or name (`missing-module-hook`), case-insensitively.
pub fn find_rule(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .map(|entry| entry.rule)
        .find(|rule| rule.id.eq_ignore_ascii_case(key) || rule.name.eq_ignore_ascii_case(key))
}

/// [`find_rule`], or an error that names the key and the rule it was probably meant to be.
pub fn lookup_rule(key: &str) -> Result<&'static Rule, UnknownRule> {
    find_rule(key).ok_or_else(|| {
        let names = RULES.iter().flat_map(|e| [e.rule.id, e.rule.name]);
        let retired = RETIRED_RULE_IDS
            .iter()
            .any(|id| id.eq_ignore_ascii_case(key));
        UnknownRule {
            key: key.to_owned(),
            retired,
            // A retired id is no typo of its neighbour.
            suggestion: (!retired)
                .then(|| crate::near_miss::suggest(key, names))
                .flatten(),
        }
    })
}

/// A rule id or name that names no rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    pub key: String,
    /// An id that was used once and is no rule any more.
    pub retired: bool,
    pub suggestion: Option<&'static str>,
}

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule `{}`", self.key)?;
        if self.retired {
            f.write_str(" (a retired id)")?;
        }
        if let Some(suggestion) = self.suggestion {
            write!(f, "; did you mean `{suggestion}`?")?;
        }
        f.write_str(" (`pyinit-check --list-rules` lists every rule)")
    }
}

impl std::error::Error for UnknownRule {}

/// Runs every rule; findings come out worst first, then in rule order. A malformed table met
/// on the way is an error for the whole artifact: half a judgement is no verdict.
///
/// `kind` is what the artifact turned out to be: every rule judges a module, the loading
/// rules a library (a vendored one, or a file that shows no trace of a module).
pub fn judge(facts: &Facts, kind: ArtifactKind) -> Result<Vec<Finding>, InspectError> {
    let mut findings = Vec::new();
    for entry in RULES {
        if kind == ArtifactKind::Library && !entry.libraries {
            continue;
        }
        findings.extend((entry.check)(facts)?);
    }
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    Ok(findings)
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
        assert!(
            RULES.iter().all(|e| !RETIRED_RULE_IDS.contains(&e.rule.id)),
            "a retired id was reused"
        );
    }

    #[test]
    fn an_unknown_rule_names_the_key_and_the_near_miss() {
        let error = lookup_rule("missing-modul-hook").unwrap_err();
        assert_eq!(error.suggestion, Some("missing-module-hook"));
        assert!(
            error.to_string().starts_with(
                "unknown rule `missing-modul-hook`; did you mean `missing-module-hook`?"
            )
        );
        assert!(lookup_rule("pyi007").unwrap_err().retired);
        assert_eq!(lookup_rule("pyi001").unwrap().id, "PYI001");
    }
}
