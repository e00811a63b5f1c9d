//! Crafted modules for PYI010 and PYI011: each gives exactly its finding, and what must not be
//! flagged (weak references, stable symbols, interpreters nothing is known of) is not.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{build_c_module, have_gcc, run, write_wheel};

/// `(rule id, severity, message)` of every finding for `args`.
fn findings(args: &[&str]) -> Vec<(String, String, String)> {
    let mut full = vec!["--format", "json"];
    full.extend_from_slice(args);
    let output = run(&full);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|artifact| artifact["findings"].as_array().unwrap().clone())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ids(found: &[(String, String, String)]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|(id, severity, _)| (id.as_str(), severity.as_str()))
        .collect()
}

fn module(dir: &Path, file_name: &str, symbols: &[(&str, bool)]) -> String {
    let module = file_name.split('.').next().unwrap();
    build_c_module(dir, module, file_name, symbols)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_symbol_missing_from_the_tagged_version_is_an_error() {
    if !have_gcc("the PYI010 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tagged = module(
        dir.path(),
        "cm.cpython-38-x86_64-linux-gnu.so",
        &[("PyCMethod_New", false), ("PyObject_GetAttr", false)],
    );
    let found = findings(&[&tagged]);
    assert_eq!(ids(&found), [("PYI010", "error")]);
    assert!(found[0].2.contains(
        "imports `PyCMethod_New`, which CPython 3.8 does not export (exported by CPython 3.9–3.13)"
    ));
    // The same file declared for 3.9+ is fine; 3.14 is known only through the stable ABI,
    // which says nothing of PyCMethod_New: no verdict, so no finding.
    assert!(findings(&["--python", "3.9", "--python", "3.14", &tagged]).is_empty());
}

#[test]
fn a_weak_reference_is_not_counted() {
    if !have_gcc("the PYI010 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let weak = module(
        dir.path(),
        "wk.cpython-38-x86_64-linux-gnu.so",
        &[("PyCMethod_New", true)],
    );
    assert!(findings(&[&weak]).is_empty());
}

#[test]
fn unknown_targets_are_reported_only_when_no_interpreter_imports() {
    if !have_gcc("the PYI010 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 3.10–3.12 can import this one: built for one of them, presumably; nothing to say.
    let some = module(
        dir.path(),
        "rg.so",
        &[("Py_NewRef", false), ("_PyArg_ParseStack_SizeT", false)],
    );
    assert!(findings(&[&some]).is_empty());
    // PyAST_Check left with 3.8, Py_NewRef came with 3.10: no interpreter has both.
    let none = module(
        dir.path(),
        "nw.so",
        &[("Py_NewRef", false), ("PyAST_Check", false)],
    );
    let found = findings(&[&none]);
    assert_eq!(ids(&found), [("PYI010", "warning")]);
    assert!(
        found[0].2.contains("imports on none of CPython 3.8–3.13"),
        "{}",
        found[0].2
    );
    // So is a free-threaded-only symbol without a `t` target.
    let ft = module(dir.path(), "fu.so", &[("PyUnstable_Module_SetGIL", false)]);
    assert_eq!(ids(&findings(&[&ft])), [("PYI010", "warning")]);
}

/// PyO3 #5722: a free-threaded build's `PyUnstable_Module_SetGIL` on a GIL interpreter.
#[test]
fn a_free_threaded_only_symbol_fails_on_gil_builds() {
    if !have_gcc("the PYI010 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let gil = module(
        dir.path(),
        "ft.cpython-313-x86_64-linux-gnu.so",
        &[("PyUnstable_Module_SetGIL", false)],
    );
    let found = findings(&[&gil]);
    assert_eq!(ids(&found), [("PYI010", "error")]);
    assert!(found[0].2.contains("exported from CPython 3.13t on"));
    assert!(findings(&["--python", "3.13t", &gil]).is_empty());
}

#[test]
fn many_missing_symbols_fold_into_one_finding() {
    if !have_gcc("the PYI010 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let symbols = [
        "PyCMethod_New",
        "Py_NewRef",
        "Py_XNewRef",
        "PyType_GetModuleByDef",
        "PyUnstable_Code_New",
        "PyDict_GetItemRef",
        "PyList_GetItemRef",
    ];
    let strong: Vec<(&str, bool)> = symbols.iter().map(|s| (*s, false)).collect();
    let many = module(dir.path(), "mn.cpython-38-x86_64-linux-gnu.so", &strong);
    let found = findings(&[&many]);
    assert_eq!(found.len(), 6);
    assert!(found[5].2.contains("imports 2 more CPython symbols"));
}

#[test]
fn abi3_findings_follow_the_floor() {
    if !have_gcc("the PYI011 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = module(
        dir.path(),
        "ab.abi3.so",
        &[
            ("PyObject_GetAttr", false),
            ("PyType_GetModuleByDef", false),
            ("_PyObject_GetMethod", false),
        ],
    );
    let wheel = |floor: &str| {
        let path = dir
            .path()
            .join(format!("ab-1.0-{floor}-abi3-linux_x86_64.whl"));
        write_wheel(&path, &[("ab.abi3.so", std::fs::read(&file).unwrap())]);
        path.to_string_lossy().into_owned()
    };
    // cp311: PyType_GetModuleByDef exists from 3.11 but joined the stable ABI in 3.13;
    // _PyObject_GetMethod was never in it.
    let found = findings(&[&wheel("cp311")]);
    assert_eq!(ids(&found), [("PYI011", "warning"), ("PYI011", "warning")]);
    assert!(found[0].2.contains("`PyType_GetModuleByDef`, which joined the stable ABI in 3.13, after its floor 3.11 (from the wheel tag)"));
    assert!(
        found[1]
            .2
            .contains("`_PyObject_GetMethod`, which is not in the stable ABI")
    );
    // cp38: CPython 3.8–3.10 lack PyType_GetModuleByDef, so the promise is already broken.
    let found = findings(&[&wheel("cp38")]);
    assert_eq!(found[0].0, "PYI011");
    assert_eq!(found[0].1, "error");
    assert!(
        found[0]
            .2
            .contains("which CPython 3.8–3.10 does not export")
    );
    // --python names the floor for a bare file; PYI010 stays silent for abi3 modules.
    let found = findings(&["--python", "3.13", &file]);
    assert_eq!(ids(&found), [("PYI011", "warning")]);
}

#[test]
fn abi3t_gets_warnings_never_errors() {
    if !have_gcc("the PYI011 tests") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = module(
        dir.path(),
        "at.abi3t.so",
        &[
            ("_PyArg_ParseStack_SizeT", false),
            ("PyObject_GetAttr", false),
        ],
    );
    let found = findings(&[&file]);
    assert_eq!(ids(&found), [("PYI011", "warning")]);
}

/// Runs `program` with LLVM 14's tools first on PATH (Debian keeps `llvm-dlltool` there).
fn llvm(program: &str) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    let path = std::env::var("PATH").unwrap_or_default();
    command.env("PATH", format!("/usr/lib/llvm-14/bin:{path}"));
    command
}

/// PE: the import directory names the DLL; a missing export fails `LoadLibraryExW`. A
/// Windows-only stable symbol, absent from every Linux library the table was read from, must
/// not be reported for a DLL import.
#[test]
fn pe_imports_from_the_python_dll_are_judged() {
    let tools = ["clang", "lld-link", "llvm-dlltool"];
    if tools
        .iter()
        .any(|tool| llvm(tool).arg("--version").output().is_err())
    {
        support::skip("the PE import test needs clang, lld-link and llvm-dlltool");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let symbols = [
        "PyCMethod_New",
        "PyObject_GetAttr",
        "PyErr_SetFromWindowsErr",
    ];
    let mut source = String::new();
    for symbol in symbols {
        source.push_str(&format!("__declspec(dllimport) extern char {symbol};\n"));
    }
    source.push_str("__declspec(dllexport) void *PyInit_pe(void) { void *volatile p;");
    for symbol in symbols {
        source.push_str(&format!(" p = &{symbol};"));
    }
    source.push_str(" (void)p; return 0; }\n");
    std::fs::write(path("pe.c"), source).unwrap();
    std::fs::write(
        path("python38.def"),
        format!("LIBRARY python38.dll\nEXPORTS\n{}\n", symbols.join("\n")),
    )
    .unwrap();
    let ok = |command: &mut std::process::Command| {
        assert!(command.status().expect("runs").success(), "{command:?}");
    };
    ok(llvm("llvm-dlltool")
        .args(["-m", "i386:x86-64", "-d"])
        .arg(path("python38.def"))
        .arg("-l")
        .arg(path("python38.lib")));
    ok(llvm("clang")
        .args(["--target=x86_64-pc-windows-msvc", "-O0", "-c"])
        .arg(path("pe.c"))
        .arg("-o")
        .arg(path("pe.o")));
    let pyd = path("pe.cp38-win_amd64.pyd");
    ok(llvm("lld-link")
        .args([
            "/nologo",
            "/nodefaultlib",
            "/noentry",
            "/dll",
            "/machine:x64",
        ])
        .arg(path("pe.o"))
        .arg(path("python38.lib"))
        .arg(format!("/out:{}", pyd.display())));
    let found = findings(&[pyd.to_str().unwrap()]);
    assert_eq!(ids(&found), [("PYI010", "error")]);
    assert!(
        found[0]
            .2
            .contains("imports `PyCMethod_New`, which CPython 3.8 does not export")
    );
    assert!(
        found[0]
            .2
            .contains("The specified procedure could not be found")
    );
}

/// Mach-O: CPython's symbols are undefined entries of the nlist table, bound by name in the
/// flat namespace (`-undefined dynamic_lookup`); `N_WEAK_REF` ones may stay unbound.
#[test]
fn macho_undefined_symbols_are_judged() {
    if ["clang", "ld64.lld"]
        .iter()
        .any(|tool| llvm(tool).arg("--version").output().is_err())
    {
        support::skip("the Mach-O import test needs clang and ld64.lld");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    std::fs::write(
        path("mo.c"),
        "extern char Py_NewRef, PyObject_GetAttr;\n\
         __attribute__((weak_import)) extern char PyCMethod_New;\n\
         void *PyInit_mo(void) { void *volatile p = &Py_NewRef; p = &PyObject_GetAttr; p = &PyCMethod_New; (void)p; return 0; }\n",
    )
    .unwrap();
    let ok = |command: &mut std::process::Command| {
        assert!(command.status().expect("runs").success(), "{command:?}");
    };
    ok(llvm("clang")
        .args(["--target=arm64-apple-macos11", "-O0", "-c"])
        .arg(path("mo.c"))
        .arg("-o")
        .arg(path("mo.o")));
    let module = path("mo.cpython-39-darwin.so");
    ok(llvm("ld64.lld")
        .args([
            "-dylib",
            "-arch",
            "arm64",
            "-platform_version",
            "macos",
            "11.0",
            "11.0",
        ])
        .args(["-undefined", "dynamic_lookup"])
        .arg(path("mo.o"))
        .arg("-o")
        .arg(&module));
    let found = findings(&[module.to_str().unwrap()]);
    assert_eq!(ids(&found), [("PYI010", "error")], "{found:?}");
    assert!(
        found[0]
            .2
            .contains("imports `Py_NewRef`, which CPython 3.9 does not export")
    );
    assert!(found[0].2.contains("symbol not found"));
    // The weak PyCMethod_New would be missing on 3.8 too, but binds to null there.
    let on_38 = findings(&["--python", "3.8", module.to_str().unwrap()]);
    assert!(
        on_38
            .iter()
            .all(|(_, _, message)| !message.contains("PyCMethod_New"))
    );
}
