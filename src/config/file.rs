//! `[tool.pyinit-check]`: finding the file and reading it into [`FileConfig`], every value
//! checked against what it may be, every key against the keys there are.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use toml::{Table, Value};

use super::ConfigError;
use crate::judge::FailOn;
use crate::judge::Severity;
use crate::near_miss::suggest;
use crate::python::PythonVersion;
use crate::stage::StageMode;

/// The table this tool reads, in `pyproject.toml` and in a file named by `--config`.
pub const TABLE: &str = "tool.pyinit-check";

/// The keys of [`TABLE`].
pub const KEYS: &[&str] = &[
    "fail-on",
    "select",
    "ignore",
    "severity",
    "per-path-ignores",
    "python",
    "stage",
];

/// What a configuration file says; rule names are still as written (resolved with the
/// command line's, so that both report unknown rules the same way).
#[derive(Debug, Clone, Default)]
pub struct FileConfig {
    pub path: PathBuf,
    pub fail_on: Option<FailOn>,
    pub stage: Option<StageMode>,
    pub python: Option<Vec<PythonVersion>>,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: Vec<(String, Severity)>,
    pub per_path_ignores: Vec<(String, Vec<String>)>,
}

/// The closest `pyproject.toml` from `start` upward that has a `[tool.pyinit-check]` table
/// (ruff's rule for `[tool.ruff]`): a project's pyproject without one — say, one that only
/// configures maturin — neither stops the search nor configures anything.
pub fn discover(start: &Path) -> Result<Option<FileConfig>, ConfigError> {
    for dir in start.ancestors() {
        let candidate = dir.join("pyproject.toml");
        if !candidate.is_file() {
            continue;
        }
        let root = parse(&candidate)?;
        if let Some(table) = tool_table(&root) {
            return read_table(&candidate, table).map(Some);
        }
    }
    Ok(None)
}

/// The file named by `--config`: its `[tool.pyinit-check]` table, or, for a file that is not
/// a `pyproject.toml`, its top level (a `pyinit-check.toml`).
pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
    let root = parse(path)?;
    match tool_table(&root) {
        Some(table) => read_table(path, table),
        None if path.file_name().is_some_and(|n| n == "pyproject.toml") => {
            Err(ConfigError::NoTable {
                path: path.to_path_buf(),
            })
        }
        None => read_table(path, &root),
    }
}

fn parse(path: &Path) -> Result<Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    text.parse::<Table>().map_err(|error| ConfigError::Toml {
        path: path.to_path_buf(),
        // Keep the error on one line whatever the parser wrote.
        message: error
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })
}

fn tool_table(root: &Table) -> Option<&Table> {
    root.get("tool")?
        .as_table()?
        .get("pyinit-check")?
        .as_table()
}

fn read_table(path: &Path, table: &Table) -> Result<FileConfig, ConfigError> {
    let bad = |key: &str, message: String| ConfigError::BadValue {
        path: path.to_path_buf(),
        key: key.to_owned(),
        message,
    };
    let mut config = FileConfig {
        path: path.to_path_buf(),
        ..FileConfig::default()
    };
    for (key, value) in table {
        match key.as_str() {
            "fail-on" => config.fail_on = Some(choice(value).map_err(|m| bad(key, m))?),
            "stage" => config.stage = Some(choice(value).map_err(|m| bad(key, m))?),
            "python" => {
                let versions = strings(value)
                    .map_err(|m| bad(key, m))?
                    .iter()
                    .map(|text| text.parse())
                    .collect::<Result<_, String>>()
                    .map_err(|m| bad(key, m))?;
                config.python = Some(versions);
            }
            "select" => config.select = Some(strings(value).map_err(|m| bad(key, m))?),
            "ignore" => config.ignore = Some(strings(value).map_err(|m| bad(key, m))?),
            "severity" => {
                for (rule, level) in sub_table(value).map_err(|m| bad(key, m))? {
                    let level = severity(level).map_err(|m| bad(&format!("{key}.{rule}"), m))?;
                    config.severity.push((rule.clone(), level));
                }
            }
            "per-path-ignores" => {
                for (pattern, rules) in sub_table(value).map_err(|m| bad(key, m))? {
                    let rules = strings(rules).map_err(|m| bad(&format!("{key}.{pattern}"), m))?;
                    config.per_path_ignores.push((pattern.clone(), rules));
                }
            }
            _ => {
                return Err(ConfigError::UnknownKey {
                    path: path.to_path_buf(),
                    key: key.clone(),
                    suggestion: suggest(key, KEYS.iter().copied()),
                });
            }
        }
    }
    Ok(config)
}

