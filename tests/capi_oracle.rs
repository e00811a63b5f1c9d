//! The C-API oracle: for symbols whose availability changed between CPython releases, a tiny
//! module that binds each one is imported by every installed CPython 3.8–3.13, and
//! pyinit-check's verdict for that version (`--python 3.X`) must fail exactly when the import
//! raised `ImportError: … undefined symbol`.
//!
//! The modules are built here with gcc, without libpython (as wheels are): `PyInit_<m>` takes
//! the symbol's address, so the loader must bind it when CPython loads the file (RTLD_NOW),
//! and returns NULL, so a module whose symbols all bound fails later with SystemError.
//! The interpreters are the pyenv builds under `$PYENV_ROOT` (`~/.pyenv`). Locally a missing
//! interpreter or gcc skips; under `CI` it fails.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{code, run, stdout};

/// Symbols whose presence changed: additions, removals, one that came back, a free-threaded
/// only one, data, and controls that every version has.
const SYMBOLS: &[&str] = &[
    "PyCMethod_New",              // added 3.9
    "Py_NewRef",                  // added 3.10
    "PyExc_EncodingWarning",      // data, added 3.10
    "PyType_GetModuleByDef",      // added 3.11
    "PyUnstable_Code_New",        // added 3.12 (PyUnstable_*)
    "PyDict_GetItemRef",          // added 3.13
    "PyAST_Check",                // removed 3.9 (new parser)
    "PyCFunction_New",            // a macro only, in 3.9
    "PyCode_New",                 // a macro from 3.12
    "_PyType_GetModuleByDef",     // 3.10 only
    "_PyErr_GetHandledException", // 3.11–3.12
    "_PyArg_ParseStack_SizeT",    // private, removed 3.13
    "PyUnstable_Module_SetGIL",   // free-threaded builds only
    "PyObject_GetAttr",           // control: every version
];

const MINORS: [u16; 6] = [8, 9, 10, 11, 12, 13];

/// The pyenv interpreter of 3.`minor`, if installed.
fn interpreter(minor: u16) -> Option<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv")))?;
    let versions = std::fs::read_dir(root.join("versions")).ok()?;
    let prefix = format!("3.{minor}.");
    let mut found: Vec<PathBuf> = versions
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&prefix) && name[prefix.len()..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(|entry| entry.path().join(format!("bin/python3.{minor}")))
        .filter(|path| path.exists())
        .collect();
    found.sort();
    found.pop()
}

fn build(dir: &Path, module: &str, symbol: &str, weak: bool) -> PathBuf {
    support::build_c_module(dir, module, &format!("{module}.so"), &[(symbol, weak)])
}

/// Imports `path` as `module` with `python`: `Ok(true)` if every symbol bound (the hook ran),
/// `Ok(false)` on `undefined symbol`, `Err` on anything else.
fn imports(python: &Path, module: &str, path: &Path) -> Result<bool, String> {
    let script = r#"
import importlib.machinery, importlib.util, sys
name, path = sys.argv[1], sys.argv[2]
try:
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    importlib.util.module_from_spec(spec)
    print("loaded")
except ImportError as error:
    print("undefined" if "undefined symbol" in str(error) else "other: " + str(error))
except SystemError:
    print("loaded")
"#;
    let output = Command::new(python)
        .args(["-c", script, module])
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    match String::from_utf8_lossy(&output.stdout).trim() {
        "loaded" => Ok(true),
        "undefined" => Ok(false),
        other => Err(format!(
            "{other} {}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// pyinit-check's verdict for `path` on 3.`minor`: `true` when it passes without PYI010.
fn pyinit_check_passes(path: &Path, minor: u16) -> bool {
    let version = format!("3.{minor}");
    let output = run(&["--python", &version, path.to_str().unwrap()]);
    let text = stdout(&output);
    let flagged = text.contains("PYI010");
    assert_eq!(
        code(&output) != 0,
        flagged,
        "exit code and findings disagree:\n{text}"
    );
    !flagged
}

#[test]
fn cpython_refuses_exactly_the_modules_pyinit_check_fails() {
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        support::skip("the oracle builds x86_64 ELF modules for x86_64 Linux interpreters");
        return;
    }
    if !support::have_gcc("the C-API oracle") {
        return;
    }
    let interpreters: Vec<(u16, PathBuf)> = MINORS
        .iter()
        .filter_map(|&minor| match interpreter(minor) {
            Some(path) => Some((minor, path)),
            None => {
                support::skip(&format!("CPython 3.{minor} is not installed under pyenv"));
                None
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut cases: Vec<(String, PathBuf, &str)> = SYMBOLS
        .iter()
        .enumerate()
        .map(|(i, symbol)| {
            let module = format!("strong{i}");
            let path = build(dir.path(), &module, symbol, false);
            (module, path, *symbol)
        })
        .collect();
    // A weak reference binds to null: CPython imports it everywhere, and so must the verdict.
    let weak = build(dir.path(), "weak", "PyCMethod_New", true);
    cases.push(("weak".into(), weak, "PyCMethod_New (weak)"));

    let mut agreed = 0;
    let mut refused = 0;
    let mut outcomes: Vec<Vec<(u16, bool)>> = Vec::new();
    for (module, path, symbol) in &cases {
        let mut per_version = Vec::new();
        for (minor, python) in &interpreters {
            let loaded = imports(python, module, path)
                .unwrap_or_else(|e| panic!("{symbol} on 3.{minor}: unexpected import result: {e}"));
            per_version.push((*minor, loaded));
            let passes = pyinit_check_passes(path, *minor);
            assert_eq!(
                passes,
                loaded,
                "{symbol} on CPython 3.{minor}: the import {} but pyinit-check {}",
                if loaded {
                    "bound it"
                } else {
                    "failed with `undefined symbol`"
                },
                if passes { "passes" } else { "fails" }
            );
            agreed += 1;
            refused += usize::from(!loaded);
        }
        outcomes.push(per_version);
    }
    println!(
        "C-API oracle: {agreed} verdicts agree ({} modules × {} interpreters; {refused} imports refused)",
        cases.len(),
        interpreters.len()
    );
    // The set must exercise both outcomes, or it proves nothing.
    assert!(refused > 0 && refused < agreed);

    // The same modules as `.abi3.so` members of `cp3F-abi3` wheels: PYI011 must report an
    // error exactly when some interpreter at or above the floor refused the import.
    let mut abi3_agreed = 0;
    for floor in [8u16, 10, 12] {
        for ((module, path, symbol), per_version) in cases.iter().zip(&outcomes) {
            let wheel = dir
                .path()
                .join(format!("{module}-1.0-cp3{floor}-abi3-linux_x86_64.whl"));
            support::write_wheel(
                &wheel,
                &[(&format!("{module}.abi3.so"), std::fs::read(path).unwrap())],
            );
            let refused_from_floor = per_version
                .iter()
                .any(|(minor, loaded)| *minor >= floor && !loaded);
            let output = run(&[wheel.to_str().unwrap()]);
            let text = stdout(&output);
            let error = text.contains("error[PYI011");
            assert_eq!(
                error,
                refused_from_floor,
                "{symbol} in a cp3{floor}-abi3 wheel: an interpreter from the floor on {} the import, but pyinit-check {}:\n{text}",
                if refused_from_floor {
                    "refused"
                } else {
                    "accepted"
                },
                if error {
                    "reports an error"
                } else {
                    "does not"
                }
            );
            assert_eq!(code(&output) != 0, error, "{text}");
            abi3_agreed += 1;
        }
    }
    println!("C-API oracle, abi3: {abi3_agreed} wheel verdicts agree (3 floors)");
}
