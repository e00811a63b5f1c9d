//! The Markdown job summary appended to `$GITHUB_STEP_SUMMARY`: a table of artifacts, failures
//! first, with each finding's help folded in `<details>`. GitHub accepts at most 1 MiB per
//! step, so rows that would cross that are replaced by a count.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::judge::{Finding, Severity};

use crate::outcome::{Checked, Entry, RunOutcome, RunResult, Status};

use super::Context;
use super::repo_path::relative_to;

/// GitHub's limit per step.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Renders the summary, never longer than `max_bytes`.
pub fn render(run: &RunOutcome, context: &Context, max_bytes: usize) -> String {
    let totals = &run.totals;
    let mut out = String::new();
    let heading = match run.result {
        RunResult::Pass => "✅ passed",
        RunResult::Fail => "❌ failed",
        RunResult::Error => "⛔ could not check everything",
    };
    let _ = writeln!(out, "## pyinit-check: {heading}\n");
    let _ = writeln!(
        out,
        "{} artifact(s): {} passed, {} failed, {} could not be checked, {} with nothing to check; \
         {} error(s), {} warning(s), {} ignored (fail on: {}).\n",
        totals.entries,
        totals.passed,
        totals.failed,
        totals.errored,
        totals.nothing_to_check,
        totals.errors,
        totals.warnings,
        totals.ignored,
        run.fail_on.id()
    );
    out.push_str("| Status | Artifact | Module | Hook |\n|---|---|---|---|\n");
    let mut ordered: Vec<&Entry> = run.entries.iter().collect();
    ordered.sort_by_key(|entry| match entry.status {
        Status::Error => 0,
        Status::Fail => 1,
        Status::Pass => 2,
        Status::NothingToCheck => 3,
    });
    let footer_room = 200;
    let mut details = String::new();
    let mut left_out = 0;
    let mut shared = shared_causes(run);
    for entry in ordered {
        let row = table_row(entry, context);
        let detail = details_block(entry, &mut shared);
        if out.len() + row.len() + details.len() + detail.len() + footer_room > max_bytes {
            left_out += 1;
            continue;
        }
        out.push_str(&row);
        details.push_str(&detail);
    }
    out.push('\n');
    out.push_str(&details);
    if left_out > 0 {
        let _ = writeln!(
            out,
            "\n_{left_out} more artifact(s) left out to stay under GitHub's 1 MiB summary limit; see the job log._"
        );
    }
    out
}

fn table_row(entry: &Entry, context: &Context) -> String {
    let status = match entry.status {
        Status::Pass => "✅ pass",
        Status::Fail => "❌ fail",
        Status::Error => "⛔ error",
        Status::NothingToCheck => "ℹ️ nothing to check",
    };
    let path =
        relative_to(&context.root, &entry.path).unwrap_or_else(|| entry.path.display().to_string());
    let module = entry
        .artifact
        .as_ref()
        .map(|a| a.identity.name.as_str())
        .unwrap_or("—");
    let hook = entry
        .judged()
        .and_then(|j| j.hooks.as_ref().ok())
        .map(|h| h.init.as_str())
        .unwrap_or("—");
    format!(
        "| {status} | `{}` | `{}` | `{}` |\n",
        cell(&path),
        cell(module),
        cell(hook)
    )
}

/// A wheel's own defect: the wheel, and the finding's rule, severity, slice and cause.
type CauseKey = (PathBuf, &'static str, Severity, Option<String>, String);

fn cause_key(entry: &Entry, finding: &Finding) -> Option<CauseKey> {
    let wheel = entry.artifact.as_ref()?.wheel()?.to_path_buf();
    let cause = finding.wheel_cause.clone()?;
    Some((
        wheel,
        finding.rule.id,
        finding.severity,
        finding.slice.clone(),
        cause,
    ))
}

/// How many modules share each wheel defect; a defect is detailed once, with the first of
/// them, and then taken out.
fn shared_causes(run: &RunOutcome) -> HashMap<CauseKey, usize> {
    let mut counts = HashMap::new();
    for entry in &run.entries {
        for finding in entry.findings() {
            if let Some(key) = cause_key(entry, finding) {
                *counts.entry(key).or_insert(0) += 1;
            }
        }
    }
    counts
}

fn details_block(entry: &Entry, shared: &mut HashMap<CauseKey, usize>) -> String {
    let mut out = String::new();
    if let Checked::Error(error) = &entry.checked {
        let _ = write!(
            out,
            "<details><summary>error: could not check: {}</summary>\n\n</details>\n\n",
            html(&error.to_string())
        );
    }
    for finding in entry.findings() {
        let mut also = String::new();
        if let Some(key) = cause_key(entry, finding) {
            match shared.remove(&key) {
                None => continue,
                Some(count) if count > 1 => {
                    also = format!(" (the same for {} more module(s) of this wheel)", count - 1);
                }
                Some(_) => {}
            }
        }
        let _ = write!(
            out,
            "<details><summary>{} {} {}: {}{also}</summary>\n\n{}\n\n{}\n\n</details>\n\n",
            finding.severity.label(),
            finding.rule.id,
            finding.rule.name,
            html(&finding.message),
            html(finding.help.as_deref().unwrap_or("")),
            finding.rule.help
        );
    }
    out
}

/// Table cells: no pipes or newlines, no backticks breaking the code span.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::discover::{DiscoverRequest, discover};
    use crate::outcome::FailOn;
    use crate::pipeline::{Settings, run};
    use crate::stage::StageMode;

    fn failing_run(count: usize) -> (tempfile::TempDir, RunOutcome) {
        let dir = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pe/foo.pyd"
        ))
        .unwrap();
        let paths: Vec<PathBuf> = (0..count)
            .map(|i| {
                let path = dir.path().join(format!("m{i}.pyd"));
                std::fs::write(&path, &bytes).unwrap();
                path
            })
            .collect();
        let discovery = discover(&DiscoverRequest {
            paths,
            ..DiscoverRequest::default()
        });
        let settings = Settings {
            stage: StageMode::Isolate,
            lock_timeout: std::time::Duration::from_secs(1),
            fail_on: FailOn::Error,
            policy: Default::default(),
            jobs: 1,
        };
        let outcome = run(discovery, &settings, &|_| {}, &mut |_| {});
        (dir, outcome)
    }

    #[test]
    fn stays_under_the_limit_and_says_what_it_left_out() {
        let (_dir, outcome) = failing_run(400);
        assert_eq!(outcome.totals.failed, 400);
        let context = Context::default();
        let limit = 64 * 1024;
        let summary = render(&outcome, &context, limit);
        assert!(summary.len() <= limit, "{} bytes", summary.len());
        assert!(summary.contains("more artifact(s) left out"));
        let full = render(&outcome, &context, MAX_BYTES);
        assert!(!full.contains("left out") && full.len() > limit);
    }
}
