//! Inspect: answer "does this binary export these names the way its loader resolves them?"
//!
//! [`open`] takes bytes (a mapping or an in-memory buffer) and reads only the headers; it
//! never opens files and holds no global state, so wheel members and many artifacts in
//! parallel go through the same code. Each format lives in its own folder and performs the
//! same targeted lookup its loader does (ELF hash tables, Mach-O export trie, PE export name
//! table), so a passing check touches a handful of pages whatever the file's size.
//!
//! Facts are answered on demand, per slice ([`SliceView`]): a rule asks for a lookup, and
//! only a rule that needs it asks for a scan of every export (to suggest the hook a file
//! exports instead). What was asked is remembered, so the report shows what was looked at.

pub mod elf;
mod error;
#[cfg(test)]
mod hostile;
mod imports;
pub mod macho;
mod miss;
pub mod pe;
mod read;

use std::cell::RefCell;
use std::rc::Rc;

pub use error::InspectError;
pub use imports::{
    Binding, ImportedSymbol, NeededLibrary, NeededVersion, SearchPath, SearchPathKind,
};
pub use miss::{MissReason, Unsearchable};
pub use read::Reader;

use crate::hook::HOOK_PREFIXES;

/// The container format of a file, as told by its magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryFormat {
    Elf,
    MachO,
    /// A fat / universal Mach-O file holding one slice per architecture.
    MachOFat,
    Pe,
}

impl BinaryFormat {
    pub fn describe(self) -> &'static str {
        match self {
            BinaryFormat::Elf => "ELF",
            BinaryFormat::MachO => "Mach-O",
            BinaryFormat::MachOFat => "Mach-O universal",
            BinaryFormat::Pe => "PE",
        }
    }
}

/// What kind of object a slice is; only a shared library can be an extension module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectKind {
    SharedLibrary,
    Executable,
    Relocatable,
    /// Anything else the header names (core dump, Mach-O bundle of an unusual type, ...).
    Other(String),
}

impl ObjectKind {
    pub fn describe(&self) -> String {
        match self {
            ObjectKind::SharedLibrary => "shared library".into(),
            ObjectKind::Executable => "executable".into(),
            ObjectKind::Relocatable => "relocatable object file".into(),
            ObjectKind::Other(what) => what.clone(),
        }
    }
}

/// How one name fared in a slice's export lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupOutcome {
    /// Defined here and resolvable by name.
    Exported,
    /// Resolvable by name, but the loader follows it elsewhere (PE forwarder `DLL.Name`,
    /// Mach-O re-export); carries the target as the file states it.
    Forwarded(String),
    /// Not resolvable by name, and why.
    Missing(MissReason),
}

impl LookupOutcome {
    pub fn is_resolvable(&self) -> bool {
        !matches!(self, LookupOutcome::Missing(_))
    }
}

/// The export side of one loadable image, as its loader searches it.
pub trait ExportTable {
    /// Looks `symbol` (the C name, e.g. `PyInit_foo`) up exactly as the loader does.
    fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError>;

    /// Lists exported C names starting with any of `prefixes`. Walks the whole export
    /// table, so it is called only on the failure path.
    fn exported_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError>;

    /// Lists C names starting with any of `prefixes` that the image mentions in any form:
    /// exported or not, defined or only referenced, hidden, local, private. No loader reads
    /// most of these; they are evidence of what the file was meant to be.
    fn mentioned_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        self.exported_with_prefixes(prefixes)
    }

    /// A closer look at why `symbol` missed, when the format can tell more by scanning its
    /// whole table (PE: an unsorted name table, ordinal-only exports). Only for messages.
    fn explain_miss(&self, symbol: &str, reason: MissReason) -> Result<MissReason, InspectError> {
        let _ = symbol;
        Ok(reason)
    }
}

