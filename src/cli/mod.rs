//! The command line: parse arguments, run the pipeline, emit the reports, choose the exit code.
//!
//! Exit codes: 0 every artifact passes the `--fail-on` policy, 1 at least one does not,
//! 2 the tool could not do its job (usage, unreadable or unrecognisable input).

mod args;
mod collect;
mod emit;
mod write;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, ColorChoice, FailOn, Format};

use crate::check::{ArtifactReport, CheckOptions};
use crate::judge::{RULES, Severity, find_rule};

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
            eprintln!(
                "pyinit-check: error: {}",
                crate::report::human::printable(&message)
            );
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line; `Err` is the one-line message for exit code 2.
pub fn run(cli: &Cli) -> Result<u8, String> {
    if let Some(key) = &cli.explain {
        return explain(key);
    }
    let jobs = collect::jobs(cli)?;
    let options = CheckOptions {
        module_name: cli.module_name.clone(),
        python: cli.python.clone(),
    };
    let reports = jobs
        .iter()
        .map(|job| collect::check_job(cli, job, &options))
        .collect::<Result<Vec<_>, _>>()?;
    let failed = fails_policy(&reports, cli.fail_on);
    emit::emit(cli, &reports, failed)?;
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
