//! The static symbol table (`.symtab`), found through the section headers. The loader never
//! reads it; it is read only as evidence of intent: a `PyInit_foo` that the linker made local
//! (`static`, or hidden visibility, which `ld` turns into a local symbol and leaves out of
//! `.dynsym`) shows the file was meant to be a module. Stripped files have no `.symtab`.

use goblin::elf::section_header::{SHT_STRTAB, SHT_SYMTAB};

use super::symbol::SymbolTable;
use crate::inspect::Reader;

/// Names in `.symtab` starting with one of `prefixes`. Anything malformed or cut off yields
/// what was read so far: this is evidence, and a damaged table is no evidence.
pub fn names_with_prefixes(
    bytes: &[u8],
    big_endian: bool,
    is_64: bool,
    prefixes: &[&str],
) -> Vec<String> {
    let r = Reader::new(bytes, big_endian);
    let what = "section headers";
    // e_shoff, e_shentsize, e_shnum sit after e_flags / e_ehsize / e_phentsize / e_phnum.
    let (shoff_at, shentsize_at) = if is_64 { (40, 58) } else { (32, 46) };
    let (Ok(shoff), Ok(shentsize), Ok(shnum)) = (
        r.word(shoff_at, is_64, what),
        r.u16(shentsize_at, what),
        r.u16(shentsize_at + 2, what),
    ) else {
        return Vec::new();
    };
    let expected_size = if is_64 { 64 } else { 40 };
    if shoff == 0 || u64::from(shentsize) != expected_size {
        return Vec::new();
    }
    let section = |index: u64| -> Option<(u32, u64, u64, u32)> {
        let at = shoff.checked_add(index.checked_mul(expected_size)?)?;
        let sh_type = r.u32(at + 4, what).ok()?;
        let (offset, size, link) = if is_64 {
            (
                r.u64(at + 24, what).ok()?,
                r.u64(at + 32, what).ok()?,
                r.u32(at + 40, what).ok()?,
            )
        } else {
            (
                r.u32(at + 16, what).ok()?.into(),
                r.u32(at + 20, what).ok()?.into(),
                r.u32(at + 24, what).ok()?,
            )
        };
        Some((sh_type, offset, size, link))
    };
    let mut names = Vec::new();
    for index in 0..u64::from(shnum) {
        let Some((SHT_SYMTAB, offset, size, link)) = section(index) else {
            continue;
        };
        let Some((SHT_STRTAB, strings_at, strings_size, _)) = section(link.into()) else {
            continue;
        };
        let entry = SymbolTable::entry_size(is_64);
        for at in (0..size / entry).map(|i| offset.saturating_add(i * entry)) {
            let Ok(st_name) = r.u32(at, "symbol table") else {
                break;
            };
            if u64::from(st_name) >= strings_size {
                continue;
            }
            let start = strings_at.saturating_add(st_name.into());
            let limit = strings_at.saturating_add(strings_size);
            let Ok(name) = r.c_str(start, limit, "string table") else {
                continue;
            };
            if let Ok(name) = std::str::from_utf8(name)
                && prefixes.iter().any(|prefix| name.starts_with(prefix))
                && !names.iter().any(|known| known == name)
            {
                names.push(name.to_string());
            }
        }
    }
    names
}
