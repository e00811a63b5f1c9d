//! `--list-rules` and `--explain`: the rules as documentation, drawn from [`RULES`] alone so
//! a rule added there is listed without another line here.

use serde::Serialize;

use crate::error::{RunError, exit};
use crate::judge::{RULES, Rule, lookup_rule};
use crate::report::sarif::{INFORMATION_URI, anchor};

use super::Format;
use super::stdio;

/// Bumped on any incompatible change to the `--list-rules --format json` document.
pub const RULES_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct RulesJson {
    schema_version: u32,
    rules: Vec<RuleJson>,
}

#[derive(Serialize)]
struct RuleJson {
    id: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    help_uri: String,
}

/// Every rule: id, name, default severity, one line. JSON for `--format json`; the text
/// table for every other format (they describe a run's findings, not the rules).
pub fn list(format: Format) -> Result<u8, RunError> {
    let text = match format {
        Format::Json => {
            let document = RulesJson {
                schema_version: RULES_SCHEMA_VERSION,
                rules: RULES.iter().map(|e| rule_json(e.rule)).collect(),
            };
            let mut text =
                serde_json::to_string_pretty(&document).map_err(|e| RunError::Output(e.into()))?;
            text.push('\n');
            text
        }
        Format::Human | Format::Github | Format::Sarif => table(),
    };
    stdio::print(&text).map_err(RunError::Output)?;
    Ok(exit::PASS)
}

fn rule_json(rule: &'static Rule) -> RuleJson {
    RuleJson {
        id: rule.id,
        name: rule.name,
        severity: rule.severity.label(),
        summary: rule.summary,
        help_uri: format!("{INFORMATION_URI}#{}", anchor(rule)),
    }
}

/// One line per rule, columns aligned to the longest name.
fn table() -> String {
    let width = RULES.iter().map(|e| e.rule.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for rule in RULES.iter().map(|e| e.rule) {
        text.push_str(&format!(
            "{}  {:<width$}  {:<7}  {}\n",
            rule.id,
            rule.name,
            rule.severity.label(),
            rule.summary
        ));
    }
    text
}

/// Prints the documentation of one rule.
pub fn explain(key: &str) -> Result<u8, RunError> {
    let rule = lookup_rule(key)?;
    stdio::print(&format!(
        "{} {} ({})\n\n{}\n\n{}\n",
        rule.id,
        rule.name,
        rule.severity.label(),
        rule.summary,
        rule.help
    ))
    .map_err(RunError::Output)?;
    Ok(exit::PASS)
}
