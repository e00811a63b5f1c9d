//! The CI outputs: SARIF accepted by the official schema and GitHub's rules, workflow
//! commands escaped and capped as the runner expects, step summary and step outputs.

mod support;

use std::fs;
use std::path::Path;

use serde_json::Value;
use support::sarif::assert_valid_sarif;
use support::{code, command, fixture, redact_root, run, stdout};

fn sarif_of(args: &[&str]) -> Value {
    let mut all = vec!["--format", "sarif"];
    all.extend_from_slice(args);
    serde_json::from_str(&stdout(&run(&all))).expect("SARIF is JSON")
}

#[test]
fn sarif_is_valid_for_every_kind_of_finding() {
    let sarif = sarif_of(&[
        "tests/fixtures/pe/foo.pyd",
        "tests/fixtures/pe/modexport.pyd",
        "tests/fixtures/pe/forward.pyd",
        "tests/fixtures/pe/prog.exe",
        "tests/fixtures/pe/good_x64.pyd",
    ]);
    assert_valid_sarif(&sarif);
    let levels: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(
        levels.contains(&"error") && levels.contains(&"warning") && levels.contains(&"note"),
        "{levels:?}"
    );
}

#[test]
fn sarif_fingerprints_are_stable_across_checkouts() {
    // The same artifact checked from two different checkout locations gets the same fingerprint.
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let mut prints = Vec::new();
    for root in [a.path(), b.path()] {
        fs::create_dir_all(root.join("dist")).unwrap();
        fs::copy(fixture("pe/foo.pyd"), root.join("dist/foo.pyd")).unwrap();
        let output = command(&["--format", "sarif", "dist/foo.pyd"])
            .current_dir(root)
            .env("GITHUB_WORKSPACE", root)
            .output()
            .unwrap();
        let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_valid_sarif(&sarif);
        prints.push(sarif["runs"][0]["results"][0]["partialFingerprints"].clone());
    }
    assert_eq!(prints[0], prints[1]);
}

#[test]
fn sarif_category_sets_automation_details() {
    let sarif = sarif_of(&["--sarif-category", "linux-x64", "tests/fixtures/pe/foo.pyd"]);
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "linux-x64/");
}

#[test]
fn sarif_and_json_files_are_written_alongside_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let json = dir.path().join("out.json");
    let output = run(&[
        "tests/fixtures/pe/foo.pyd",
        "--sarif",
        sarif.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains("FAIL"),
        "human output still on stdout"
    );
    assert_valid_sarif(&serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap());
    let json: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 2);
    assert_eq!(json["summary"]["result"], "fail");
}

#[test]
fn json_carries_every_field_the_human_output_shows() {
    let output = run(&["--format", "json", "tests/fixtures/pe/foo.pyd"]);
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let artifact = &json["artifacts"][0];
    assert_eq!(artifact["path"], "tests/fixtures/pe/foo.pyd");
    assert_eq!(artifact["module"], "foo");
    assert_eq!(artifact["module_source"]["kind"], "file-name");
    assert_eq!(artifact["format"], "pe");
    assert_eq!(artifact["slices"][0]["arch"], "x64");
    assert_eq!(artifact["expected_hooks"]["init"], "PyInit_foo");
    assert_eq!(artifact["slices"][0]["other_hooks"][0], "PyInit_bar");
    assert_eq!(artifact["status"], "fail");
    let finding = &artifact["findings"][0];
    assert_eq!(finding["rule_id"], "PYI001");
    assert_eq!(finding["rule_name"], "missing-module-hook");
    assert_eq!(finding["severity"], "error");
    assert!(finding["help"].as_str().unwrap().contains("`bar`"));
}

#[cfg(unix)] // `:` is not allowed in Windows file names
#[test]
fn github_annotations_escape_hostile_text() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("a%b,c:d");
    fs::create_dir(&hostile).unwrap();
    let file = hostile.join("foo.pyd");
    fs::copy(fixture("pe/foo.pyd"), &file).unwrap();
    let output = command(&[
        "--format",
        "github",
        "--module-name",
        "x\n::error::pwned%0A",
        file.to_str().unwrap(),
    ])
    .current_dir(dir.path())
    .env("GITHUB_WORKSPACE", dir.path())
    .output()
    .unwrap();
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // PYI001 for the file's own module, PYI009 for the conflicting --module-name: two commands,
    // no injected line.
    assert_eq!(lines.len(), 2, "two commands, no injected line: {text}");
    let line = lines
        .iter()
        .find(|l| l.contains("PYI009"))
        .expect("the conflict is reported");
    assert!(
        line.starts_with("::error file=a%25b%2Cc%3Ad/foo.pyd,title=PYI009 module-name-conflict::"),
        "{line}"
    );
    assert!(line.contains("x%0A::error::pwned%250A"), "{line}");
}

