//! Errors above the leaf modules, and the one place they become exit codes.
//!
//! [`CheckError`] is why one input could not be checked: it becomes that input's outcome and
//! the run goes on. [`RunError`] is why the run itself could not finish its job (a report file
//! that cannot be written, an unknown rule to explain). Both exit 2.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

use crate::discover::DiscoverError;
use crate::discover::wheel::WheelError;
use crate::inspect::InspectError;
use crate::map::MapError;
use crate::stage::StageError;

/// Why one input could not be checked. Each message names the path and the problem.
#[derive(Debug, Error)]
pub enum CheckError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Map(#[from] MapError),
    #[error(transparent)]
    Wheel(#[from] WheelError),
    #[error(transparent)]
    Stage(#[from] StageError),
    #[error("{path}: {source}")]
    Inspect { path: PathBuf, source: InspectError },
    #[error("{path}: cannot inflate into a temporary file: {source}")]
    Spill {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Another process truncated or rewrote the file while it was being read.
    #[error(
        "{path}: changed while it was being read (truncated or rewritten by another process); check it again once it is complete"
    )]
    Changed { path: PathBuf },
    /// `target/maturin/` holds one file per name; staging a second would replace the first.
    #[error(
        "{path}: not staged: it and {other} would both be staged as {destination}; \
         pick one with --profile (or --target)"
    )]
    StagingCollision {
        path: PathBuf,
        other: PathBuf,
        destination: PathBuf,
    },
}

/// Why the run could not finish its job.
#[derive(Debug, Error)]
pub enum RunError {
    #[error("{path}: cannot write {what}: {source}")]
    WriteReport {
        path: PathBuf,
        what: &'static str,
        source: io::Error,
    },
    #[error("cannot write the report: {0}")]
    Output(io::Error),
    #[error(transparent)]
    UnknownRule(#[from] crate::judge::UnknownRule),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("cannot read the current directory: {0}")]
    CurrentDir(io::Error),
    #[error("--sarif and --json both name {path}; give each report its own file")]
    SameReportFile { path: PathBuf },
}

/// Exit codes: the contract the Action and users' CI rely on.
pub mod exit {
    /// Every input was checked and passes the `--fail-on` policy.
    pub const PASS: u8 = 0;
    /// At least one artifact fails the policy.
    pub const FAIL: u8 = 1;
    /// pyinit-check could not do its job: usage, or an input that could not be checked.
    pub const ERROR: u8 = 2;
}
