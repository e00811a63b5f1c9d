//! The terminal reporter: one line per artifact, then rustc-style diagnostics for findings.

use std::io::{self, Write};

use crate::check::ArtifactReport;
use crate::inspect::LookupOutcome;
use crate::judge::{Finding, Severity, Verdict};

use super::Totals;

/// Whether to colour, and whether to show passing artifacts.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    pub color: bool,
    /// Print failing artifacts only (`--quiet`).
    pub quiet: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Error => self.wrap("1;31", text),
            Severity::Warning => self.wrap("1;33", text),
            Severity::Note => self.wrap("1;36", text),
        }
    }
    fn verdict(&self, verdict: Verdict) -> String {
        match verdict {
            Verdict::Pass => self.wrap("1;32", "ok  "),
            Verdict::Fail => self.wrap("1;31", "FAIL"),
            Verdict::Skipped => self.wrap("1;33", "skip"),
        }
    }
}

pub fn render(
    out: &mut dyn Write,
    reports: &[ArtifactReport],
    options: HumanOptions,
) -> io::Result<()> {
    let paint = Paint { on: options.color };
    for report in reports {
        if options.quiet && report.verdict != Verdict::Fail {
            continue;
        }
        render_artifact(out, report, &paint)?;
    }
    let totals = Totals::of(reports);
    if !options.quiet || totals.failed > 0 {
        writeln!(
            out,
            "{} artifact{} checked: {} passed, {} failed{} ({} error{}, {} warning{})",
            totals.artifacts,
            plural(totals.artifacts),
            totals.passed(),
            totals.failed,
            if totals.skipped > 0 {
                format!(", {} skipped", totals.skipped)
            } else {
                String::new()
            },
            totals.errors,
            plural(totals.errors),
            totals.warnings,
            plural(totals.warnings),
        )?;
    }
    Ok(())
}

/// Text from the file system or the build, made safe for one terminal line: control
/// characters (newlines, escape sequences) are shown escaped. On GitHub Actions stdout is
/// parsed for `::command::` lines, so a newline inside a module or file name must never
/// start a new line.
pub fn printable(text: impl std::fmt::Display) -> String {
    let text = text.to_string();
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn render_artifact(out: &mut dyn Write, report: &ArtifactReport, paint: &Paint) -> io::Result<()> {
    let mut facts = vec![format!("module {}", printable(&report.module))];
    if let Some(hook) = resolved_hook(report) {
        facts.push(hook);
    }
    if let Some(format) = report.format {
        let arches: Vec<&str> = report.slices.iter().map(|s| s.arch.as_str()).collect();
        facts.push(format!("{} {}", format.describe(), arches.join("+")));
    }
    writeln!(
        out,
        "{} {}  ({})",
        paint.verdict(report.verdict),
        paint.bold(&printable(report.path.display())),
        facts.join(", ")
    )?;
    if let Some(stage) = &report.stage {
        writeln!(out, "      staged: {}", printable(stage))?;
    }
    if report.slices.len() > 1 {
        for slice in &report.slices {
            let found = slice
                .lookups
                .iter()
                .find(|(_, o)| o.is_resolvable())
                .map(|(s, _)| s.as_str());
            let status = match found {
                Some(symbol) => format!("{} {symbol}", paint.verdict(Verdict::Pass)),
                None => format!("{} no hook", paint.verdict(Verdict::Fail)),
            };
            writeln!(out, "      {:<8} {status}", slice.arch)?;
        }
    }
    for finding in &report.findings {
        render_finding(out, report, finding, paint)?;
    }
    Ok(())
}

/// "PyInit_foo" or "PyModExport_foo" when every slice resolves it.
fn resolved_hook(report: &ArtifactReport) -> Option<String> {
    let first = report.slices.first()?;
    let (symbol, _) = first.lookups.iter().find(|(_, o)| o.is_resolvable())?;
    let everywhere = report.slices.iter().all(|s| {
        s.lookups
            .iter()
            .any(|(n, o)| n == symbol && o.is_resolvable())
    });
    let forwarded = first
        .lookups
        .iter()
        .any(|(n, o)| n == symbol && matches!(o, LookupOutcome::Forwarded(_)));
    everywhere.then(|| {
        if forwarded {
            format!("{symbol} (forwarded)")
        } else {
            symbol.clone()
        }
    })
}

fn render_finding(
    out: &mut dyn Write,
    report: &ArtifactReport,
    finding: &Finding,
    paint: &Paint,
) -> io::Result<()> {
    let head = format!(
        "{}[{} {}]",
        finding.severity.label(),
        finding.rule.id,
        finding.rule.name
    );
    writeln!(
        out,
        "{}: {}",
        paint.severity(finding.severity, &head),
        printable(&finding.message)
    )?;
    match finding.locations.first() {
        Some(location) => {
            let line = location.line.map(|l| format!(":{l}")).unwrap_or_default();
            writeln!(
                out,
                "  --> {}{line} ({})",
                printable(location.path.display()),
                printable(&location.label)
            )?;
        }
        None => writeln!(out, "  --> {}", printable(report.path.display()))?,
    }
    for related in finding.locations.iter().skip(1) {
        let line = related.line.map(|l| format!(":{l}")).unwrap_or_default();
        writeln!(
            out,
            "  ::: {}{line} ({})",
            printable(related.path.display()),
            printable(&related.label)
        )?;
    }
    if finding.severity > Severity::Note {
        writeln!(
            out,
            "   = module `{}` (from {}), Python {}",
            printable(&report.module),
            printable(report.module_source.describe()),
            report.python.describe()
        )?;
    }
    if let Some(help) = &finding.help {
        writeln!(out, "   = {}: {}", paint.bold("help"), printable(help))?;
    }
    Ok(())
}
