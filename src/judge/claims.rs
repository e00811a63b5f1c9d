//! The platform promises the platform rules compare a binary with, named for messages. One
//! defect is reported once, however many tags repeat the promise it breaks
//! (`manylinux_2_17_x86_64.manylinux2014_x86_64`).

use crate::inspect::{BinaryFormat, InspectError, SliceView};
use crate::platform::{ClaimSource, Libc, Os, PlatformClaim};

/// The system whose loader reads `format`.
pub fn os_of(format: BinaryFormat) -> Os {
    match format {
        BinaryFormat::Elf => Os::Linux,
        BinaryFormat::MachO | BinaryFormat::MachOFat => Os::MacOs,
        BinaryFormat::Pe => Os::Windows,
    }
}

/// "the wheel's platform tags `a` and `b`", "the file name's suffix `x86_64-linux-gnu` and
/// the wheel's platform tag `c`", and whether that is one promise or several.
pub fn describe(claims: &[&PlatformClaim]) -> (String, bool) {
    let mut parts = Vec::new();
    for source in ClaimSource::ALL {
        let texts: Vec<String> = claims
            .iter()
            .filter(|claim| claim.source == source)
            .map(|claim| format!("`{}`", claim.text))
            .collect();
        if !texts.is_empty() {
            parts.push(format!("{} {}", source.noun(texts.len() > 1), join(&texts)));
        }
    }
    (join(&parts), claims.len() > 1)
}

/// `a`, `a and b`, `a, b and c`.
pub fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "promises" for one promise, "promise" for several.
pub fn promise(several: bool) -> &'static str {
    if several { "promise" } else { "promises" }
}

/// The C library an ELF slice is linked against, by its `DT_NEEDED` names and glibc's
/// symbol versions; `None` when it names neither (a module that needs no libc at all).
pub fn libc_of(slice: &SliceView<'_>) -> Result<Option<Libc>, InspectError> {
    let needed = slice.needed_libraries()?;
    // musl's soname is `libc.so` (Alpine installs it as `libc.musl-<arch>.so.1`).
    if needed
        .iter()
        .any(|library| library.name.starts_with("libc.musl-") || library.name == "libc.so")
    {
        return Ok(Some(Libc::Musl));
    }
    // glibc's own loader names (`ld-linux-x86-64.so.2`, `ld64.so.2`) are glibc evidence too,
    // as auditwheel's lddtree takes them.
    let glibc = needed.iter().any(|library| {
        library.name == "libc.so.6"
            || library.name.starts_with("ld-linux")
            || library.name.starts_with("ld64.so")
    }) || slice
        .version_needs()?
        .iter()
        .any(|need| need.version.starts_with("GLIBC_"));
    Ok(glibc.then_some(Libc::Glibc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::{parse_suffix_platform, parse_wheel_platform};

    #[test]
    fn promises_are_named_by_where_they_were_made() {
        let suffix = parse_suffix_platform("x86_64-linux-gnu").unwrap();
        let a = parse_wheel_platform("manylinux_2_17_x86_64").unwrap();
        let b = parse_wheel_platform("manylinux2014_x86_64").unwrap();
        assert_eq!(
            describe(&[&suffix, &a, &b]),
            (
                "the file name's suffix `x86_64-linux-gnu` and the wheel's platform tags \
                 `manylinux_2_17_x86_64` and `manylinux2014_x86_64`"
                    .to_string(),
                true
            )
        );
        assert!(!describe(&[&a]).1);
    }
}
