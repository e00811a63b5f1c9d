//! PYI021 library-not-found: a module or a library it loads needs a library that its
//! platform's loader will not find — not in the wheel where the image's own search paths
//! look, and not one the platform guarantees.

use crate::inspect::{BinaryFormat, InspectError};
use crate::judge::search::{self, Missing, Route};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::model::ByteSource;

pub static RULE: Rule = Rule {
    id: "PYI021",
    name: "library-not-found",
    summary: "A library the module (or a library it loads) needs is neither in the wheel where the loader looks nor guaranteed by the platform.",
    help: "Before a module's hook is ever looked up, the loader loads every library it needs, \
and every library those need. A wheel built on a CI machine links what that machine has \
(`libssl.so.3`, Homebrew's `/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib`, `msvcp140.dll`); \
on a user's clean machine the import fails: `ImportError: libssl.so.3: cannot open shared \
object file`, `Library not loaded: …`, `DLL load failed while importing …: The specified module \
could not be found`. The repair tools copy such libraries into the wheel and point the modules \
at them: `auditwheel repair` (Linux, `<dist>.libs/` reached through `$ORIGIN` in `DT_RUNPATH`), \
`delocate-wheel` (macOS, `.dylibs/` through `@loader_path`), `delvewheel repair` (Windows, \
`<dist>.libs/` added with `os.add_dll_directory`).\n\n\
Searched as each loader does: glibc by the needer's `DT_RPATH` (without `DT_RUNPATH`) or \
`DT_RUNPATH` with `$ORIGIN` expanded, then the libraries the wheel's manylinux/musllinux \
policy guarantees (auditwheel's `lib_whitelist`); dyld by `@loader_path`, each `LC_RPATH` for \
`@rpath`, and `/usr/lib` and `/System/Library` (any other absolute path is the build machine's, \
`@executable_path` the interpreter's); Windows by API sets, KnownDLLs and the system's DLLs, \
the DLLs CPython installs (`vcruntime140.dll`), the importing file's own folder and the \
folders delvewheel adds. Weak macOS loads may be absent.\n\n\
Fix: repair the wheel with the platform's tool (cibuildwheel runs them by default), or link \
the library statically.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let cargo_output = matches!(facts.artifact.bytes, ByteSource::Cargo(_));
    let what = facts.subject();
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        for resolution in search::resolve(facts, slice)? {
            let name = &resolution.library;
            let (reason, failure) = match &resolution.route {
                Route::Missing(Missing::NotShipped { searched }) => {
                    let place = if searched.is_empty() {
                        "it has no search path into the wheel".to_string()
                    } else {
                        let dirs: Vec<String> = searched
                            .iter()
                            .map(|dir| format!("`{}/`", if dir.is_empty() { "." } else { dir }))
                            .collect();
                        format!("not in {}", crate::judge::join(&dirs))
                    };
                    (format!("{place}, and the platform does not guarantee it"), load_failure(facts.format(), name))
                }
                Route::Missing(Missing::BuildMachinePath) => (
                    "an absolute path outside the OS: the build machine's".to_string(),
                    load_failure(facts.format(), name),
                ),
                Route::Missing(Missing::ExecutablePath) => (
                    "relative to `@executable_path`, the Python interpreter's folder, never the wheel's".to_string(),
                    load_failure(facts.format(), name),
                ),
                Route::Unjudged if cargo_output => {
                    findings.push(
                        Finding::new(
                            &RULE,
                            format!("{what} links `{name}`, which is neither CPython's nor a library the platform guarantees: the wheel must vendor it."),
                        )
                        .severity(Severity::Note)
                        .help(repair_help(facts.format()))
                        .slice(Some(slice.arch())),
                    );
                    continue;
                }
                _ => continue,
            };
            findings.push(
                Finding::new(
                    &RULE,
                    format!("{}{what} needs `{name}`: {reason}. On a clean system the import fails: {failure}.", facts.slice_prefix(slice)),
                )
                .help(repair_help(facts.format()))
                .slice(Some(slice.arch())),
            );
        }
    }
    Ok(findings)
}

fn load_failure(format: BinaryFormat, library: &str) -> String {
    match format {
        BinaryFormat::Elf => format!("`ImportError: {library}: cannot open shared object file: No such file or directory`"),
        BinaryFormat::MachO | BinaryFormat::MachOFat => format!("`ImportError: dlopen(…): Library not loaded: {library}`"),
        BinaryFormat::Pe => "`ImportError: DLL load failed while importing …: The specified module could not be found`".to_string(),
    }
}

fn repair_help(format: BinaryFormat) -> &'static str {
    match format {
        BinaryFormat::Elf => {
            "Run `auditwheel repair` on the wheel (it copies the library into `<dist>.libs/` and sets `$ORIGIN` search paths), or link it statically."
        }
        BinaryFormat::MachO | BinaryFormat::MachOFat => {
            "Run `delocate-wheel` on the wheel (it copies the library into `.dylibs/` and rewrites the load command to `@loader_path`), or link it statically."
        }
        BinaryFormat::Pe => {
            "Run `delvewheel repair` on the wheel (it copies the DLL into `<dist>.libs/` and adds that folder with `os.add_dll_directory`), or link it statically."
        }
    }
}