/// The import side of one loadable image: what its loader must bind from other objects.
pub trait ImportTable<'a> {
    /// Every symbol the image imports, in table order. Walks the whole import table (for
    /// ELF: the dynamic symbols and version needs, never `.symtab` or debug sections).
    fn imported_symbols(&self) -> Result<Vec<ImportedSymbol<'a>>, InspectError>;

    /// The libraries the loader loads first, in the image's order.
    fn needed_libraries(&self) -> Result<Vec<NeededLibrary>, InspectError>;

    /// C names starting with any of `prefixes` that the image's symbol table mentions in any
    /// form, where that table is not the export table's (Mach-O's nlist beside its trie).
    fn mentioned_with_prefixes(&self, prefixes: &[&str]) -> Result<Vec<String>, InspectError> {
        let _ = prefixes;
        Ok(Vec::new())
    }

    /// The directories the image's own tables add to its libraries' search (`DT_RPATH`,
    /// `DT_RUNPATH`, `LC_RPATH`), in order.
    fn search_paths(&self) -> Result<Vec<SearchPath>, InspectError> {
        Ok(Vec::new())
    }

    /// ELF: every symbol version the image needs (`DT_VERNEED`). The loader checks each
    /// one when it loads the image, whether or not a symbol refers to it.
    fn version_needs(&self) -> Result<Vec<NeededVersion<'a>>, InspectError> {
        Ok(Vec::new())
    }
}

/// The Apple platform a deployment target is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplePlatform {
    MacOs,
    /// iOS, tvOS, watchOS, Mac Catalyst...: `LC_BUILD_VERSION`'s platform number.
    Other(u32),
}

/// The oldest OS release an Apple image is built for, which dyld refuses to load it below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinimumOs {
    pub platform: ApplePlatform,
    pub version: crate::platform::Version,
    /// Where it was read: `LC_BUILD_VERSION minos` or `LC_VERSION_MIN_MACOSX version`.
    pub command: &'static str,
}

/// One image in a file: the whole file for thin formats, one architecture of a fat file.
pub struct Slice<'a> {
    /// Architecture as the platform's tools name it (`x86_64`, `aarch64`, `arm64`, `i386`, ...).
    pub arch: String,
    pub kind: ObjectKind,
    /// `Err` when the image has no table the loader could search at all.
    pub exports: Result<Box<dyn ExportTable + 'a>, Unsearchable>,
    /// `None` when the image has no import table (ELF without a dynamic section or hash
    /// table, PE without an import directory): it imports nothing.
    pub imports: Option<Box<dyn ImportTable<'a> + 'a>>,
    /// Mach-O: the deployment target its load commands state.
    pub minimum_os: Option<MinimumOs>,
}

/// A file opened for inspection: its format and one view per loadable image.
pub struct Binary<'a> {
    pub format: BinaryFormat,
    pub slices: Vec<SliceView<'a>>,
}

/// One slice, answering questions on demand and remembering what it was asked.
pub struct SliceView<'a> {
    slice: Slice<'a>,
    lookups: RefCell<Vec<(String, LookupOutcome)>>,
    hooks: RefCell<Option<Vec<String>>>,
    imported: Read<ImportedSymbol<'a>>,
    needed: Read<NeededLibrary>,
    versions: Read<NeededVersion<'a>>,
}

/// An import-side table read once, on the first rule that asks, and shared after.
type Read<T> = RefCell<Option<Rc<Vec<T>>>>;

/// `cell`'s table, reading it with `read` the first time (an image without an import table
/// has none of them: empty).
fn read_once<'a, T>(
    cell: &Read<T>,
    imports: Option<&(dyn ImportTable<'a> + 'a)>,
    read: impl FnOnce(&dyn ImportTable<'a>) -> Result<Vec<T>, InspectError>,
) -> Result<Rc<Vec<T>>, InspectError> {
    if let Some(table) = cell.borrow().as_ref() {
        return Ok(Rc::clone(table));
    }
    // An `Rc<Vec<_>>` takes the vector as it is; an `Rc<[_]>` would copy every entry.
    let table = Rc::new(match imports {
        Some(imports) => read(imports)?,
        None => Vec::new(),
    });
    *cell.borrow_mut() = Some(Rc::clone(&table));
    Ok(table)
}

