//! PYI005 unimportable-file-name: no CPython would import a file of this name, whatever it
//! exports (`libfoo.dylib`, `foo.dll`, `libfoo.so.1`, `foo.abi3.pyd`).

use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::model::Origin;

pub static RULE: Rule = Rule {
    id: "PYI005",
    name: "unimportable-file-name",
    summary: "No CPython imports a file of this name; it was checked as the module it is meant to be.",
    help: "CPython imports `foo` only from `foo` + one of `importlib.machinery.EXTENSION_SUFFIXES`: \
`.cpython-312-x86_64-linux-gnu.so`, `.abi3.so`, `.so` on Linux and macOS (never `.dylib`), \
`.cp312-win_amd64.pyd` or `.pyd` on Windows (never `.dll`). Cargo names its output \
`libfoo.so`/`libfoo.dylib`/`foo.dll`; maturin renames it when it builds the wheel. Rename the file \
(or check the wheel maturin builds) before importing it.",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let artifact = facts.artifact;
    if artifact.identity.importable_file_name || artifact.origin != Origin::Path {
        return Ok(Vec::new());
    }
    let file = artifact
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let module = &artifact.identity.name;
    let message =
        format!("No CPython imports a file named `{file}`; it was checked as module `{module}`.");
    Ok(vec![Finding::new(&RULE, message).help(format!(
        "Rename it to `{module}` plus an extension suffix (e.g. `{module}.so` or `{module}.pyd`), as maturin does when packaging."
    ))])
}
