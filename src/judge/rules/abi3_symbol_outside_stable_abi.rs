//! PYI011 abi3-symbol-outside-stable-abi: an abi3 module imports a CPython symbol that is not
//! in the stable ABI of its floor, so its promise ("imports on every CPython from the floor
//! on") rests on luck — or is already broken on an interpreter that does not export it.

use crate::capi::{self, Availability, StableStatus};
use crate::inspect::InspectError;
use crate::judge::cpython_imports::{CpythonImport, cpython_imports, load_failure};
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::python::{FloorSource, PythonVersion, StableAbi, describe_versions};

pub static RULE: Rule = Rule {
    id: "PYI011",
    name: "abi3-symbol-outside-stable-abi",
    summary: "An abi3 module imports a CPython symbol outside the stable ABI of its floor.",
    help: "An `.abi3.so` / `.pyd` in a `cp38-abi3` wheel promises to import on CPython 3.8 and \
every later version, because it uses only the stable ABI (PEP 384) as it stood in 3.8. Each \
symbol the stable ABI gains says in which version (CPython's `Misc/stable_abi.toml`), and \
symbols outside it may change or vanish in any release.\n\n\
- Error: an interpreter at or above the floor does not export the symbol, so the module fails \
there with `undefined symbol`.\n\
- Warning: every interpreter known exports it today, but it is not in the stable ABI, or \
joined it after the floor; a later release may drop it, or the floor is wrong.\n\n\
The floor comes from `--python` (the oldest given), else the wheel tag (`cp38-abi3`). With \
neither, the oldest version the module can run on at all is taken.\n\n\
Fix: build with the limited API of the floor (`Py_LIMITED_API=0x03080000`; PyO3: the \
`abi3-py38` feature, and no `PyO3` features that bypass it), raise the floor to the version \
that added the symbol, or ship version-specific modules instead. Exports of 3.8–3.13 are known \
exactly; later versions and free-threaded builds only through the stable ABI, so an `.abi3t` \
module gets warnings, never errors.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Some(stable) = facts.artifact.identity.stable_abi else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        let imports = cpython_imports(slice)?;
        if imports.is_empty() {
            continue;
        }
        let floor = floor(&stable, &imports);
        let prefix = facts.slice_prefix(slice);
        let module = &facts.artifact.identity.name;
        for import in &imports {
            let finding = match judge(import, &stable, floor) {
                Verdict::Fine => continue,
                Verdict::Absent(lacking) => Finding::new(
                    &RULE,
                    format!(
                        "{prefix}abi3 module `{module}` imports `{}`, which CPython {} does not export ({}): importing it there fails with {}.",
                        import.name,
                        describe_versions(&lacking),
                        availability(import, floor),
                        load_failure(facts.format(), &import.name),
                    ),
                ),
                Verdict::NotStable => Finding::new(
                    &RULE,
                    format!(
                        "{prefix}abi3 module `{module}` imports `{}`, which is not in the stable ABI: it imports today, but any release may drop it.",
                        import.name
                    ),
                )
                .severity(Severity::Warning),
                Verdict::AddedAfterFloor(since) => Finding::new(
                    &RULE,
                    format!(
                        "{prefix}abi3 module `{module}` imports `{}`, which joined the stable ABI in 3.{since}, after its floor {} ({}).",
                        import.name,
                        floor,
                        floor_source(&stable),
                    ),
                )
                .severity(Severity::Warning),
            };
            findings.push(
                finding
                    .help("Build with the limited API of the floor, or raise the floor (wheel tag / --python).")
                    .slice(Some(slice.arch())),
            );
        }
    }
    Ok(findings)
}

enum Verdict {
    Fine,
    /// Interpreters at or above the floor that do not export it.
    Absent(Vec<PythonVersion>),
    NotStable,
    AddedAfterFloor(u16),
}

fn judge(import: &CpythonImport, stable: &StableAbi, floor: PythonVersion) -> Verdict {
    // Free-threaded builds are known only through the stable ABI: no absence is certain.
    if !stable.free_threaded {
        let lacking: Vec<PythonVersion> = capi::exactly_known_versions()
            .filter(|v| v.minor >= floor.minor && import.on(*v) == Availability::Missing)
            .collect();
        if !lacking.is_empty() {
            return Verdict::Absent(lacking);
        }
    }
    match import.row.stable_status(floor.minor) {
        StableStatus::Stable => Verdict::Fine,
        StableStatus::NotStable => Verdict::NotStable,
        // With no floor named, the floor is where the module can start at all: not a promise
        // the module made, so nothing to hold it to.
        StableStatus::AddedAfterFloor(_) if stable.floor.is_none() => Verdict::Fine,
        StableStatus::AddedAfterFloor(since) => Verdict::AddedAfterFloor(since),
    }
}

/// The floor named (`--python`, wheel tag), else the oldest interpreter that exports every
/// import (3.2 at the earliest; 3.15 for `abi3t`, PEP 803).
fn floor(stable: &StableAbi, imports: &[CpythonImport]) -> PythonVersion {
    if let Some(floor) = stable.floor {
        return floor;
    }
    let oldest = if stable.free_threaded { 15 } else { 2 };
    let minor = imports
        .iter()
        .filter_map(|import| import.row.first_exported_by())
        .filter(|first| !first.free_threaded)
        .map(|first| first.minor)
        .chain([oldest])
        .max()
        .unwrap_or(oldest);
    PythonVersion {
        minor,
        free_threaded: stable.free_threaded,
    }
}

fn floor_source(stable: &StableAbi) -> &'static str {
    match stable.floor_source {
        FloorSource::CommandLine => "from --python",
        FloorSource::WheelTag => "from the wheel tag",
        FloorSource::Project => "from PyO3's abi3-py feature",
        FloorSource::Unknown => "the oldest version exporting every import",
    }
}

fn availability(import: &CpythonImport, floor: PythonVersion) -> String {
    let first = import.row.describe_exporters();
    let stable = match import.row.stable_status(floor.minor) {
        StableStatus::Stable => "in the stable ABI".to_string(),
        StableStatus::AddedAfterFloor(since) => format!("stable only from 3.{since}"),
        StableStatus::NotStable => "not in the stable ABI".to_string(),
    };
    format!("{first}; {stable}")
}
