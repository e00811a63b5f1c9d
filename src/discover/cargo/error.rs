//! What can stop cargo discovery: each message is one line that names the file or command and
//! says what is wrong with it.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CargoError {
    #[error("cannot run `{program} metadata`: {source}")]
    CargoNotRunnable { program: String, source: io::Error },
    #[error("`cargo metadata` failed for {manifest}: {message}")]
    MetadataFailed { manifest: String, message: String },
    #[error("`cargo metadata` for {manifest} printed JSON this tool does not understand: {source}")]
    MetadataJson {
        manifest: String,
        source: serde_json::Error,
    },
    #[error("no cdylib target in {}{}", .manifest_path.display(), members_note(.members_without))]
    NoCdylib {
        manifest_path: PathBuf,
        /// Other workspace members looked at, none with a cdylib or binary.
        members_without: Vec<String>,
    },
    #[error("{} not found — run cargo build first{}", .path.display(), also_looked(.also_looked_at))]
    NotBuilt {
        path: PathBuf,
        /// Every other place the library could have been (other profiles, target/maturin).
        also_looked_at: Vec<PathBuf>,
    },
    #[error(
        "{}: [tool.maturin] manifest-path names {}, which does not exist",
        .pyproject.display(),
        .manifest.display()
    )]
    ManifestPathMissing {
        pyproject: PathBuf,
        manifest: PathBuf,
    },
    #[error("-p {name}: no such package in the workspace at {} (members: {})", .workspace_root.display(), .members.join(", "))]
    UnknownPackage {
        name: String,
        workspace_root: PathBuf,
        members: Vec<String>,
    },
    #[error("{path}: cannot read: {source}")]
    Unreadable { path: PathBuf, source: io::Error },
    #[error("{}{}: invalid TOML: {message}", .path.display(), line_suffix(*.line))]
    Toml {
        path: PathBuf,
        /// 1-based; `None` when the parser gave no position.
        line: Option<u32>,
        message: String,
    },
    #[error("{source_name}: cannot read cargo build messages: {source}")]
    MessagesUnreadable {
        source_name: String,
        source: io::Error,
    },
    #[error("{source_name}:{line}: malformed compiler-artifact message: {message}")]
    MalformedMessage {
        source_name: String,
        line: u64,
        message: String,
    },
    #[error(
        "{source_name}: no cdylib among the compiler-artifact messages \
         (was cargo run with --message-format=json?)"
    )]
    NoCdylibInMessages { source_name: String },
}

fn members_note(members: &[String]) -> String {
    if members.is_empty() {
        String::new()
    } else {
        format!(" nor in its workspace members ({})", members.join(", "))
    }
}

fn also_looked(places: &[PathBuf]) -> String {
    if places.is_empty() {
        return String::new();
    }
    let places: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
    format!(" (also looked at {})", places.join(", "))
}

fn line_suffix(line: Option<u32>) -> String {
    line.map(|line| format!(":{line}")).unwrap_or_default()
}
