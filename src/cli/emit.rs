//! Sends finished reports where the user asked: stdout in one format, report files, and on
//! GitHub Actions the annotations, step summary and step outputs.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::check::ArtifactReport;
use crate::report::sarif::SarifOptions;
use crate::report::{Totals, github, github_output, human, json, repo_path, sarif, step_summary};

use super::write::{append, write_atomically};
use super::{Cli, ColorChoice, Format};

pub fn emit(cli: &Cli, reports: &[ArtifactReport], failed: bool) -> Result<(), String> {
    let result = if failed { "fail" } else { "pass" };
    let root = repo_path::repository_root();
    let sarif_options = SarifOptions {
        category: cli.sarif_category.clone(),
    };
    let on_github = !cli.no_github && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");

    if let Some(path) = &cli.sarif {
        write_report_file(path, "SARIF report", |buffer| {
            sarif::render(buffer, reports, &root, &sarif_options)
        })?;
    }
    if let Some(path) = &cli.json {
        write_report_file(path, "JSON report", |buffer| {
            json::render(buffer, reports, result)
        })?;
    }

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let written = match cli.format {
        Format::Human => {
            let options = human::HumanOptions {
                color: use_color(cli.color),
                quiet: cli.quiet,
            };
            human::render(&mut out, reports, options).and_then(|()| {
                if on_github {
                    github::render(&mut out, reports, &root)
                } else {
                    Ok(())
                }
            })
        }
        Format::Json => json::render(&mut out, reports, result),
        Format::Sarif => sarif::render(&mut out, reports, &root, &sarif_options),
        Format::Github => github::render(&mut out, reports, &root),
    };
    match written.and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not a failure to run.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            return Err(format!("cannot write the report: {e}"));
        }
        _ => {}
    }

    if on_github {
        write_github_files(cli, reports, &root, result)?;
    }
    Ok(())
}

fn write_github_files(
    cli: &Cli,
    reports: &[ArtifactReport],
    root: &Path,
    result: &str,
) -> Result<(), String> {
    if let Some(path) = runner_file("GITHUB_STEP_SUMMARY") {
        let summary = step_summary::render(reports, root, step_summary::MAX_BYTES);
        append_to_runner_file(&path, "the step summary", &summary)?;
    }
    if let Some(path) = runner_file("GITHUB_OUTPUT") {
        let totals = Totals::of(reports);
        let staged: Vec<String> = reports
            .iter()
            .filter_map(|r| r.staged_path.as_ref())
            .map(|p| p.display().to_string())
            .collect();
        let sarif_file = cli
            .sarif
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let outputs = [
            ("result", result.to_string()),
            ("errors", totals.errors.to_string()),
            ("warnings", totals.warnings.to_string()),
            ("sarif-file", sarif_file),
            ("staged", staged.join("\n")),
        ];
        append_to_runner_file(&path, "step outputs", &github_output::render(&outputs))?;
    }
    Ok(())
}

/// Renders a whole report, then replaces `path` with it in one step.
fn write_report_file(
    path: &Path,
    what: &str,
    render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> Result<(), String> {
    let mut buffer = Vec::new();
    render(&mut buffer).map_err(|e| e.to_string())?;
    write_atomically(path, &buffer)
        .map_err(|e| format!("{}: cannot write {what}: {e}", path.display()))
}

/// A file the Actions runner names in an environment variable; unset or empty means none.
fn runner_file(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// The runner reads these files after the step, so other steps' lines must stay.
fn append_to_runner_file(path: &Path, what: &str, text: &str) -> Result<(), String> {
    append(path, text.as_bytes())
        .map_err(|e| format!("{}: cannot write {what}: {e}", path.display()))
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
