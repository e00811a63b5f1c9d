//! Report: render one [`RunOutcome`]. Every output goes through [`render`]; renderers format,
//! they never decide a status, a count or a result.

pub mod github;
pub mod github_output;
pub mod human;
pub mod json;
pub mod repo_path;
pub mod sarif;
pub mod step_summary;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::outcome::RunOutcome;

/// The outputs pyinit-check can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Terminal text.
    Human,
    /// The JSON document (schema in the README).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub workflow commands (`::error …`).
    Annotations,
    /// Markdown for `$GITHUB_STEP_SUMMARY`.
    StepSummary,
    /// `name=value` lines for `$GITHUB_OUTPUT`.
    StepOutputs,
}

/// What renderers need besides the outcome.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The checkout root: locations are made relative to it.
    pub root: PathBuf,
    /// SARIF `automationDetails.id`.
    pub sarif_category: Option<String>,
    /// The SARIF file this run writes, if any (named in outputs and the overflow notice).
    pub sarif_file: Option<PathBuf>,
    pub color: bool,
    /// Human: failing and erroring inputs only.
    pub quiet: bool,
    /// Human: list the files that were not checked.
    pub verbose: bool,
}

/// Renders `report` of `run` to `out`.
pub fn render(
    report: Report,
    run: &RunOutcome,
    context: &Context,
    out: &mut dyn Write,
) -> io::Result<()> {
    match report {
        Report::Human => human::render(out, run, context),
        Report::Json => json::render(out, run),
        Report::Sarif => sarif::render(out, run, context),
        Report::Annotations => github::render(out, run, context),
        Report::StepSummary => {
            out.write_all(step_summary::render(run, context, step_summary::MAX_BYTES).as_bytes())
        }
        Report::StepOutputs => out.write_all(github_output::render_run(run, context).as_bytes()),
    }
}
