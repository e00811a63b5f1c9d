//! The symbol search of maturin's `warn_missing_py_init` (PyO3/maturin, `src/compile.rs`),
//! copied verbatim from commit 1bfaa8c0 ("Use mmap for faster warn_missing_py_init", #2950)
//! and from its parent 8495767a: the commit changed only how the bytes are obtained
//! (`read_to_end` into a `Vec` before, `memmap2::Mmap::map` after); the parse and the search
//! below are the same in both. Shared by the two bench-only examples `read_whole_file`
//! (before) and `maturin_mmap` (after), so that they differ in exactly what the commit changed.
//!
//! Not part of pyinit-check. Differences from maturin: `anyhow::Result` is replaced by a boxed
//! error, and the warning's text is returned as `false` for the caller to print.

pub type Error = Box<dyn std::error::Error>;

/// Whether `PyInit_{module_name}` is found, as maturin decides it: `goblin::Object::parse` of
/// the whole image, then for ELF a walk of `.dynsym`; for Mach-O the export trie, then the
/// symbol table; for PE the export table. Fat Mach-O and other formats count as found.
pub fn has_py_init(buffer: &[u8], module_name: &str) -> Result<bool, Error> {
    let py_init = format!("PyInit_{module_name}");
    let mut found = false;
    match goblin::Object::parse(buffer)? {
        goblin::Object::Elf(elf) => {
            for dyn_sym in elf.dynsyms.iter() {
                if py_init == elf.dynstrtab[dyn_sym.st_name] {
                    found = true;
                    break;
                }
            }
        }
        goblin::Object::Mach(mach) => {
            match mach {
                goblin::mach::Mach::Binary(macho) => {
                    for sym in macho.exports()? {
                        let sym_name = sym.name;
                        if py_init == sym_name.strip_prefix('_').unwrap_or(&sym_name) {
                            found = true;
                            break;
                        }
                    }
                    if !found {
                        for sym in macho.symbols() {
                            let (sym_name, _) = sym?;
                            if py_init == sym_name.strip_prefix('_').unwrap_or(sym_name) {
                                found = true;
                                break;
                            }
                        }
                    }
                }
                goblin::mach::Mach::Fat(_) => {
                    // Ignore fat macho,
                    // we only generate them by combining thin binaries which is handled above
                    found = true
                }
            }
        }
        goblin::Object::PE(pe) => {
            for sym in &pe.exports {
                if let Some(sym_name) = sym.name
                    && py_init == sym_name
                {
                    found = true;
                    break;
                }
            }
        }
        _ => {
            // Currently, only linux, macOS and Windows are implemented
            found = true
        }
    }
    Ok(found)
}

/// The command line both examples share: `EXAMPLE FILE MODULE` (a `PyInit_` prefix on MODULE
/// is dropped, so `PyInit_bench` and `bench` mean the same). Exits 0 when the hook is found,
/// 1 with maturin's warning when it is not, 2 when the file cannot be read or parsed (maturin
/// ignores that error: `let _ = warn_missing_py_init(..)`).
pub fn main_with(
    name: &str,
    check: impl FnOnce(&str, &str) -> Result<bool, Error>,
) -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(module)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: {name} FILE MODULE");
        return std::process::ExitCode::from(2);
    };
    let module_name = module.strip_prefix("PyInit_").unwrap_or(module);
    match check(path, module_name) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            let py_init = format!("PyInit_{module_name}");
            eprintln!(
                "⚠️  Warning: Couldn't find the symbol `{py_init}` in the native library. \
                 Python will fail to import this module. \
                 If you're using pyo3, check that `#[pymodule]` uses `{module_name}` as module name"
            );
            std::process::ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::ExitCode::from(2)
        }
    }
}
