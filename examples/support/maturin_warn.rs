//! The search maturin's `warn_missing_py_init` performs (PyO3/maturin `src/compile.rs`, the
//! same before and after its switch to mmap in 1bfaa8c0, #2950), re-implemented for the
//! benchmarks in our own code: what it costs is the point, so the work is the same — one
//! `goblin::Object::parse` of the whole image (every table goblin reads eagerly), then a linear
//! search by name. Shared by `read_whole_file` (before the switch: the bytes read into a `Vec`)
//! and `maturin_mmap` (after: the file mapped), so the two differ only in how they get the
//! bytes. Not part of pyinit-check.
//!
//! The same decisions as maturin: ELF is searched in `.dynsym` (all of it, whatever the
//! visibility or binding); a thin Mach-O in its exports, then its symbol table, names compared
//! without the leading underscore; a universal Mach-O and any other format count as found; PE
//! in its named exports. A file goblin cannot parse is an error, which maturin ignores.

pub type Error = Box<dyn std::error::Error>;

/// Whether `PyInit_<module_name>` is there, decided as maturin decides it.
pub fn has_py_init(image: &[u8], module_name: &str) -> Result<bool, Error> {
    let wanted = format!("PyInit_{module_name}");
    let c_name = |name: &str| -> bool { name.strip_prefix('_').unwrap_or(name) == wanted };
    Ok(match goblin::Object::parse(image)? {
        goblin::Object::Elf(elf) => elf
            .dynsyms
            .iter()
            .any(|symbol| elf.dynstrtab.get_at(symbol.st_name) == Some(wanted.as_str())),
        goblin::Object::Mach(goblin::mach::Mach::Binary(macho)) => {
            if macho.exports()?.iter().any(|export| c_name(&export.name)) {
                return Ok(true);
            }
            for symbol in macho.symbols() {
                // A bad entry stops the search with an error, as it stops maturin's.
                if c_name(symbol?.0) {
                    return Ok(true);
                }
            }
            false
        }
        goblin::Object::PE(pe) => pe
            .exports
            .iter()
            .any(|export| export.name == Some(wanted.as_str())),
        // maturin builds universal files from thin ones it has checked, and checks nothing else.
        _ => true,
    })
}

/// The command line both examples share: `EXAMPLE FILE MODULE` (a `PyInit_` prefix on MODULE
/// is dropped). Exits 0 when the hook is found, 1 when it is not (where maturin prints its
/// warning), 2 when the file cannot be read or parsed.
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
            eprintln!("{path}: PyInit_{module_name} not found");
            std::process::ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::ExitCode::from(2)
        }
    }
}
