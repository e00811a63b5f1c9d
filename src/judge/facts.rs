//! What rules read: the artifact as discover resolved it, the hook names its module implies,
//! and the opened binary, whose slices answer lookups on demand.

use crate::hook::{HookNames, ModuleNameError};
use crate::inspect::{Binary, BinaryFormat, InspectError, LookupOutcome, ObjectKind, SliceView};
use crate::model::{Artifact, ArtifactKind};

/// The input to every rule.
pub struct Facts<'f, 'b> {
    pub artifact: &'f Artifact,
    pub hooks: &'f Result<HookNames, ModuleNameError>,
    pub binary: &'f Binary<'b>,
}

impl<'f, 'b> Facts<'f, 'b> {
    pub fn format(&self) -> BinaryFormat {
        self.binary.format
    }

    /// The slices that could be loaded as an extension module.
    pub fn shared_libraries(&self) -> impl Iterator<Item = &'f SliceView<'b>> {
        self.binary
            .slices
            .iter()
            .filter(|slice| *slice.kind() == ObjectKind::SharedLibrary)
    }

    /// How messages name the artifact: "Module `foo`", or "Library `libfoo.so.1`" for a
    /// library (vendored, or loaded by path), whose module name means nothing.
    pub fn subject(&self) -> String {
        match self.artifact.kind {
            ArtifactKind::Module => format!("Module `{}`", self.artifact.identity.name),
            ArtifactKind::Library => {
                let file = self
                    .artifact
                    .path
                    .file_name()
                    .map(|name| name.to_string_lossy());
                format!("Library `{}`", file.unwrap_or_default())
            }
        }
    }

    /// "arm64 slice: " for a fat file, nothing for a thin one.
    pub fn slice_prefix(&self, slice: &SliceView<'_>) -> String {
        if self.binary.format == BinaryFormat::MachOFat {
            format!("{} slice: ", slice.arch())
        } else {
            String::new()
        }
    }
}

/// How the module's two hooks fare in one slice.
pub struct HookLookups {
    pub init: LookupOutcome,
    pub mod_export: LookupOutcome,
}

impl HookLookups {
    pub fn of(slice: &SliceView<'_>, hooks: &HookNames) -> Result<Self, InspectError> {
        Ok(HookLookups {
            init: slice.lookup(&hooks.init)?,
            mod_export: slice.lookup(&hooks.mod_export)?,
        })
    }
}
