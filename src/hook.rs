//! The entry-point names CPython looks up for a module (PEP 489, PEP 793).
//!
//! `Python/importdl.c` takes the last component of the dotted name, encodes a non-ASCII name
//! with punycode under the `U` prefix variant, turns every `-` into `_`, and formats the symbol
//! as `%.20s_%.200s` — so the encoded part is cut at 200 bytes. From 3.15 the loader first asks
//! for `PyModExport_<m>` and only then for `PyInit_<m>`.

use serde::Serialize;
use thiserror::Error;

/// Which of the two entry-point families a symbol belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookKind {
    /// `PyInit_` / `PyInitU_`: every CPython 3.x.
    Init,
    /// `PyModExport_` / `PyModExportU_` (PEP 793): CPython 3.15 and later only.
    ModExport,
}

/// Prefixes of every name CPython could take as an entry point; used to list what a file
/// exports instead when the expected hook is missing.
pub const HOOK_PREFIXES: [&str; 2] = ["PyInit", "PyModExport"];

/// The two symbols CPython may look up for one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookNames {
    /// The module name the hooks were derived from (last dotted component).
    pub module: String,
    pub init: String,
    pub mod_export: String,
}

impl HookNames {
    pub fn symbol(&self, kind: HookKind) -> &str {
        match kind {
            HookKind::Init => &self.init,
            HookKind::ModExport => &self.mod_export,
        }
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ModuleNameError {
    #[error("module name is empty")]
    Empty,
    #[error("module name `{0}` contains `-`, which is not valid in a Python identifier (use `_`)")]
    Dash(String),
    #[error("module name `{0}` is not a valid Python identifier")]
    NotIdentifier(String),
    #[error("module name `{0}` cannot be punycode-encoded")]
    Punycode(String),
}

/// The last component of a dotted module name (`pkg.sub.mod` → `mod`).
pub fn last_component(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// Checks that `name` (one component) is a Python identifier: a letter or `_` first, then
/// letters, digits or `_`.
pub fn validate_component(name: &str) -> Result<(), ModuleNameError> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(ModuleNameError::Empty);
    };
    if name.contains('-') {
        return Err(ModuleNameError::Dash(name.to_string()));
    }
    let starts_well = first == '_' || first.is_alphabetic();
    if !starts_well || !chars.all(|c| c == '_' || c.is_alphanumeric()) {
        return Err(ModuleNameError::NotIdentifier(name.to_string()));
    }
    Ok(())
}

/// Derives the hook symbols for a (possibly dotted) module name that must be a Python
/// identifier: one a configuration or the command line gives, which an `import` statement
/// is to name.
pub fn hook_names(dotted: &str) -> Result<HookNames, ModuleNameError> {
    validate_component(last_component(dotted))?;
    loader_hook_names(dotted)
}

/// Derives the hook symbols exactly as CPython's loader does for whatever name it was asked
/// to import: the path finder matches any dot-free file name, and `importlib` imports names
/// no `import` statement could spell (mypyc's `<hash>__mypyc` group libraries).
pub fn loader_hook_names(dotted: &str) -> Result<HookNames, ModuleNameError> {
    let module = last_component(dotted);
    if module.is_empty() {
        return Err(ModuleNameError::Empty);
    }
    let (encoded, unicode) = if module.is_ascii() {
        (module.replace('-', "_"), false)
    } else {
        let encoded = idna::punycode::encode_str(module)
            .ok_or_else(|| ModuleNameError::Punycode(module.to_string()))?;
        (encoded.replace('-', "_"), true)
    };
    // `%.200s`: both encodings are ASCII, so a byte cut is a character cut.
    let encoded = &encoded[..encoded.len().min(200)];
    let symbol = |prefix: &str| {
        let mut name = String::with_capacity(prefix.len() + 2 + encoded.len());
        name.push_str(prefix);
        if unicode {
            name.push('U');
        }
        name.push('_');
        name.push_str(encoded);
        name
    };
    Ok(HookNames {
        module: module.to_string(),
        init: symbol("PyInit"),
        mod_export: symbol("PyModExport"),
    })
}

/// The module a hook symbol belongs to, when it is an ASCII hook (`PyInit_bar` → `bar`).
/// Used to turn "found PyInit_bar" into advice.
pub fn module_of_symbol(symbol: &str) -> Option<(&str, HookKind)> {
    if let Some(rest) = symbol.strip_prefix("PyInit_") {
        Some((rest, HookKind::Init))
    } else {
        symbol
            .strip_prefix("PyModExport_")
            .map(|rest| (rest, HookKind::ModExport))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_use_plain_prefixes() {
        let hooks = hook_names("pkg.sub.foo").unwrap();
        assert_eq!(hooks.module, "foo");
        assert_eq!(hooks.init, "PyInit_foo");
        assert_eq!(hooks.mod_export, "PyModExport_foo");
    }

    #[test]
    fn non_ascii_names_use_punycode_with_dash_replaced() {
        // The PEP 489 example.
        let hooks = hook_names("lančmít").unwrap();
        assert_eq!(hooks.init, "PyInitU_lanmt_2sa6t");
        assert_eq!(hooks.mod_export, "PyModExportU_lanmt_2sa6t");
    }

    #[test]
    fn encoded_part_is_cut_at_200_bytes() {
        let long = "a".repeat(250);
        let hooks = hook_names(&long).unwrap();
        assert_eq!(hooks.init, format!("PyInit_{}", "a".repeat(200)));
    }

    #[test]
    fn dashes_and_non_identifiers_are_rejected() {
        assert_eq!(
            hook_names("my-mod"),
            Err(ModuleNameError::Dash("my-mod".into()))
        );
        assert!(matches!(
            hook_names("1abc"),
            Err(ModuleNameError::NotIdentifier(_))
        ));
        assert!(matches!(hook_names("pkg."), Err(ModuleNameError::Empty)));
    }

    #[test]
    fn the_loader_derives_hooks_for_any_file_name() {
        let mypyc = loader_hook_names("mypy.6ec57f84c680d3a3778b__mypyc").unwrap();
        assert_eq!(mypyc.init, "PyInit_6ec57f84c680d3a3778b__mypyc");
        assert_eq!(loader_hook_names("my-mod").unwrap().init, "PyInit_my_mod");
        assert_eq!(loader_hook_names("pkg."), Err(ModuleNameError::Empty));
    }

    #[test]
    fn symbols_map_back_to_modules() {
        assert_eq!(
            module_of_symbol("PyInit_bar"),
            Some(("bar", HookKind::Init))
        );
        assert_eq!(
            module_of_symbol("PyModExport_bar"),
            Some(("bar", HookKind::ModExport))
        );
        assert_eq!(module_of_symbol("PyInitU_x"), None);
    }
}
