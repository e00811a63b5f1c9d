//! The artifact model: the vocabulary discover resolves and every later stage reads.
//!
//! This module depends on nothing else in the crate but [`crate::python`] and
//! [`crate::platform`]: discover fills
//! these values in completely, the pipeline stages and inspects what they name, judge reads
//! them, and reports render them. No stage refers back to an earlier one.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::platform::PlatformClaims;
use crate::python::{PythonTargets, StableAbi};

mod package;

pub use package::{Bindings, BindingsSource};

/// A place a finding points at: a source line or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based; `None` for the whole file.
    pub line: Option<u32>,
    /// What is at this place ("#[pymodule] fn string_sum", "Cargo.toml [lib] name").
    pub label: String,
}

/// How an artifact came to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line (a file, or a wheel's member when the wheel was named).
    Path,
    /// Found by scanning a directory.
    DirectoryScan,
    /// A cargo build output: its file name is cargo's, the module name comes from the config.
    Cargo,
}

/// Where the module name came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSource {
    /// `--module-name`.
    CommandLine,
    /// What CPython derives from the file name.
    FileName,
    /// A configuration key (`[tool.maturin] module-name`, `[lib] name`, ...).
    Config { key: String, location: Location },
}

impl fmt::Display for NameSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameSource::CommandLine => f.write_str("--module-name"),
            NameSource::FileName => f.write_str("file name"),
            NameSource::Config { key, .. } => f.write_str(key),
        }
    }
}

/// Where the Python versions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSource {
    CommandLine,
    FileSuffix,
    /// The cargo project: PyO3's abi3 features, `PYO3_PYTHON`, `requires-python`.
    Project,
    /// The wheel's file name (`cp312-cp312`, `cp38-abi3`).
    WheelTag,
    None,
}

impl fmt::Display for VersionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VersionSource::CommandLine => "--python",
            VersionSource::FileSuffix => "from the file name",
            VersionSource::Project => "from the cargo project",
            VersionSource::WheelTag => "from the wheel tag",
            VersionSource::None => "unknown",
        })
    }
}

/// One `#[pymodule]` that would export an entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyModuleItem {
    /// The module name PyO3 derives the hook from: the `name = "..."` option when given, else
    /// the item's identifier without `r#`.
    pub name: String,
    /// The item's own identifier (without `r#`).
    pub rust_name: String,
    /// Whether `name` comes from a `name = "..."` option (`#[pyo3(name)]`, `#[pymodule(name)]`),
    /// which is then the text to fix.
    pub renamed: bool,
    /// Where that name is written; the label reads like "#[pymodule] fn string_sum".
    pub location: Location,
}

/// A setting that is probably not doing what its author meant; reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    pub message: String,
    pub location: Location,
}

/// What the crate that built a cargo output says: evidence for messages, never a verdict.
#[derive(Debug, Clone, Default)]
pub struct CrateContext {
    pub pymodules: Vec<PyModuleItem>,
    pub config_warnings: Vec<ConfigWarning>,
}

/// A cargo output and the directories that hold cargo's locks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoOutput {
    /// Where cargo put it: `<target-dir>/[<triple>/]<profile>/lib<name>.so`.
    pub path: PathBuf,
    pub target_dir: PathBuf,
    /// The directory holding cargo's build locks for this file.
    pub profile_dir: PathBuf,
}

/// Where an artifact's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ByteSource {
    /// A file checked where it is.
    File(PathBuf),
    /// A member of a wheel, read from the archive.
    WheelMember { wheel: PathBuf, member: String },
    /// A cargo output, staged before it is mapped.
    Cargo(CargoOutput),
}

/// Which module an artifact is, and for which interpreters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleIdentity {
    /// The module name as given (possibly dotted; the hook uses the last component).
    pub name: String,
    pub name_source: NameSource,
    /// Whether some CPython would import a file of this name at all.
    pub importable_file_name: bool,
    /// A `--module-name` that the file's own name contradicts. CPython goes by the file
    /// name, so that is the name checked, and this one is reported.
    pub overridden: Option<String>,
    pub python: PythonTargets,
    pub python_source: VersionSource,
    /// For an `.abi3`/`.abi3t` file: the stable-ABI promise it makes (its suffix says so even
    /// when `--python` names the versions).
    pub stable_abi: Option<StableAbi>,
    /// Where its names promise it loads: the suffix's platform, the wheel's platform tags,
    /// the cargo target.
    pub platform: PlatformClaims,
}

/// What an artifact is checked as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    /// A file CPython imports: every rule judges it.
    Module,
    /// A library a module or the package loads (vendored in `<dist>.libs/` or `.dylibs/`, or
    /// beside the modules): judged by what its own loading needs — its platform and the
    /// libraries it needs in turn.
    Library,
}

/// The files a loader could find beside an artifact: the other members of its wheel, or
/// the files of the directory tree it was found in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    /// Every file, relative to the wheel's or the scan's root, `/`-separated.
    pub files: BTreeSet<String>,
    /// Directories the package adds to the DLL search path (`os.add_dll_directory`): the
    /// `<dist>.libs` folders delvewheel fills, which hold its `.load-order-*` file.
    pub dll_directories: Vec<String>,
}

