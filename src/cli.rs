//! The command line: parse arguments, run the pipeline, choose the exit code.
//!
//! Exit codes: 0 every artifact passes the `--fail-on` policy, 1 at least one does not,
//! 2 the tool could not do its job (usage, unreadable or unrecognisable input).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use crate::check::{ArtifactReport, CheckOptions, check_artifact};
use crate::discover::discover_paths;
use crate::judge::{RULES, Severity, find_rule};
use crate::python::PythonVersion;
use crate::report::{self, human::HumanOptions};

#[derive(Debug, Parser)]
#[command(
    name = "pyinit-check",
    version,
    about = "Check that Python extension modules export the entry point CPython looks up."
)]
pub struct Cli {
    /// Shared libraries (.so, .pyd, .dylib, .dll) or directories to search for extension modules.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Module name to check for (a dotted name uses its last component); default: from the file name.
    #[arg(long, value_name = "NAME")]
    pub module_name: Option<String>,

    /// Python version the artifact must import on (repeatable), e.g. 3.12 or 3.15t; default: from the file suffix.
    #[arg(long = "python", value_name = "VERSION", value_parser = parse_python)]
    pub python: Vec<PythonVersion>,

    /// Print failing artifacts only.
    #[arg(short, long)]
    pub quiet: bool,

    /// Findings of this severity or worse make the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour the human output (NO_COLOR is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print the documentation of a rule (id such as PYI001 or name such as missing-module-hook) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_python(text: &str) -> Result<PythonVersion, String> {
    text.parse()
}

/// Runs the binary: parses `std::env::args`, prints, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("pyinit-check: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line; `Err` is the one-line message for exit code 2.
pub fn run(cli: &Cli) -> Result<u8, String> {
    if let Some(key) = &cli.explain {
        return explain(key);
    }
    if cli.paths.is_empty() {
        return Err(
            "no PATH given: name the built extension modules or directories to check".into(),
        );
    }
    let artifacts = discover_paths(&cli.paths).map_err(|e| e.to_string())?;
    let options = CheckOptions {
        module_name: cli.module_name.clone(),
        python: cli.python.clone(),
    };
    let reports = artifacts
        .iter()
        .map(|artifact| check_artifact(artifact, None, &options))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let failed = fails_policy(&reports, cli.fail_on);
    let result = if failed { "fail" } else { "pass" };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match cli.format {
        Format::Human => report::human::render(
            &mut out,
            &reports,
            HumanOptions {
                color: use_color(cli.color),
                quiet: cli.quiet,
            },
        ),
        Format::Json => report::json::render(&mut out, &reports, result),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))?;
    Ok(u8::from(failed))
}

/// Whether the findings break the `--fail-on` policy.
pub fn fails_policy(reports: &[ArtifactReport], fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Never => return false,
    };
    reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= threshold)
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn explain(key: &str) -> Result<u8, String> {
    let Some(rule) = find_rule(key) else {
        let known: Vec<String> = RULES
            .iter()
            .map(|e| format!("{} {}", e.rule.id, e.rule.name))
            .collect();
        return Err(format!(
            "unknown rule `{key}`; known rules: {}",
            known.join(", ")
        ));
    };
    println!(
        "{} {} ({})\n\n{}\n\n{}",
        rule.id,
        rule.name,
        rule.severity.label(),
        rule.summary,
        rule.help
    );
    Ok(0)
}
