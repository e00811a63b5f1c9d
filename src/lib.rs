//! pyinit-check: a CI gate that tells whether CPython will find a Rust-built extension
//! module's entry point, checked the way the platform loaders resolve it.
//!
//! Data flows one way: [`discover`] resolves every input into the [`model`]; the
//! [`pipeline`] runs [`stage`] → [`map`] → [`inspect`] → [`judge`] for each and builds one
//! [`outcome::RunOutcome`]; [`report`] renders it. The loader facts this relies on are in
//! `docs/loader-rules.md`; what each CPython exports is in [`capi`].

pub mod capi;
pub mod cli;
pub mod config;
pub mod discover;
pub mod error;
pub mod hook;
pub mod inspect;
pub mod judge;
pub mod libraries;
pub mod map;
pub mod model;
pub mod near_miss;
pub mod outcome;
pub mod pipeline;
pub mod platform;
pub mod python;
pub mod report;
pub mod stage;

/// For unit tests that may skip on a developer's machine: the twin of the integration tests'
/// `tests/support::skip`, which unit tests cannot reach.
#[cfg(test)]
pub(crate) fn skip_test(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why}: this test may not be skipped under CI"
    );
    println!("SKIPPED: {why}");
}
