//! Shared helpers for the integration tests: run the real binary, find fixtures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Runs pyinit-check from the repository root with GitHub integration off unless asked.
pub fn run(args: &[&str]) -> Output {
    command(args).output().expect("pyinit-check runs")
}

pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyinit-check"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT")
        .env("GITHUB_WORKSPACE", env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

pub fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("exited normally, not by a signal")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Replaces the absolute repository path so snapshots do not depend on the checkout.
pub fn redact_root(text: &str) -> String {
    text.replace(env!("CARGO_MANIFEST_DIR"), "[ROOT]")
}
