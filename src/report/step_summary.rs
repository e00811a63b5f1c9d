//! The Markdown job summary appended to `$GITHUB_STEP_SUMMARY`: a table of artifacts, failures
//! first, with each finding's help folded in `<details>`. GitHub accepts at most 1 MiB per
//! step, so rows that would cross that are replaced by a count.

use std::fmt::Write as _;
use std::path::Path;

use crate::check::ArtifactReport;
use crate::judge::Verdict;

use super::Totals;
use super::repo_path::relative_to;

/// GitHub's limit per step.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Renders the summary, never longer than `max_bytes`.
pub fn render(reports: &[ArtifactReport], root: &Path, max_bytes: usize) -> String {
    let totals = Totals::of(reports);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## pyinit-check: {}\n",
        if totals.failed > 0 {
            "❌ failed"
        } else {
            "✅ passed"
        }
    );
    let _ = writeln!(
        out,
        "{} artifact(s): {} passed, {} failed, {} skipped; {} error(s), {} warning(s).\n",
        totals.artifacts,
        totals.passed(),
        totals.failed,
        totals.skipped,
        totals.errors,
        totals.warnings
    );
    out.push_str("| Verdict | Artifact | Module | Hook |\n|---|---|---|---|\n");
    let mut ordered: Vec<&ArtifactReport> = reports.iter().collect();
    ordered.sort_by_key(|r| r.verdict != Verdict::Fail);
    let footer_room = 200;
    let mut details = String::new();
    let mut left_out = 0;
    for report in ordered {
        let row = table_row(report, root);
        let detail = details_block(report);
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

fn table_row(report: &ArtifactReport, root: &Path) -> String {
    let verdict = match report.verdict {
        Verdict::Pass => "✅ pass",
        Verdict::Fail => "❌ fail",
        Verdict::Skipped => "⚠️ skipped",
    };
    let path = relative_to(root, &report.path).unwrap_or_else(|| report.path.display().to_string());
    let hook = report
        .expected_hooks
        .as_ref()
        .map(|h| h.init.as_str())
        .unwrap_or("—");
    format!(
        "| {verdict} | `{}` | `{}` | `{}` |\n",
        cell(&path),
        cell(&report.module),
        cell(hook)
    )
}

fn details_block(report: &ArtifactReport) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let _ = write!(
            out,
            "<details><summary>{} {} {}: {}</summary>\n\n{}\n\n{}\n\n</details>\n\n",
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
    use super::*;
    use crate::check::{ArtifactReport, CheckOptions, check_bytes};
    use crate::discover::{Artifact, Origin, parse_module_file_name};

    fn failing_report(i: usize) -> ArtifactReport {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pe/foo.pyd"
        ))
        .unwrap();
        let name = format!("m{i}.pyd");
        let artifact = Artifact {
            path: format!("dist/{name}").into(),
            file_name: parse_module_file_name(&name),
            origin: Origin::Path,
            module: None,
            source: None,
            wheel: None,
        };
        check_bytes(&bytes, &artifact, &CheckOptions::default()).unwrap()
    }

    #[test]
    fn stays_under_the_limit_and_says_what_it_left_out() {
        let reports: Vec<ArtifactReport> = (0..400).map(failing_report).collect();
        let limit = 64 * 1024;
        let summary = render(&reports, Path::new("/repo"), limit);
        assert!(summary.len() <= limit, "{} bytes", summary.len());
        assert!(summary.contains("more artifact(s) left out"));
        let full = render(&reports, Path::new("/repo"), MAX_BYTES);
        assert!(!full.contains("left out") && full.len() > limit);
    }
}
