//! Which files an import could reach: the rule shared by directory scans and wheels.
//!
//! CPython imports `a/b/m.so` as `a.b.m` only from a directory on `sys.path` (an *import
//! root*) and only when every directory on the way is a package name. A tree that CI hands us
//! holds several roots: the scanned directory itself, `site-packages`/`dist-packages` (a
//! virtualenv), setuptools' `build/lib.<platform>`, and a wheel's `<name>.data/platlib` or
//! `purelib`, which the installer merges into site-packages. Vendored-library folders
//! (`numpy.libs/`, `.dylibs/`) are never packages (docs/loader-rules.md §1).

use super::file_name::{ModuleFileName, parse_module_file_name};
use crate::hook::validate_component;
use crate::model::UncheckedReason;

/// What to do with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classification {
    /// An extension module an import can reach.
    Module(ModuleFileName),
    /// Looks like a module, but no import reaches it.
    NotChecked(UncheckedReason),
    /// A shared library that is no module: vendored (`numpy.libs/`, `.dylibs/`) or named as
    /// no module is (`libfoo.so.5`, `foo.dylib`, `foo.dll`). Modules and packages load it.
    Library,
    /// Not a module file at all (sources, data, `libfoo.so.5`).
    Ignored,
}

/// Classifies a file from the directory names above it: `dirs[0]` is the scan root's (or
/// the archive's, empty) own name, which is always an import root itself.
pub fn classify(dirs: &[&str], file_name: &str) -> Classification {
    classify_in(&reach(dirs), file_name)
}

/// Classifies a file in a directory whose [`reach`] is known: a scan works it out once per
/// directory, not once per file.
pub fn classify_in(reach: &Option<UncheckedReason>, file_name: &str) -> Classification {
    let parsed = parse_module_file_name(file_name);
    let library = is_shared_library_name(file_name);
    if parsed.is_none() && !library {
        return Classification::Ignored;
    }
    // Past here the name is a shared library's: a module's suffix ends in `.so` or `.pyd`.
    match (reach, parsed) {
        (None, Some(parsed)) => Classification::Module(parsed),
        (Some(UncheckedReason::VendoredLibraries { .. }), _) | (_, None) => Classification::Library,
        (Some(reason), Some(_)) => Classification::NotChecked(reason.clone()),
    }
}

/// Names shared libraries are given: `.so` and versioned `.so.5.0.0` (ELF), `.dylib` (Mach-O),
/// `.dll` and `.pyd` (PE).
pub fn is_shared_library_name(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    if [".so", ".dylib", ".dll", ".pyd"]
        .iter()
        .any(|ending| lower.ends_with(ending))
    {
        return true;
    }
    // `libfoo.so.5`, `libgfortran-040039e1.so.5.0.0`.
    lower.split_once(".so.").is_some_and(|(_, version)| {
        version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// `None` when some import root reaches the directory `dirs` ends in; else why not, naming
/// the first directory that stops the nearest root.
pub fn reach(dirs: &[&str]) -> Option<UncheckedReason> {
    let roots = (1..=dirs.len()).filter(|&end| is_import_root(&dirs[..end]));
    let mut nearest_blocker = None;
    for root in roots {
        match dirs[root..].iter().find(|dir| !is_package(dir)) {
            None => return None,
            Some(blocker) => nearest_blocker = Some(*blocker),
        }
    }
    let folder = nearest_blocker.unwrap_or_default().to_string();
    Some(if is_vendored(&folder) {
        UncheckedReason::VendoredLibraries { folder }
    } else {
        UncheckedReason::NotImportable { folder }
    })
}

/// Whether the last directory of `path` is an import root.
fn is_import_root(path: &[&str]) -> bool {
    let Some((last, above)) = path.split_last() else {
        return false;
    };
    let parent = above.last().copied().unwrap_or_default();
    above.is_empty()
        || matches!(*last, "site-packages" | "dist-packages")
        || (parent == "build" && last.starts_with("lib."))
        || (parent.ends_with(".data") && matches!(*last, "platlib" | "purelib"))
}

fn is_package(dir: &str) -> bool {
    validate_component(dir).is_ok() && !is_vendored(dir)
}

/// `<dist>.libs` (auditwheel, delvewheel) and `.dylibs` (delocate) hold vendored libraries.
fn is_vendored(dir: &str) -> bool {
    dir.ends_with(".libs") || dir == ".dylibs"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(path: &str) -> Option<UncheckedReason> {
        let mut parts: Vec<&str> = path.split('/').collect();
        let file = parts.pop().unwrap();
        match classify(&parts, file) {
            Classification::Module(_) => None,
            Classification::NotChecked(reason) => Some(reason),
            Classification::Ignored => panic!("{path} ignored"),
            Classification::Library => panic!("{path} is a library"),
        }
    }

    #[test]
    fn every_import_root_reaches_its_packages() {
        for path in [
            "scan/pkg/_core.abi3.so",
            "scan/_core.abi3.so",
            "scan/.venv/lib/python3.12/site-packages/pkg/_core.abi3.so",
            "scan/usr/lib/python3/dist-packages/pkg/_core.abi3.so",
            "build/lib.linux-x86_64-cpython-312/pkg/_core.abi3.so",
            "scan/build/lib.linux-x86_64-cpython-312/_core.abi3.so",
            "/pkg-1.0.data/platlib/pkg/_core.abi3.so",
            "/pkg-1.0.data/purelib/_core.abi3.so",
        ] {
            assert_eq!(reason(path), None, "{path}");
        }
    }

    #[test]
    fn vendored_and_non_package_directories_are_listed_with_their_reason() {
        assert_eq!(
            reason("scan/wheels-linux/_core.abi3.so"),
            Some(UncheckedReason::NotImportable {
                folder: "wheels-linux".into()
            })
        );
        assert_eq!(classify(&["scan"], "notes.txt"), Classification::Ignored);
    }

    #[test]
    fn shared_libraries_that_are_no_modules_are_libraries_to_check() {
        for (dirs, file) in [
            (
                &["scan", "site-packages", "numpy.libs"][..],
                "libopenblas-1a2b.so",
            ),
            (&["scan", "pkg", ".dylibs"][..], "libz.so"),
            // A module-named file in a vendored folder is no module there.
            (&["scan", "pkg", ".dylibs"][..], "_core.abi3.so"),
            (&["scan", "pkg"][..], "libfoo-1a2b.so"),
            (&["scan", "pkg"][..], "libfoo.so.5"),
            (&["scan", "pkg"][..], "libgfortran-040039e1.so.5.0.0"),
            (&["scan", "pkg"][..], "libz.1.dylib"),
            (&["scan", "numpy.libs"][..], "msvcp140-a4c2.dll"),
        ] {
            assert_eq!(classify(dirs, file), Classification::Library, "{file}");
        }
        assert_eq!(
            classify(&["scan"], "libfoo.so.txt"),
            Classification::Ignored
        );
    }
}
