//! Where each library an image needs is found, the way its platform's loader searches
//! (docs/loader-rules.md §11): inside the wheel or tree (through the image's own search
//! paths), among what the platform guarantees, or nowhere. One file per loader.

mod elf;
mod macho;
mod pe;

use std::fmt;

use super::Facts;
use crate::inspect::{BinaryFormat, InspectError, SliceView};
use crate::model::Placement;

/// How one needed library is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file of the wheel or tree, at this path.
    Vendored(String),
    /// What the platform guarantees: a policy's library, the OS's own.
    Platform(Guarantee),
    /// CPython's own library or DLL: the interpreter rules judge that link.
    Python,
    /// The C library: which one, and whether the platform promises it, PYI016 judges.
    CLibrary,
    /// A weak dependency that is absent: the image loads without it.
    WeakAbsent,
    /// Found nowhere.
    Missing(Missing),
    /// Nothing to judge it against: no promise names the platform and the image's
    /// neighbours are unknown.
    Unjudged,
}

impl Route {
    /// Stable kebab-case id for machine-readable reports.
    pub fn id(&self) -> &'static str {
        match self {
            Route::Vendored(_) => "in-wheel",
            Route::Platform(_) => "platform",
            Route::Python => "python",
            Route::CLibrary => "c-library",
            Route::WeakAbsent => "weak-absent",
            Route::Missing(_) => "missing",
            Route::Unjudged => "unjudged",
        }
    }

    /// What it resolved to or who guarantees it, when that says more than the id.
    pub fn detail(&self) -> Option<String> {
        match self {
            Route::Vendored(path) => Some(path.clone()),
            Route::Platform(guarantee) => Some(guarantee.to_string()),
            _ => None,
        }
    }
}

/// Who guarantees a library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarantee {
    /// An auditwheel policy's `lib_whitelist` (`manylinux_2_17`, `musllinux_1_2`, `android_24`).
    Policy(&'static str),
    /// macOS (and iOS): `/usr/lib/`, `/System/Library/`.
    AppleSystem,
    /// Windows: API sets, KnownDLLs and the system's own DLLs, the Universal CRT.
    WindowsSystem,
    /// A DLL every CPython for Windows installs beside `python.exe` (`vcruntime140.dll`).
    ShipsWithPython,
}

impl fmt::Display for Guarantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Guarantee::Policy(policy) => write!(f, "guaranteed by {policy}"),
            Guarantee::AppleSystem => f.write_str("part of the OS"),
            Guarantee::WindowsSystem => f.write_str("a Windows system DLL"),
            Guarantee::ShipsWithPython => f.write_str("installed with CPython"),
        }
    }
}

/// Why a library is found nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Not at any place the image's search reaches in its wheel or tree (those places, as
    /// paths there), and not guaranteed by the platform.
    NotShipped { searched: Vec<String> },
    /// An absolute path outside the OS: the build machine's (`/opt/homebrew/...`).
    BuildMachinePath,
    /// `@executable_path/...`: relative to the interpreter, never inside the wheel.
    ExecutablePath,
}

/// One needed library and where the loader finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub library: String,
    pub route: Route,
}

/// Resolves every library `slice` needs.
pub fn resolve(facts: &Facts, slice: &SliceView<'_>) -> Result<Vec<Resolution>, InspectError> {
    match facts.format() {
        BinaryFormat::Elf => elf::resolve(facts, slice),
        BinaryFormat::MachO | BinaryFormat::MachOFat => macho::resolve(facts, slice),
        BinaryFormat::Pe => pe::resolve(facts, slice),
    }
}

/// The directory of the artifact within its neighbourhood (`""` at the root).
fn directory_of(placement: &Placement) -> &str {
    placement.at.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir/relative` with `.` and `..` worked out; `None` when it climbs above the root, out of
/// the wheel or tree.
fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Whether the neighbourhood holds `path` (exactly, or ignoring case on Windows).
fn holds(placement: &Placement, path: &str, ignore_case: bool) -> bool {
    let files = &placement.neighbourhood.files;
    if files.contains(path) {
        return true;
    }
    ignore_case && files.iter().any(|file| file.eq_ignore_ascii_case(path))
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn paths_are_joined_inside_the_root_only() {
        assert_eq!(
            join("numpy/core", "../../numpy.libs").as_deref(),
            Some("numpy.libs")
        );
        assert_eq!(join("", "./x.libs").as_deref(), Some("x.libs"));
        assert_eq!(join("pkg", "../.."), None);
    }
}
