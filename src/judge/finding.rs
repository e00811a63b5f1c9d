//! What a rule says about an artifact: the data every reporter renders and none recomputes.

use std::fmt;

use clap::ValueEnum;

use super::policy::Suppression;

pub use crate::model::Location;

/// How bad a finding is. Ordered so that `max()` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which findings fail the run (`--fail-on`): vocabulary of severities, kept beside them so
/// that configuration and the run's outcome both read it from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the artifact under this policy.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Never => false,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Never => "never",
        }
    }
}

/// A rule's identity and documentation; one `static` per rule file.
#[derive(Debug)]
pub struct Rule {
    /// Stable id (`PYI001`); never reused.
    pub id: &'static str,
    /// Stable kebab-case name (`missing-module-hook`).
    pub name: &'static str,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown: why it matters and how to fix it.
    pub help: &'static str,
    pub severity: Severity,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One thing a rule found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// First sentence stands alone.
    pub message: String,
    /// How to fix this instance.
    pub help: Option<String>,
    /// The architecture of the slice concerned, for fat files and per-slice results.
    pub slice: Option<String>,
    /// Primary location first; the rest are related places (the other side of a mismatch).
    pub locations: Vec<Location>,
    /// Set when the user's policy ignores this finding: it is reported, and never counts.
    pub suppressed: Option<Suppression>,
    /// For a defect of the wheel rather than of the module (its tags against every module,
    /// its `WHEEL` file): the cause in words that name no module. Findings of one wheel with
    /// the same rule, slice and cause are one defect, which the human output and the step
    /// summary show once, naming the modules.
    pub wheel_cause: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            slice: None,
            locations: Vec::new(),
            suppressed: None,
            wheel_cause: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn slice(mut self, arch: Option<&str>) -> Self {
        self.slice = arch.map(str::to_owned);
        self
    }

    pub fn wheel_cause(mut self, cause: Option<String>) -> Self {
        self.wheel_cause = cause;
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.locations.push(location);
        self
    }
}
