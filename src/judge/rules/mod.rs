//! One file per rule. Each declares a `RULE` (id, name, summary, help) and a `check`.

pub mod abi3_symbol_outside_stable_abi;
pub mod forwarded_hook;
pub mod hook_needs_python_3_15;
pub mod invalid_module_name;
pub mod missing_c_api_symbol;
pub mod missing_module_hook;
pub mod module_name_conflict;
pub mod module_name_typo;
pub mod not_a_shared_library;
pub mod unimportable_file_name;
