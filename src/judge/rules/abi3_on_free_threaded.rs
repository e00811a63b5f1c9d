//! PYI018 abi3-on-free-threaded: an `.abi3.so` module is installed for a free-threaded
//! interpreter, whose object layout the stable ABI of the GIL build does not describe.

use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::model::VersionSource;
use crate::python::{PythonTargets, PythonVersion, describe_versions};

pub static RULE: Rule = Rule {
    id: "PYI018",
    name: "abi3-on-free-threaded",
    summary: "An .abi3.so module is meant for a free-threaded interpreter (3.13t, 3.14t), which the abi3 stable ABI does not cover.",
    help: "The stable ABI `abi3` (PEP 384) describes the GIL build of CPython: its macros touch \
`ob_refcnt` and the object header as the GIL build lays them out. Free-threaded builds \
(PEP 703; `cp313t`) lay objects out differently. Installers never choose an `abi3` wheel for a \
free-threaded interpreter, but a wheel tagged `cp313-cp313t` that carries an `.abi3.so` file \
is installed, and CPython 3.13t and 3.14t still import files with the `.abi3.so` suffix: the \
module then runs with the wrong object layout and crashes or corrupts memory (CPython \
gh-120901). From 3.15 free-threaded builds no longer import `.abi3.so` at all and look for \
`abi3t` modules instead (PEP 803), so the import fails with `ModuleNotFoundError`.\n\n\
Fix: build a version-specific module for each free-threaded interpreter \
(`.cpython-313t-<platform>.so`; PyO3 supports free-threaded builds without the `abi3` \
feature), or an `abi3t` module for 3.15t and later.",
    severity: Severity::Error,
};

/// The first free-threaded CPython whose extension suffixes leave `.abi3.so` out (PEP 803).
const FIRST_FREE_THREADED_WITHOUT_ABI3: u16 = 15;

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let identity = &facts.artifact.identity;
    let abi3_file = identity
        .stable_abi
        .is_some_and(|stable| !stable.free_threaded);
    // On Windows abi3 modules are plain `.pyd` files: the suffix rule is POSIX's.
    let suffix = facts
        .artifact
        .path
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.ends_with(".abi3.so") || name.contains(".abi3-"));
    let PythonTargets::Versions(targets) = &identity.python else {
        return Ok(Vec::new());
    };
    if !abi3_file || !suffix {
        return Ok(Vec::new());
    }
    let free_threaded: Vec<PythonVersion> = targets
        .iter()
        .copied()
        .filter(|t| t.free_threaded)
        .collect();
    if free_threaded.is_empty() {
        return Ok(Vec::new());
    }
    let (loads, refuses): (Vec<PythonVersion>, Vec<PythonVersion>) = free_threaded
        .iter()
        .partition(|v| v.minor < FIRST_FREE_THREADED_WITHOUT_ABI3);
    let mut consequences = Vec::new();
    if !loads.is_empty() {
        consequences.push(format!(
            "CPython {} imports it by its `.abi3.so` suffix and runs GIL-build code on free-threaded objects (crashes, gh-120901)",
            describe_versions(&loads)
        ));
    }
    if !refuses.is_empty() {
        consequences.push(format!(
            "CPython {} no longer imports `.abi3.so` files (`ModuleNotFoundError`)",
            describe_versions(&refuses)
        ));
    }
    let cause = format!(
        "is meant for free-threaded CPython {} ({}): {}.",
        describe_versions(&free_threaded),
        identity.python_source,
        consequences.join("; "),
    );
    let of_the_wheel = identity.python_source == VersionSource::WheelTag;
    Ok(vec![
        Finding::new(
            &RULE,
            format!("abi3 module `{}` {cause}", identity.name),
        )
        .wheel_cause(of_the_wheel.then(|| format!("An abi3 module {cause}")))
        .help("Build a version-specific module for each free-threaded interpreter (`.cpython-313t-<platform>.so`), or an abi3t module for 3.15t and later."),
    ])
}
