//! pyinit-check: a CI gate that tells whether CPython will find a Rust-built extension
//! module's entry point, checked the way the platform loaders resolve it.
//!
//! Data flows one way: [`discover`] → stage → [`map`] → [`inspect`] → [`judge`] → [`report`].

pub mod check;
pub mod cli;
pub mod discover;
pub mod hook;
pub mod inspect;
pub mod judge;
pub mod map;
pub mod python;
pub mod report;
pub mod stage;
