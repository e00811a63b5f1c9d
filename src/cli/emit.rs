//! Sends the run outcome where the user asked: report files, stdout in one format, stderr for
//! inputs that could not be checked, and on GitHub Actions the annotations, step summary and
//! step outputs. Every output renders the same [`RunOutcome`].

use std::io;
use std::path::{Path, PathBuf};

use crate::error::RunError;
use crate::outcome::RunOutcome;
use crate::report::{Context, Report, human, render, repo_path};

use super::color::use_color;
use super::stdio;
use super::write::{append, write_atomically};
use super::{Cli, Format};

/// What every renderer of this run needs besides the outcome.
pub fn context(cli: &Cli) -> Context {
    Context {
        root: repo_path::repository_root(),
        sarif_category: cli.sarif_category.clone(),
        sarif_file: cli.sarif.clone(),
        color: use_color(cli.color),
        quiet: cli.quiet,
        verbose: cli.verbose,
    }
}

/// Emits everything; the first error is returned after every other output was attempted, so a
/// report file that cannot be written does not cost the user the rest. The human report's
/// entries are on stdout already (streamed while the run went on): only its summary is left.
pub fn emit(cli: &Cli, outcome: &RunOutcome, context: &Context) -> Result<(), RunError> {
    let on_github = super::on_github(cli);
    let mut first_error = None;
    let mut keep = |result: Result<(), RunError>| {
        if let Err(error) = result
            && first_error.is_none()
        {
            first_error = Some(error);
        }
    };

    if let Some(path) = &cli.sarif {
        keep(save(
            path,
            "the SARIF report",
            Report::Sarif,
            outcome,
            context,
            write_atomically,
        ));
    }
    if let Some(path) = &cli.json {
        keep(save(
            path,
            "the JSON report",
            Report::Json,
            outcome,
            context,
            write_atomically,
        ));
    }
    let stdout_reports: &[Report] = match cli.format {
        Format::Human if on_github => &[Report::Human, Report::Annotations],
        Format::Human => &[Report::Human],
        Format::Json => &[Report::Json],
        Format::Sarif => &[Report::Sarif],
        Format::Github => &[Report::Annotations],
    };
    keep(write_stdout(stdout_reports, outcome, context));
    for entry in &outcome.entries {
        if let Some(error) = entry.error() {
            stdio::error_line(error);
        }
    }
    if on_github {
        if let Some(path) = runner_file("GITHUB_STEP_SUMMARY") {
            keep(save(
                &path,
                "the step summary",
                Report::StepSummary,
                outcome,
                context,
                append,
            ));
        }
        if let Some(path) = runner_file("GITHUB_OUTPUT") {
            keep(save(
                &path,
                "step outputs",
                Report::StepOutputs,
                outcome,
                context,
                append,
            ));
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn write_stdout(
    reports: &[Report],
    outcome: &RunOutcome,
    context: &Context,
) -> Result<(), RunError> {
    let mut buffer = Vec::new();
    for report in reports {
        match report {
            Report::Human => human::render_summary(&mut buffer, outcome, context),
            _ => render(*report, outcome, context, &mut buffer),
        }
        .map_err(RunError::Output)?;
    }
    let text = String::from_utf8_lossy(&buffer);
    stdio::print(&text).map_err(RunError::Output)
}

fn rendered(report: Report, outcome: &RunOutcome, context: &Context) -> Vec<u8> {
    let mut buffer = Vec::new();
    // Rendering into memory cannot fail for lack of room to write.
    let _ = render(report, outcome, context, &mut buffer);
    buffer
}

/// Renders a whole report into `path`: `write_atomically` for our report files (replaced in
/// one step), `append` for the runner's files (other steps' lines must stay).
fn save(
    path: &Path,
    what: &'static str,
    report: Report,
    outcome: &RunOutcome,
    context: &Context,
    how: fn(&Path, &[u8]) -> io::Result<()>,
) -> Result<(), RunError> {
    how(path, &rendered(report, outcome, context)).map_err(|source| RunError::WriteReport {
        path: path.to_path_buf(),
        what,
        source,
    })
}

/// A file the Actions runner names in an environment variable; unset or empty means none.
fn runner_file(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}
