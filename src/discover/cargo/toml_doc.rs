//! TOML read for where things are written as well as what they say: every value handed out
//! carries the 1-based line of its key, so a finding can point at the line to edit.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::CargoError;

/// A string value and the line of the key that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Keyed {
    pub value: String,
    pub line: u32,
}

/// A parsed TOML file, borrowing its text.
pub(super) struct TomlDoc<'a> {
    pub path: &'a Path,
    text: &'a str,
    root: DeTable<'a>,
}

/// Reads a file's text; `Unreadable` names the file.
pub(super) fn read_text(path: &Path) -> Result<String, CargoError> {
    std::fs::read_to_string(path).map_err(|source| CargoError::Unreadable {
        path: path.to_path_buf(),
        source,
    })
}

impl<'a> TomlDoc<'a> {
    pub fn parse(path: &'a Path, text: &'a str) -> Result<Self, CargoError> {
        match DeTable::parse(text) {
            Ok(root) => Ok(TomlDoc {
                path,
                text,
                root: root.into_inner(),
            }),
            Err(error) => Err(CargoError::Toml {
                path: path.to_path_buf(),
                line: error.span().map(|span| line_at(text, span.start)),
                // Keep the error on one line whatever the parser wrote.
                message: error
                    .message()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            }),
        }
    }

    pub fn path_buf(&self) -> PathBuf {
        self.path.to_path_buf()
    }

    /// The table at `keys` (`["tool", "maturin"]`), however it is written: `[tool.maturin]`,
    /// dotted keys or inline tables all parse to the same nesting.
    pub fn table(&self, keys: &[&str]) -> Option<&DeTable<'a>> {
        let mut table = &self.root;
        for key in keys {
            table = table.get(*key)?.get_ref().as_table()?;
        }
        Some(table)
    }

    /// The entry `key` in the table at `table`, with the line of its key.
    pub fn entry(&self, table: &[&str], key: &str) -> Option<(&DeValue<'a>, u32)> {
        let (name, value) = self.table(table)?.get_key_value(key)?;
        Some((value.get_ref(), self.line_of(name)))
    }

    /// The string at `table`.`key`; `None` when absent or not a string.
    pub fn string(&self, table: &[&str], key: &str) -> Option<Keyed> {
        let (value, line) = self.entry(table, key)?;
        Some(Keyed {
            value: value.as_str()?.to_owned(),
            line,
        })
    }

    /// Every key of the table at `table`, with its line, in file order.
    pub fn keys(&self, table: &[&str]) -> Vec<(String, u32)> {
        let mut keys: Vec<(String, u32)> = self
            .table(table)
            .map(|table| {
                table
                    .iter()
                    .map(|(name, _)| {
                        let text: &str = name.borrow();
                        (text.to_owned(), self.line_of(name))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The map keeps keys sorted by name; a reader wants them as written.
        keys.sort_by_key(|(_, line)| *line);
        keys
    }

    fn line_of<T>(&self, spanned: &Spanned<T>) -> u32 {
        line_at(self.text, spanned.span().start)
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> u32 {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    let newlines = before.iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_the_line_of_their_key() {
        let text = "[package]\nname = \"a\"\n\n[tool.maturin]\nmodule-name = \"pkg._a\"\n";
        let doc = TomlDoc::parse(Path::new("x.toml"), text).unwrap();
        assert_eq!(
            doc.string(&["package"], "name"),
            Some(Keyed {
                value: "a".into(),
                line: 2
            })
        );
        assert_eq!(
            doc.string(&["tool", "maturin"], "module-name")
                .map(|k| k.line),
            Some(5)
        );
        assert_eq!(doc.string(&["tool", "maturin"], "nope"), None);
    }

    #[test]
    fn dotted_and_inline_forms_are_found() {
        let text = "lib.name = \"d\"\npackage = { name = \"p\" }\n";
        let doc = TomlDoc::parse(Path::new("x.toml"), text).unwrap();
        assert_eq!(doc.string(&["lib"], "name").map(|k| k.line), Some(1));
        assert_eq!(doc.string(&["package"], "name").map(|k| k.line), Some(2));
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let text = "[project]\nname = \"a\"\nversion = \n";
        let err = TomlDoc::parse(Path::new("dir/pyproject.toml"), text)
            .err()
            .unwrap();
        let message = err.to_string();
        assert!(
            message.starts_with("dir/pyproject.toml:3: invalid TOML: "),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }
}