impl<'a> SliceView<'a> {
    pub fn new(slice: Slice<'a>) -> Self {
        SliceView {
            slice,
            lookups: RefCell::new(Vec::new()),
            hooks: RefCell::new(None),
            imported: RefCell::new(None),
            needed: RefCell::new(None),
            versions: RefCell::new(None),
        }
    }

    pub fn arch(&self) -> &str {
        &self.slice.arch
    }

    pub fn kind(&self) -> &ObjectKind {
        &self.slice.kind
    }

    /// `symbol` looked up as the loader does (once; later calls reuse the answer).
    pub fn lookup(&self, symbol: &str) -> Result<LookupOutcome, InspectError> {
        if let Some((_, outcome)) = self.lookups.borrow().iter().find(|(n, _)| n == symbol) {
            return Ok(outcome.clone());
        }
        let outcome = match &self.slice.exports {
            Ok(table) => table.lookup(symbol)?,
            Err(why) => LookupOutcome::Missing(MissReason::Unsearchable(*why)),
        };
        self.lookups
            .borrow_mut()
            .push((symbol.to_string(), outcome.clone()));
        Ok(outcome)
    }

    /// Whether the slice has an export table a loader can search at all.
    pub fn has_searchable_exports(&self) -> bool {
        self.slice.exports.is_ok()
    }

    /// Every exported name CPython could take for an entry point (`PyInit*`, `PyModExport*`).
    /// Scans the whole export table, so only rules that explain a failure ask for it.
    pub fn exported_hooks(&self) -> Result<Vec<String>, InspectError> {
        if let Some(hooks) = self.hooks.borrow().as_ref() {
            return Ok(hooks.clone());
        }
        let hooks = match &self.slice.exports {
            Ok(table) => table.exported_with_prefixes(&HOOK_PREFIXES)?,
            Err(_) => Vec::new(),
        };
        *self.hooks.borrow_mut() = Some(hooks.clone());
        Ok(hooks)
    }

    /// Every name CPython could take for an entry point that the slice mentions in any
    /// form (see [`ExportTable::mentioned_with_prefixes`]): evidence that it is a module.
    pub fn mentioned_hooks(&self) -> Result<Vec<String>, InspectError> {
        let mut names = match &self.slice.exports {
            Ok(table) => table.mentioned_with_prefixes(&HOOK_PREFIXES)?,
            Err(_) => Vec::new(),
        };
        if let Some(imports) = &self.slice.imports {
            for name in imports.mentioned_with_prefixes(&HOOK_PREFIXES)? {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Ok(names)
    }

    /// Every symbol the slice imports (read once; later calls share the answer). Only rules
    /// about what the module needs from the interpreter ask for it.
    pub fn imported_symbols(&self) -> Result<Rc<Vec<ImportedSymbol<'a>>>, InspectError> {
        read_once(&self.imported, self.slice.imports.as_deref(), |t| {
            t.imported_symbols()
        })
    }

    /// The directories the image adds to its libraries' search.
    pub fn search_paths(&self) -> Result<Vec<SearchPath>, InspectError> {
        match &self.slice.imports {
            Some(imports) => imports.search_paths(),
            None => Ok(Vec::new()),
        }
    }

    /// The libraries the loader loads first (read once; later calls share the answer).
    pub fn needed_libraries(&self) -> Result<Rc<Vec<NeededLibrary>>, InspectError> {
        read_once(&self.needed, self.slice.imports.as_deref(), |t| {
            t.needed_libraries()
        })
    }

    /// ELF: the symbol versions the image needs (read once; later calls share the answer).
    pub fn version_needs(&self) -> Result<Rc<Vec<NeededVersion<'a>>>, InspectError> {
        read_once(&self.versions, self.slice.imports.as_deref(), |t| {
            t.version_needs()
        })
    }

    /// Mach-O: the oldest OS release the image is built for.
    pub fn minimum_os(&self) -> Option<MinimumOs> {
        self.slice.minimum_os
    }

