//! PYI002 hook-needs-python-3.15: only `PyModExport_<m>` is exported, so the module imports
//! on CPython 3.15 and later but not on older interpreters it may be meant for.
//!
//! When every targeted interpreter is older than 3.15 the module cannot import at all and
//! PYI001 reports it instead; this rule covers the partial and the unknown cases.

use crate::inspect::ObjectKind;
use crate::judge::{Facts, Finding, Rule, Severity, outcome, slice_prefix};
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

pub fn check(facts: &Facts) -> Vec<Finding> {
    let (Ok(hooks), Ok(inspection)) = (&facts.hooks, &facts.inspection) else {
        return Vec::new();
    };
    let not_importing_on = match facts.python.mod_export_coverage() {
        ModExportCoverage::Partial(versions) => format!("CPython {versions}"),
        ModExportCoverage::Unknown => "CPython 3.14 and older".to_string(),
        ModExportCoverage::All | ModExportCoverage::None(_) => return Vec::new(),
    };
    inspection
        .slices
        .iter()
        .filter(|slice| slice.kind == ObjectKind::SharedLibrary)
        .filter(|slice| {
            !outcome(slice, &hooks.init).is_resolvable() && outcome(slice, &hooks.mod_export).is_resolvable()
        })
        .map(|slice| {
            let message = format!(
                "{}Module `{}` imports on CPython 3.15+ only: it exports `{}` but not `{}`, so {not_importing_on} cannot import it.",
                slice_prefix(inspection.format, slice),
                hooks.module,
                hooks.mod_export,
                hooks.init
            );
            Finding::new(&RULE, message)
                .help("Declare the interpreters with --python (e.g. --python 3.15) or export PyInit_ as well.")
                .slice(Some(&slice.arch))
        })
        .collect()
}
