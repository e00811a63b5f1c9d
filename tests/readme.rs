//! The README is the front door: its rule anchors (used by SARIF `helpUri`) and its two
//! commands must stay true.

use pyinit_check::judge::RULES;
use pyinit_check::report::sarif::anchor;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// GitHub's heading anchor: lower case, spaces to `-`, punctuation other than `-`/`_` dropped.
fn github_anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn every_rule_has_a_readme_section_matching_its_help_uri() {
    let readme = readme();
    let anchors: Vec<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(github_anchor)
        .collect();
    for entry in RULES {
        let heading = format!("### {} {}", entry.rule.id, entry.rule.name);
        assert!(readme.contains(&heading), "README lacks `{heading}`");
        assert!(
            anchors.contains(&anchor(entry.rule)),
            "anchor {} not in README",
            anchor(entry.rule)
        );
    }
}

#[test]
fn readme_names_the_two_commands() {
    let readme = readme();
    // One build serves both: `cargo run` and `cargo test` share the dev profile.
    assert!(readme.contains("\ncargo run -- tests/fixtures/example/site-packages\n"));
    assert!(readme.contains("\ncargo test\n"));
    assert!(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/example/site-packages"
        ))
        .is_dir()
    );
}

/// The README shows what the first command really prints, byte for byte.
#[test]
fn readme_shows_what_the_example_prints() {
    let readme = readme();
    let start = readme
        .find("What the first one prints:\n\n```\n")
        .expect("the README shows the example's output")
        + "What the first one prints:\n\n```\n".len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pyinit-check"))
        .arg("tests/fixtures/example/site-packages")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), shown);
}