#[test]
fn github_annotations_are_capped_per_level_with_a_closing_notice() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..25 {
        fs::copy(fixture("pe/foo.pyd"), dir.path().join(format!("m{i}.pyd"))).unwrap();
    }
    let output = run(&["--format", "github", dir.path().to_str().unwrap()]);
    let text = stdout(&output);
    let errors = text.lines().filter(|l| l.starts_with("::error ")).count();
    let notices: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("::notice "))
        .collect();
    assert_eq!(errors, 10, "{text}");
    assert_eq!(notices.len(), 1);
    assert!(
        notices[0].contains("15 more annotation(s)"),
        "{}",
        notices[0]
    );
    assert!(
        !notices[0].contains("SARIF"),
        "no SARIF file was written: {}",
        notices[0]
    );
}

#[test]
fn on_github_actions_writes_summary_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let outputs = dir.path().join("outputs.txt");
    fs::write(&outputs, "earlier=kept\n").unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let output = command(&[
        &format!("{root}/tests/fixtures/pe/foo.pyd"),
        &format!("{root}/tests/fixtures/pe/good_x64.pyd"),
        "--sarif",
        "x.sarif",
    ])
    .env("GITHUB_ACTIONS", "true")
    .env("GITHUB_STEP_SUMMARY", &summary)
    .env("GITHUB_OUTPUT", &outputs)
    .env("GITHUB_WORKSPACE", root)
    .current_dir(dir.path())
    .output()
    .unwrap();
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains("::error file=tests/fixtures/pe/foo.pyd,title=PYI001"),
        "{}",
        stdout(&output)
    );
    let summary = fs::read_to_string(&summary).unwrap();
    let fail_row = summary.find("❌ fail").unwrap();
    let pass_row = summary.find("✅ pass").unwrap();
    assert!(fail_row < pass_row, "failures first");
    assert!(summary.contains("<details>"));
    let outputs = fs::read_to_string(&outputs).unwrap();
    assert!(
        outputs.starts_with("earlier=kept\n"),
        "appended, not overwritten"
    );
    let sarif_line = format!("sarif-file={}", dir.path().join("x.sarif").display());
    for expected in ["result=fail", "errors=1", "warnings=0", &sarif_line] {
        assert!(
            outputs.lines().any(|l| l == expected),
            "{expected} in {outputs}"
        );
    }
    assert!(dir.path().join("x.sarif").exists());
}

