//! `--list-rules` and `--explain`: every rule in `RULES` is listed, as text and as JSON.

mod support;

use pyinit_check::judge::RULES;
use support::{code, run, stderr, stdout};

#[test]
fn the_text_listing_has_one_line_per_rule_with_id_name_severity_and_summary() {
    let output = run(&["--list-rules"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), RULES.len(), "{text}");
    for (line, entry) in lines.iter().zip(RULES) {
        let rule = entry.rule;
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words[..3],
            [rule.id, rule.name, rule.severity.label()],
            "{line}"
        );
        assert!(line.ends_with(rule.summary), "{line}");
    }
}

#[test]
fn the_json_listing_carries_every_rule_for_tools() {
    let output = run(&["--list-rules", "--format", "json"]);
    assert_eq!(code(&output), 0);
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["schema_version"], 1);
    let rules = document["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (json, entry) in rules.iter().zip(RULES) {
        assert_eq!(json["id"], entry.rule.id);
        assert_eq!(json["name"], entry.rule.name);
        assert_eq!(json["severity"], entry.rule.severity.label());
        assert_eq!(json["summary"], entry.rule.summary);
        assert!(json["help_uri"].as_str().unwrap().contains('#'));
    }
}

#[test]
fn an_unknown_rule_to_explain_names_the_near_miss() {
    let output = run(&["--explain", "forwarded-hok"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("unknown rule `forwarded-hok`; did you mean `forwarded-hook`?"),
        "{}",
        stderr(&output)
    );
}
