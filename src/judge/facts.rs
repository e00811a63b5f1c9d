//! Everything known about one artifact before judging: where it is, which module and
//! interpreters it is for, and what inspection found. Rules read this and nothing else.

use std::path::PathBuf;

use serde::Serialize;

use crate::hook::{HookNames, ModuleNameError};
use crate::inspect::{InspectError, Inspection};
use crate::python::PythonTargets;

pub use crate::discover::{NameSource, Origin, SourceContext};

/// Where the Python versions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VersionSource {
    CommandLine,
    FileSuffix,
    None,
}

/// The input to every rule.
#[derive(Debug)]
pub struct Facts {
    pub path: PathBuf,
    pub origin: Origin,
    /// Whether some CPython would import a file of this name.
    pub importable_name: bool,
    /// The full module name as given (possibly dotted).
    pub module: String,
    pub name_source: NameSource,
    pub python: PythonTargets,
    pub version_source: VersionSource,
    pub hooks: Result<HookNames, ModuleNameError>,
    /// `Err` only for files a directory scan found: a named file that cannot be inspected stops
    /// the run before judging.
    pub inspection: Result<Inspection, InspectError>,
    /// The crate's `#[pymodule]` items and configuration warnings, for cargo outputs.
    pub source: Option<SourceContext>,
}
