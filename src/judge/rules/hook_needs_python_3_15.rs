//! PYI002 hook-needs-python-3.15: only `PyModExport_<m>` is exported, so the module imports
//! on CPython 3.15 and later but not on older interpreters it may be meant for.
//!
//! When every targeted interpreter is older than 3.15 the module cannot import at all and
//! PYI001 reports it instead; this rule covers the partial and the unknown cases.

use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, HookLookups, Rule, Severity};
use crate::python::ModExportCoverage;

pub static RULE: Rule = Rule {
    id: "PYI002",
    name: "hook-needs-python-3.15",
    summary: "Only PyModExport_<module> is exported: the module imports on CPython 3.15+ only.",
    help: "PEP 793 lets CPython 3.15 and later look up `PyModExport_<module>`; older versions look \
up only `PyInit_<module>`. A module exporting only the former fails to import on CPython 3.14 and \
older with `ImportError: dynamic module does not define module export function`.\n\n\
If the module is meant for 3.15+ only, name that in the file suffix (`.abi3t.so`, \
`.cpython-315-...`) or pass `--python 3.15`. Otherwise export `PyInit_<module>` as well.",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Ok(hooks) = facts.hooks else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let found = HookLookups::of(slice, hooks)?;
        if found.init.is_resolvable() || !found.mod_export.is_resolvable() {
            continue;
        }
        let not_importing_on = match facts.artifact.identity.python.mod_export_coverage() {
            ModExportCoverage::Partial(versions) => format!("CPython {versions}"),
            ModExportCoverage::Unknown => "CPython 3.14 and older".to_string(),
            ModExportCoverage::All | ModExportCoverage::None(_) => continue,
        };
        let message = format!(
            "{}Module `{}` imports on CPython 3.15+ only: it exports `{}` but not `{}`, so {not_importing_on} cannot import it.",
            facts.slice_prefix(slice),
            hooks.module,
            hooks.mod_export,
            hooks.init
        );
        findings.push(
            Finding::new(&RULE, message)
                .help("Declare the interpreters with --python (e.g. --python 3.15) or export PyInit_ as well.")
                .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}
