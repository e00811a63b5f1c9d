//! The terminal reporter: one line per input, then rustc-style diagnostics for findings.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::inspect::LookupOutcome;
use crate::judge::{Finding, Severity};
use crate::model::{ArtifactKind, NothingToCheck};
use crate::outcome::{Checked, Entry, RunOutcome, Status};
use crate::stage::StageOutcome;

use super::Context;

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
    fn status(&self, status: Status) -> String {
        match status {
            Status::Pass => self.wrap("1;32", "ok  "),
            Status::Fail => self.wrap("1;31", "FAIL"),
            Status::Error => self.wrap("1;31", "ERR "),
            Status::NothingToCheck => self.wrap("1;36", "note"),
        }
    }
}

/// The whole report: every entry, then the summary. A run that streams its output calls
/// [`render_entry`] as each entry is done, [`Held::flush`] after the last and
/// [`render_summary`] at the end instead, which writes the same bytes.
pub fn render(out: &mut dyn Write, run: &RunOutcome, context: &Context) -> io::Result<()> {
    let mut held = Held::default();
    for entry in &run.entries {
        render_entry(out, entry, context, &mut held)?;
    }
    held.flush(out, context)?;
    render_summary(out, run, context)
}

/// What the output holds back while one input's entries go by, to say once after them: the
/// defects of a wheel that every module shares (its tags, its `WHEEL` file), and how many
/// libraries it loads by path. Entries of one wheel come one after another.
#[derive(Default)]
pub struct Held {
    wheel: Option<PathBuf>,
    causes: Vec<SharedCause>,
    loaded_by_path: usize,
}

/// One wheel defect and the modules it was found in.
struct SharedCause {
    finding: Finding,
    modules: Vec<String>,
}

impl Held {
    /// Holds `finding` back when it is a defect the entry's wheel shares; false when it is
    /// the entry's own and is to be shown under it.
    fn hold(&mut self, entry: &Entry, finding: &Finding) -> bool {
        if finding.wheel_cause.is_none()
            || entry.artifact.as_ref().and_then(|a| a.wheel()).is_none()
        {
            return false;
        }
        let module = entry
            .artifact
            .as_ref()
            .map_or_else(String::new, |artifact| artifact.identity.name.clone());
        let same = |held: &Finding| {
            held.rule.id == finding.rule.id
                && held.severity == finding.severity
                && held.slice == finding.slice
                && held.wheel_cause == finding.wheel_cause
        };
        match self.causes.iter_mut().find(|cause| same(&cause.finding)) {
            Some(cause) => cause.modules.push(module),
            None => self.causes.push(SharedCause {
                finding: finding.clone(),
                modules: vec![module],
            }),
        }
        true
    }

    /// Writes what was held for the input that just ended.
    pub fn flush(&mut self, out: &mut dyn Write, context: &Context) -> io::Result<()> {
        let paint = Paint { on: context.color };
        let place = self.wheel.take();
        let shown = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or_else(String::new, |path| printable(path.display()))
        };
        for cause in std::mem::take(&mut self.causes) {
            write_finding_head(out, &cause.finding, &paint)?;
            writeln!(out, "  --> {}", shown(&place))?;
            let others = &cause.modules[1..];
            if !others.is_empty() {
                let listed = if context.verbose {
                    others.len()
                } else {
                    others.len().min(3)
                };
                let mut names: Vec<String> = others[..listed]
                    .iter()
                    .map(|name| format!("`{}`", printable(name)))
                    .collect();
                if others.len() > listed {
                    names.push(format!("{} more (-v lists them)", others.len() - listed));
                }
                writeln!(
                    out,
                    "   = the same for {} more module{} of this wheel: {}",
                    others.len(),
                    plural(others.len()),
                    crate::judge::join(&names)
                )?;
            }
            if let Some(help) = &cause.finding.help {
                writeln!(out, "   = {}: {}", paint.bold("help"), printable(help))?;
            }
        }
        let count = std::mem::take(&mut self.loaded_by_path);
        if count > 0 && !context.verbose {
            let head = paint.severity(Severity::Note, "note");
            let within = place
                .as_ref()
                .map_or_else(String::new, |p| format!(" in {}", shown(&Some(p.clone()))));
            writeln!(
                out,
                "{head}: {count} {}{within} {} loaded by path (ctypes, cffi, uniffi), not imported: no hook, no C-API import, no libpython — nothing to check (-v lists {})",
                if count == 1 { "library" } else { "libraries" },
                if count == 1 { "is" } else { "are" },
                if count == 1 { "it" } else { "them" },
            )?;
        }
        Ok(())
    }
}

