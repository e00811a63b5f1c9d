//! Whether a file is an extension module at all, decided by what it holds, not by its name
//! (docs/loader-rules.md §9).
//!
//! Packages ship shared libraries that no import statement loads: cffi, ctypes and uniffi
//! open them by path (pycryptodome names its ctypes libraries `_raw_aes.abi3.so`, trying each
//! extension suffix). No hook is looked up in them, so none is needed. A module, on the
//! other hand, leaves traces a mis-named or broken build keeps: a `PyInit_*`/`PyModExport_*`
//! symbol in some form (exported, hidden, local, only referenced, private extern), imports
//! of CPython's C API, or a link to libpython. Naming the module or its Python
//! (`--module-name`, `--python`) or building it from a cargo project with PyO3 bindings is
//! explicit intent: such a file is judged as a module even with no trace at all (a PyO3
//! crate whose `#[pymodule]` was compiled out).

use std::fmt;

use super::Facts;
use super::cpython_imports::{is_libpython, is_python_dll};
use crate::capi;
use crate::inspect::InspectError;
use crate::model::{NameSource, VersionSource};

/// What a file is to CPython.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// An extension module: every rule judges it.
    Module(Evidence),
    /// A library its package loads by path: nothing for CPython's loader to look up.
    LoadedByPath,
}

/// Why a file is taken for an extension module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The user or the build says so: `--module-name`, `--python`, a cargo project.
    Claimed,
    /// No table the loader could search: only the rules can say what is wrong with it.
    Unsearchable,
    /// A hook-named symbol, in whatever form.
    Hook(String),
    /// An import of CPython's C API.
    CApiImport(String),
    /// A link to CPython's own library.
    LinksLibpython(String),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Claimed => f.write_str("named as a module by the command line or the build"),
            Evidence::Unsearchable => f.write_str("no searchable table"),
            Evidence::Hook(symbol) => write!(f, "mentions `{symbol}`"),
            Evidence::CApiImport(symbol) => write!(f, "imports `{symbol}` from CPython"),
            Evidence::LinksLibpython(library) => write!(f, "links `{library}`"),
        }
    }
}

/// Decides the artifact's role. The common case costs one targeted lookup: the module's own
/// hook, which PYI001 then reuses; the scans run only for a file without it.
pub fn role(facts: &Facts) -> Result<Role, InspectError> {
    let identity = &facts.artifact.identity;
    let claimed = identity.name_source == NameSource::CommandLine
        || identity.overridden.is_some()
        || identity.python_source == VersionSource::CommandLine
        || facts.artifact.crate_context.is_some();
    if claimed {
        return Ok(Role::Module(Evidence::Claimed));
    }
    let mut slices = facts.shared_libraries().peekable();
    // A file with no loadable slice at all is no library either: the rules say why.
    if slices.peek().is_none() {
        return Ok(Role::Module(Evidence::Unsearchable));
    }
    for slice in slices {
        if !slice.has_searchable_exports() {
            return Ok(Role::Module(Evidence::Unsearchable));
        }
        if let Ok(hooks) = facts.hooks {
            for symbol in [&hooks.init, &hooks.mod_export] {
                if slice.lookup(symbol)?.is_resolvable() {
                    return Ok(Role::Module(Evidence::Hook(symbol.clone())));
                }
            }
        }
        if let Some(symbol) = slice.mentioned_hooks()?.into_iter().next() {
            return Ok(Role::Module(Evidence::Hook(symbol)));
        }
        let imports = slice.imported_symbols()?;
        let capi_import = imports.iter().find(|import| {
            capi::is_cpython_name(&import.name)
                && import.library.as_deref().is_none_or(is_python_dll)
        });
        if let Some(import) = capi_import {
            return Ok(Role::Module(Evidence::CApiImport(import.name.to_string())));
        }
        let needed = slice.needed_libraries()?;
        let python = needed
            .iter()
            .find(|library| is_libpython(&library.name) || is_python_dll(&library.name));
        if let Some(library) = python {
            return Ok(Role::Module(Evidence::LinksLibpython(library.name.clone())));
        }
    }
    Ok(Role::LoadedByPath)
}
