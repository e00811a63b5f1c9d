//! PYI014 wrong-python-dll: a Windows module imports CPython from a DLL that the interpreters
//! it is for do not ship.

use crate::inspect::{BinaryFormat, InspectError};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::python::{PythonTargets, PythonVersion, describe_versions};

pub static RULE: Rule = Rule {
    id: "PYI014",
    name: "wrong-python-dll",
    summary: "A Windows module imports CPython from a DLL its interpreters do not have (python3X.dll vs python3.dll).",
    help: "A Windows extension module names the DLL each CPython function comes from, and the \
loader binds them before the module runs. Each interpreter ships its own `python3X.dll` \
(`python313t.dll` for a free-threaded build) and the stable-ABI forwarder `python3.dll`. So:\n\n\
- an abi3 module (in a `cp38-abi3` wheel) must import from `python3.dll`; importing \
`python312.dll` loads on CPython 3.12 only (maturin#2526);\n\
- a module for one version must import that version's DLL: a `cp312` module importing \
`python311.dll` loads nowhere it is installed.\n\n\
Either way the import fails with `DLL load failed while importing …: The specified module \
could not be found`.\n\n\
Fix: PyO3 picks the DLL from its configuration: build abi3 modules with an `abi3-py3X` feature \
(and `PYO3_PYTHON`/`-i` pointing at the interpreter you tag for); maturin does this when its \
`--interpreter` matches the tag.",
    severity: Severity::Error,
};

/// A CPython DLL a module imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PythonDll {
    /// `python3.dll` (`python3t.dll`): the stable ABI, forwarding to the running version.
    StableAbi,
    /// `python312.dll`, `python313t.dll`.
    Version(PythonVersion),
}

/// Reads `python3.dll`, `python312.dll`, `python313t.dll`, `python312_d.dll` (any case).
fn python_dll(name: &str) -> Option<PythonDll> {
    let lower = name.to_ascii_lowercase();
    let tag = lower.strip_prefix("python3")?.strip_suffix(".dll")?;
    let tag = tag.strip_suffix("_d").unwrap_or(tag);
    if tag.is_empty() || tag == "t" {
        return Some(PythonDll::StableAbi);
    }
    let (digits, free_threaded) = match tag.strip_suffix('t') {
        Some(digits) => (digits, true),
        None => (tag, false),
    };
    let minor = digits
        .parse()
        .ok()
        .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))?;
    Some(PythonDll::Version(PythonVersion {
        minor,
        free_threaded,
    }))
}

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    if facts.format() != BinaryFormat::Pe {
        return Ok(Vec::new());
    }
    let identity = &facts.artifact.identity;
    let module = &identity.name;
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let mut dlls: Vec<(String, PythonDll)> = Vec::new();
        for library in slice.needed_libraries()?.iter() {
            if let Some(dll) = python_dll(&library.name)
                && !dlls.iter().any(|(_, seen)| *seen == dll)
            {
                dlls.push((library.name.clone(), dll));
            }
        }
        let finding = |message: String| Finding::new(&RULE, message).slice(Some(slice.arch()));
        if dlls.len() > 1 {
            let names: Vec<String> = dlls.iter().map(|(name, _)| format!("`{name}`")).collect();
            findings.push(finding(format!(
                "Module `{module}` imports CPython from {}: no interpreter ships all of them, so it loads nowhere.",
                names.join(" and ")
            )));
            continue;
        }
        let Some((name, PythonDll::Version(version))) = dlls.pop() else {
            continue;
        };
        if identity.stable_abi.is_some() {
            findings.push(
                finding(format!(
                    "abi3 module `{module}` imports CPython from `{name}`, which only CPython {version} has: on every other version the import fails with `DLL load failed … The specified module could not be found`."
                ))
                .help("An abi3 module must import from `python3.dll`, the stable ABI every CPython 3 ships."),
            );
            continue;
        }
        let PythonTargets::Versions(targets) = &identity.python else {
            continue;
        };
        let others: Vec<PythonVersion> =
            targets.iter().copied().filter(|t| *t != version).collect();
        if !others.is_empty() {
            findings.push(
                finding(format!(
                    "Module `{module}` is for CPython {} ({}) but imports CPython from `{name}`, which only CPython {version} has: importing it fails with `DLL load failed … The specified module could not be found`.",
                    describe_versions(&others),
                    identity.python_source,
                ))
                .help("Build it with the interpreter it is tagged for (PYO3_PYTHON, `maturin build -i`), or tag it for the one it was built with."),
            );
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dll_names_of_every_build() {
        let v = |text: &str| Some(PythonDll::Version(text.parse().unwrap()));
        assert_eq!(python_dll("python3.dll"), Some(PythonDll::StableAbi));
        assert_eq!(python_dll("PYTHON3.DLL"), Some(PythonDll::StableAbi));
        assert_eq!(python_dll("python312.dll"), v("3.12"));
        assert_eq!(python_dll("python313t.dll"), v("3.13t"));
        assert_eq!(python_dll("python312_d.dll"), v("3.12"));
        assert_eq!(python_dll("python27.dll"), None);
        assert_eq!(python_dll("pythoncom312.dll"), None);
        assert_eq!(python_dll("KERNEL32.dll"), None);
    }
}
