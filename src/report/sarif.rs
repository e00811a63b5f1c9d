//! The SARIF 2.1.0 reporter, shaped for GitHub code scanning.
//!
//! GitHub needs repository-relative locations with a start line, rules with help, and
//! `partialFingerprints` that stay the same between runs so alerts do not close and reopen.
//! Fingerprints therefore hash only the rule, the module and the artifact's logical path —
//! never absolute paths, timestamps or file contents.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::judge::{Finding, Location, RULES, Rule, Severity};
use crate::outcome::{Entry, RunOutcome};

use super::Context;
use super::repo_path::{file_uri, percent_encode_path, relative_to};

/// Where the rule documentation lives; each rule has an anchor there.
pub const INFORMATION_URI: &str = "https://github.com/pyinit-check/pyinit-check";

pub fn render(out: &mut dyn Write, run: &RunOutcome, context: &Context) -> io::Result<()> {
    let document = document(run, &context.root, context.sarif_category.as_deref());
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}

/// The whole SARIF log: one run, whose invocation records the inputs that could not be
/// checked (`executionSuccessful` is false then) beside every judged result.
pub fn document(outcome: &RunOutcome, root: &Path, category: Option<&str>) -> Value {
    let results: Vec<Value> = outcome
        .entries
        .iter()
        .flat_map(|entry| {
            entry
                .all_findings()
                .iter()
                .map(move |finding| result(entry, finding, root))
        })
        .collect();
    let notifications: Vec<Value> = outcome
        .entries
        .iter()
        .filter_map(|entry| {
            let error = entry.error()?;
            let location = Location {
                path: entry.file_on_disk().to_path_buf(),
                line: None,
                label: "input".into(),
            };
            Some(json!({
                "level": "error",
                "message": { "text": error.to_string() },
                "locations": [physical(&location, root)],
                "descriptor": { "id": "could-not-check" },
            }))
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": driver() },
        "invocations": [{
            "executionSuccessful": outcome.totals.errored == 0,
            "exitCode": outcome.exit_code(),
            "toolExecutionNotifications": notifications,
        }],
        "originalUriBaseIds": {
            "%SRCROOT%": { "uri": format!("{}/", file_uri(root).trim_end_matches('/')) }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    });
    if let Some(category) = category {
        let id = if category.ends_with('/') {
            category.to_string()
        } else {
            format!("{category}/")
        };
        run["automationDetails"] = json!({ "id": id });
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    })
}

fn driver() -> Value {
    let rules: Vec<Value> = RULES.iter().map(|entry| rule(entry.rule)).collect();
    json!({
        "name": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": INFORMATION_URI,
        "rules": rules,
    })
}

fn rule(rule: &Rule) -> Value {
    let first_paragraph = rule.help.split("\n\n").next().unwrap_or(rule.help);
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": first_paragraph },
        "help": { "text": rule.help, "markdown": rule.help },
        "helpUri": format!("{INFORMATION_URI}#{}", anchor(rule)),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["python", "extension-module", "import"],
            "precision": "very-high",
            "problem.severity": level(rule.severity),
        },
    })
}

/// The README heading anchor of a rule: `### PYI001 missing-module-hook`.
pub fn anchor(rule: &Rule) -> String {
    format!(
        "{}-{}",
        rule.id.to_ascii_lowercase(),
        rule.name.replace('.', "")
    )
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn result(entry: &Entry, finding: &Finding, root: &Path) -> Value {
    let rule_index = RULES
        .iter()
        .position(|entry| entry.rule.id == finding.rule.id)
        .unwrap_or(0);
    let artifact_location = Location {
        path: entry.file_on_disk().to_path_buf(),
        line: None,
        label: "built artifact".into(),
    };
    let primary = finding.locations.first().unwrap_or(&artifact_location);
    let related: Vec<Value> = finding
        .locations
        .iter()
        .skip(1)
        .chain((!finding.locations.is_empty()).then_some(&artifact_location))
        .enumerate()
        .map(|(index, location)| {
            let mut value = physical(location, root);
            value["id"] = json!(index + 1);
            value["message"] = json!({ "text": location.label });
            value
        })
        .collect();
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\n\nHow to fix: ");
        message.push_str(help);
    }
    let mut result = json!({
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": message },
        "locations": [physical(primary, root)],
        "partialFingerprints": { "pyinitCheckFingerprint/v1": fingerprint(entry, finding, root) },
        "properties": {
            "module": module(entry),
            "artifact": relative_to(root, &entry.path).unwrap_or_else(|| entry.path.display().to_string()),
        },
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    // Present on every result: an empty list says "not suppressed", its absence "unknown".
    // The policy lives outside the source, hence `external`.
    result["suppressions"] = match &finding.suppressed {
        Some(suppression) => json!([{
            "kind": "external",
            "status": "accepted",
            "justification": suppression.to_string(),
        }]),
        None => json!([]),
    };
    result
}

fn physical(location: &Location, root: &Path) -> Value {
    let artifact_location = match relative_to(root, &location.path) {
        Some(relative) => {
            json!({ "uri": percent_encode_path(&relative), "uriBaseId": "%SRCROOT%" })
        }
        None => json!({ "uri": file_uri(&location.path) }),
    };
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location,
            "region": { "startLine": location.line.unwrap_or(1).max(1) },
        }
    })
}

fn module(entry: &Entry) -> &str {
    entry
        .artifact
        .as_ref()
        .map(|a| a.identity.name.as_str())
        .unwrap_or_default()
}

/// rule + module + slice + the artifact's path relative to the checkout.
fn fingerprint(entry: &Entry, finding: &Finding, root: &Path) -> String {
    let logical = relative_to(root, &entry.path).unwrap_or_else(|| {
        entry
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let mut hasher = Sha256::new();
    for part in [
        finding.rule.id,
        module(entry),
        finding.slice.as_deref().unwrap_or(""),
        &logical,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
