//! A cargo output named directly, or met in a scan of the target directory, is its project's
//! output: the project's module name, never `lib<name>` from the file name; cargo's `deps/`
//! copies and maturin's `target/maturin/` copy are not extra modules.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{code, command, stderr, stdout};

fn project() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cargo/tiny_cdylib")
}

fn build(target_dir: &Path) {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(project().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .unwrap();
    assert!(status.success());
}

fn json(args: &[&str]) -> (i32, Value) {
    let output = command(args)
        .current_dir(project())
        .args(["--format", "json", "--stage", "none"])
        .output()
        .unwrap();
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    (code(&output), report)
}

#[test]
fn an_explicit_cargo_output_and_a_scanned_target_dir_use_the_projects_module_name() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let target = tempfile::tempdir().unwrap();
    build(target.path());
    let uplifted = target.path().join("debug/libtiny.so");
    assert!(target.path().join("debug/deps/libtiny.so").is_file());

    // Named directly (found through the project here, as maturin finds it): module `tiny`.
    let (exit, report) = json(&[uplifted.to_str().unwrap()]);
    assert_eq!(exit, 0, "{report}");
    assert_eq!(report["artifacts"][0]["module"], "tiny", "{report}");
    assert_eq!(report["artifacts"][0]["status"], "pass", "{report}");

    // cargo's deps/ copy named directly is the same project's output.
    let deps = target.path().join("debug/deps/libtiny.so");
    let (exit, report) = json(&[deps.to_str().unwrap()]);
    assert_eq!(
        (exit, &report["artifacts"][0]["module"]),
        (0, &Value::from("tiny")),
        "{report}"
    );

    // maturin's copy beside the uplifted one: in a scan, one artifact, the copy listed.
    let staging = target.path().join("maturin");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(&uplifted, staging.join("libtiny.so")).unwrap();
    let (exit, report) = json(&[target.path().to_str().unwrap()]);
    assert_eq!(exit, 0, "{report}");
    let artifacts = report["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1, "{report}");
    assert_eq!(artifacts[0]["module"], "tiny");
    let reasons: Vec<&str> = report["unchecked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"maturin-copy"), "{report}");
    assert!(reasons.contains(&"cargo-intermediate"), "{report}");

    // With cargo's path empty (maturin failed after moving the library), the copy is the build.
    std::fs::remove_file(&uplifted).unwrap();
    let (exit, report) = json(&[target.path().to_str().unwrap()]);
    assert_eq!(exit, 0, "{report}");
    let artifacts = report["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1, "{report}");
    assert_eq!(artifacts[0]["module"], "tiny");
    assert!(
        artifacts[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("maturin/libtiny.so")
    );
}
