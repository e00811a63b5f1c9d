//! What CPython makes of a file name: the module it imports it as, and the interpreters its
//! suffix targets (docs/loader-rules.md §1).
//!
//! A file is importable as `m` only when its name is `m` + a suffix from
//! `importlib.machinery.EXTENSION_SUFFIXES`; identifiers have no dots, so the module name is
//! everything before the first dot.

use crate::hook::validate_component;
use crate::python::{PythonTargets, PythonVersion};

/// A file name CPython would import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleFileName {
    pub module: String,
    /// The suffix, dot included (`.cpython-312-x86_64-linux-gnu.so`).
    pub suffix: String,
    pub python: PythonTargets,
}

/// Splits `name` into module and suffix if CPython would import it on some platform.
///
/// CPython's path finder matches any dot-free name before a suffix, and `importlib` imports
/// names no `import` statement can spell: mypyc names its group library
/// `<hash>__mypyc.cpython-312-x86_64-linux-gnu.so`. A name carrying a Python tag is only
/// ever given to a module, so it is taken whatever comes before it; a bare `.so` or `.pyd`
/// (`libfoo-1a2b3c4d.so`, what auditwheel names vendored libraries) needs an identifier.
pub fn parse_module_file_name(name: &str) -> Option<ModuleFileName> {
    let (module, rest) = name.split_once('.')?;
    let suffix = format!(".{rest}");
    let python = suffix_targets(&suffix)?;
    let tagged = suffix != ".so" && suffix != ".pyd";
    if module.is_empty() || (!tagged && validate_component(module).is_err()) {
        return None;
    }
    Some(ModuleFileName {
        module: module.to_string(),
        suffix,
        python,
    })
}

/// The module name CPython would use for a file whose suffix it would not import, for
/// checking what the file exports anyway: cargo's `libfoo.dylib` and `foo.dll` are meant as
/// `foo`; anything else keeps its stem.
pub fn guess_module_of_unimportable(name: &str) -> String {
    let stem = name.split('.').next().unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    let cargo_style = lower.ends_with(".dylib") || lower.contains(".so");
    match stem.strip_prefix("lib") {
        Some(rest) if cargo_style && !rest.is_empty() && !lower.ends_with(".dll") => {
            rest.to_string()
        }
        _ => stem.to_string(),
    }
}

/// The interpreters a suffix (with its leading dot) is for, or `None` if no CPython
/// imports it.
fn suffix_targets(suffix: &str) -> Option<PythonTargets> {
    let tag_of = |ending: &str| {
        suffix
            .strip_suffix(ending)
            .map(|tag| tag.strip_prefix('.').unwrap_or(tag))
    };
    if let Some(tag) = tag_of(".so") {
        return posix_tag_targets(tag);
    }
    if let Some(tag) = tag_of(".pyd") {
        return windows_tag_targets(tag);
    }
    None
}

/// `so`, `abi3.so`, `abi3t.so`, `abi3[t]-<plat>.so`, `cpython-312[t|d]-<plat>.so`,
/// `pypy310-pp73-<plat>.so`, `graalpy…-<plat>.so`.
fn posix_tag_targets(tag: &str) -> Option<PythonTargets> {
    if tag.is_empty() {
        return Some(PythonTargets::Unknown);
    }
    if tag.contains('.') {
        return None;
    }
    let (head, _platform) = tag.split_once('-').unwrap_or((tag, ""));
    match head {
        "abi3" => return Some(PythonTargets::Abi3),
        "abi3t" => return Some(PythonTargets::Abi3t),
        _ => {}
    }
    if let Some(rest) = tag.strip_prefix("cpython-") {
        let (version, platform) = rest.split_once('-')?;
        if platform.is_empty() {
            return None;
        }
        return version_tag(version).map(|v| PythonTargets::Versions(vec![v]));
    }
    if let Some(rest) = tag.strip_prefix("pypy") {
        let version = rest.split('-').next()?;
        return version_tag(version).map(|v| PythonTargets::Versions(vec![v]));
    }
    if tag.starts_with("graalpy") {
        return Some(PythonTargets::Unknown);
    }
    None
}

/// `pyd`, `cp312-win_amd64.pyd`, `cp313t-win_arm64.pyd`.
fn windows_tag_targets(tag: &str) -> Option<PythonTargets> {
    if tag.is_empty() {
        return Some(PythonTargets::Unknown);
    }
    let rest = tag.strip_prefix("cp")?;
    let (version, platform) = rest.split_once('-')?;
    if platform.is_empty() || platform.contains('.') {
        return None;
    }
    version_tag(version).map(|v| PythonTargets::Versions(vec![v]))
}

