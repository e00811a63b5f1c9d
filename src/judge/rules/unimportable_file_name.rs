//! PYI005 unimportable-file-name: no CPython would import a file of this name, whatever it
//! exports (`libfoo.dylib`, `foo.dll`, `libfoo.so.1`, `foo.abi3.pyd`).

use crate::judge::{Facts, Finding, Origin, Rule, Severity};

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

pub fn check(facts: &Facts) -> Vec<Finding> {
    if facts.importable_name || facts.origin != Origin::Path {
        return Vec::new();
    }
    let file = facts
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let message = format!(
        "No CPython imports a file named `{file}`; it was checked as module `{}`.",
        facts.module
    );
    vec![Finding::new(&RULE, message).help(format!(
        "Rename it to `{}` plus an extension suffix (e.g. `{}.so` or `{}.pyd`), as maturin does when packaging.",
        facts.module, facts.module, facts.module
    ))]
}
