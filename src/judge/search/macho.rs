//! dyld's search for a dylib load command's path (`dyld3/Loader`, `ImageLoader::loadLibrary`):
//! `@loader_path/` is the needer's directory; `@rpath/` tries each of the needer's `LC_RPATH`s
//! (themselves relative to `@loader_path`); `@executable_path/` is the directory of the
//! program, the interpreter, never inside a wheel; an absolute path is used as it is, and only
//! `/usr/lib/` and `/System/Library/` are the OS's. A weak load (`LC_LOAD_WEAK_DYLIB`) may be
//! absent.

use super::{Guarantee, Missing, Resolution, Route, directory_of, holds, join};
use crate::inspect::{InspectError, SliceView};
use crate::judge::Facts;
use crate::judge::cpython_imports::is_libpython;
use crate::model::ArtifactKind;

pub fn resolve(facts: &Facts, slice: &SliceView<'_>) -> Result<Vec<Resolution>, InspectError> {
    let needed = slice.needed_libraries()?;
    let rpaths = slice.search_paths()?;
    let placement = facts.artifact.placement.as_ref();
    let mut resolutions = Vec::new();
    for library in needed.iter() {
        let name = &library.name;
        let route = if is_libpython(name) {
            Route::Python
        } else if name.starts_with("/usr/lib/") || name.starts_with("/System/Library/") {
            Route::Platform(Guarantee::AppleSystem)
        } else if name.starts_with("@executable_path/") {
            Route::Missing(Missing::ExecutablePath)
        } else if name.starts_with('/') {
            Route::Missing(Missing::BuildMachinePath)
        } else if let Some(placement) = placement {
            let origin = directory_of(placement);
            let candidates: Vec<String> = if let Some(rest) = name.strip_prefix("@loader_path/") {
                join(origin, rest).into_iter().collect()
            } else if let Some(rest) = name.strip_prefix("@rpath/") {
                let own = rpaths
                    .iter()
                    .filter_map(|rpath| rpath.path.strip_prefix("@loader_path"))
                    .filter_map(|dir| join(origin, dir));
                // dyld also tries the `LC_RPATH`s of every image that led to this load. Who
                // loads a library is not known when it is judged alone, so a library is
                // taken to reach what lies beside it (the module's `LC_RPATH` that reached
                // it reaches its siblings too, as delocate's `.dylibs` rely on).
                let inherited =
                    (facts.artifact.kind == ArtifactKind::Library).then(|| origin.to_string());
                own.chain(inherited)
                    .filter_map(|dir| join(&dir, rest))
                    .collect()
            } else {
                // A bare name: dyld's fallback directories, none inside the wheel.
                Vec::new()
            };
            match candidates.iter().find(|path| holds(placement, path, false)) {
                Some(path) => Route::Vendored(path.clone()),
                None => Route::Missing(Missing::NotShipped {
                    searched: candidates
                        .iter()
                        .map(|path| path.rsplit_once('/').map_or("", |(d, _)| d).to_string())
                        .collect(),
                }),
            }
        } else {
            Route::Unjudged
        };
        let route = match route {
            Route::Missing(_) if library.weak => Route::WeakAbsent,
            other => other,
        };
        resolutions.push(Resolution {
            library: name.clone(),
            route,
        });
    }
    Ok(resolutions)
}
