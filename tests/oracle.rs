//! The oracle: for every x86_64 ELF fixture, CPython's own import machinery must agree with
//! pyinit-check's verdict. `ImportError … does not define module export function` means the
//! hook is missing; a module that loads, or whose hook runs (the fixtures' hooks return NULL,
//! so SystemError), means it was found; any other ImportError means the loader refused the file
//! (an executable, an object file) — pyinit-check must fail those too.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{fixture, run, stdout};

/// Asks the interpreter about one file; `None` when no python3 is installed.
fn cpython_finds_hook(module: &str, path: &str) -> Option<Result<bool, String>> {
    let script = r#"
import importlib.machinery, importlib.util, os, sys
name, path = sys.argv[1], sys.argv[2]
# Lazy binding: a fixture that only references its hook must fail on the hook lookup,
# not earlier on the unresolved reference.
sys.setdlopenflags(os.RTLD_LAZY)
try:
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    importlib.util.module_from_spec(spec)
    print("found")
except ImportError as error:
    text = str(error)
    print("missing" if "does not define module export function" in text else "refused: " + text)
except SystemError:
    print("found")
"#;
    let output = Command::new("python3")
        .args(["-c", script, module, path])
        .output()
        .ok()?;
    let answer = String::from_utf8_lossy(&output.stdout).trim().to_string();
    Some(match answer.as_str() {
        "found" => Ok(true),
        "missing" => Ok(false),
        other => Err(other.to_string()),
    })
}

#[test]
fn cpython_agrees_with_every_x86_64_elf_verdict() {
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        support::skip("the fixtures are x86_64 ELF; only an x86_64 Linux python3 can load them");
        return;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        support::skip("python3 is not installed, so the CPython oracle cannot run");
        return;
    }
    let version = Command::new("python3")
        .args([
            "-c",
            "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
        ])
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let dir = fixture("elf");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.contains(".so") {
            continue;
        }
        // Judge for the interpreter that answers, whatever the suffix says.
        let output = run(&[
            "--format",
            "json",
            "--python",
            &version,
            path.to_str().unwrap(),
        ]);
        let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let artifact = &report["artifacts"][0];
        if artifact["status"] == "nothing-to-check" {
            // A plain library (untagged name, no hook exported at all): CPython must find no
            // hook in it either.
            let module = path.file_stem().unwrap().to_str().unwrap();
            let module = module.split('.').next().unwrap();
            let found = cpython_finds_hook(module, path.to_str().unwrap()).expect("python3 runs");
            assert!(
                !matches!(found, Ok(true)),
                "{name}: pyinit-check calls it a plain library, but CPython found its hook"
            );
            checked += 1;
            continue;
        }
        if artifact["slices"][0]["arch"] != "x86_64" {
            continue;
        }
        let module = artifact["module"].as_str().unwrap();
        let passes = artifact["status"] == "pass";
        match cpython_finds_hook(module, path.to_str().unwrap()).expect("python3 runs") {
            Ok(found) => assert_eq!(
                passes, found,
                "{name}: pyinit-check passes={passes}, CPython found={found}"
            ),
            Err(refused) => assert!(
                !passes,
                "{name}: CPython cannot load it ({refused}) but pyinit-check passes"
            ),
        }
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} x86_64 fixtures were compared"
    );
    println!("CPython {version} agreed on {checked} x86_64 ELF fixtures");
}
