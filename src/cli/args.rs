//! The command-line contract. Keep it stable: the GitHub Action and users' CI depend on it.
//!
//! The options the GitHub Action sets are also read from `PYINIT_*` environment variables
//! (clap's `env`), so the action hands its inputs over as data, never through a shell. A flag
//! on the command line wins over its variable; an empty variable is no value.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

pub use crate::outcome::FailOn;
use crate::python::PythonVersion;
use crate::stage::StageMode;

#[derive(Debug, Parser)]
#[command(
    name = "pyinit-check",
    version,
    about = "Check that Python extension modules export the entry point CPython looks up.",
    after_help = "Exit codes: 0 every input was checked and passes, 1 a check failed (per --fail-on), \
2 an input could not be checked (every other input is still reported) or a usage error."
)]
pub struct Cli {
    /// Shared libraries (.so, .pyd, .dylib, .dll), wheels (.whl), or directories to search for
    /// extension modules and wheels. Without PATH, the cdylib targets of the cargo project here
    /// (see --manifest-path).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Module name for files whose names carry none (cargo's libfoo.so, libfoo.dylib, foo.dll; a
    /// dotted name uses its last component). A file named as CPython imports it is checked as
    /// that module, and a different NAME is reported (PYI009).
    #[arg(long, value_name = "NAME", env = "PYINIT_MODULE_NAME")]
    pub module_name: Option<String>,

    /// Python version the artifact must import on (repeatable), e.g. 3.12, 3.15t, or the tag form 312, 315t; default: from the file suffix.
    #[arg(long = "python", value_name = "VERSION", value_parser = parse_python)]
    pub python: Vec<PythonVersion>,

    /// PYINIT_PATHS: paths one per line (blanks around a line and empty lines dropped), for
    /// the GitHub Action's multi-line `paths` input. Used when neither PATH nor --cargo-json
    /// is given (no conflict: a variable left in the environment must not break a command).
    #[arg(long, hide = true, env = "PYINIT_PATHS", value_parser = parse_path_lines)]
    pub path_lines: Option<Lines<PathBuf>>,

    /// PYINIT_PYTHON: versions separated by spaces or newlines, for the action's `python`
    /// input. Used when no --python is given.
    #[arg(long, hide = true, env = "PYINIT_PYTHON", value_parser = parse_python_words)]
    pub python_words: Option<Lines<PythonVersion>>,

    /// Read the artifacts from `cargo build --message-format=json` output (a file, or - for stdin).
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub cargo_json: Option<PathBuf>,

    /// Cargo.toml of the project to check when no PATH is given (as cargo's --manifest-path;
    /// default: found as maturin finds it).
    #[arg(long, value_name = "PATH", env = "PYINIT_MANIFEST_PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Check only this workspace member (repeatable, as cargo's -p).
    #[arg(
        short = 'p',
        long = "package",
        value_name = "NAME",
        conflicts_with = "paths"
    )]
    pub packages: Vec<String>,

    /// Cargo's target directory (default: CARGO_TARGET_DIR, then cargo's own).
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,

    /// Check the build for this target triple (target/<triple>/<profile>/); for named files,
    /// the platform they must load on (PYI012, PYI015, PYI016).
    #[arg(long, value_name = "TRIPLE", env = "PYINIT_TARGET")]
    pub target: Option<String>,

    /// Check this cargo profile's output (default: every profile directory holding one, newest first).
    #[arg(long, value_name = "NAME", env = "PYINIT_PROFILE")]
    pub profile: Option<String>,

    /// How cargo outputs are staged before they are mapped [default: isolate].
    #[arg(long, value_enum, value_name = "MODE", env = "PYINIT_STAGE")]
    pub stage: Option<StageMode>,

    /// Seconds to wait for a cargo build holding the target directory's lock.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub lock_timeout: u64,

    /// Print failing artifacts and inputs that could not be checked only.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also list every file named like a module that was not checked, and why.
    #[arg(short, long)]
    pub verbose: bool,

    /// Findings of this severity or worse make the exit code 1 [default: error].
    #[arg(long, value_enum, value_name = "LEVEL", env = "PYINIT_FAIL_ON")]
    pub fail_on: Option<FailOn>,

    /// Check these rules only (ids or names, comma-separated or repeated); the findings of
    /// the others are reported as ignored. Replaces `select` of the configuration file.
    #[arg(
        long,
        value_name = "RULES",
        value_delimiter = ',',
        env = "PYINIT_SELECT"
    )]
    pub select: Vec<String>,

    /// Ignore these rules (ids or names, comma-separated or repeated): their findings are
    /// reported as ignored and never fail the run. Replaces `ignore` of the configuration file.
    #[arg(
        long,
        value_name = "RULES",
        value_delimiter = ',',
        env = "PYINIT_IGNORE"
    )]
    pub ignore: Vec<String>,

    /// Read [tool.pyinit-check] from this file (a pyproject.toml, or a file holding the keys
    /// at its top level) instead of the closest pyproject.toml with that table from here up.
    #[arg(long, value_name = "FILE", env = "PYINIT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also write the SARIF 2.1.0 report to this file.
    #[arg(long, value_name = "FILE", env = "PYINIT_SARIF_FILE")]
    pub sarif: Option<PathBuf>,

    /// Also write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// SARIF run category (runAutomationDetails.id), so matrix legs upload side by side.
    #[arg(long, value_name = "NAME", env = "PYINIT_SARIF_CATEGORY")]
    pub sarif_category: Option<String>,

    /// Do not emit GitHub annotations, step summary or step outputs even when GITHUB_ACTIONS=true.
    #[arg(long)]
    pub no_github: bool,

    /// When to colour the human output. `auto`: on a terminal, on GitHub Actions, or with
    /// FORCE_COLOR or CLICOLOR_FORCE set; never with NO_COLOR set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Check this many artifacts at once [default: the number of cores when wheels are
    /// checked, else 1]. The output is the same whatever the number: input order.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Never show the progress bar (shown on a terminal's stderr for runs of more than a few
    /// artifacts, never on GitHub Actions).
    #[arg(long)]
    pub no_progress: bool,

    /// Print the documentation of a rule (id such as PYI001 or name such as missing-module-hook) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// List every rule (id, name, default severity, what it checks) and exit; with
    /// `--format json`, as JSON.
    #[arg(long, conflicts_with = "explain")]
    pub list_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// The paths to check: PATH arguments, else those of PYINIT_PATHS (unless --cargo-json
    /// names the artifacts).
    pub fn input_paths(&self) -> Vec<PathBuf> {
        match &self.path_lines {
            Some(Lines(lines)) if self.paths.is_empty() && self.cargo_json.is_none() => {
                lines.clone()
            }
            _ => self.paths.clone(),
        }
    }

    /// `--python` values, else those of PYINIT_PYTHON.
    pub fn python_versions(&self) -> Vec<PythonVersion> {
        match &self.python_words {
            Some(Lines(words)) if self.python.is_empty() => words.clone(),
            _ => self.python.clone(),
        }
    }
}

fn parse_python(text: &str) -> Result<PythonVersion, String> {
    text.parse()
}

/// Values read from one environment variable that holds a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines<T>(pub Vec<T>);

/// One path per line; a line is one path, spaces inside it included.
fn parse_path_lines(text: &str) -> Result<Lines<PathBuf>, String> {
    Ok(Lines(
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(PathBuf::from)
            .collect(),
    ))
}

fn parse_python_words(text: &str) -> Result<Lines<PythonVersion>, String> {
    text.split_whitespace()
        .map(parse_python)
        .collect::<Result<_, _>>()
        .map(Lines)
}
