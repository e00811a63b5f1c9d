//! One file per rule. Each declares a `RULE` (id, name, summary, help) and a `check`.

pub mod abi3_on_free_threaded;
pub mod abi3_symbol_outside_stable_abi;
pub mod forwarded_hook;
pub mod glibc_above_tag;
pub mod hook_needs_python_3_15;
pub mod invalid_module_name;
pub mod libc_mismatch;
pub mod library_not_found;
pub mod links_libpython;
pub mod macos_above_tag;
pub mod missing_c_api_symbol;
pub mod missing_module_hook;
pub mod module_name_conflict;
pub mod module_name_typo;
pub mod not_a_shared_library;
pub mod platform_mismatch;
pub mod runtime_above_policy;
pub mod unimportable_file_name;
pub mod unknown_platform_tag;
pub mod wheel_tags_disagree;
pub mod wrong_python_dll;
