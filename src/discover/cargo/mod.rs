//! Cargo: find the cdylibs a cargo build produced and what they are meant to be imported as.

mod error;
mod layout;

pub use error::CargoError;
