//! Inspect: answer "does this binary export these names the way its loader resolves them?"
//!
//! Inspection takes bytes (a mapping or an in-memory buffer) and the names to look up; it
//! never opens files and holds no global state, so wheel members and many artifacts in
//! parallel go through the same code. Each format lives in its own folder and performs the
//! same targeted lookup its loader does (ELF hash tables, Mach-O export trie, PE export name
//! table), so a passing check touches a handful of pages whatever the file's size. Only when
//! none of the wanted names resolves does a format scan its exports for other hook names, to
//! suggest a fix.

pub mod elf;
mod error;
#[cfg(test)]
mod hostile;
pub mod macho;
pub mod pe;
mod read;

pub use error::InspectError;
pub use read::Reader;

use serde::Serialize;

/// The container format of a file, as told by its magic number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "detail")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome", content = "detail")]
pub enum LookupOutcome {
    /// Defined here and resolvable by name.
    Exported,
    /// Resolvable by name, but the loader follows it elsewhere (PE forwarder `DLL.Name`,
    /// Mach-O re-export); carries the target as the file states it.
    Forwarded(String),
    /// Not resolvable by name. The text says why when the format can tell cheaply
    /// ("hidden visibility", "ordinal-only export", "not in the export trie", ...).
    Missing(String),
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
}

/// One image in a file: the whole file for thin formats, one architecture of a fat file.
pub struct Slice<'a> {
    /// Architecture as the platform's tools name it (`x86_64`, `aarch64`, `arm64`, `i386`, ...).
    pub arch: String,
    pub kind: ObjectKind,
    /// `None` when the image has no table the loader could search at all; the string says why
    /// (for example "no DT_GNU_HASH or DT_HASH in the dynamic section").
    pub exports: Result<Box<dyn ExportTable + 'a>, String>,
}

/// Lookups for one slice, ready for judging.
#[derive(Debug, Clone, Serialize)]
pub struct SliceReport {
    pub arch: String,
    pub kind: ObjectKind,
    /// One entry per wanted name, in the order asked.
    pub lookups: Vec<(String, LookupOutcome)>,
    /// Other hook-like exports, filled only when no wanted name resolved.
    pub other_hooks: Vec<String>,
}

/// Everything inspection learnt about one file.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub format: BinaryFormat,
    pub slices: Vec<SliceReport>,
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

/// Parses `bytes` and looks up each of `wanted` in every slice.
pub fn inspect(
    bytes: &[u8],
    wanted: &[&str],
    hook_prefixes: &[&str],
) -> Result<Inspection, InspectError> {
    let format = detect(bytes)?;
    let slices = match format {
        BinaryFormat::Elf => vec![elf::open(bytes)?],
        BinaryFormat::MachO => vec![macho::open_thin(bytes)?],
        BinaryFormat::MachOFat => macho::open_fat(bytes)?,
        BinaryFormat::Pe => vec![pe::open(bytes)?],
    };
    let slices = slices
        .into_iter()
        .map(|slice| report_slice(slice, wanted, hook_prefixes))
        .collect::<Result<_, _>>()?;
    Ok(Inspection { format, slices })
}

fn report_slice(
    slice: Slice<'_>,
    wanted: &[&str],
    hook_prefixes: &[&str],
) -> Result<SliceReport, InspectError> {
    let table = match &slice.exports {
        Ok(table) => table,
        Err(why) => {
            let lookups = wanted
                .iter()
                .map(|name| (name.to_string(), LookupOutcome::Missing(why.clone())))
                .collect();
            return Ok(SliceReport {
                arch: slice.arch,
                kind: slice.kind,
                lookups,
                other_hooks: Vec::new(),
            });
        }
    };
    let mut lookups = Vec::with_capacity(wanted.len());
    for name in wanted {
        lookups.push((name.to_string(), table.lookup(name)?));
    }
    let other_hooks = if lookups.iter().any(|(_, outcome)| outcome.is_resolvable()) {
        Vec::new()
    } else {
        table.exported_with_prefixes(hook_prefixes)?
    };
    Ok(SliceReport {
        arch: slice.arch,
        kind: slice.kind,
        lookups,
        other_hooks,
    })
}
