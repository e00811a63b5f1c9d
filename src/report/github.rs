//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` per finding.
//!
//! The runner renders only 10 annotations of each level per step, so the most important
//! come first and, when some were left out, one last notice says how many and where to look.

use std::io::{self, Write};
use std::path::Path;

use crate::check::ArtifactReport;
use crate::judge::{Finding, Severity};

use super::repo_path::relative_to;

/// Annotations GitHub renders per level and step.
pub const PER_LEVEL_LIMIT: usize = 10;

pub fn render(out: &mut dyn Write, reports: &[ArtifactReport], root: &Path) -> io::Result<()> {
    let mut findings: Vec<(&ArtifactReport, &Finding)> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .collect();
    // Stable: worst first, then in report order.
    findings.sort_by_key(|(_, finding)| std::cmp::Reverse(finding.severity));
    let mut shown = [0usize; 3];
    let mut hidden = 0usize;
    for (report, finding) in findings {
        let slot = finding.severity as usize;
        // Keep one notice free for the overflow message.
        let limit = if finding.severity == Severity::Note {
            PER_LEVEL_LIMIT - 1
        } else {
            PER_LEVEL_LIMIT
        };
        if shown[slot] >= limit {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        writeln!(out, "{}", annotation(report, finding, root))?;
    }
    if hidden > 0 {
        writeln!(
            out,
            "::notice title=pyinit-check::{}",
            escape_data(&format!(
                "{hidden} more finding(s) not shown as annotations (GitHub renders {PER_LEVEL_LIMIT} per level); \
                 see the job log, the step summary or the SARIF file."
            ))
        )?;
    }
    Ok(())
}

/// One workflow command line for a finding.
pub fn annotation(report: &ArtifactReport, finding: &Finding, root: &Path) -> String {
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    let (path, line) = match finding.locations.first() {
        Some(location) => (&location.path, location.line),
        None => (report.container.as_ref().unwrap_or(&report.path), None),
    };
    let file = relative_to(root, path).unwrap_or_else(|| path.display().to_string());
    properties.push(format!("file={}", escape_property(&file)));
    if let Some(line) = line {
        properties.push(format!("line={line}"));
    }
    let title = format!("{} {}", finding.rule.id, finding.rule.name);
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nHelp: ");
        message.push_str(help);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Escapes a command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
