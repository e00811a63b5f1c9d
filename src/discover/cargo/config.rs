//! What `Cargo.toml` and `pyproject.toml` say about the module name, and where they say it.
//!
//! Only the keys maturin reads for the name are taken, plus the near misses a user may have
//! typed instead (maturin#2460: `module_name` for `module-name`), which maturin passes over
//! in silence and which would otherwise leave a wrong name unexplained.

use std::path::{Path, PathBuf};

use super::CargoError;
use super::toml_doc::{Keyed, TomlDoc, read_text};
use crate::model::Location;
use crate::near_miss::same_spelling;

pub use crate::model::ConfigWarning;

/// The name-related keys of a `Cargo.toml`.
#[derive(Debug, Clone)]
pub(crate) struct CargoManifest {
    pub path: PathBuf,
    pub lib_name: Option<Keyed>,
    pub package_name: Option<Keyed>,
}

/// The name-related keys of a `pyproject.toml`.
#[derive(Debug, Clone)]
pub(crate) struct Pyproject {
    pub path: PathBuf,
    /// `[tool.maturin] module-name`, when it is a string.
    pub module_name: Option<Keyed>,
    /// `[project] name`.
    pub project_name: Option<Keyed>,
    /// `[tool.maturin] manifest-path`, as written (relative to the pyproject's directory).
    pub manifest_path: Option<String>,
    /// `[tool.maturin] bindings`.
    pub bindings: Option<Keyed>,
    /// `[project] requires-python`.
    pub requires_python: Option<String>,
    /// `[tool.maturin] python-source`, which makes `rust/Cargo.toml` the crate.
    pub python_source: Option<String>,
    pub warnings: Vec<ConfigWarning>,
}

pub(super) fn read_cargo_manifest(path: &Path) -> Result<CargoManifest, CargoError> {
    parse_cargo_manifest(path, &read_text(path)?)
}

/// [`read_cargo_manifest`] of text already read; `path` names it in errors.
pub(crate) fn parse_cargo_manifest(path: &Path, text: &str) -> Result<CargoManifest, CargoError> {
    let doc = TomlDoc::parse(path, text)?;
    Ok(CargoManifest {
        path: doc.path_buf(),
        lib_name: doc.string(&["lib"], "name"),
        package_name: doc.string(&["package"], "name"),
    })
}

pub(super) fn read_pyproject(path: &Path) -> Result<Pyproject, CargoError> {
    parse_pyproject(path, &read_text(path)?)
}

/// [`read_pyproject`] of text already read; `path` names it in errors.
pub(crate) fn parse_pyproject(path: &Path, text: &str) -> Result<Pyproject, CargoError> {
    let doc = TomlDoc::parse(path, text)?;
    Ok(Pyproject {
        path: doc.path_buf(),
        module_name: doc.string(&["tool", "maturin"], "module-name"),
        project_name: doc.string(&["project"], "name"),
        manifest_path: doc
            .string(&["tool", "maturin"], "manifest-path")
            .map(|keyed| keyed.value),
        bindings: doc.string(&["tool", "maturin"], "bindings"),
        requires_python: doc
            .string(&["project"], "requires-python")
            .map(|keyed| keyed.value),
        python_source: doc
            .string(&["tool", "maturin"], "python-source")
            .map(|keyed| keyed.value),
        warnings: near_misses(&doc),
    })
}

/// Keys that look like an attempt at `[tool.maturin] module-name` but are not it.
fn near_misses(doc: &TomlDoc<'_>) -> Vec<ConfigWarning> {
    let warn = |line: u32, label: String, message: String| ConfigWarning {
        message,
        location: Location {
            path: doc.path_buf(),
            line: Some(line),
            label,
        },
    };
    let mut warnings = Vec::new();
    for (key, line) in doc.keys(&["tool", "maturin"]) {
        if key != "module-name" && is_module_name_spelling(&key) {
            warnings.push(warn(
                line,
                format!("pyproject.toml [tool.maturin] {key}"),
                format!(
                    "`[tool.maturin] {key}` is not a maturin setting, so it does not set the \
                     module name; did you mean `module-name`?"
                ),
            ));
        }
    }
    // `[tool.maturin.module-name]` as a table header, or a number: maturin wants a string.
    if let Some((value, line)) = doc.entry(&["tool", "maturin"], "module-name")
        && value.as_str().is_none()
    {
        warnings.push(warn(
            line,
            "pyproject.toml [tool.maturin] module-name".into(),
            "`[tool.maturin] module-name` is not a string, so it does not set the module name; \
             write `module-name = \"...\"` under `[tool.maturin]`"
                .into(),
        ));
    }
    for table in [&["project"][..], &["tool"][..]] {
        for (key, line) in doc.keys(table) {
            if is_module_name_spelling(&key) {
                let place = table.join(".");
                warnings.push(warn(
                    line,
                    format!("pyproject.toml [{place}] {key}"),
                    format!(
                        "`[{place}] {key}` is not read by maturin; the module name is set by \
                         `module-name` under `[tool.maturin]`"
                    ),
                ));
            }
        }
    }
    warnings.sort_by_key(|warning| warning.location.line);
    warnings
}

/// `module-name` however it is cased or separated: `module_name`, `modulename`, `moduleName`.
fn is_module_name_spelling(key: &str) -> bool {
    same_spelling(key, "module-name")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str) -> Vec<(Option<u32>, String)> {
        let doc = TomlDoc::parse(Path::new("pyproject.toml"), text).unwrap();
        near_misses(&doc)
            .into_iter()
            .map(|w| (w.location.line, w.location.label))
            .collect()
    }

    #[test]
    fn module_name_misspellings_under_tool_maturin() {
        let text =
            "[tool.maturin]\nmodule_name = \"a\"\nmoduleName = \"b\"\nmodule-name = \"ok\"\n";
        assert_eq!(
            warnings(text),
            [
                (Some(2), "pyproject.toml [tool.maturin] module_name".into()),
                (Some(3), "pyproject.toml [tool.maturin] moduleName".into()),
            ]
        );
    }

    #[test]
    fn module_name_as_a_table_or_in_the_wrong_table() {
        let text = "[project]\nname = \"p\"\nmodule-name = \"a\"\n\n\
                    [tool.maturin.module-name]\nvalue = \"b\"\n";
        assert_eq!(
            warnings(text),
            [
                (Some(3), "pyproject.toml [project] module-name".into()),
                (Some(5), "pyproject.toml [tool.maturin] module-name".into()),
            ]
        );
    }

    #[test]
    fn a_correct_file_has_no_warnings() {
        let text = "[project]\nname = \"p\"\n[tool.maturin]\nmodule-name = \"pkg._p\"\n";
        assert!(warnings(text).is_empty());
    }
}
