//! PYI009 module-name-conflict: `--module-name` says one module, but the file's own name says
//! another, and CPython goes by the file name.
//!
//! `importlib` derives the module from the file name (`_speedups.cpython-312-….so` is
//! `_speedups`) and looks up `PyInit__speedups`; no flag of ours changes what the import does.
//! Checking the flag's name instead would pass exactly the file that fails at import time.

use crate::inspect::InspectError;
use crate::judge::{Facts, Finding, Rule, Severity};

pub static RULE: Rule = Rule {
    id: "PYI009",
    name: "module-name-conflict",
    summary: "--module-name names a different module than the file name, which is what CPython imports.",
    help: "For a file whose name carries its module (`_speedups.cpython-312-x86_64-linux-gnu.so`, \
`foo.abi3.so`, `foo.cp312-win_amd64.pyd`, `foo.so`), CPython imports the module the file name \
says and looks up its hook (`PyInit__speedups`). `--module-name` cannot change that, so \
pyinit-check checks the file-name module and reports the conflict.\n\n\
Either rename the file to the module you mean, or drop `--module-name`. `--module-name` (and \
the cargo project's configured name) applies to cargo's outputs, whose names do not carry \
the module: `libfoo.so`, `libfoo.dylib`, `foo.dll`.",
    severity: Severity::Error,
};

pub fn check(facts: &Facts) -> Result<Vec<Finding>, InspectError> {
    let identity = &facts.artifact.identity;
    let Some(given) = &identity.overridden else {
        return Ok(Vec::new());
    };
    let hook = match facts.hooks {
        Ok(hooks) => format!("`{}`", hooks.init),
        Err(_) => "its hook".to_string(),
    };
    let message = format!(
        "CPython imports this file as `{}` and looks up {hook}; --module-name `{given}` cannot change that.",
        identity.name
    );
    Ok(vec![Finding::new(&RULE, message).help(format!(
        "Rename the file to `{given}` plus its suffix if that is the module you mean, or drop --module-name."
    ))])
}