#[test]
fn no_github_turns_the_integration_off() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let output = command(&["--no-github", "tests/fixtures/pe/foo.pyd"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(!stdout(&output).contains("::error"));
    assert!(!summary.exists());
}

#[test]
fn human_output_snapshot() {
    let output = run(&[
        "tests/fixtures/pe/foo.pyd",
        "tests/fixtures/pe/good_x64.pyd",
        "tests/fixtures/pe/forward.pyd",
        "tests/fixtures/pe/modexport.pyd",
    ]);
    insta::assert_snapshot!("human_pe", redact_root(&stdout(&output)));
}

#[test]
fn quiet_prints_failures_only() {
    let output = run(&[
        "-q",
        "tests/fixtures/pe/foo.pyd",
        "tests/fixtures/pe/good_x64.pyd",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("foo.pyd") && !text.contains("good_x64.pyd"),
        "{text}"
    );
    let output = run(&["-q", "tests/fixtures/pe/good_x64.pyd"]);
    assert_eq!(stdout(&output), "");
}

#[test]
fn format_snapshots() {
    let files = ["tests/fixtures/pe/foo.pyd", "tests/fixtures/pe/forward.pyd"];
    for (format, name) in [
        ("json", "json_pe"),
        ("sarif", "sarif_pe"),
        ("github", "github_pe"),
    ] {
        let mut args = vec!["--format", format];
        args.extend_from_slice(&files);
        let text = redact_root(&stdout(&run(&args)));
        let text = text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn sarif_points_cargo_findings_at_the_source_lines() {
    use pyinit_check::model::{
        Artifact, ByteSource, ConfigWarning, CrateContext, Location, ModuleIdentity, NameSource,
        Origin, PyModuleItem, VersionSource,
    };
    use pyinit_check::python::PythonTargets;
    use pyinit_check::report::sarif::document;

    let root = Path::new("/repo");
    let at = |file: &str, line: u32, label: &str| Location {
        path: root.join(file),
        line: Some(line),
        label: label.into(),
    };
    // elf/foo.so exports PyInit_bar where PyInit_foo is expected; it stands in for cargo's
    // output at /repo/target/release/libfoo.so.
    let artifact = Artifact {
        path: root.join("target/release/libfoo.so"),
        origin: Origin::Cargo,
        bytes: ByteSource::File(fixture("elf/foo.so")),
        identity: ModuleIdentity {
            name: "foo".into(),
            name_source: NameSource::Config {
                key: "Cargo.toml [lib] name".into(),
                location: at("Cargo.toml", 9, "Cargo.toml [lib] name"),
            },
            importable_file_name: true,
            overridden: None,
            python: PythonTargets::Unknown,
            python_source: VersionSource::None,
            stable_abi: None,
            platform: Default::default(),
        },
        crate_context: Some(CrateContext {
            pymodules: vec![PyModuleItem {
                name: "bar".into(),
                rust_name: "bar".into(),
                renamed: false,
                location: at("src/lib.rs", 7, "#[pymodule] fn bar"),
            }],
            config_warnings: vec![ConfigWarning {
                message: "`module_name` is not read by maturin; did you mean `module-name`?".into(),
                location: at("pyproject.toml", 4, "[tool.maturin] module_name"),
            }],
        }),
        kind: pyinit_check::model::ArtifactKind::Module,
        placement: None,
    };
    let outcome = support::outcome_of(artifact);
    let sarif = document(&outcome, root, None);
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let missing = results.iter().find(|r| r["ruleId"] == "PYI001").unwrap();
    let primary = &missing["locations"][0]["physicalLocation"];
    assert_eq!(primary["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(primary["region"]["startLine"], 7);
    let related: Vec<(String, u64)> = missing["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let p = &r["physicalLocation"];
            (
                p["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                p["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            ("Cargo.toml".to_string(), 9),
            ("target/release/libfoo.so".to_string(), 1)
        ]
    );
    let message = missing["message"]["text"].as_str().unwrap();
    assert!(
        message.contains("`#[pymodule] fn bar` at /repo/src/lib.rs:7"),
        "{message}"
    );
    let typo = results.iter().find(|r| r["ruleId"] == "PYI008").unwrap();
    assert_eq!(
        typo["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "pyproject.toml"
    );
    assert_eq!(typo["level"], "warning");
}

#[test]
fn human_output_cannot_inject_workflow_commands() {
    // On GitHub Actions the runner parses stdout and stderr for `::command::` lines.
    let hostile = "x\n::add-mask::secret\r\n::error::pwned\u{1b}[2J";
    for args in [
        vec!["--module-name", hostile, "tests/fixtures/pe/foo.pyd"],
        vec!["--module-name", "foo", "tests/fixtures/pe/foo.pyd"],
    ] {
        let output = run(&args);
        for line in stdout(&output)
            .lines()
            .chain(support::stderr(&output).lines())
        {
            assert!(!line.starts_with("::"), "injected command line: {line:?}");
            assert!(!line.contains('\u{1b}'), "raw escape sequence: {line:?}");
        }
    }
    if cfg!(windows) {
        return; // newlines are not allowed in Windows file names
    }
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("a\n::error::b.so");
    fs::write(&evil, b"").unwrap();
    let output = run(&[evil.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let err = support::stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(err.contains("a\\n::error::b.so"), "{err:?}");
}

/// Inputs that could not be checked are tool execution notifications; the log must still be
/// valid SARIF, or code scanning rejects the upload that carries the judged results too.
#[test]
fn sarif_with_inputs_that_could_not_be_checked_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.so");
    fs::write(&empty, b"").unwrap();
    let missing = dir.path().join("missing.so");
    let output = run(&[
        "--format",
        "sarif",
        "tests/fixtures/pe/foo.pyd",
        empty.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 2);
    let sarif: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_valid_sarif(&sarif);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 2);
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["ruleId"] == "PYI001"),
        "the judged artifact's result is still there"
    );
}
