//! The part of a slice's imports that CPython provides: what the interpreter rules judge.

use std::borrow::Cow;

use crate::capi::{self, Availability, Row};
use crate::inspect::{BinaryFormat, InspectError, SliceView};
use crate::python::PythonVersion;

/// One C-API symbol the slice needs bound to load.
pub struct CpythonImport<'a> {
    /// Borrowed from the file, as the slice's imports are.
    pub name: Cow<'a, str>,
    pub row: &'static Row,
    /// Imported from a Windows DLL (`python312.dll`, `python3.dll`).
    pub from_dll: bool,
}

impl CpythonImport<'_> {
    /// Whether `version` exports it on the platform the import is for. The table's library
    /// columns were read on Linux, so a Windows-only symbol (`PyErr_SetFromWindowsErr`) is
    /// judged for a DLL import by the stable ABI alone.
    pub fn on(&self, version: PythonVersion) -> Availability {
        if self.from_dll && self.row.windows_only() {
            return self.row.on_stable_abi(version);
        }
        self.row.on(version)
    }
}

/// What the import of a module lacking `symbol` raises, as each platform words it.
pub fn load_failure(format: BinaryFormat, symbol: &str) -> String {
    match format {
        BinaryFormat::Elf => format!("`undefined symbol: {symbol}`"),
        BinaryFormat::Pe => "`DLL load failed … The specified procedure could not be found`".into(),
        BinaryFormat::MachO | BinaryFormat::MachOFat => format!("`symbol not found … _{symbol}`"),
    }
}

/// Whether a PE import comes from CPython's DLL: `python3.dll` (the stable ABI) or
/// `python3X.dll` / `python3Xt.dll`.
pub fn is_python_dll(library: &str) -> bool {
    let lower = library.to_ascii_lowercase();
    lower
        .strip_prefix("python3")
        .and_then(|rest| rest.strip_suffix(".dll"))
        .is_some_and(|tag| tag.bytes().all(|b| b.is_ascii_digit() || b == b't'))
}

/// `libpython3.12.so.1.0`, `libpython3.13t.so`, `@rpath/libpython3.12.dylib`,
/// `/Library/Frameworks/Python.framework/Versions/3.12/Python`.
pub fn is_libpython(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.strip_prefix("libpython")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        || name.contains("Python.framework/")
}

/// The strong imports of `slice` that some CPython is known to export or to declare stable,
/// once each, by name. A weak reference is left out: the loader binds it to null and the
/// module loads. A `Py*` name the table does not know (another library's, or one newer than
/// the data) is left out too: no verdict is better than a guessed one.
pub fn cpython_imports<'a>(slice: &SliceView<'a>) -> Result<Vec<CpythonImport<'a>>, InspectError> {
    let mut found: Vec<CpythonImport> = Vec::new();
    for import in slice.imported_symbols()?.iter() {
        if !import.is_strong() || !capi::is_cpython_name(&import.name) {
            continue;
        }
        // A PE import names its DLL: a `Py*` name from another DLL is not CPython's.
        if import
            .library
            .as_deref()
            .is_some_and(|dll| !is_python_dll(dll))
        {
            continue;
        }
        let Some(row) = capi::row(&import.name) else {
            continue;
        };
        found.push(CpythonImport {
            name: import.name.clone(),
            row,
            from_dll: import.library.is_some(),
        });
    }
    found.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    found.dedup_by(|a, b| a.name == b.name);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::is_python_dll;

    #[test]
    fn python_dlls_are_told_apart() {
        for dll in ["python3.dll", "PYTHON312.DLL", "python313t.dll"] {
            assert!(is_python_dll(dll), "{dll}");
        }
        for dll in [
            "kernel32.dll",
            "python3x.dll",
            "libpython3.12.so",
            "vcruntime140.dll",
        ] {
            assert!(!is_python_dll(dll), "{dll}");
        }
    }
}
