//! glibc's search for a `DT_NEEDED` name (`elf/dl-load.c`, `_dl_map_object`): a name with a
//! `/` is a path; otherwise the needer's `DT_RPATH` (only when it has no `DT_RUNPATH`), then
//! `LD_LIBRARY_PATH`, then its `DT_RUNPATH`, then the system's cache and default directories.
//! `$ORIGIN` is the needer's own directory. Inside a wheel only the needer's own search paths
//! can lead; the system part is what the wheel's policy guarantees (auditwheel's
//! `lib_whitelist`, for manylinux, musllinux and Android alike).

use super::{Guarantee, Missing, Resolution, Route, directory_of, holds, join};
use crate::inspect::{InspectError, SearchPathKind, SliceView};
use crate::judge::Facts;
use crate::judge::claims::libc_of;
use crate::judge::cpython_imports::is_libpython;
use crate::libraries::{LinuxPolicy, linux_policy};
use crate::model::ArtifactKind;
use crate::platform::{Os, Version};

pub fn resolve(facts: &Facts, slice: &SliceView<'_>) -> Result<Vec<Resolution>, InspectError> {
    let needed = slice.needed_libraries()?;
    if needed.is_empty() {
        return Ok(Vec::new());
    }
    let search = slice.search_paths()?;
    let has_runpath = search.iter().any(|p| p.kind == SearchPathKind::Runpath);
    // DT_RPATH counts only without DT_RUNPATH; the two are searched in this order anyway.
    let dirs: Vec<&str> = search
        .iter()
        .filter(|p| p.kind == SearchPathKind::Runpath || !has_runpath)
        .map(|p| p.path.as_str())
        .collect();
    let system = System::of(facts, slice)?;
    let mut resolutions = Vec::new();
    for library in needed.iter() {
        let name = &library.name;
        let route = if is_libpython(name) {
            Route::Python
        } else if is_c_library(name) {
            // Which C library, and whether the promise names it, is PYI016's to judge.
            Route::CLibrary
        } else if let Some(route) = in_tree(facts, &dirs, name) {
            route
        } else if let Some(route) = inherited(facts, has_runpath, name) {
            route
        } else if let Some(guarantee) = system.guarantees(name) {
            Route::Platform(guarantee)
        } else if facts.artifact.placement.is_none() || !system.promised() {
            Route::Unjudged
        } else {
            Route::Missing(Missing::NotShipped {
                searched: searched_dirs(facts, &dirs),
            })
        };
        resolutions.push(Resolution {
            library: name.clone(),
            route,
        });
    }
    Ok(resolutions)
}

/// The file `name` resolves to through the needer's search paths, inside its wheel or tree.
fn in_tree(facts: &Facts, dirs: &[&str], name: &str) -> Option<Route> {
    let placement = facts.artifact.placement.as_ref()?;
    searched_dirs(facts, dirs)
        .into_iter()
        .filter_map(|dir| join(&dir, name))
        .find(|path| holds(placement, path, false))
        .map(Route::Vendored)
}

/// glibc's, musl's (as Alpine installs it) and bionic's (and musl's own) `libc.so`, and the
/// dynamic loaders that come with them.
fn is_c_library(name: &str) -> bool {
    name == "libc.so.6"
        || name == "libc.so"
        || name.starts_with("libc.musl-")
        || name.starts_with("ld-linux")
        || name.starts_with("ld64.so")
        || name.starts_with("ld-musl")
}

/// glibc also searches the `DT_RPATH` of every object that loaded the needer (unless the
/// needer has a `DT_RUNPATH`): the module whose `DT_RPATH` reached a vendored library reaches
/// that library's siblings too, which is how older auditwheel repairs (no search path on the
/// vendored libraries themselves) load. Who loads a library is not known here, so a library
/// without `DT_RUNPATH` is taken to find a need that lies beside it.
fn inherited(facts: &Facts, has_runpath: bool, name: &str) -> Option<Route> {
    if has_runpath || facts.artifact.kind != ArtifactKind::Library {
        return None;
    }
    let placement = facts.artifact.placement.as_ref()?;
    let path = join(directory_of(placement), name)?;
    holds(placement, &path, false).then_some(Route::Vendored(path))
}

/// The needer's search directories that lie in its wheel or tree, as paths there.
fn searched_dirs(facts: &Facts, dirs: &[&str]) -> Vec<String> {
    let Some(placement) = facts.artifact.placement.as_ref() else {
        return Vec::new();
    };
    let origin = directory_of(placement);
    dirs.iter()
        .filter_map(|dir| {
            let relative = dir
                .strip_prefix("$ORIGIN")
                .or_else(|| dir.strip_prefix("${ORIGIN}"))?;
            join(origin, relative)
        })
        .collect()
}

/// What the system a module is promised to provides.
#[derive(Debug, Clone, Copy)]
enum System {
    /// The policy a claim (a tag, a suffix, a target) promises.
    Policy(&'static LinuxPolicy),
    /// No claim promises one: the newest policy of the C library the binary links, which
    /// tells what any system provides but promises nothing about the rest (a `linux_x86_64`
    /// wheel, a cargo output).
    Inferred(&'static LinuxPolicy),
    Unknown,
}

impl System {
    /// The strictest promise: the lowest policy any claim names. A claim that names a C
    /// library but no floor (a `-linux-gnu` suffix) takes the newest policy of that library;
    /// with no claim at all (a cargo output), the C library the binary links decides.
    fn of(facts: &Facts, slice: &SliceView<'_>) -> Result<System, InspectError> {
        let newest = Version::new(u16::MAX, 0);
        let claims = &facts.artifact.identity.platform.claims;
        let strictest = claims
            .iter()
            .filter(|claim| matches!(claim.os, Os::Linux | Os::Android))
            .filter_map(|claim| Some((claim.libc?, claim.floor)))
            .min_by_key(|(_, floor)| floor.unwrap_or(newest));
        if let Some((libc, floor)) = strictest {
            let policy = linux_policy(libc, floor.unwrap_or(newest));
            return Ok(policy.map_or(System::Unknown, System::Policy));
        }
        Ok(match libc_of(slice)? {
            Some([libc]) => linux_policy(*libc, newest).map_or(System::Unknown, System::Inferred),
            _ => System::Unknown,
        })
    }

    /// Whether a claim promises this system, so that a library it lacks is a defect.
    fn promised(self) -> bool {
        matches!(self, System::Policy(_))
    }

    fn guarantees(self, name: &str) -> Option<Guarantee> {
        match self {
            System::Policy(policy) | System::Inferred(policy) if policy.guarantees(name) => {
                Some(Guarantee::Policy(policy.name))
            }
            _ => None,
        }
    }
}
