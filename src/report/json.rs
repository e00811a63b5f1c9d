//! The JSON reporter: every field the human output shows, with a schema version so
//! consumers can rely on the shape (documented in the README).

use std::io::{self, Write};

use serde::Serialize;

use crate::check::ArtifactReport;

use super::Totals;

/// Bumped on any incompatible change to the document's shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    artifacts: &'a [ArtifactReport],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    result: &'static str,
    artifacts: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

pub fn render(
    out: &mut dyn Write,
    reports: &[ArtifactReport],
    result: &'static str,
) -> io::Result<()> {
    let totals = Totals::of(reports);
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            result,
            artifacts: totals.artifacts,
            passed: totals.passed(),
            failed: totals.failed,
            skipped: totals.skipped,
            errors: totals.errors,
            warnings: totals.warnings,
            notes: totals.notes,
        },
        artifacts: reports,
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