/// One entry's lines (none for a passing one under `--quiet`). `held` carries what the
/// entries of one wheel share, written when the next input starts.
pub fn render_entry(
    out: &mut dyn Write,
    entry: &Entry,
    context: &Context,
    held: &mut Held,
) -> io::Result<()> {
    let wheel = entry
        .artifact
        .as_ref()
        .and_then(|a| a.wheel())
        .map(Path::to_path_buf);
    if held.wheel != wheel {
        held.flush(out, context)?;
        held.wheel = wheel;
    }
    if context.quiet && !matches!(entry.status, Status::Fail | Status::Error) {
        return Ok(());
    }
    if matches!(
        entry.checked,
        Checked::NothingToCheck(NothingToCheck::LoadedByPath)
    ) && !context.verbose
    {
        held.loaded_by_path += 1;
        return Ok(());
    }
    entry_lines(out, entry, &Paint { on: context.color }, held)
}

/// What follows the entries: the files not checked, and the totals.
pub fn render_summary(out: &mut dyn Write, run: &RunOutcome, context: &Context) -> io::Result<()> {
    let totals = &run.totals;
    if context.verbose {
        for entry in &run.entries {
            for finding in entry
                .all_findings()
                .iter()
                .filter(|f| f.suppressed.is_some())
            {
                let suppression = finding.suppressed.as_ref().map(ToString::to_string);
                writeln!(
                    out,
                    "ignored: {}: {} {}: {}",
                    printable(entry.path.display()),
                    finding.rule.id,
                    finding.rule.name,
                    printable(suppression.unwrap_or_default())
                )?;
            }
        }
        for unchecked in &run.unchecked {
            writeln!(
                out,
                "not checked: {}: {}",
                printable(unchecked.path.display()),
                printable(&unchecked.reason)
            )?;
        }
    } else if !context.quiet && totals.unchecked > 0 {
        let line = if totals.unchecked == 1 {
            "1 file named like a module was not checked (-v lists it)".to_string()
        } else {
            format!(
                "{} files named like modules were not checked (-v lists them)",
                totals.unchecked
            )
        };
        writeln!(out, "{line}")?;
    }
    if context.quiet && totals.failed == 0 && totals.errored == 0 {
        return Ok(());
    }
    let mut counts = vec![
        format!("{} passed", totals.passed),
        format!("{} failed", totals.failed),
    ];
    if totals.errored > 0 {
        counts.push(format!("{} could not be checked", totals.errored));
    }
    if totals.nothing_to_check > 0 {
        counts.push(format!("{} with nothing to check", totals.nothing_to_check));
    }
    let ignored = if totals.ignored > 0 {
        format!(", {} ignored (-v lists them)", totals.ignored)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} artifact{} checked: {} ({} error{}, {} warning{}{ignored})",
        totals.entries,
        plural(totals.entries),
        counts.join(", "),
        totals.errors,
        plural(totals.errors),
        totals.warnings,
        plural(totals.warnings),
    )
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

