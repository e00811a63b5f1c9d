//! PYI003 not-a-shared-library: the file is a well-formed binary of a kind CPython cannot
//! load as an extension module (object file, executable).

use crate::inspect::{InspectError, ObjectKind};
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI003",
    name: "not-a-shared-library",
    summary: "The file is an object file, executable or other binary, not a shared library.",
    help: "CPython loads extension modules with `dlopen`/`LoadLibrary`, which accept shared \
libraries only. A relocatable object (`.o`) or an executable renamed to `.so`/`.pyd` cannot be \
imported. Build the crate as a `cdylib`:\n\n```toml\n[lib]\ncrate-type = [\"cdylib\"]\n```\n\n\
and check the file cargo wrote to `target/<profile>/` (`libfoo.so`, `libfoo.dylib`, `foo.dll`).",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    Ok(facts
        .binary
        .slices
        .iter()
        .filter(|slice| *slice.kind() != ObjectKind::SharedLibrary)
        .map(|slice| {
            let what = slice.kind().describe();
            let help = match slice.kind() {
                ObjectKind::Relocatable => {
                    "This is an object file: link it into a shared library (cdylib)."
                }
                ObjectKind::Executable => {
                    "This is a program: build the crate with [lib] crate-type = [\"cdylib\"]."
                }
                _ => "Build the crate with [lib] crate-type = [\"cdylib\"].",
            };
            let message = format!(
                "{}Not a shared library: this {} {what} cannot be loaded as an extension module.",
                facts.slice_prefix(slice),
                facts.format().describe()
            );
            Finding::new(&RULE, message)
                .help(help)
                .slice(Some(slice.arch()))
        })
        .collect())
}