/// Where an artifact lies among its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The artifact's own path in [`Neighbourhood::files`].
    pub at: String,
    pub neighbourhood: Arc<Neighbourhood>,
}

/// One thing to check: where its bytes are, and what module it must be.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// For display and reports: the file, or `<wheel>/<member>`.
    pub path: PathBuf,
    pub origin: Origin,
    pub bytes: ByteSource,
    pub identity: ModuleIdentity,
    /// For cargo outputs: the crate's `#[pymodule]` items and configuration warnings.
    pub crate_context: Option<CrateContext>,
    pub kind: ArtifactKind,
    /// Its place among the files of its wheel or scanned tree; `None` for a file named alone
    /// or a cargo output, whose neighbours are not known.
    pub placement: Option<Placement>,
}

impl Artifact {
    /// The wheel a member comes from.
    pub fn wheel(&self) -> Option<&Path> {
        match &self.bytes {
            ByteSource::WheelMember { wheel, .. } => Some(wheel),
            _ => None,
        }
    }

    /// The file that stands for this artifact on disk: the file itself, or its wheel.
    pub fn file_on_disk(&self) -> &Path {
        self.wheel().unwrap_or(&self.path)
    }
}

/// Why an input holds nothing to check (a note, never a failure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NothingToCheck {
    /// A wheel with no extension module: pure Python, scripts or data only.
    NoModulesInWheel,
    /// A cargo package whose bindings make no extension module (cffi, uniffi, bin).
    NotAnExtension {
        package: String,
        bindings: Bindings,
        source: BindingsSource,
    },
    /// A shared library with no trace of a module — no hook-named symbol in any form, no
    /// C-API import, no libpython — whatever its name: what cffi, ctypes and uniffi load by
    /// path (docs/loader-rules.md §9).
    LoadedByPath,
}

impl fmt::Display for NothingToCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NothingToCheck::NoModulesInWheel => f.write_str(
                "no extension modules in this wheel (pure Python, scripts or data): nothing to check",
            ),
            NothingToCheck::NotAnExtension {
                package,
                bindings,
                source,
            } => write!(
                f,
                "package `{package}` has {bindings} bindings ({source}): it builds {} — \
                 nothing to check",
                bindings.what_it_builds()
            ),
            NothingToCheck::LoadedByPath => f.write_str(
                "a library loaded by path (ctypes, cffi, uniffi), not an extension module: no \
                 PyInit_/PyModExport_ symbol, no C-API import, no libpython — nothing to check",
            ),
        }
    }
}

/// Why a file that looks like an extension module was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UncheckedReason {
    /// Inside a folder of vendored libraries (`numpy.libs/`, `.dylibs/`), which is no package.
    VendoredLibraries { folder: String },
    /// A directory between the nearest import root and the file is not a package name.
    NotImportable { folder: String },
    /// The same file (device and inode), or the same wheel member, was already taken.
    Duplicate { of: PathBuf },
    /// A directory link that leads back to one of its own ancestors.
    SymlinkLoop,
    /// A workspace member with neither a cdylib nor a binary: nothing maturin would package.
    NoPythonTarget { package: String },
    /// Cargo's intermediate outputs (`deps/`, `build/`, …): the uplifted file beside them is
    /// the artifact.
    CargoIntermediate,
    /// maturin's copy in `target/maturin/` of a library cargo's own path still holds.
    MaturinCopy { of: PathBuf },
}

impl UncheckedReason {
    /// Stable kebab-case id for machine-readable reports.
    pub fn id(&self) -> &'static str {
        match self {
            UncheckedReason::VendoredLibraries { .. } => "vendored-libraries",
            UncheckedReason::NotImportable { .. } => "not-importable",
            UncheckedReason::Duplicate { .. } => "duplicate",
            UncheckedReason::SymlinkLoop => "symlink-loop",
            UncheckedReason::NoPythonTarget { .. } => "no-python-target",
            UncheckedReason::CargoIntermediate => "cargo-intermediate",
            UncheckedReason::MaturinCopy { .. } => "maturin-copy",
        }
    }
}

impl fmt::Display for UncheckedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UncheckedReason::VendoredLibraries { folder } => write!(
                f,
                "inside `{folder}`, a folder of vendored libraries, which nothing imports from"
            ),
            UncheckedReason::NotImportable { folder } => write!(
                f,
                "`{folder}` is not a package name, so no import root reaches this file"
            ),
            UncheckedReason::Duplicate { of } => {
                write!(f, "the same file as {}, checked once", of.display())
            }
            UncheckedReason::SymlinkLoop => {
                f.write_str("a directory link back to one of its ancestors; not followed")
            }
            UncheckedReason::NoPythonTarget { package } => write!(
                f,
                "workspace member `{package}` has no cdylib or binary target, so maturin \
                 packages nothing from it"
            ),
            UncheckedReason::CargoIntermediate => f.write_str(
                "cargo's intermediate build files; the library cargo uplifts beside them is \
                 checked",
            ),
            UncheckedReason::MaturinCopy { of } => write!(
                f,
                "maturin's staging copy of {}, which is checked instead",
                of.display()
            ),
        }
    }
}

/// A file that looks like an extension module but was not checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    pub path: PathBuf,
    pub reason: UncheckedReason,
}
