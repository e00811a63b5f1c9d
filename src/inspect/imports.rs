//! What an image needs from other objects: the symbols its loader must bind before the
//! module's code can run. Rules compare these with what each interpreter exports.

use std::borrow::Cow;

/// How a reference binds when no object defines the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Loading fails (`undefined symbol`) unless some object defines it.
    Strong,
    /// The loader binds it to null and loading goes on (ELF `STB_WEAK`, Mach-O weak import).
    Weak,
}

/// The version an ELF reference asks for (`DT_VERNEED`): `name@version` from `library`.
///
/// Names are borrowed from the mapped file (copied only when not UTF-8): an image imports
/// hundreds of symbols, and reading them must not cost an allocation each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededVersion<'a> {
    /// The `DT_NEEDED` file the version is expected from (`libc.so.6`).
    pub library: Cow<'a, str>,
    /// The version name (`GLIBC_2.34`).
    pub version: Cow<'a, str>,
    /// `VER_FLG_WEAK`: a missing version only warns.
    pub weak: bool,
}

/// One symbol the image imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSymbol<'a> {
    /// The C name (no Mach-O leading underscore), borrowed from the file.
    pub name: Cow<'a, str>,
    pub binding: Binding,
    /// ELF: the version the reference needs, when it names one.
    pub version: Option<NeededVersion<'a>>,
    /// PE: the DLL it is imported from (ELF and Mach-O leave the search to the loader).
    pub library: Option<Cow<'a, str>>,
}

impl ImportedSymbol<'_> {
    /// Whether loading fails when no object defines it.
    pub fn is_strong(&self) -> bool {
        self.binding == Binding::Strong
    }
}

/// A library the loader must load before the image (ELF `DT_NEEDED`, Mach-O `LC_LOAD_DYLIB`
/// and its kin, a PE import directory entry), as the image names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeededLibrary {
    /// `libc.so.6`, `/usr/lib/libSystem.B.dylib`, `python312.dll`.
    pub name: String,
    /// Mach-O `LC_LOAD_WEAK_DYLIB`: the image loads without it.
    pub weak: bool,
}

/// Where a search path comes from: glibc treats `DT_RPATH` and `DT_RUNPATH` differently,
/// dyld has `LC_RPATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPathKind {
    /// ELF `DT_RPATH`: searched first, and only when the object has no `DT_RUNPATH`.
    Rpath,
    /// ELF `DT_RUNPATH`: searched after `LD_LIBRARY_PATH`, for the object's own needs only.
    Runpath,
    /// Mach-O `LC_RPATH`: what `@rpath/` expands to.
    LcRpath,
}

/// One directory an image adds to the search for the libraries it needs, as written
/// (`$ORIGIN/../pkg.libs`, `@loader_path/../.dylibs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    pub kind: SearchPathKind,
    pub path: String,
}
