//! The command line: parse arguments, discover, run the pipeline, emit the reports, and map
//! the outcome to the exit code.

mod args;
mod color;
mod emit;
mod rules;
mod stdio;
mod write;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

pub use args::{Cli, ColorChoice, FailOn, Format};

use crate::config::{Flags, resolve};
use crate::discover::cargo::CargoQuery;
use crate::discover::{DiscoverRequest, IdentityOptions, discover};
use crate::error::{RunError, exit};
use crate::pipeline::{Notice, Settings, run as run_pipeline};
use crate::report::human::printable;

/// Runs the binary: parses `std::env::args`, prints, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout, which a reader may have closed: not an error.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::ERROR } else { 0 });
        }
    };
    ExitCode::from(run(&cli))
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: &Cli) -> u8 {
    match try_run(cli) {
        Ok(code) => code,
        Err(error) => {
            stdio::error_line(&error);
            exit::ERROR
        }
    }
}

fn try_run(cli: &Cli) -> Result<u8, RunError> {
    if let Some(key) = &cli.explain {
        return rules::explain(key);
    }
    if cli.list_rules {
        return rules::list(cli.format);
    }
    refuse_one_file_for_two_reports(cli)?;
    let flags = Flags {
        config: cli.config.clone(),
        fail_on: cli.fail_on,
        stage: cli.stage,
        python: cli.python.clone(),
        select: cli.select.clone(),
        ignore: cli.ignore.clone(),
    };
    let cwd = std::env::current_dir().map_err(RunError::CurrentDir)?;
    let resolved = resolve(&flags, &cwd)?;
    let request = DiscoverRequest {
        paths: cli.paths.clone(),
        cargo_json: cli.cargo_json.clone(),
        cargo: CargoQuery {
            manifest_path: cli.manifest_path.clone(),
            target_dir: cli.target_dir.clone(),
            target: cli.target.clone(),
            profile: cli.profile.clone(),
        },
        identity: IdentityOptions {
            module_name: cli.module_name.clone(),
            python: resolved.python,
        },
    };
    let settings = Settings {
        stage: resolved.stage,
        lock_timeout: Duration::from_secs(cli.lock_timeout),
        fail_on: resolved.fail_on,
        policy: resolved.policy,
    };
    let outcome = run_pipeline(discover(&request), &settings, &mut |notice| match notice {
        Notice::Waiting { lock } => {
            stdio::message_line(&crate::stage::wait_message(lock));
        }
        Notice::Unexpected { artifact, outcome } => stdio::message_line(&format!(
            "{}: {}",
            printable(artifact.display()),
            printable(outcome)
        )),
        Notice::Recovered { artifact, recovery } => stdio::message_line(&format!(
            "{}: {}",
            printable(artifact.display()),
            printable(recovery)
        )),
    });
    emit::emit(cli, &outcome)?;
    let code = outcome.exit_code();
    // The process ends now; freeing every entry one by one would cost a run over thousands of
    // modules more than a tenth of its time, for memory the exit returns anyway.
    std::mem::forget(outcome);
    Ok(code)
}

/// Two reports renamed onto one path would leave only the second.
fn refuse_one_file_for_two_reports(cli: &Cli) -> Result<(), RunError> {
    let (Some(sarif), Some(json)) = (&cli.sarif, &cli.json) else {
        return Ok(());
    };
    let same = match (std::path::absolute(sarif), std::path::absolute(json)) {
        (Ok(a), Ok(b)) => a == b,
        _ => sarif == json,
    };
    if same {
        return Err(RunError::SameReportFile {
            path: sarif.clone(),
        });
    }
    Ok(())
}
