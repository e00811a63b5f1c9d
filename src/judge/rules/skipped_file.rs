//! PYI007 skipped-file: a directory scan found a file named like an extension module that is
//! not a shared library at all; it was skipped rather than stopping the run.

use crate::judge::{Facts, Finding, Origin, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI007",
    name: "skipped-file",
    summary: "A file named like an extension module is not a binary pyinit-check can read; it was skipped.",
    help: "A file whose name makes CPython try to import it as an extension module (`foo.so`, \
`foo.abi3.so`, `foo.pyd`) but whose content is not an ELF, Mach-O or PE shared library (an empty \
file, a text file, a truncated download) makes `import foo` fail. Remove it or rebuild it. When \
the same file is named on the command line, pyinit-check stops with exit code 2 instead.",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Vec<Finding> {
    match (&facts.inspection, facts.origin) {
        (Err(error), Origin::DirectoryScan) => {
            vec![Finding::new(
                &RULE,
                format!("Skipped: named like an extension module, but {error}."),
            )]
        }
        _ => Vec::new(),
    }
}
