//! PYI010 missing-c-api-symbol: the module imports a CPython symbol that an interpreter it is
//! meant for does not export, so the loader refuses it there with `undefined symbol`.
//!
//! The targets are the versions the file name, the wheel tag or `--python` names; with none,
//! every interpreter whose exports are known exactly (3.8–3.13) is tried, and the module is
//! reported only when none of them can import it. abi3 modules are PYI011's.

use crate::capi::{self, Availability};
use crate::inspect::{InspectError, SliceView};
use crate::judge::cpython_imports::{CpythonImport, cpython_imports, load_failure};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::python::{PythonTargets, PythonVersion, describe_versions};

pub static RULE: Rule = Rule {
    id: "PYI010",
    name: "missing-c-api-symbol",
    summary: "The module imports a CPython C-API symbol that an interpreter it targets does not export.",
    help: "A compiled module names every C-API function and object it uses as an undefined \
symbol, which the dynamic loader binds to the running interpreter's export when the module is \
loaded. If that interpreter does not export the symbol, loading stops with `ImportError: ... \
undefined symbol: PyFoo` (macOS: `symbol not found`), before any of the module's code runs. The \
C API grows and shrinks between releases: `PyCMethod_New` exists from 3.9, `Py_NewRef` from 3.10, \
`PyType_GetModuleByDef` from 3.11, many private `_Py*` helpers were removed in 3.13, and \
`PyUnstable_Module_SetGIL` exists only in free-threaded builds.\n\n\
The versions checked are those the file suffix (`.cpython-312-...`), the wheel tag \
(`cp312-cp312`) or `--python` name. Without any (cargo's `libfoo.so`, a bare `.pyd`), the \
module is checked against every CPython whose exports pyinit-check knows exactly (3.8–3.13) \
and reported, as a warning, only when none of them can import it; pass `--python` to check \
the versions you ship for.\n\n\
Fix: build one module per interpreter (PyO3/maturin: `-i python3.X` for each, or the \
`abi3-py3X` feature for one stable-ABI module), or avoid the API the older interpreter lacks. A \
weak reference (checked for NULL at run time) is not reported: the loader binds it to null.\n\n\
What is known: exports of CPython 3.8–3.13 (GIL builds, read from real libpython builds), the \
stable ABI of every version, and the symbols 3.13 declares only for free-threaded builds. Any \
other interpreter (3.14+, free-threaded) is checked only where the stable ABI vouches for a \
symbol, so a symbol is never reported missing from it.",
    severity: Severity::Error,
};

/// Per slice, findings beyond this many symbols are folded into one.
const LISTED: usize = 5;

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let identity = &facts.artifact.identity;
    if identity.stable_abi.is_some() {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let imports = cpython_imports(slice)?;
        if imports.is_empty() {
            continue;
        }
        match &identity.python {
            PythonTargets::Versions(targets) => {
                findings.extend(against_targets(facts, slice, &imports, targets));
            }
            PythonTargets::Unknown => findings.extend(importable_range(facts, slice, &imports)),
            PythonTargets::Abi3 | PythonTargets::Abi3t => {}
        }
    }
    Ok(findings)
}

/// The targets that lack `import`.
fn lacking(import: &CpythonImport, targets: &[PythonVersion]) -> Vec<PythonVersion> {
    targets
        .iter()
        .copied()
        .filter(|&v| import.on(v) == Availability::Missing)
        .collect()
}

fn exporters(import: &CpythonImport) -> String {
    import.row.describe_exporters()
}

fn against_targets(
    facts: &Facts,
    slice: &SliceView<'_>,
    imports: &[CpythonImport],
    targets: &[PythonVersion],
) -> Vec<Finding> {
    let prefix = facts.slice_prefix(slice);
    let module = &facts.artifact.identity.name;
    let missing: Vec<(&CpythonImport, Vec<PythonVersion>)> = imports
        .iter()
        .map(|import| (import, lacking(import, targets)))
        .filter(|(_, lacking)| !lacking.is_empty())
        .collect();
    let mut findings: Vec<Finding> = missing
        .iter()
        .take(LISTED)
        .map(|(import, lacking)| {
            let message = format!(
                "{prefix}Module `{module}` imports `{name}`, which CPython {versions} does not export ({first}): importing it there fails with {failure}.",
                name = import.name,
                versions = describe_versions(lacking),
                first = exporters(import),
                failure = load_failure(facts.format(), &import.name),
            );
            Finding::new(&RULE, message)
                .help("Build a separate module for the interpreters that lack it, or stop using the symbol.")
                .slice(Some(slice.arch()))
        })
        .collect();
    if missing.len() > LISTED {
        let rest: Vec<&str> = missing[LISTED..]
            .iter()
            .map(|(import, _)| import.name.as_ref())
            .collect();
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{prefix}Module `{module}` imports {} more CPython symbols that a targeted interpreter does not export: `{}`.",
                    rest.len(),
                    rest.join("`, `")
                ),
            )
            .slice(Some(slice.arch())),
        );
    }
    findings
}

/// Unknown targets: a warning when no exactly known interpreter can import the module (its
/// imports contradict each other, or one exists only in free-threaded builds). A module that
/// imports on some of them was presumably built for those: naming the others would be noise
/// on every `cargo build`, and would make the output depend on the builder's Python.
fn importable_range(
    facts: &Facts,
    slice: &SliceView<'_>,
    imports: &[CpythonImport],
) -> Option<Finding> {
    let known: Vec<PythonVersion> = capi::exactly_known_versions().collect();
    let missing: Vec<(&CpythonImport, Vec<PythonVersion>)> = imports
        .iter()
        .map(|import| (import, lacking(import, &known)))
        .filter(|(_, lacking)| !lacking.is_empty())
        .collect();
    let importable = known
        .iter()
        .any(|v| missing.iter().all(|(_, lacking)| !lacking.contains(v)));
    if importable {
        return None;
    }
    let range = format!("none of CPython {}", describe_versions(&known));
    let reasons: Vec<String> = missing
        .iter()
        .take(LISTED)
        .map(|(import, lacking)| {
            format!(
                "`{}` is missing from {} ({})",
                import.name,
                describe_versions(lacking),
                exporters(import)
            )
        })
        .collect();
    let more = match missing.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    let message = format!(
        "{}Module `{}` imports on {range}: {}{more}.",
        facts.slice_prefix(slice),
        facts.artifact.identity.name,
        reasons.join("; ")
    );
    Some(
        Finding::new(&RULE, message)
            .severity(Severity::Warning)
            .help("No GIL-enabled CPython 3.8–3.13 exports all of these together: unless the module is for free-threaded builds only (then say so with --python 3.13t), it imports nowhere.")
            .slice(Some(slice.arch())),
    )
}
