//! The run outcome: one value that every renderer draws from.
//!
//! Each input's status, the policy, the totals, the run's result and the exit code are
//! computed here, once; human output, JSON, SARIF, annotations, the step summary and the step
//! outputs only render them, so they cannot disagree.

use std::fmt;
use std::path::PathBuf;

use crate::error::{CheckError, exit};
use crate::hook::{HookNames, ModuleNameError};
use crate::inspect::{BinaryFormat, SliceSummary};
pub use crate::judge::FailOn;
use crate::judge::search::Resolution;
use crate::judge::{Finding, Severity};
use crate::model::{Artifact, NothingToCheck, Unchecked};
use crate::stage::StageOutcome;

/// What the rules made of a binary.
#[derive(Debug)]
pub struct Judged {
    pub format: BinaryFormat,
    pub hooks: Result<HookNames, ModuleNameError>,
    pub slices: Vec<SliceSummary>,
    /// Per slice, in the same order: where the loader finds each library it needs (empty for
    /// a slice that is no shared library).
    pub dependencies: Vec<Vec<Resolution>>,
    /// Worst first; those the policy ignores carry their [`Finding::suppressed`].
    pub findings: Vec<Finding>,
}

impl Judged {
    /// The findings that count.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}

/// How checking one input ended.
#[derive(Debug)]
pub enum Checked {
    Judged(Judged),
    /// The input could not be checked.
    Error(CheckError),
    NothingToCheck(NothingToCheck),
}

/// One input's status under the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Error,
    NothingToCheck,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::NothingToCheck => "nothing-to-check",
        }
    }
}

/// The result for one input.
#[derive(Debug)]
pub struct Entry {
    /// As given or discovered (`<wheel>/<member>` for wheel members).
    pub path: PathBuf,
    /// The resolved artifact, when the input was one.
    pub artifact: Option<Artifact>,
    /// What staging did, for cargo outputs.
    pub stage: Option<StageOutcome>,
    pub checked: Checked,
    pub status: Status,
}

impl Entry {
    pub fn new(
        path: PathBuf,
        artifact: Option<Artifact>,
        stage: Option<StageOutcome>,
        checked: Checked,
        fail_on: FailOn,
    ) -> Self {
        let status = match &checked {
            Checked::Judged(judged) => {
                if judged.active().any(|f| fail_on.fails(f.severity)) {
                    Status::Fail
                } else {
                    Status::Pass
                }
            }
            Checked::Error(_) => Status::Error,
            Checked::NothingToCheck(_) => Status::NothingToCheck,
        };
        Entry {
            path,
            artifact,
            stage,
            checked,
            status,
        }
    }

    /// The findings that count: those the user's policy does not ignore.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.all_findings()
            .iter()
            .filter(|finding| finding.suppressed.is_none())
    }

    /// Every finding, the ignored ones too (for the reports that record them).
    pub fn all_findings(&self) -> &[Finding] {
        match &self.checked {
            Checked::Judged(judged) => &judged.findings,
            _ => &[],
        }
    }

    pub fn judged(&self) -> Option<&Judged> {
        match &self.checked {
            Checked::Judged(judged) => Some(judged),
            _ => None,
        }
    }

    /// The file that stands for this entry on disk, for locations: the artifact's file, or
    /// its wheel; the input as named when there is no artifact.
    pub fn file_on_disk(&self) -> &std::path::Path {
        match &self.artifact {
            Some(artifact) => artifact.file_on_disk(),
            None => &self.path,
        }
    }

    /// The one-line problem of an input that could not be checked.
    pub fn error(&self) -> Option<&CheckError> {
        match &self.checked {
            Checked::Error(error) => Some(error),
            _ => None,
        }
    }
}

/// The run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunResult {
    Pass,
    Fail,
    /// Some input could not be checked.
    Error,
}

impl RunResult {
    pub fn id(self) -> &'static str {
        match self {
            RunResult::Pass => "pass",
            RunResult::Fail => "fail",
            RunResult::Error => "error",
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            RunResult::Pass => exit::PASS,
            RunResult::Fail => exit::FAIL,
            RunResult::Error => exit::ERROR,
        }
    }
}

impl fmt::Display for RunResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Counts across a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub entries: usize,
    pub passed: usize,
    pub failed: usize,
    pub errored: usize,
    pub nothing_to_check: usize,
    /// Findings by severity, those the policy ignores left out.
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings the policy ignores (kept in the reports, never counted above).
    pub ignored: usize,
    pub unchecked: usize,
}

/// Everything a run found, decided once.
#[derive(Debug)]
pub struct RunOutcome {
    pub entries: Vec<Entry>,
    pub unchecked: Vec<Unchecked>,
    pub fail_on: FailOn,
    pub totals: Totals,
    pub result: RunResult,
}

impl RunOutcome {
    pub fn new(entries: Vec<Entry>, unchecked: Vec<Unchecked>, fail_on: FailOn) -> Self {
        let mut totals = Totals {
            entries: entries.len(),
            unchecked: unchecked.len(),
            ..Totals::default()
        };
        for entry in &entries {
            match entry.status {
                Status::Pass => totals.passed += 1,
                Status::Fail => totals.failed += 1,
                Status::Error => totals.errored += 1,
                Status::NothingToCheck => totals.nothing_to_check += 1,
            }
            for finding in entry.all_findings() {
                if finding.suppressed.is_some() {
                    totals.ignored += 1;
                    continue;
                }
                match finding.severity {
                    Severity::Error => totals.errors += 1,
                    Severity::Warning => totals.warnings += 1,
                    Severity::Note => totals.notes += 1,
                }
            }
        }
        let result = if totals.errored > 0 {
            RunResult::Error
        } else if totals.failed > 0 {
            RunResult::Fail
        } else {
            RunResult::Pass
        };
        RunOutcome {
            entries,
            unchecked,
            fail_on,
            totals,
            result,
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.result.exit_code()
    }
}
