//! PYI001 missing-module-hook: the entry point CPython looks up is not exported.
//!
//! This is the failure users otherwise meet only at `import` time as `ImportError: dynamic
//! module does not define module export function`. Every slice of a universal file is
//! checked, because dyld loads only the host's slice.

use crate::hook::{HookNames, module_of_symbol};
use crate::inspect::{InspectError, LookupOutcome, SliceView};
use crate::judge::{Facts, Finding, HookLookups, Rule, Severity};
use crate::model::{NameSource, PyModuleItem};
use crate::python::ModExportCoverage;

pub static RULE: Rule = Rule {
    id: "PYI001",
    name: "missing-module-hook",
    summary: "The module's entry point (PyInit_<module>) is not exported where CPython looks for it.",
    help: "CPython imports an extension module `foo` by looking up the exported symbol \
`PyInit_foo` (`PyInitU_<punycode>` for a non-ASCII name; CPython 3.15+ first tries \
`PyModExport_foo`). If the symbol is missing, `import foo` fails with `ImportError: dynamic \
module does not define module export function (PyInit_foo)`.\n\n\
With PyO3 the symbol is named after the `#[pymodule]` function (or its `#[pyo3(name = \"...\")]`), \
while the file is named after Cargo.toml `[lib] name` or `[tool.maturin] module-name`. Make the \
three agree:\n\n\
```rust\n#[pymodule]\nfn foo(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n```\n\n\
```toml\n[lib]\nname = \"foo\"\ncrate-type = [\"cdylib\"]\n```\n\n\
Also check that the hook is not hidden (visibility), that the file is the `cdylib` and not \
cargo's intermediate object, and, for universal2 builds, that every architecture slice was built \
from the same source.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Ok(hooks) = facts.hooks else {
        return Ok(Vec::new());
    };
    let mut findings = Vec::new();
    for slice in facts.shared_libraries() {
        findings.extend(check_slice(facts, hooks, slice)?);
    }
    Ok(findings)
}

fn check_slice(
    facts: &Facts,
    hooks: &HookNames,
    slice: &SliceView<'_>,
) -> Result<Option<Finding>, InspectError> {
    let found = HookLookups::of(slice, hooks)?;
    let LookupOutcome::Missing(reason) = found.init else {
        return Ok(None);
    };
    let prefix = facts.slice_prefix(slice);
    let module = &hooks.module;
    if found.mod_export.is_resolvable() {
        // Only PyModExport_: fatal only when no targeted interpreter looks it up.
        let ModExportCoverage::None(versions) =
            facts.artifact.identity.python.mod_export_coverage()
        else {
            return Ok(None);
        };
        let message = format!(
            "{prefix}Module `{module}` exports only `{}`, which CPython {versions} does not look up; it needs `{}`.",
            hooks.mod_export, hooks.init
        );
        let help = "PyModExport_ hooks (PEP 793) are used by CPython 3.15 and later only. Build for \
                    3.15+ (abi3t), or export PyInit_ as well: a PyO3 build for older versions does.";
        return Ok(Some(
            Finding::new(&RULE, message)
                .help(help)
                .slice(Some(slice.arch())),
        ));
    }
    let reason = slice.explain_miss(&hooks.init, reason)?;
    let mut message = format!(
        "{prefix}Module `{module}` has no entry point: `{}` is not exported ({reason}).",
        hooks.init
    );
    let exported = slice.exported_hooks()?;
    let help = match suggest(facts, hooks, &exported) {
        Some((found, help)) => {
            message.push_str(&format!(" It exports {found} instead."));
            help
        }
        None => {
            message.push_str(" It exports no PyInit_ or PyModExport_ symbol at all.");
            "Check that the crate defines a #[pymodule], that the file is the cdylib \
             ([lib] crate-type = [\"cdylib\"]), and that the hook is not hidden."
                .to_string()
        }
    };
    let finding = Finding::new(&RULE, message)
        .help(help)
        .slice(Some(slice.arch()));
    Ok(Some(point_at_source(facts, hooks, &exported, finding)))
}

