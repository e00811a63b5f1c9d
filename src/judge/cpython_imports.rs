//! The part of a slice's imports that CPython provides: what the interpreter rules judge.

use crate::capi::{self, Row};
use crate::inspect::{InspectError, SliceView};

/// One C-API symbol the slice needs bound to load.
pub struct CpythonImport {
    pub name: String,
    pub row: &'static Row,
}

/// The strong imports of `slice` that some CPython is known to export or to declare stable,
/// once each, by name. A weak reference is left out: the loader binds it to null and the
/// module loads. A `Py*` name the table does not know (another library's, or one newer than
/// the data) is left out too: no verdict is better than a guessed one.
pub fn cpython_imports(slice: &SliceView<'_>) -> Result<Vec<CpythonImport>, InspectError> {
    let mut found: Vec<CpythonImport> = Vec::new();
    for import in slice.imported_symbols()?.iter() {
        if !import.is_strong() || !capi::is_cpython_name(&import.name) {
            continue;
        }
        let Some(row) = capi::row(&import.name) else {
            continue;
        };
        found.push(CpythonImport {
            name: import.name.clone(),
            row,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found.dedup_by(|a, b| a.name == b.name);
    Ok(found)
}
