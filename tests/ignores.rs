//! Rule selection and ignores, from flags and from `[tool.pyinit-check]`: an ignored finding
//! never fails the run, and every output still records it — the human summary counts it,
//! JSON marks it, SARIF suppresses it, GitHub shows no annotation for it.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::sarif::assert_valid_sarif;
use support::{code, command, fixture, stderr, stdout};

/// A checkout with `dist/foo.pyd` (PYI001, error) and `vendor/forward.pyd` (PYI006, note).
fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("pe/foo.pyd", "dist/foo.pyd"),
        ("pe/forward.pyd", "vendor/forward.pyd"),
    ] {
        let to = dir.path().join(to);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(fixture(from), to).unwrap();
    }
    if !config.is_empty() {
        fs::write(dir.path().join("pyproject.toml"), config).unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["dist", "vendor"];
    all.extend_from_slice(args);
    command(&all)
        .current_dir(dir)
        .env("GITHUB_WORKSPACE", dir)
        .output()
        .unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&check(dir, &all).stdout).unwrap()
}

fn findings(document: &Value) -> Vec<&Value> {
    document["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().unwrap())
        .collect()
}

#[test]
fn without_policy_the_error_fails_the_run() {
    let dir = project("");
    assert_eq!(code(&check(dir.path(), &[])), 1);
}

#[test]
fn an_ignored_finding_is_counted_in_every_output_and_never_fails_the_run() {
    let dir = project("");
    let ignore = ["--ignore", "PYI001"];

    let human = check(dir.path(), &ignore);
    assert_eq!(code(&human), 0, "{}", stdout(&human));
    let text = stdout(&human);
    assert!(
        text.ends_with("2 artifacts checked: 2 passed, 0 failed (0 errors, 0 warnings, 1 ignored (-v lists them))\n"),
        "{text}"
    );
    assert!(!text.contains("error[PYI001"), "{text}");
    let verbose = stdout(&check(dir.path(), &["--ignore", "PYI001", "-v"]));
    assert!(
        verbose.contains("ignored: dist/foo.pyd: PYI001 missing-module-hook: ignored by --ignore"),
        "{verbose}"
    );

    let document = json(dir.path(), &ignore);
    assert_eq!(document["summary"]["ignored"], 1);
    assert_eq!(document["summary"]["errors"], 0);
    assert_eq!(document["summary"]["result"], "pass");
    let found = findings(&document);
    let pyi001 = found.iter().find(|f| f["rule_id"] == "PYI001").unwrap();
    assert_eq!(pyi001["suppressed"]["kind"], "ignored");
    assert_eq!(pyi001["suppressed"]["reason"], "ignored by --ignore");
    let pyi006 = found.iter().find(|f| f["rule_id"] == "PYI006").unwrap();
    assert!(pyi006["suppressed"].is_null());

    let sarif_output = check(dir.path(), &["--format", "sarif", "--ignore", "PYI001"]);
    let sarif: Value = serde_json::from_slice(&sarif_output.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "the ignored result is kept");
    let pyi001 = results.iter().find(|r| r["ruleId"] == "PYI001").unwrap();
    assert_eq!(pyi001["suppressions"][0]["kind"], "external");
    assert_eq!(
        pyi001["suppressions"][0]["justification"],
        "ignored by --ignore"
    );
    let pyi006 = results.iter().find(|r| r["ruleId"] == "PYI006").unwrap();
    assert_eq!(pyi006["suppressions"], serde_json::json!([]));
    assert_eq!(sarif["runs"][0]["invocations"][0]["exitCode"], 0);

    let github = stdout(&check(
        dir.path(),
        &["--format", "github", "--ignore", "PYI001"],
    ));
    assert!(!github.contains("PYI001"), "{github}");
    assert!(github.contains("PYI006"), "{github}");
}

#[test]
fn on_github_actions_the_summary_counts_ignored_findings_and_the_outputs_leave_them_out() {
    let dir = project("[tool.pyinit-check]\nignore = [\"missing-module-hook\"]\n");
    let summary = dir.path().join("summary.md");
    let outputs = dir.path().join("outputs.txt");
    let output = command(&["dist", "vendor"])
        .current_dir(dir.path())
        .env("GITHUB_WORKSPACE", dir.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(!stdout(&output).contains("::error"), "{}", stdout(&output));
    let summary = fs::read_to_string(summary).unwrap();
    assert!(
        summary.contains("0 error(s), 0 warning(s), 1 ignored"),
        "{summary}"
    );
    assert!(!summary.contains("PYI001"), "{summary}");
    let outputs = fs::read_to_string(outputs).unwrap();
    assert!(outputs.lines().any(|l| l == "errors=0"), "{outputs}");
}

#[test]
fn select_reports_the_other_rules_as_not_selected() {
    let dir = project("");
    let document = json(dir.path(), &["--select", "forwarded-hook"]);
    assert_eq!(document["summary"]["result"], "pass");
    let found = findings(&document);
    let pyi001 = found.iter().find(|f| f["rule_id"] == "PYI001").unwrap();
    assert_eq!(pyi001["suppressed"]["kind"], "not-selected");
}

#[test]
fn per_path_ignores_from_the_file_apply_to_matching_paths_only() {
    let dir =
        project("[tool.pyinit-check.per-path-ignores]\n\"vendor/**\" = [\"PYI001\", \"PYI006\"]\n");
    let document = json(dir.path(), &[]);
    assert_eq!(document["summary"]["ignored"], 1);
    assert_eq!(
        document["summary"]["result"], "fail",
        "dist/ is not vendor/"
    );
    let pyi006 = findings(&document)
        .into_iter()
        .find(|f| f["rule_id"] == "PYI006")
        .unwrap();
    assert_eq!(pyi006["suppressed"]["kind"], "ignored-for-path");
    let reason = pyi006["suppressed"]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("ignored for `vendor/**` by `per-path-ignores` in "),
        "{reason}"
    );
}

#[test]
fn the_flags_override_the_file() {
    let dir = project(
        "[tool.pyinit-check]\nignore = [\"PYI001\"]\nfail-on = \"never\"\n\
         [tool.pyinit-check.severity]\nPYI006 = \"error\"\n",
    );
    // The file alone: PYI001 ignored, and nothing fails under fail-on = never.
    assert_eq!(code(&check(dir.path(), &[])), 0);
    // --fail-on replaces the file's fail-on: PYI006, raised to error by the file, fails.
    let raised = check(dir.path(), &["--fail-on", "error"]);
    assert_eq!(code(&raised), 1, "{}", stdout(&raised));
    assert!(stdout(&raised).contains("error[PYI006 forwarded-hook]"));
    assert!(!stdout(&raised).contains("error[PYI001"));
    // --ignore replaces the file's ignore: PYI001 counts again, PYI006 is ignored.
    let replaced = check(dir.path(), &["--fail-on", "error", "--ignore", "PYI006"]);
    assert_eq!(code(&replaced), 1);
    assert!(stdout(&replaced).contains("error[PYI001 missing-module-hook]"));
    assert!(!stdout(&replaced).contains("[PYI006"));
}

#[test]
fn config_names_the_file_to_read() {
    let dir = project("");
    fs::write(dir.path().join("strict.toml"), "ignore = [\"PYI001\"]\n").unwrap();
    assert_eq!(code(&check(dir.path(), &["--config", "strict.toml"])), 0);
}

#[test]
fn configuration_mistakes_stop_the_run_with_the_file_and_key() {
    let dir = project("[tool.pyinit-check]\nfail_on = \"never\"\n");
    let output = check(dir.path(), &[]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains(
            "pyproject.toml: unknown key `fail_on` in [tool.pyinit-check]; did you mean `fail-on`?"
        ),
        "{}",
        stderr(&output)
    );
    let output = check(project("").path(), &["--ignore", "PYI01"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("--ignore: unknown rule `PYI01`; did you mean `PYI001`?"),
        "{}",
        stderr(&output)
    );
}

/// The GitHub Action sets every `PYINIT_*` variable, empty for inputs left empty: an empty
/// one must leave the file's value in force, a set one acts as its flag.
#[test]
fn the_actions_variables_act_as_flags_and_empty_ones_as_unset() {
    let dir = project("[tool.pyinit-check]\nfail-on = \"never\"\n");
    let output = command(&["dist", "vendor"])
        .current_dir(dir.path())
        .env("PYINIT_FAIL_ON", "")
        .env("PYINIT_IGNORE", "")
        .env("PYINIT_MODULE_NAME", "")
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = command(&["dist", "vendor"])
        .current_dir(dir.path())
        .env("PYINIT_FAIL_ON", "error")
        .output()
        .unwrap();
    assert_eq!(
        code(&output),
        1,
        "PYINIT_FAIL_ON replaces the file's fail-on"
    );
    let output = command(&[])
        .current_dir(dir.path())
        .env("PYINIT_PATHS", "  dist\n\n vendor \n")
        .env("PYINIT_FAIL_ON", "error")
        .env("PYINIT_IGNORE", "PYI001")
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("2 artifacts checked"),
        "{}",
        stdout(&output)
    );
    // Arguments win over a variable left in the environment, without a conflict.
    let output = command(&["dist", "--python", "3.12"])
        .current_dir(dir.path())
        .env("PYINIT_PATHS", "vendor")
        .env("PYINIT_PYTHON", "3.13")
        .env("PYINIT_FAIL_ON", "error")
        .output()
        .unwrap();
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("1 artifact checked") && text.contains("Python 3.12"),
        "{text}"
    );
}
