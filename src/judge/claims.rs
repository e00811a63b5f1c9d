//! The platform promises the platform rules compare a binary with, named for messages. One
//! defect is reported once, however many tags repeat the promise it breaks
//! (`manylinux_2_17_x86_64.manylinux2014_x86_64`).

use crate::inspect::{BinaryFormat, InspectError, SliceView};
use crate::judge::Facts;
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

/// `cause` as the wheel's own defect, when the artifact is a wheel member and every promise
/// it breaks is one of the wheel's tags: then it is the same for every module of the wheel.
pub fn wheel_cause(facts: &Facts, broken: &[&PlatformClaim], cause: &str) -> Option<String> {
    let of_the_wheel = facts.artifact.wheel().is_some()
        && !broken.is_empty()
        && broken
            .iter()
            .all(|claim| claim.source == ClaimSource::WheelTag);
    of_the_wheel.then(|| cause.to_string())
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

/// The C libraries an ELF slice may be linked against, by its `DT_NEEDED` names and glibc's
/// symbol versions; `None` when it names none (a module that needs no libc at all). A bare
/// `libc.so` is both musl's and bionic's soname.
pub fn libc_of(slice: &SliceView<'_>) -> Result<Option<&'static [Libc]>, InspectError> {
    let needed = slice.needed_libraries()?;
    if needed
        .iter()
        .any(|library| library.name.starts_with("libc.musl-"))
    {
        return Ok(Some(&[Libc::Musl]));
    }
    if needed.iter().any(|library| library.name == "libc.so") {
        return Ok(Some(&[Libc::Musl, Libc::Bionic]));
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
    Ok(glibc.then_some(&[Libc::Glibc][..]))
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
