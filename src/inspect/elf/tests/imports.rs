//! The import walk over real fixtures: undefined dynamic symbols with their binding and the
//! version each asks for, counted by either hash table.

use super::fixture;
use crate::inspect::elf::open;
use crate::inspect::{Binding, ImportedSymbol, NeededVersion};

/// The imports, owned (the fixture's bytes do not outlive the call).
fn imports(file: &str) -> Vec<ImportedSymbol<'static>> {
    let bytes = fixture(file);
    let slice = open(&bytes).expect("opens");
    let table = slice.imports.as_ref().expect("has an import table");
    let owned = |text: &std::borrow::Cow<'_, str>| std::borrow::Cow::Owned(text.to_string());
    table
        .imported_symbols()
        .expect("reads")
        .iter()
        .map(|i| ImportedSymbol {
            name: owned(&i.name),
            binding: i.binding,
            version: i.version.as_ref().map(|v| NeededVersion {
                library: owned(&v.library),
                version: owned(&v.version),
                weak: v.weak,
            }),
            library: i.library.as_ref().map(owned),
        })
        .collect()
}

fn names<'a>(imports: &'a [ImportedSymbol<'a>], binding: Binding) -> Vec<&'a str> {
    let mut names: Vec<&str> = imports
        .iter()
        .filter(|i| i.binding == binding)
        .map(|i| i.name.as_ref())
        .collect();
    names.sort_unstable();
    names
}

/// gcc's start files leave four weak references in every shared library.
#[test]
fn weak_references() {
    for file in ["gnuhash.so", "sysvhash.so", "bothhash.so"] {
        let found = imports(file);
        assert_eq!(
            names(&found, Binding::Weak),
            [
                "_ITM_deregisterTMCloneTable",
                "_ITM_registerTMCloneTable",
                "__cxa_finalize",
                "__gmon_start__"
            ],
            "{file}"
        );
        assert!(names(&found, Binding::Strong).is_empty(), "{file}");
        assert!(found.iter().all(|i| i.version.is_none()), "{file}");
    }
}

/// A position-independent executable asks glibc for versioned symbols; `readelf -V` shows
/// `.gnu.version_r` naming libc.so.6 with GLIBC_2.2.5 and GLIBC_2.34. Its `__cxa_finalize`
/// is an undefined symbol GNU ld put in the hashed part (index 9, above `symoffset`): a walk
/// of the unhashed head alone would miss it.
#[test]
fn versions_come_from_the_version_needs() {
    let found = imports("pie.so");
    let version = |name: &str| {
        let import = found.iter().find(|i| i.name == name).unwrap();
        (import.binding, import.version.clone())
    };
    let glibc = |version: &'static str| NeededVersion {
        library: "libc.so.6".into(),
        version: version.into(),
        weak: false,
    };
    assert_eq!(
        version("__libc_start_main"),
        (Binding::Strong, Some(glibc("GLIBC_2.34")))
    );
    assert_eq!(
        version("__cxa_finalize"),
        (Binding::Weak, Some(glibc("GLIBC_2.2.5")))
    );
    assert_eq!(version("__gmon_start__"), (Binding::Weak, None));
}

/// A strong reference is one the loader must bind or refuse the object; found through the
/// GNU table (below `symoffset`) and through `nchain` alike.
#[test]
fn strong_references_are_found_by_either_hash_table() {
    assert_eq!(
        names(&imports("undefined.so"), Binding::Strong),
        ["PyInit_undefined"]
    );
    assert_eq!(
        names(&imports("undefinedsysv.so"), Binding::Strong),
        ["PyInit_undefinedsysv"]
    );
    // Linked with -nostdlib: nothing to import.
    assert!(imports("i386.so").is_empty());
}

/// An object the loader cannot map has no import table at all.
#[test]
fn objects_without_a_dynamic_section_import_nothing() {
    let bytes = fixture("relocatable.so");
    assert!(open(&bytes).expect("opens").imports.is_none());
}