    /// The machine, when a platform tag can name it.
    pub fn machine(&self) -> Option<crate::platform::Machine> {
        crate::platform::Machine::from_arch_name(&self.slice.arch)
    }

    /// The most precise reason for a miss the format can give (scans, so for messages only).
    pub fn explain_miss(
        &self,
        symbol: &str,
        reason: MissReason,
    ) -> Result<MissReason, InspectError> {
        match &self.slice.exports {
            Ok(table) => table.explain_miss(symbol, reason),
            Err(_) => Ok(reason),
        }
    }

    /// What was asked of this slice, for the report.
    pub fn summary(&self) -> SliceSummary {
        SliceSummary {
            arch: self.slice.arch.clone(),
            kind: self.slice.kind.clone(),
            lookups: self.lookups.borrow().clone(),
            exported_hooks: self.hooks.borrow().clone(),
        }
    }

    /// [`SliceView::summary`], giving up the view (no copies).
    pub fn into_summary(self) -> SliceSummary {
        SliceSummary {
            arch: self.slice.arch,
            kind: self.slice.kind,
            lookups: self.lookups.into_inner(),
            exported_hooks: self.hooks.into_inner(),
        }
    }
}

/// What one slice was asked and answered, for reports.
#[derive(Debug, Clone)]
pub struct SliceSummary {
    pub arch: String,
    pub kind: ObjectKind,
    /// Every lookup made, in the order asked.
    pub lookups: Vec<(String, LookupOutcome)>,
    /// The entry-point names it exports, when a rule scanned for them.
    pub exported_hooks: Option<Vec<String>>,
}

/// Recognises the format from the magic number.
pub fn detect(bytes: &[u8]) -> Result<BinaryFormat, InspectError> {
    if bytes.is_empty() {
        return Err(InspectError::Empty);
    }
    match bytes {
        [0x7f, b'E', b'L', b'F', ..] => Ok(BinaryFormat::Elf),
        [0xfe, 0xed, 0xfa, 0xce | 0xcf, ..] | [0xce | 0xcf, 0xfa, 0xed, 0xfe, ..] => {
            Ok(BinaryFormat::MachO)
        }
        [0xca, 0xfe, 0xba, 0xbe | 0xbf, ..] => Ok(BinaryFormat::MachOFat),
        [b'M', b'Z', ..] => Ok(BinaryFormat::Pe),
        [b'!', b'<', b'a', b'r', b'c', b'h', b'>', b'\n', ..] => Err(InspectError::StaticArchive),
        _ if is_prefix_of_a_magic(bytes) => Err(InspectError::Truncated("magic number")),
        _ => Err(InspectError::UnknownFormat),
    }
}

/// Whether a file too short to hold a magic number starts like one (a cut-off binary rather
/// than some other file).
fn is_prefix_of_a_magic(bytes: &[u8]) -> bool {
    const MAGICS: [&[u8]; 5] = [
        b"\x7fELF",
        b"\xfe\xed\xfa",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xca\xfe\xba",
    ];
    bytes.len() < 4 && MAGICS.iter().any(|magic| magic.starts_with(bytes))
}

/// How many leading bytes of the file starting with `head` the lookups can ever read, when
/// `head` alone tells (ELF: see [`elf::read_extent`]); `None` when every byte may matter.
pub fn read_extent(head: &[u8]) -> Option<u64> {
    match detect(head) {
        Ok(BinaryFormat::Elf) => elf::read_extent(head),
        _ => None,
    }
}

/// Recognises the format and reads the headers of every slice; lookups happen later, on
/// demand.
pub fn open(bytes: &[u8]) -> Result<Binary<'_>, InspectError> {
    let format = detect(bytes)?;
    let slices = match format {
        BinaryFormat::Elf => vec![elf::open(bytes)?],
        BinaryFormat::MachO => vec![macho::open_thin(bytes)?],
        BinaryFormat::MachOFat => macho::open_fat(bytes)?,
        BinaryFormat::Pe => vec![pe::open(bytes)?],
    };
    Ok(Binary {
        format,
        slices: slices.into_iter().map(SliceView::new).collect(),
    })
}