/// A string that names one of a clap value enum's values (`fail-on`, `stage`).
fn choice<T: ValueEnum>(value: &Value) -> Result<T, String> {
    let text = value
        .as_str()
        .ok_or_else(|| format!("expected a string, found {}", value.type_str()))?;
    T::from_str(text, false).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| Some(v.to_possible_value()?.get_name().to_owned()))
            .collect();
        format!("`{text}` is none of {}", names.join(", "))
    })
}

/// A list of strings; a single string is taken as a list of one.
fn strings(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("expected a list of strings, found {}", item.type_str()))
            })
            .collect(),
        other => Err(format!(
            "expected a list of strings, found {}",
            other.type_str()
        )),
    }
}

fn sub_table(value: &Value) -> Result<&Table, String> {
    value
        .as_table()
        .ok_or_else(|| format!("expected a table, found {}", value.type_str()))
}

fn severity(value: &Value) -> Result<Severity, String> {
    let levels = [Severity::Error, Severity::Warning, Severity::Note];
    let text = value
        .as_str()
        .ok_or_else(|| format!("expected a string, found {}", value.type_str()))?;
    levels
        .into_iter()
        .find(|level| level.label() == text)
        .ok_or_else(|| format!("`{text}` is none of error, warning, note"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<FileConfig, ConfigError> {
        let root: Table = text.parse().unwrap();
        read_table(Path::new("cfg/pyproject.toml"), &root)
    }

    #[test]
    fn every_key_is_read() {
        let config = read(
            "fail-on = \"warning\"\nstage = \"copy\"\npython = [\"3.12\", \"3.13t\"]\n\
             select = [\"PYI001\", \"forwarded-hook\"]\nignore = \"PYI005\"\n\
             severity = { PYI006 = \"error\" }\n\
             [per-path-ignores]\n\"vendor/**\" = [\"PYI001\"]\n",
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.stage, Some(StageMode::Copy));
        assert_eq!(config.python.unwrap().len(), 2);
        assert_eq!(config.select.unwrap(), ["PYI001", "forwarded-hook"]);
        assert_eq!(config.ignore.unwrap(), ["PYI005"]);
        assert_eq!(config.severity, [("PYI006".to_owned(), Severity::Error)]);
        assert_eq!(
            config.per_path_ignores,
            [("vendor/**".to_owned(), vec!["PYI001".to_owned()])]
        );
    }

    #[test]
    fn an_unknown_key_names_the_file_the_key_and_the_near_miss() {
        let message = read("fail_on = \"error\"\n").unwrap_err().to_string();
        assert_eq!(
            message,
            "cfg/pyproject.toml: unknown key `fail_on` in [tool.pyinit-check]; did you mean `fail-on`?"
        );
        let message = read("per-file-ignores = {}\n").unwrap_err().to_string();
        assert!(
            message.ends_with("did you mean `per-path-ignores`?"),
            "{message}"
        );
        let message = read("colour = true\n").unwrap_err().to_string();
        assert!(message.ends_with("[tool.pyinit-check]"), "{message}");
    }

    #[test]
    fn a_bad_value_names_the_key_and_what_it_may_be() {
        let message = read("fail-on = \"errors\"\n").unwrap_err().to_string();
        assert_eq!(
            message,
            "cfg/pyproject.toml: `fail-on`: `errors` is none of error, warning, never"
        );
        let message = read("[severity]\nPYI006 = \"fatal\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("`severity.PYI006`: `fatal` is none of"),
            "{message}"
        );
        let message = read("select = [1]\n").unwrap_err().to_string();
        assert!(
            message.contains("expected a list of strings, found integer"),
            "{message}"
        );
        let message = read("python = [\"2.7\"]\n").unwrap_err().to_string();
        assert!(
            message.starts_with("cfg/pyproject.toml: `python`: "),
            "{message}"
        );
    }
}