/// For a cargo output, says which `#[pymodule]` disagrees with which setting, and points the
/// finding at both lines — the verdict itself came from the binary.
fn point_at_source(
    facts: &Facts,
    hooks: &HookNames,
    exported_hooks: &[String],
    mut finding: Finding,
) -> Finding {
    let config = match &facts.artifact.identity.name_source {
        NameSource::Config { key, location } => Some((key, location)),
        _ => None,
    };
    if let Some(item) = culprit(facts, hooks, exported_hooks) {
        let place = match item.location.line {
            Some(line) => format!("{}:{line}", item.location.path.display()),
            None => item.location.path.display().to_string(),
        };
        let said_by = config
            .map(|(key, _)| key.as_str())
            .unwrap_or("the file name");
        finding.message.push_str(&format!(
            " `{}` at {place} exports `PyInit_{}`, but {said_by} says `{}` — rename one of them.",
            item.location.label, item.name, facts.artifact.identity.name
        ));
        finding = finding.at(item.location.clone());
    }
    if let Some((_, location)) = config {
        finding = finding.at(location.clone());
    }
    finding
}

/// The crate's `#[pymodule]` that disagrees: the one whose hook the file exports, else any
/// whose name is not the module's.
fn culprit<'f>(
    facts: &Facts<'f, '_>,
    hooks: &HookNames,
    exported_hooks: &[String],
) -> Option<&'f PyModuleItem> {
    let pymodules = facts
        .artifact
        .crate_context
        .as_ref()
        .map(|context| context.pymodules.as_slice())
        .unwrap_or_default();
    let exported = |name: &str| {
        exported_hooks
            .iter()
            .any(|h| module_of_symbol(h).is_some_and(|(m, _)| m == name))
    };
    pymodules
        .iter()
        .find(|item| item.name != hooks.module && exported(&item.name))
        .or_else(|| pymodules.iter().find(|item| item.name != hooks.module))
}

/// What the slice exports instead, and the fix that follows from it.
fn suggest(facts: &Facts, hooks: &HookNames, exported: &[String]) -> Option<(String, String)> {
    let first = exported.first()?;
    let found = exported
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let Some((other, _)) = module_of_symbol(first) else {
        return Some((
            found,
            "Make the module name and the exported hook agree.".into(),
        ));
    };
    let module = &hooks.module;
    if module.strip_prefix("lib") == Some(other) {
        return Some((
            found,
            format!(
                "This looks like cargo's output file, which CPython would import as `{module}`. \
                 Rename it to `{other}` plus an extension suffix (e.g. `{other}.abi3.so`), as maturin does."
            ),
        ));
    }
    let identity = &facts.artifact.identity;
    let item = culprit(facts, hooks, exported).filter(|item| item.name == other);
    let fix_source = match item {
        Some(item) if item.renamed && item.rust_name == *module => format!(
            "Remove the `name = \"{other}\"` option of `{}` (the function is already named `{module}`) \
             or set it to `\"{module}\"`",
            item.location.label
        ),
        Some(item) if item.renamed => format!(
            "Set the `name = \"{other}\"` option of `{}` to `\"{module}\"`",
            item.location.label
        ),
        Some(item) => format!(
            "Rename `{}` to `{module}` (or give it #[pyo3(name = \"{module}\")])",
            item.location.label
        ),
        None => {
            format!("Rename the #[pymodule] to `{module}` (or add #[pyo3(name = \"{module}\")])")
        }
    };
    // The other way round: change the setting that decided the name — keeping a dotted
    // name's package — and only that one: `[lib] name` does nothing while module-name is set.
    let renamed = match identity.name.rsplit_once('.') {
        Some((package, _)) => format!("{package}.{other}"),
        None => other.to_owned(),
    };
    let fix_name = match &identity.name_source {
        NameSource::Config { key, .. } => format!("set {key} to `{renamed}`"),
        // Without the project at hand, the setting that named the file is not known.
        NameSource::FileName => format!(
            "name the module `{renamed}` (Cargo.toml [lib] name / [tool.maturin] module-name)"
        ),
        NameSource::CommandLine => format!("pass --module-name {renamed}"),
    };
    let intro = match item {
        Some(item) => format!("`{}` exports `PyInit_{other}`", item.location.label),
        None => format!("The #[pymodule] is probably named `{other}`"),
    };
    Some((
        found,
        format!(
            "{intro}, but the module is `{}` (from the {}). {fix_source}, or {fix_name}.",
            identity.name, identity.name_source
        ),
    ))
}