fn entry_lines(
    out: &mut dyn Write,
    entry: &Entry,
    paint: &Paint,
    held: &mut Held,
) -> io::Result<()> {
    let path = paint.bold(&printable(entry.path.display()));
    let judged = match &entry.checked {
        Checked::Judged(judged) => judged,
        Checked::Error(error) => {
            writeln!(out, "{} {path}", paint.status(entry.status))?;
            let head = paint.severity(Severity::Error, "error");
            return writeln!(out, "{head}: {}", printable(error));
        }
        Checked::NothingToCheck(reason) => {
            writeln!(out, "{} {path}", paint.status(entry.status))?;
            let head = paint.severity(Severity::Note, "note");
            return writeln!(out, "{head}: {}", printable(reason));
        }
    };
    let mut facts = Vec::new();
    if let Some(artifact) = &entry.artifact {
        facts.push(match artifact.kind {
            ArtifactKind::Module => format!("module {}", printable(&artifact.identity.name)),
            ArtifactKind::Library => "library".to_string(),
        });
    }
    if let Some(hook) = resolved_hook(entry) {
        facts.push(hook);
    }
    let arches: Vec<&str> = judged.slices.iter().map(|s| s.arch.as_str()).collect();
    facts.push(format!("{} {}", judged.format.describe(), arches.join("+")));
    writeln!(
        out,
        "{} {path}  ({})",
        paint.status(entry.status),
        facts.join(", ")
    )?;
    if let Some(stage) = entry
        .stage
        .as_ref()
        .filter(|s| !matches!(s, StageOutcome::InPlace { .. }))
    {
        writeln!(out, "      staged: {}", printable(stage))?;
    }
    if judged.slices.len() > 1 {
        for slice in &judged.slices {
            let found = judged.hooks.as_ref().ok().and_then(|hooks| {
                [&hooks.init, &hooks.mod_export].into_iter().find(|symbol| {
                    slice
                        .lookups
                        .iter()
                        .any(|(n, o)| n == *symbol && o.is_resolvable())
                })
            });
            let status = match found {
                Some(symbol) => format!("{} {symbol}", paint.status(Status::Pass)),
                None => format!("{} no hook", paint.status(Status::Fail)),
            };
            writeln!(out, "      {:<8} {status}", slice.arch)?;
        }
    }
    for finding in entry.findings() {
        if !held.hold(entry, finding) {
            render_finding(out, entry, finding, paint)?;
        }
    }
    Ok(())
}

/// "PyInit_foo" or "PyModExport_foo" when every slice resolves it.
fn resolved_hook(entry: &Entry) -> Option<String> {
    let judged = entry.judged()?;
    let hooks = judged.hooks.as_ref().ok()?;
    let resolves = |symbol: &str| {
        judged.slices.iter().all(|s| {
            s.lookups
                .iter()
                .any(|(n, o)| n == symbol && o.is_resolvable())
        })
    };
    let symbol = [&hooks.init, &hooks.mod_export]
        .into_iter()
        .find(|symbol| resolves(symbol))?;
    let forwarded = judged
        .slices
        .first()?
        .lookups
        .iter()
        .any(|(n, o)| n == symbol && matches!(o, LookupOutcome::Forwarded(_)));
    Some(if forwarded {
        format!("{symbol} (forwarded)")
    } else {
        symbol.clone()
    })
}

/// `error[PYI001 missing-module-hook]: <message>`.
fn write_finding_head(out: &mut dyn Write, finding: &Finding, paint: &Paint) -> io::Result<()> {
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
    )
}

fn render_finding(
    out: &mut dyn Write,
    entry: &Entry,
    finding: &Finding,
    paint: &Paint,
) -> io::Result<()> {
    write_finding_head(out, finding, paint)?;
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
        None => writeln!(out, "  --> {}", printable(entry.path.display()))?,
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
    if let Some(artifact) = &entry.artifact
        && finding.severity > Severity::Note
        && artifact.kind == ArtifactKind::Module
    {
        let identity = &artifact.identity;
        writeln!(
            out,
            "   = module `{}` (from {}), Python {}",
            printable(&identity.name),
            printable(&identity.name_source),
            identity.python.describe()
        )?;
    }
    if let Some(help) = &finding.help {
        writeln!(out, "   = {}: {}", paint.bold("help"), printable(help))?;
    }
    Ok(())
}
