//! Whether a file is an extension module at all (docs/loader-rules.md §9).
//!
//! cffi, ctypes and uniffi load plain shared libraries by path; maturin ships them in wheels
//! beside the Python code that loads them (`pkg/libfoo.so`). No hook is looked up, so none is
//! needed. The line is drawn where it cannot let a mis-named PyO3 module through: maturin
//! always names an extension module with a Python tag (`.cpython-312-x86_64-linux-gnu.so`,
//! `.abi3.so`, `.pyd`), and a build from a cargo project is judged by its bindings instead.
//! So only a file with an untagged name (`libfoo.so`, `foo.so`, `.dylib`, `.dll`), no cargo
//! project behind it and not one `PyInit_*`/`PyModExport_*` export in any slice is a plain
//! library. A file exporting some other module's hook is still judged: that is the classic
//! mis-named module. Naming the module or its Python (`--module-name`, `--python`) claims
//! the file is one, and it is judged.

use super::Facts;
use crate::inspect::InspectError;
use crate::model::{NameSource, VersionSource};

/// True when the artifact is a plain shared library, with nothing for a loader to look up.
pub fn is_plain_library(facts: &Facts) -> Result<bool, InspectError> {
    let identity = &facts.artifact.identity;
    let claimed = identity.name_source == NameSource::CommandLine
        || identity.overridden.is_some()
        || identity.python_source == VersionSource::CommandLine;
    if claimed || identity.python_tagged_name || facts.artifact.crate_context.is_some() {
        return Ok(false);
    }
    for slice in facts.shared_libraries() {
        // No searchable table: no loader could find anything; the rules explain that.
        if !slice.has_searchable_exports() {
            return Ok(false);
        }
        // The module's own hook, found by the targeted lookup (which PYI001 then reuses),
        // settles it without a pass over every export.
        if let Ok(hooks) = facts.hooks
            && (slice.lookup(&hooks.init)?.is_resolvable()
                || slice.lookup(&hooks.mod_export)?.is_resolvable())
        {
            return Ok(false);
        }
        if !slice.exported_hooks()?.is_empty() {
            return Ok(false);
        }
    }
    // A file with no loadable slice at all is not a library either: the rules say why.
    Ok(facts.shared_libraries().next().is_some())
}
