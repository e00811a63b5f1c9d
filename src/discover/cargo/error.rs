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
    #[error("no cdylib target in {manifest_path}")]
    NoCdylib { manifest_path: PathBuf },
    #[error("{path} not found — run cargo build first")]
    NotBuilt { path: PathBuf },
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

fn line_suffix(line: Option<u32>) -> String {
    line.map(|line| format!(":{line}")).unwrap_or_default()
}
