//! PYI008 module-name-typo: a setting that looks like maturin's `module-name` but is not it,
//! so maturin ignores it and names the module after something else (maturin#2460).

use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI008",
    name: "module-name-typo",
    summary: "A pyproject.toml setting looks like [tool.maturin] module-name but is not it.",
    help: "maturin reads the module name from `module-name` under `[tool.maturin]`. A near miss \
— `module_name`, `modulename`, `moduleName`, a `[tool.maturin.module-name]` table, or \
`module-name` under `[project]` — is silently ignored, and the module is named after \
Cargo's `[lib] name` or the package instead. Spell it:\n\n\
```toml\n[tool.maturin]\nmodule-name = \"my_package._core\"\n```",
    severity: Severity::Warning,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let Some(context) = &facts.artifact.crate_context else {
        return Ok(Vec::new());
    };
    Ok(context
        .config_warnings
        .iter()
        .map(|warning| {
            Finding::new(&RULE, warning.message.clone())
                .help("Write `module-name` (with a dash) under [tool.maturin].")
                .at(warning.location.clone())
        })
        .collect())
}
