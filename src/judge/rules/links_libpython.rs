//! PYI013 links-libpython: an ELF or Mach-O extension module names CPython's own library as a
//! dependency, which the interpreter importing it already provides — or does not have at all.

use crate::inspect::{BinaryFormat, InspectError};
use crate::judge::cpython_imports::is_libpython;
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI013",
    name: "links-libpython",
    summary: "The module links libpython (DT_NEEDED / LC_LOAD_DYLIB) instead of taking CPython's symbols from the interpreter.",
    help: "On Linux and macOS an extension module leaves CPython's functions undefined and the \
loader binds them to the interpreter that imports it. A module that also names \
`libpython3.X.so` (ELF `DT_NEEDED`) or `Python.framework` / `libpython3.X.dylib` (Mach-O \
`LC_LOAD_DYLIB`) makes the loader find that library first: where it is missing — interpreters \
linked statically, such as the manylinux images' and Debian's `python3` — the import fails with \
`libpython3.X.so.1.0: cannot open shared object file`; where another installation's copy is \
found first, the module binds to that one. auditwheel refuses such wheels for manylinux.\n\n\
Android and iOS are the exception: there the app embeds CPython as a library and every \
module links it (PEP 738, PEP 730), so a module promised to either is left alone.\n\n\
Rust: PyO3 links libpython unless it is told it builds an extension module. maturin tells it \
(it sets `PYO3_BUILD_EXTENSION_MODULE`); for a plain `cargo build`, set that variable \
(PyO3 0.29 reads it) or enable PyO3's `extension-module` feature (what older PyO3 needs; \
deprecated in 0.29). C: do not pass `-lpython3.X` \
(`python3-config --ldflags` without `--embed` is what extensions use).",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    if facts.format() == BinaryFormat::Pe {
        // Every Windows module imports python3X.dll by name: PYI014 checks which one.
        return Ok(Vec::new());
    }
    // Android and iOS modules link libpython by design (PEP 738, PEP 730).
    let platform = &facts.artifact.identity.platform;
    if platform
        .claims
        .iter()
        .any(|claim| claim.os.links_libpython())
    {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let needed = slice.needed_libraries()?;
        let Some(library) = needed.iter().find(|library| is_libpython(&library.name)) else {
            continue;
        };
        let command = match facts.format() {
            BinaryFormat::Elf => "DT_NEEDED",
            _ if library.weak => "LC_LOAD_WEAK_DYLIB",
            _ => "LC_LOAD_DYLIB",
        };
        findings.push(
            Finding::new(
                &RULE,
                format!(
                    "{}Module `{}` links `{}` ({command}): it fails to import wherever that library is not installed (interpreters linked statically, as in the manylinux images), and elsewhere binds to whichever copy the loader finds first.",
                    facts.slice_prefix(slice),
                    facts.artifact.identity.name,
                    library.name,
                ),
            )
            .help("Build with maturin, or set PYO3_BUILD_EXTENSION_MODULE=1 for cargo build (or enable PyO3's `extension-module` feature), so the module takes CPython's symbols from the interpreter that imports it.")
            .slice(Some(slice.arch())),
        );
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use crate::judge::cpython_imports::is_libpython;

    #[test]
    fn libpython_in_every_spelling() {
        for name in [
            "libpython3.12.so.1.0",
            "libpython3.13t.so",
            "@rpath/libpython3.12.dylib",
            "/Library/Frameworks/Python.framework/Versions/3.12/Python",
        ] {
            assert!(is_libpython(name), "{name}");
        }
        for name in ["libc.so.6", "/usr/lib/libSystem.B.dylib", "libpythonic.so"] {
            assert!(!is_libpython(name), "{name}");
        }
    }
}