/// The platform an importable suffix names: `x86_64-linux-gnu` in
/// `.cpython-312-x86_64-linux-gnu.so` (also after `abi3`/`abi3t` and PyPy's tags), `darwin`,
/// `win_amd64` in `.cp312-win_amd64.pyd`; `None` for `.so`, `.abi3.so`, `.pyd`.
pub fn suffix_platform(suffix: &str) -> Option<&str> {
    if let Some(tag) = suffix.strip_suffix(".pyd") {
        return tag
            .strip_prefix(".cp")?
            .split_once('-')
            .map(|(_, platform)| platform);
    }
    let tag = suffix.strip_suffix(".so")?.strip_prefix('.')?;
    let platform = if let Some(rest) = tag.strip_prefix("cpython-") {
        rest.split_once('-')?.1
    } else if tag.starts_with("pypy") {
        tag.splitn(3, '-').nth(2)?
    } else {
        tag.split_once('-')?.1
    };
    (!platform.is_empty()).then_some(platform)
}

/// `312`, `313t`, `312d` (debug ABI flag) → the version; flags other than `t`/`d` are old
/// ABI markers (`m`) that CPython 3.8 dropped.
pub(super) fn version_tag(tag: &str) -> Option<PythonVersion> {
    let digits_end = tag.find(|c: char| !c.is_ascii_digit()).unwrap_or(tag.len());
    let (digits, flags) = tag.split_at(digits_end);
    if !flags.chars().all(|c| matches!(c, 't' | 'd' | 'm')) {
        return None;
    }
    let mut version: PythonVersion = digits.parse().ok()?;
    version.free_threaded = flags.contains('t');
    Some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(name: &str) -> Option<PythonTargets> {
        parse_module_file_name(name).map(|m| m.python)
    }

    fn version(text: &str) -> PythonTargets {
        PythonTargets::Versions(vec![text.parse().unwrap()])
    }

    #[test]
    fn real_suffixes_are_modules() {
        assert_eq!(
            targets("foo.cpython-312-x86_64-linux-gnu.so"),
            Some(version("3.12"))
        );
        assert_eq!(
            targets("foo.cpython-313t-darwin.so"),
            Some(version("3.13t"))
        );
        assert_eq!(targets("foo.abi3.so"), Some(PythonTargets::Abi3));
        assert_eq!(targets("foo.abi3t.so"), Some(PythonTargets::Abi3t));
        assert_eq!(
            targets("foo.abi3t-x86_64-linux-gnu.so"),
            Some(PythonTargets::Abi3t)
        );
        assert_eq!(targets("foo.cp312-win_amd64.pyd"), Some(version("3.12")));
        assert_eq!(targets("foo.cp313t-win_arm64.pyd"), Some(version("3.13t")));
        assert_eq!(
            targets("foo.pypy310-pp73-x86_64-linux-gnu.so"),
            Some(version("3.10"))
        );
        assert_eq!(targets("foo.so"), Some(PythonTargets::Unknown));
        assert_eq!(targets("foo.pyd"), Some(PythonTargets::Unknown));
        let parsed = parse_module_file_name("_rust.abi3.so").unwrap();
        assert_eq!(
            (parsed.module.as_str(), parsed.suffix.as_str()),
            ("_rust", ".abi3.so")
        );
    }

    #[test]
    fn libraries_that_are_not_modules_are_rejected() {
        for name in [
            "libfoo.so.5",
            "libfoo-1a2b3c4d.so",
            "foo.dylib",
            "foo.dll",
            "foo.cpython-312.so",
            "foo.abi3.pyd",
            "foo",
            "foo.txt",
            "1foo.so",
            ".cpython-312-x86_64-linux-gnu.so",
        ] {
            assert_eq!(parse_module_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn tagged_names_need_no_identifier() {
        let mypyc =
            parse_module_file_name("6ec57f84c680d3a3778b__mypyc.cpython-312-x86_64-linux-gnu.so")
                .unwrap();
        assert_eq!(mypyc.module, "6ec57f84c680d3a3778b__mypyc");
        assert_eq!(parse_module_file_name("1foo.so"), None);
    }

    #[test]
    fn suffixes_name_their_platform() {
        assert_eq!(
            suffix_platform(".cpython-312-x86_64-linux-gnu.so"),
            Some("x86_64-linux-gnu")
        );
        assert_eq!(suffix_platform(".cpython-313t-darwin.so"), Some("darwin"));
        assert_eq!(
            suffix_platform(".abi3t-x86_64-linux-gnu.so"),
            Some("x86_64-linux-gnu")
        );
        assert_eq!(
            suffix_platform(".pypy310-pp73-aarch64-linux-gnu.so"),
            Some("aarch64-linux-gnu")
        );
        assert_eq!(suffix_platform(".cp313t-win_arm64.pyd"), Some("win_arm64"));
        for bare in [".so", ".abi3.so", ".pyd", ".abi3t.so"] {
            assert_eq!(suffix_platform(bare), None, "{bare}");
        }
    }

    #[test]
    fn cargo_output_names_map_to_their_crate() {
        assert_eq!(guess_module_of_unimportable("libfoo.dylib"), "foo");
        assert_eq!(guess_module_of_unimportable("foo.dll"), "foo");
        assert_eq!(guess_module_of_unimportable("libfoo.so.1"), "foo");
    }
}
