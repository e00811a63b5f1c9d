//! The user's policy over the rules: which are selected or ignored, at what severity, and
//! which are ignored for which paths. Applied to an artifact's findings right after the
//! rules ran, so the run outcome — and every report drawn from it — sees the same verdict.
//!
//! An ignored finding is kept, marked with why it was ignored: reports count it and SARIF
//! records it as suppressed; it never fails a run.

use std::fmt;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use super::{Finding, Rule, Severity};

/// Where a piece of policy was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// A command-line flag (or the environment variable bound to it).
    CommandLine,
    /// A configuration file.
    File(PathBuf),
}

impl fmt::Display for PolicySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicySource::CommandLine => f.write_str("the command line"),
            PolicySource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why a finding does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuppressionReason {
    /// `select` was given and does not name the rule.
    NotSelected,
    /// `ignore` names the rule.
    Ignored,
    /// A `per-path-ignores` pattern matches the artifact and names the rule.
    IgnoredForPath { pattern: String },
}

/// A finding's suppression: why, and where that was said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: SuppressionReason,
    pub source: PolicySource,
}

impl Suppression {
    /// Stable kebab-case id for machine-readable reports.
    pub fn id(&self) -> &'static str {
        match self.reason {
            SuppressionReason::NotSelected => "not-selected",
            SuppressionReason::Ignored => "ignored",
            SuppressionReason::IgnoredForPath { .. } => "ignored-for-path",
        }
    }
}

impl fmt::Display for Suppression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, key) = match &self.reason {
            SuppressionReason::NotSelected => ("not selected".to_string(), "select"),
            SuppressionReason::Ignored => ("ignored".to_string(), "ignore"),
            SuppressionReason::IgnoredForPath { pattern } => {
                (format!("ignored for `{pattern}`"), "per-path-ignores")
            }
        };
        match &self.source {
            PolicySource::CommandLine => write!(f, "{what} by --{key}"),
            PolicySource::File(path) => write!(f, "{what} by `{key}` in {}", path.display()),
        }
    }
}

/// A list of rules and where it was written.
#[derive(Debug, Clone)]
pub struct RuleList {
    pub rules: Vec<&'static Rule>,
    pub source: PolicySource,
}

impl RuleList {
    fn names(&self, rule: &Rule) -> bool {
        self.rules.iter().any(|r| r.id == rule.id)
    }
}

/// Rules ignored for the artifacts whose path matches a glob.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub pattern: String,
    matcher: GlobMatcher,
    /// A pattern without `/` is matched against the file name alone (as in `.gitignore`).
    file_name_only: bool,
    pub rules: Vec<&'static Rule>,
}

impl PathIgnore {
    /// `*` and `?` stop at `/`, `**` crosses it.
    pub fn new(pattern: &str, rules: Vec<&'static Rule>) -> Result<Self, globset::Error> {
        let glob = GlobBuilder::new(pattern).literal_separator(true).build()?;
        Ok(PathIgnore {
            pattern: pattern.to_owned(),
            matcher: glob.compile_matcher(),
            file_name_only: !pattern.contains('/'),
            rules,
        })
    }

    fn matches(&self, relative: &Path) -> bool {
        if self.file_name_only {
            relative
                .file_name()
                .is_some_and(|name| self.matcher.is_match(name))
        } else {
            self.matcher.is_match(relative)
        }
    }
}

/// Per-path ignores from one file: patterns are relative to the file's directory.
#[derive(Debug, Clone)]
pub struct PathIgnores {
    pub base: PathBuf,
    pub file: PathBuf,
    pub entries: Vec<PathIgnore>,
}

/// The whole policy. The default selects every rule at its own severity.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `None`: every rule.
    pub select: Option<RuleList>,
    pub ignore: Option<RuleList>,
    pub severity: Vec<(&'static Rule, Severity)>,
    pub per_path: Option<PathIgnores>,
}

impl Policy {
    /// Applies the policy to the findings of the artifact at `path` (as reported; relative
    /// paths are taken from the current directory): severities first, then suppressions;
    /// findings stay worst first.
    pub fn apply(&self, path: &Path, findings: &mut [Finding]) {
        if findings.is_empty() {
            return;
        }
        let relative = self
            .per_path
            .as_ref()
            .map(|p| relative_to_base(path, &p.base));
        for finding in findings.iter_mut() {
            if let Some((_, severity)) = self.severity.iter().find(|(r, _)| r.id == finding.rule.id)
            {
                finding.severity = *severity;
            }
            finding.suppressed = self.suppression(finding.rule, relative.as_deref());
        }
        findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    }

