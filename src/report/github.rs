//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` per finding.
//!
//! The runner renders only 10 annotations of each level per step, so the most important
//! come first and, when some were left out, one last notice says how many and where to look.

use std::io::{self, Write};
use std::path::Path;

use crate::judge::{Finding, Severity};
use crate::outcome::{Entry, RunOutcome};

use super::Context;
use super::repo_path::relative_to;

/// Annotations GitHub renders per level and step.
pub const PER_LEVEL_LIMIT: usize = 10;

/// One annotation: an input that could not be checked, or a finding.
enum Annotation<'a> {
    CouldNotCheck(&'a Entry),
    Finding(&'a Entry, &'a Finding),
}

impl Annotation<'_> {
    fn severity(&self) -> Severity {
        match self {
            Annotation::CouldNotCheck(_) => Severity::Error,
            Annotation::Finding(_, finding) => finding.severity,
        }
    }
}

pub fn render(out: &mut dyn Write, run: &RunOutcome, context: &Context) -> io::Result<()> {
    let mut annotations: Vec<Annotation> = run
        .entries
        .iter()
        .filter(|entry| entry.error().is_some())
        .map(Annotation::CouldNotCheck)
        .chain(run.entries.iter().flat_map(|entry| {
            entry
                .findings()
                .map(move |finding| Annotation::Finding(entry, finding))
        }))
        .collect();
    // Stable: worst first, then inputs that could not be checked, then in report order.
    annotations.sort_by_key(|annotation| std::cmp::Reverse(annotation.severity()));
    let mut shown = [0usize; 3];
    let mut hidden = 0usize;
    for annotation in &annotations {
        let severity = annotation.severity();
        let slot = severity as usize;
        // Keep one notice free for the overflow message.
        let limit = if severity == Severity::Note {
            PER_LEVEL_LIMIT - 1
        } else {
            PER_LEVEL_LIMIT
        };
        if shown[slot] >= limit {
            hidden += 1;
            continue;
        }
        shown[slot] += 1;
        let line = match annotation {
            Annotation::CouldNotCheck(entry) => could_not_check(entry, &context.root),
            Annotation::Finding(entry, finding) => self::annotation(entry, finding, &context.root),
        };
        writeln!(out, "{line}")?;
    }
    if hidden > 0 {
        let elsewhere = if context.sarif_file.is_some() {
            "the job log, the step summary or the SARIF file"
        } else {
            "the job log or the step summary"
        };
        writeln!(
            out,
            "::notice title=pyinit-check::{}",
            escape_data(&format!(
                "{hidden} more annotation(s) not shown (GitHub renders {PER_LEVEL_LIMIT} per level); \
                 see {elsewhere}."
            ))
        )?;
    }
    Ok(())
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

fn file_property(path: &Path, root: &Path) -> String {
    let file = relative_to(root, path).unwrap_or_else(|| path.display().to_string());
    format!("file={}", escape_property(&file))
}

/// The annotation for an input that could not be checked.
pub fn could_not_check(entry: &Entry, root: &Path) -> String {
    let problem = entry.error().map(ToString::to_string).unwrap_or_default();
    format!(
        "::error {},title={}::{}",
        file_property(entry.file_on_disk(), root),
        escape_property("pyinit-check could not check"),
        escape_data(&problem)
    )
}

/// One workflow command line for a finding.
pub fn annotation(entry: &Entry, finding: &Finding, root: &Path) -> String {
    let mut properties = Vec::new();
    let (path, line) = match finding.locations.first() {
        Some(location) => (location.path.as_path(), location.line),
        None => (entry.file_on_disk(), None),
    };
    properties.push(file_property(path, root));
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
        "::{} {}::{}",
        command(finding.severity),
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
