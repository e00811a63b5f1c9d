//! Cargo: find the cdylibs a cargo build produced and what they are meant to be imported as.

mod config;
mod error;
mod layout;
mod module_name;
mod pymodule;
mod toml_doc;

pub use config::ConfigWarning;
pub use error::CargoError;
pub use pymodule::{PyModuleItem, scan_pymodules};
