//! PYI006 forwarded-hook: the hook resolves, but through a forwarder or re-export to another
//! library, which must then be present at import time.

use crate::inspect::LookupOutcome;
use crate::judge::{Facts, Finding, Rule, Severity, slice_prefix};

pub static RULE: Rule = Rule {
    id: "PYI006",
    name: "forwarded-hook",
    summary: "The entry point is forwarded to another library; the import needs that library too.",
    help: "A PE export forwarder (`other.PyInit_foo`) or a Mach-O re-export makes the loader \
resolve the hook in another library. The import works only if that library is found next to the \
module or on the loader's search path; ship it in the wheel.",
    severity: Severity::Note,
};

pub fn check(facts: &Facts) -> Vec<Finding> {
    let (Ok(hooks), Ok(inspection)) = (&facts.hooks, &facts.inspection) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for slice in &inspection.slices {
        for (symbol, outcome) in &slice.lookups {
            if let LookupOutcome::Forwarded(target) = outcome {
                let message = format!(
                    "{}`{symbol}` of module `{}` is forwarded to `{target}`; the import also needs that library.",
                    slice_prefix(inspection.format, slice),
                    hooks.module
                );
                findings.push(Finding::new(&RULE, message).slice(Some(&slice.arch)));
            }
        }
    }
    findings
}