    fn suppression(&self, rule: &Rule, relative: Option<&Path>) -> Option<Suppression> {
        if let Some(select) = &self.select
            && !select.names(rule)
        {
            return Some(Suppression {
                reason: SuppressionReason::NotSelected,
                source: select.source.clone(),
            });
        }
        if let Some(ignore) = &self.ignore
            && ignore.names(rule)
        {
            return Some(Suppression {
                reason: SuppressionReason::Ignored,
                source: ignore.source.clone(),
            });
        }
        let per_path = self.per_path.as_ref()?;
        let relative = relative?;
        let hit = per_path
            .entries
            .iter()
            .find(|entry| entry.rules.iter().any(|r| r.id == rule.id) && entry.matches(relative))?;
        Some(Suppression {
            reason: SuppressionReason::IgnoredForPath {
                pattern: hit.pattern.clone(),
            },
            source: PolicySource::File(per_path.file.clone()),
        })
    }
}

/// `path` relative to `base` when it lies under it; as given otherwise.
fn relative_to_base(path: &Path, base: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let base = std::path::absolute(base).unwrap_or_else(|_| base.to_path_buf());
    match absolute.strip_prefix(&base) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::rules::{forwarded_hook, missing_module_hook};

    fn findings() -> Vec<Finding> {
        vec![
            Finding::new(&missing_module_hook::RULE, "missing"),
            Finding::new(&forwarded_hook::RULE, "forwarded"),
        ]
    }

    fn file(name: &str) -> PolicySource {
        PolicySource::File(PathBuf::from(name))
    }

    #[test]
    fn the_default_policy_changes_nothing() {
        let mut found = findings();
        Policy::default().apply(Path::new("a.so"), &mut found);
        assert!(found.iter().all(|f| f.suppressed.is_none()));
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn select_suppresses_the_rules_it_does_not_name_and_ignore_wins_over_select() {
        let policy = Policy {
            select: Some(RuleList {
                rules: vec![&forwarded_hook::RULE, &missing_module_hook::RULE],
                source: PolicySource::CommandLine,
            }),
            ignore: Some(RuleList {
                rules: vec![&missing_module_hook::RULE],
                source: file("pyproject.toml"),
            }),
            ..Policy::default()
        };
        let mut found = findings();
        policy.apply(Path::new("a.so"), &mut found);
        assert_eq!(
            found[0].suppressed.as_ref().unwrap().to_string(),
            "ignored by `ignore` in pyproject.toml"
        );
        assert!(found[1].suppressed.is_none());

        let only_forwarded = Policy {
            select: Some(RuleList {
                rules: vec![&forwarded_hook::RULE],
                source: PolicySource::CommandLine,
            }),
            ..Policy::default()
        };
        let mut found = findings();
        only_forwarded.apply(Path::new("a.so"), &mut found);
        assert_eq!(
            found[0].suppressed.as_ref().unwrap().to_string(),
            "not selected by --select"
        );
    }

    #[test]
    fn a_severity_override_applies_and_findings_stay_worst_first() {
        let policy = Policy {
            severity: vec![
                (&forwarded_hook::RULE, Severity::Error),
                (&missing_module_hook::RULE, Severity::Note),
            ],
            ..Policy::default()
        };
        let mut found = findings();
        policy.apply(Path::new("a.so"), &mut found);
        assert_eq!(found[0].rule.id, forwarded_hook::RULE.id);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[1].severity, Severity::Note);
    }

    #[test]
    fn per_path_globs_match_relative_to_the_config_file() {
        let base = std::env::temp_dir().join("project");
        let per_path = |pattern: &str| Policy {
            per_path: Some(PathIgnores {
                base: base.clone(),
                file: base.join("pyproject.toml"),
                entries: vec![PathIgnore::new(pattern, vec![&missing_module_hook::RULE]).unwrap()],
            }),
            ..Policy::default()
        };
        let ignored = |pattern: &str, path: &Path| {
            let mut found = findings();
            per_path(pattern).apply(path, &mut found);
            found[0].suppressed.is_some()
        };
        let vendored = base.join("vendor/lib/x.so");
        assert!(ignored("vendor/**", &vendored));
        assert!(!ignored("vendor/*", &vendored), "* stops at /");
        assert!(ignored("x.so", &vendored), "no / matches the file name");
        assert!(!ignored("vendor/**", &base.join("src/x.so")));
        assert!(ignored(
            "dist/*.whl/**",
            &base.join("dist/a-1-py3-none-any.whl/pkg/_x.so")
        ));
        let mut found = findings();
        per_path("vendor/**").apply(&vendored, &mut found);
        assert!(found[1].suppressed.is_none(), "only the rules it names");
        assert!(PathIgnore::new("vendor/[", Vec::new()).is_err());
    }
}
