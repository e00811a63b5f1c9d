//! What a rule says about an artifact: the data every reporter renders and none recomputes.

use std::path::PathBuf;

use serde::{Serialize, Serializer};

/// How bad a finding is. Ordered so that `max()` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
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

impl Serialize for &'static Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

/// A place a finding points at: a source line or the artifact itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based; `None` for the whole file.
    pub line: Option<u32>,
    /// What is at this place ("#[pymodule] fn string_sum", "Cargo.toml [lib] name").
    pub label: String,
}

/// One thing a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(rename = "rule_id")]
    pub rule: &'static Rule,
    pub rule_name: &'static str,
    pub severity: Severity,
    /// First sentence stands alone.
    pub message: String,
    /// How to fix this instance.
    pub help: Option<String>,
    /// The architecture of the slice concerned, for fat files and per-slice results.
    pub slice: Option<String>,
    /// Primary location first; the rest are related places (the other side of a mismatch).
    pub locations: Vec<Location>,
}

impl Finding {
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Self {
        Finding {
            rule,
            rule_name: rule.name,
            severity: rule.severity,
            message: message.into(),
            help: None,
            slice: None,
            locations: Vec::new(),
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

    pub fn at(mut self, location: Location) -> Self {
        self.locations.push(location);
        self
    }
}
