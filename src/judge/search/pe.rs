//! The Windows loader's search for an imported DLL when CPython loads an extension
//! (`LoadLibraryExW` with `LOAD_LIBRARY_SEARCH_DEFAULT_DIRS | LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR`):
//! API sets and KnownDLLs first, then the loading DLL's own directory, the directories added
//! with `os.add_dll_directory` (delvewheel's `<dist>.libs`), and System32. `PATH` and the
//! current directory are not searched. CPython's own DLLs (`python3.dll`, `python3X.dll`,
//! `vcruntime140.dll`, `vcruntime140_1.dll`) are already loaded by the interpreter.

use super::{Guarantee, Missing, Resolution, Route, directory_of, holds, join};
use crate::inspect::{InspectError, SliceView};
use crate::judge::Facts;
use crate::libraries::{WindowsDll, windows_dll};
use crate::platform::Machine;

pub fn resolve(facts: &Facts, slice: &SliceView<'_>) -> Result<Vec<Resolution>, InspectError> {
    let needed = slice.needed_libraries()?;
    let machine = slice.machine().unwrap_or(Machine::X86_64);
    let placement = facts.artifact.placement.as_ref();
    let mut resolutions = Vec::new();
    for library in needed.iter() {
        let name = &library.name;
        // `ext-ms-*` names are API sets too (delvewheel's lists only name `api-*`).
        let kind = if name.to_ascii_lowercase().starts_with("ext-ms-") {
            WindowsDll::ApiSet
        } else {
            windows_dll(name, machine)
        };
        let route = match kind {
            WindowsDll::PythonDll => Route::Python,
            WindowsDll::ApiSet | WindowsDll::KnownOrSystem | WindowsDll::UniversalCrt => {
                Route::Platform(Guarantee::WindowsSystem)
            }
            WindowsDll::ShipsWithPython => Route::Platform(Guarantee::ShipsWithPython),
            WindowsDll::NotSystem => match placement {
                None => Route::Unjudged,
                Some(placement) => {
                    let beside = directory_of(placement).to_string();
                    let dirs: Vec<String> = std::iter::once(beside)
                        .chain(placement.neighbourhood.dll_directories.iter().cloned())
                        .collect();
                    let found = dirs
                        .iter()
                        .filter_map(|dir| join(dir, name))
                        .find(|path| holds(placement, path, true));
                    match found {
                        Some(path) => Route::Vendored(path),
                        None => Route::Missing(Missing::NotShipped { searched: dirs }),
                    }
                }
            },
        };
        resolutions.push(Resolution {
            library: name.clone(),
            route,
        });
    }
    Ok(resolutions)
}
