//! PYI004 invalid-module-name: the module name cannot be a Python identifier, so no hook
//! name can be derived and no `import` statement can name it.

use crate::hook::validate_component;
use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, Rule, Severity};
use crate::model::NameSource;

pub static RULE: Rule = Rule {
    id: "PYI004",
    name: "invalid-module-name",
    summary: "The module name is not a valid Python identifier.",
    help: "Module names are Python identifiers: letters, digits and `_`, not starting with a \
digit. A `-` is the usual culprit: Cargo package names may contain it, module names may not \
(maturin rejects them too). Set `[lib] name` or `[tool.maturin] module-name` to the \
underscore form, e.g. `my_module`.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let source = &facts.artifact.identity.name_source;
    let error = match facts.hooks {
        Err(error) => error,
        // A file name CPython found: the loader derives its hook whatever the name, and
        // `importlib` imports it (mypyc's `<hash>__mypyc` group libraries live so).
        Ok(hooks) => {
            if validate_component(&hooks.module).is_ok() {
                return Ok(Vec::new());
            }
            return Ok(vec![
                Finding::new(
                    &RULE,
                    format!(
                        "Module `{}` is no Python identifier, so only `importlib.import_module` can import it, not an `import` statement; its hook `{}` was checked as CPython derives it.",
                        hooks.module, hooks.init
                    ),
                )
                .severity(Severity::Note),
            ]);
        }
    };
    let mut finding = Finding::new(
        &RULE,
        format!("Invalid module name (from the {source}): {error}."),
    )
    .help("Use a Python identifier: letters, digits and `_` (for example replace `-` with `_`).");
    if let NameSource::Config { location, .. } = source {
        finding = finding.at(location.clone());
    }
    Ok(vec![finding])
}
