//! `read_extent`: every byte past it can be zeros without changing a single answer.

use super::HOOK_PREFIXES;
use crate::inspect::elf::{open, read_extent};

/// Everything a check reads from a file, as text: the outcome of opening it, every lookup,
/// the hook scan and the imported symbols (with their versions).
fn answers(bytes: &[u8], names: &[String]) -> String {
    let slice = match open(bytes) {
        Ok(slice) => slice,
        Err(error) => return format!("error: {error:?}"),
    };
    let mut text = format!("{} {:?}", slice.arch, slice.kind);
    match &slice.exports {
        Err(why) => text += &format!(" unsearchable: {why:?}"),
        Ok(table) => {
            for name in names {
                text += &format!(" {name}={:?}", table.lookup(name));
            }
            text += &format!(" hooks={:?}", table.exported_with_prefixes(HOOK_PREFIXES));
        }
    }
    if let Some(imports) = &slice.imports {
        text += &format!(" imports={:?}", imports.imported_symbols());
    }
    text
}

#[test]
fn bytes_past_the_extent_change_no_answer() {
    let dir = format!("{}/tests/fixtures/elf", env!("CARGO_MANIFEST_DIR"));
    let mut shortened = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "so") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Some(extent) = read_extent(&bytes) else {
            continue;
        };
        let extent = usize::try_from(extent).unwrap().min(bytes.len());
        let mut zeroed = bytes[..extent].to_vec();
        zeroed.resize(bytes.len(), 0);
        let stem = path.file_stem().unwrap().to_string_lossy();
        let stem = stem.split('.').next().unwrap_or_default();
        let names: Vec<String> = [
            format!("PyInit_{stem}"),
            format!("PyModExport_{stem}"),
            "PyInit_bar".to_string(),
            "unrelated_helper".to_string(),
        ]
        .into();
        assert_eq!(
            answers(&zeroed, &names),
            answers(&bytes, &names),
            "{}",
            path.display()
        );
        if extent < bytes.len() {
            shortened += 1;
        }
    }
    assert!(shortened >= 20, "the section headers lie past the extent");
}

#[test]
fn a_head_without_the_program_headers_has_no_extent() {
    let bytes = super::fixture("gnuhash.so");
    assert!(read_extent(&bytes).is_some());
    assert_eq!(read_extent(&bytes[..64]), None);
    assert_eq!(read_extent(b"\x7fELF"), None);
}
