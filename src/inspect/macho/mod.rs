//! Mach-O: thin images (32/64-bit, either byte order) and universal files, with exports looked
//! up as dyld does — in the export trie when the image has one, else in the nlist symbol table.
//!
//! Opening reads the header and walks the load commands (a few hundred bytes); a lookup then
//! reads one trie path or a binary search's worth of nlist entries. Imports, when a rule asks,
//! are the undefined run of the nlist table.

mod fat;
mod header;
mod imports;
mod load_commands;
mod nlist;
mod trie;

#[cfg(test)]
mod tests;

pub use fat::open_fat;

use super::{ExportTable, ImportTable, InspectError, Reader, Slice, Unsearchable};
use header::MachHeader;
use imports::UndefinedSymbols;
use nlist::SymbolTable;
use trie::ExportTrie;

/// Opens one thin Mach-O image (a whole file, or one slice of a universal file).
pub fn open_thin(bytes: &[u8]) -> Result<Slice<'_>, InspectError> {
    let header = MachHeader::parse(bytes)?;
    let image = Reader::new(bytes, header.big_endian);
    let linkedit = load_commands::read(&image, &header)?;
    let imports: Option<Box<dyn ImportTable<'_> + '_>> = Some(Box::new(UndefinedSymbols {
        image,
        is_64: header.is_64,
        symtab: linkedit.symtab,
        dysymtab: linkedit.dysymtab,
        dylibs: linkedit.dylibs.clone(),
        weak_dylibs: linkedit.weak_dylibs.clone(),
        rpaths: linkedit.rpaths.clone(),
    }));
    // dyld uses the trie whenever the image has one (even an empty one) and the nlist table only
    // for images linked without (before macOS 10.6, or relocatable objects).
    let exports: Result<Box<dyn ExportTable + '_>, Unsearchable> =
        if let Some(extent) = linkedit.export_trie {
            Ok(Box::new(ExportTrie::new(image, extent, linkedit.dylibs)?))
        } else if let Some(symtab) = linkedit.symtab {
            Ok(Box::new(SymbolTable::new(
                image,
                header.is_64,
                symtab,
                linkedit.dysymtab,
            )?))
        } else {
            Err(Unsearchable::NoMachOExports)
        };
    Ok(Slice {
        arch: header.arch_name(),
        kind: header.object_kind(),
        exports,
        imports,
        minimum_os: linkedit.minimum_os,
    })
}

/// The Mach-O name of a C symbol: C names get a leading underscore.
fn mangle(symbol: &str) -> Vec<u8> {
    let mut mangled = Vec::with_capacity(symbol.len() + 1);
    mangled.push(b'_');
    mangled.extend_from_slice(symbol.as_bytes());
    mangled
}

/// The C name of a Mach-O symbol, for messages; names without the underscore are shown as is.
fn c_name(symbol: &[u8]) -> String {
    String::from_utf8_lossy(symbol.strip_prefix(b"_").unwrap_or(symbol)).into_owned()
}
