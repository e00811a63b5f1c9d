//! PYI006 forwarded-hook: the hook resolves, but through a forwarder or re-export to another
//! library, which must then be present at import time.

use crate::inspect::{InspectError, LookupOutcome};
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI006",
    name: "forwarded-hook",
    summary: "The entry point is forwarded to another library; the import needs that library too.",
    help: "A PE export forwarder (`other.PyInit_foo`) or a Mach-O re-export makes the loader \
resolve the hook in another library. The import works only if that library is found next to the \
module or on the loader's search path; ship it in the wheel.",
    severity: Severity::Note,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Ok(hooks) = facts.hooks else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for slice in &facts.binary.slices {
        for symbol in [&hooks.init, &hooks.mod_export] {
            if let LookupOutcome::Forwarded(target) = slice.lookup(symbol)? {
                let message = format!(
                    "{}`{symbol}` of module `{}` is forwarded to `{target}`; the import also needs that library.",
                    facts.slice_prefix(slice),
                    hooks.module
                );
                findings.push(Finding::new(&RULE, message).slice(Some(slice.arch())));
            }
        }
    }
    Ok(findings)
}
