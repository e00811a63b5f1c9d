//! The command line: parse arguments, discover, run the pipeline, emit the reports, and map
//! the outcome to the exit code.

mod args;
mod color;
mod emit;
mod live;
mod rules;
mod stdio;
mod write;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches};

pub use args::{Cli, ColorChoice, FailOn, Format};

use crate::config::{Flags, resolve};
use crate::discover::cargo::CargoQuery;
use crate::discover::{DiscoverRequest, Discovery, IdentityOptions, discover};
use crate::error::{RunError, exit};
use crate::pipeline::{Settings, default_jobs, run as run_pipeline};
use crate::platform::{ClaimSource, PlatformClaim, parse_target_triple};
use live::{Progress, Stream};

/// Runs the binary: parses `std::env::args`, prints, and returns the exit code.
pub fn main() -> ExitCode {
    let parsed = without_empty_env_bindings(Cli::command())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout, which a reader may have closed: not an error.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { exit::ERROR } else { 0 });
        }
    };
    ExitCode::from(run(&cli))
}

/// The GitHub Action sets every `PYINIT_*` variable, empty for an input left empty; clap
/// would take an empty variable as an empty value. An option whose variable is empty is
/// parsed as if it had no environment binding: unset.
fn without_empty_env_bindings(command: clap::Command) -> clap::Command {
    command.mut_args(|arg| {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|value| value.is_empty());
        if empty { arg.env(None) } else { arg }
    })
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
        python: cli.python_versions(),
        select: cli.select.clone(),
        ignore: cli.ignore.clone(),
    };
    let cwd = std::env::current_dir().map_err(RunError::CurrentDir)?;
    let resolved = resolve(&flags, &cwd)?;
    let paths = cli.input_paths();
    if on_github(cli) {
        log_inputs(&resolved, &paths);
    }
    let request = DiscoverRequest {
        paths,
        cargo_json: cli.cargo_json.clone(),
        cargo: CargoQuery {
            manifest_path: cli.manifest_path.clone(),
            target_dir: cli.target_dir.clone(),
            target: cli.target.clone(),
            profile: cli.profile.clone(),
            packages: cli.packages.clone(),
        },
        identity: IdentityOptions {
            module_name: cli.module_name.clone(),
            python: resolved.python,
            target: cli
                .target
                .as_deref()
                .and_then(parse_target_triple)
                .map(|claim| PlatformClaim {
                    source: ClaimSource::CommandLine,
                    ..claim
                }),
        },
    };
    let context = emit::context(cli);
    let discovery = discover(&request);
    let settings = Settings {
        stage: resolved.stage,
        lock_timeout: Duration::from_secs(cli.lock_timeout),
        fail_on: resolved.fail_on,
        policy: resolved.policy,
        jobs: jobs(cli, &discovery),
    };
    let progress = Progress::new(cli, discovery.found.len());
    let mut stream = Stream::new(&context, &progress, cli.format == Format::Human);
    let outcome = run_pipeline(
        discovery,
        &settings,
        &|notice| progress.notice(notice),
        &mut |entry| stream.entry(entry),
    );
    let streamed = stream.finish();
    let emitted = emit::emit(cli, &outcome, &context);
    streamed.and(emitted)?;
    let code = outcome.exit_code();
    // The process ends now; freeing every entry one by one would cost a run over thousands of
    // modules more than a tenth of its time, for memory the exit returns anyway.
    std::mem::forget(outcome);
    Ok(code)
}

/// The action passes its inputs as environment variables: on a runner the log shows what
/// they became, each path quoted so its boundaries show.
fn log_inputs(resolved: &crate::config::Resolved, paths: &[std::path::PathBuf]) {
    stdio::message_line(&format!("settings: {resolved}"));
    let quoted: Vec<String> = paths
        .iter()
        .map(|p| format!("{:?}", p.display().to_string()))
        .collect();
    let paths = match quoted.is_empty() {
        true => "none (the cargo project)".to_string(),
        false => quoted.join(" "),
    };
    stdio::message_line(&format!("paths: {paths}"));
}

/// Whether the GitHub integration is on: `GITHUB_ACTIONS=true` and no `--no-github`.
pub(crate) fn on_github(cli: &Cli) -> bool {
    !cli.no_github && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// `--jobs`, or what the run is worth (see [`default_jobs`]).
fn jobs(cli: &Cli, discovery: &Discovery) -> usize {
    match cli.jobs {
        Some(jobs) => usize::from(jobs),
        None => default_jobs(
            discovery,
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        ),
    }
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
