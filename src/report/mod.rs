//! Report: render finished results. Reporters format findings; they never compute verdicts.

pub mod github;
pub mod github_output;
pub mod human;
pub mod json;
pub mod repo_path;
pub mod sarif;
pub mod step_summary;

use crate::check::ArtifactReport;
use crate::judge::{Severity, Verdict};

/// Counts across a run, shared by every reporter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub artifacts: usize,
    pub failed: usize,
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Totals {
    pub fn passed(&self) -> usize {
        self.artifacts - self.failed - self.skipped
    }

    pub fn of(reports: &[ArtifactReport]) -> Self {
        let mut totals = Totals {
            artifacts: reports.len(),
            ..Totals::default()
        };
        for report in reports {
            match report.verdict {
                Verdict::Fail => totals.failed += 1,
                Verdict::Skipped => totals.skipped += 1,
                Verdict::Pass => {}
            }
            for finding in &report.findings {
                match finding.severity {
                    Severity::Error => totals.errors += 1,
                    Severity::Warning => totals.warnings += 1,
                    Severity::Note => totals.notes += 1,
                }
            }
        }
        totals
    }
}
