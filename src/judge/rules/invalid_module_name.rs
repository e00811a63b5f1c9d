//! PYI004 invalid-module-name: the module name cannot be a Python identifier, so no hook
//! name can be derived and no `import` statement can name it.

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
    let Err(error) = facts.hooks else {
        return Ok(Vec::new());
    };
    let source = &facts.artifact.identity.name_source;
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
