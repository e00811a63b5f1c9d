//! The run's settings: the command line over `[tool.pyinit-check]` over the defaults, key
//! by key. A flag given (or its `PYINIT_*` environment variable) replaces the file's value
//! for that key; every other key keeps the file's.
//!
//! Rule names from both places are resolved here, once, into the judge's [`Policy`].

mod file;

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use thiserror::Error;

pub use file::{FileConfig, KEYS, TABLE};

use crate::judge::FailOn;
use crate::judge::policy::{PathIgnore, PathIgnores, PolicySource, RuleList};
use crate::judge::{Policy, Rule, UnknownRule, lookup_rule};
use crate::python::PythonVersion;
use crate::stage::StageMode;

/// What the command line says about the keys a file may also set; `None`/empty: not given.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--config`: this file instead of the discovered one.
    pub config: Option<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub stage: Option<StageMode>,
    pub python: Vec<PythonVersion>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The settings a run goes by.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The configuration file read, if any.
    pub file: Option<PathBuf>,
    pub fail_on: FailOn,
    pub stage: StageMode,
    pub python: Vec<PythonVersion>,
    pub policy: Policy,
}

/// Why the settings could not be decided. Each message names the file (or flag) and key.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: invalid TOML: {message}", path.display())]
    Toml { path: PathBuf, message: String },
    #[error("{}: no [{TABLE}] table", path.display())]
    NoTable { path: PathBuf },
    #[error("{}: unknown key `{key}` in [{TABLE}]{}", path.display(), did_you_mean(*suggestion))]
    UnknownKey {
        path: PathBuf,
        key: String,
        suggestion: Option<&'static str>,
    },
    #[error("{}: `{key}`: {message}", path.display())]
    BadValue {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("{place}: {error}")]
    UnknownRule { place: String, error: UnknownRule },
    #[error("{}: `per-path-ignores`: bad glob `{pattern}`: {message}", path.display())]
    BadGlob {
        path: PathBuf,
        pattern: String,
        message: String,
    },
}

/// One line for the log: the file read and what the run goes by.
impl std::fmt::Display for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(path) => write!(f, "config {}", path.display())?,
            None => f.write_str("no config file")?,
        }
        write!(f, ", fail-on {}", self.fail_on.id())?;
        let stage = self.stage.to_possible_value();
        write!(
            f,
            ", stage {}",
            stage.as_ref().map_or("?", |v| v.get_name())
        )?;
        let python: Vec<String> = self.python.iter().map(ToString::to_string).collect();
        match python.is_empty() {
            true => f.write_str(", python from the file names")?,
            false => write!(f, ", python {}", python.join(" "))?,
        }
        let ids = |list: &Option<RuleList>| {
            list.as_ref()
                .map(|l| l.rules.iter().map(|r| r.id).collect::<Vec<_>>().join(" "))
        };
        write!(
            f,
            ", select {}",
            ids(&self.policy.select).unwrap_or("all".into())
        )?;
        write!(
            f,
            ", ignore {}",
            ids(&self.policy.ignore).unwrap_or("none".into())
        )
    }
}

fn did_you_mean(suggestion: Option<&str>) -> String {
    suggestion
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// Reads the configuration (`--config`, else the closest `pyproject.toml` from `cwd` up with
/// a `[tool.pyinit-check]` table) and lays the flags over it.
pub fn resolve(flags: &Flags, cwd: &Path) -> Result<Resolved, ConfigError> {
    let file = match &flags.config {
        Some(path) => Some(file::load(path)?),
        None => file::discover(cwd)?,
    };
    merge(flags, file.unwrap_or_default(), cwd)
}

/// The flags over the file, key by key.
fn merge(flags: &Flags, file: FileConfig, cwd: &Path) -> Result<Resolved, ConfigError> {
    let from_file = !file.path.as_os_str().is_empty();
    let file_place = |key: &str| format!("{}: `{key}`", file.path.display());
    let list = |given: &[String], flag: &str, in_file: &Option<Vec<String>>| {
        if !given.is_empty() {
            let rules = rules(given, &format!("--{flag}"))?;
            return Ok(Some(RuleList {
                rules,
                source: PolicySource::CommandLine,
            }));
        }
        in_file
            .as_ref()
            .map(|names| {
                Ok(RuleList {
                    rules: rules(names, &file_place(flag))?,
                    source: PolicySource::File(file.path.clone()),
                })
            })
            .transpose()
    };
    let select = list(&flags.select, "select", &file.select)?;
    let ignore = list(&flags.ignore, "ignore", &file.ignore)?;
    let severity = file
        .severity
        .iter()
        .map(|(name, level)| Ok((rule(name, &file_place("severity"))?, *level)))
        .collect::<Result<_, ConfigError>>()?;
    let per_path = if file.per_path_ignores.is_empty() {
        None
    } else {
        let entries = file
            .per_path_ignores
            .iter()
            .map(|(pattern, names)| {
                let rules = rules(names, &file_place(&format!("per-path-ignores.{pattern}")))?;
                PathIgnore::new(pattern, rules).map_err(|error| ConfigError::BadGlob {
                    path: file.path.clone(),
                    pattern: pattern.clone(),
                    message: error.kind().to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        let base = match file.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => cwd.to_path_buf(),
        };
        Some(PathIgnores {
            base,
            file: file.path.clone(),
            entries,
        })
    };
    Ok(Resolved {
        file: from_file.then(|| file.path.clone()),
        fail_on: flags.fail_on.or(file.fail_on).unwrap_or_default(),
        stage: flags.stage.or(file.stage).unwrap_or_default(),
        python: if flags.python.is_empty() {
            file.python.unwrap_or_default()
        } else {
            flags.python.clone()
        },
        policy: Policy {
            select,
            ignore,
            severity,
            per_path,
        },
    })
}

fn rule(name: &str, place: &str) -> Result<&'static Rule, ConfigError> {
    lookup_rule(name).map_err(|error| ConfigError::UnknownRule {
        place: place.to_owned(),
        error,
    })
}

fn rules(names: &[String], place: &str) -> Result<Vec<&'static Rule>, ConfigError> {
    names.iter().map(|name| rule(name, place)).collect()
}

#[cfg(test)]
mod tests;
