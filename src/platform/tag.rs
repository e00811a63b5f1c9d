//! Reading promises out of names: wheel platform tags (PEP 425, PEP 600, PEP 656), the
//! platform part of CPython's extension suffixes, and cargo target triples.

use super::{ClaimSource, Libc, Machine, Os, PlatformClaim, Version};

/// PEP 600's names for the legacy manylinux tags, with the glibc each promises.
const LEGACY_MANYLINUX: [(&str, Version); 3] = [
    ("manylinux1_", Version::new(2, 5)),
    ("manylinux2010_", Version::new(2, 12)),
    ("manylinux2014_", Version::new(2, 17)),
];

/// A wheel platform tag (`manylinux_2_17_x86_64`, `musllinux_1_2_aarch64`,
/// `macosx_11_0_arm64`, `win_amd64`); `None` for `any` and for platforms not checked here.
pub fn parse_wheel_platform(tag: &str) -> Option<PlatformClaim> {
    let claim = |os, machines, libc, floor| PlatformClaim {
        source: ClaimSource::WheelTag,
        text: tag.to_string(),
        os,
        machines,
        libc,
        floor,
    };
    if let Some(rest) = tag.strip_prefix("manylinux_") {
        let (floor, arch) = versioned(rest)?;
        return Some(claim(
            Os::Linux,
            vec![linux_machine(arch)?],
            Some(Libc::Glibc),
            Some(floor),
        ));
    }
    for (prefix, floor) in LEGACY_MANYLINUX {
        if let Some(arch) = tag.strip_prefix(prefix) {
            return Some(claim(
                Os::Linux,
                vec![linux_machine(arch)?],
                Some(Libc::Glibc),
                Some(floor),
            ));
        }
    }
    if let Some(rest) = tag.strip_prefix("musllinux_") {
        let (floor, arch) = versioned(rest)?;
        return Some(claim(
            Os::Linux,
            vec![linux_machine(arch)?],
            Some(Libc::Musl),
            Some(floor),
        ));
    }
    if let Some(arch) = tag.strip_prefix("linux_") {
        return Some(claim(Os::Linux, vec![linux_machine(arch)?], None, None));
    }
    if let Some(rest) = tag.strip_prefix("macosx_") {
        let (floor, arch) = versioned(rest)?;
        return Some(claim(Os::MacOs, macos_machines(arch)?, None, Some(floor)));
    }
    if let Some(rest) = tag.strip_prefix("android_") {
        // PEP 738: `android_<api level>_<abi>`; the API level is the floor (as `24.0`).
        let (api, abi) = rest.split_once('_')?;
        let api: u16 = api.parse().ok()?;
        let machine = match abi {
            "arm64_v8a" => Machine::Aarch64,
            "armeabi_v7a" => Machine::Arm,
            "x86_64" => Machine::X86_64,
            "x86" => Machine::X86,
            _ => return None,
        };
        return Some(claim(
            Os::Android,
            vec![machine],
            Some(Libc::Bionic),
            Some(Version::new(api, 0)),
        ));
    }
    if let Some(rest) = tag.strip_prefix("ios_") {
        // PEP 730: `ios_<major>_<minor>_<arch>_<sdk>`, sdk `iphoneos` or `iphonesimulator`.
        let (floor, rest) = versioned(rest)?;
        let (arch, sdk) = rest.rsplit_once('_')?;
        if sdk != "iphoneos" && sdk != "iphonesimulator" {
            return None;
        }
        let machine = match arch {
            "arm64" => Machine::Aarch64,
            "x86_64" => Machine::X86_64,
            _ => return None,
        };
        return Some(claim(Os::Ios, vec![machine], None, Some(floor)));
    }
    let machine = match tag {
        "win_amd64" => Machine::X86_64,
        "win32" => Machine::X86,
        "win_arm64" => Machine::Aarch64,
        _ => return None,
    };
    Some(claim(Os::Windows, vec![machine], None, None))
}

/// `2_17_x86_64` → (2.17, `x86_64`).
fn versioned(rest: &str) -> Option<(Version, &str)> {
    let (major, rest) = rest.split_once('_')?;
    let (minor, arch) = rest.split_once('_')?;
    Some((Version::new(major.parse().ok()?, minor.parse().ok()?), arch))
}

/// The machines of a Linux tag's architecture (`uname -m` spellings).
fn linux_machine(arch: &str) -> Option<Machine> {
    match arch {
        "x86_64" | "i686" | "aarch64" | "armv7l" | "armv6l" | "ppc64le" | "ppc64" | "s390x"
        | "riscv64" | "loongarch64" => Machine::from_arch_name(arch),
        _ => None,
    }
}

/// The machines a macOS tag's architecture promises, all of them (packaging's
/// `_mac_binary_formats` in reverse: `universal2` is x86_64 + arm64, `intel` x86_64 + i386).
/// The legacy PowerPC sets are not checked.
fn macos_machines(arch: &str) -> Option<Vec<Machine>> {
    Some(match arch {
        "x86_64" | "x86_64h" => vec![Machine::X86_64],
        "arm64" => vec![Machine::Aarch64],
        "i386" => vec![Machine::X86],
        "universal2" => vec![Machine::X86_64, Machine::Aarch64],
        "intel" => vec![Machine::X86_64, Machine::X86],
        _ => return None,
    })
}

/// The platform part of an extension suffix: `x86_64-linux-gnu`, `arm-linux-gnueabihf`,
/// `x86_64-linux-musl` and `darwin` on POSIX (`.cpython-312-<platform>.so`); `win_amd64`,
/// `win32`, `win_arm64` on Windows (`.cp312-<platform>.pyd`).
pub fn parse_suffix_platform(platform: &str) -> Option<PlatformClaim> {
    let claim = |os, machines, libc| PlatformClaim {
        source: ClaimSource::FileName,
        text: platform.to_string(),
        os,
        machines,
        libc,
        floor: None,
    };
    if platform == "darwin" {
        return Some(claim(Os::MacOs, Vec::new(), None));
    }
    // PEP 730: `iphoneos`, `iphonesimulator`, or with the machine (`arm64-iphoneos`).
    let (ios_arch, ios_sdk) = platform.rsplit_once('-').unwrap_or(("", platform));
    if ios_sdk == "iphoneos" || ios_sdk == "iphonesimulator" {
        let machines = Machine::from_arch_name(ios_arch).into_iter().collect();
        return Some(claim(Os::Ios, machines, None));
    }
    if let Some(windows) = parse_wheel_platform(platform).filter(|c| c.os == Os::Windows) {
        return Some(claim(Os::Windows, windows.machines, None));
    }
    let (arch, abi) = platform.split_once("-linux-")?;
    let machines = vec![Machine::from_arch_name(arch)?];
    if abi.starts_with("android") {
        return Some(claim(Os::Android, machines, Some(Libc::Bionic)));
    }
    Some(claim(Os::Linux, machines, Some(libc_of_abi(abi)?)))
}

/// The C library a GNU triplet's environment (`gnu`, `gnueabihf`, `musl`, `musleabihf`) is
/// for; `None` for others (`android`).
fn libc_of_abi(abi: &str) -> Option<Libc> {
    if abi.starts_with("gnu") {
        Some(Libc::Glibc)
    } else if abi.starts_with("musl") {
        Some(Libc::Musl)
    } else {
        None
    }
}

/// A cargo target triple (`x86_64-unknown-linux-gnu`, `aarch64-apple-darwin`,
/// `x86_64-pc-windows-msvc`, maturin's `universal2-apple-darwin`), with cargo-zigbuild's glibc
/// suffix (`x86_64-unknown-linux-gnu.2.17`) as a glibc floor; `None` for targets not checked
/// here and for custom target specifications.
pub fn parse_target_triple(triple: &str) -> Option<PlatformClaim> {
    let (name, glibc) = match triple.split_once('.') {
        Some((name, version)) => (name, Some(Version::parse_dotted(version)?)),
        None => (triple, None),
    };
    let parts: Vec<&str> = name.split('-').collect();
    let arch = *parts.first()?;
    let claim = |os, machines, libc, floor| PlatformClaim {
        source: ClaimSource::Target,
        text: triple.to_string(),
        os,
        machines,
        libc,
        floor,
    };
    let machine = || {
        Machine::from_arch_name(match arch {
            "i586" => "i686",
            "armv7" | "thumbv7neon" => "arm",
            other => other,
        })
    };
    match parts.as_slice() {
        [_, _, "linux", env] => {
            let libc = libc_of_abi(env)?;
            let floor = glibc.filter(|_| libc == Libc::Glibc);
            Some(claim(Os::Linux, vec![machine()?], Some(libc), floor))
        }
        [_, "apple", "darwin"] if glibc.is_none() => {
            let machines = if arch == "universal2" {
                vec![Machine::X86_64, Machine::Aarch64]
            } else {
                vec![machine()?]
            };
            Some(claim(Os::MacOs, machines, None, None))
        }
        [_, _, "windows", _] if glibc.is_none() => {
            Some(claim(Os::Windows, vec![machine()?], None, None))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_tags_name_system_machines_libc_and_floor() {
        let tag = parse_wheel_platform("manylinux_2_28_aarch64").unwrap();
        assert_eq!(
            (tag.os, tag.machines, tag.libc, tag.floor),
            (
                Os::Linux,
                vec![Machine::Aarch64],
                Some(Libc::Glibc),
                Some(Version::new(2, 28))
            )
        );
        assert_eq!(
            parse_wheel_platform("manylinux2014_x86_64").unwrap().floor,
            Some(Version::new(2, 17))
        );
        assert_eq!(
            parse_wheel_platform("manylinux1_i686").unwrap().machines,
            [Machine::X86]
        );
        assert_eq!(
            parse_wheel_platform("manylinux2010_x86_64").unwrap().floor,
            Some(Version::new(2, 12))
        );
        let musl = parse_wheel_platform("musllinux_1_2_armv7l").unwrap();
        assert_eq!(
            (musl.libc, musl.machines),
            (Some(Libc::Musl), vec![Machine::Arm])
        );
        assert_eq!(parse_wheel_platform("linux_x86_64").unwrap().libc, None);
        let mac = parse_wheel_platform("macosx_10_9_universal2").unwrap();
        assert_eq!(
            (mac.os, mac.machines, mac.floor),
            (
                Os::MacOs,
                vec![Machine::X86_64, Machine::Aarch64],
                Some(Version::new(10, 9))
            )
        );
        assert_eq!(
            parse_wheel_platform("macosx_11_0_arm64").unwrap().machines,
            [Machine::Aarch64]
        );
        assert_eq!(
            parse_wheel_platform("win_arm64").unwrap().machines,
            [Machine::Aarch64]
        );
        assert_eq!(
            parse_wheel_platform("win32").unwrap().machines,
            [Machine::X86]
        );
        let android = parse_wheel_platform("android_24_arm64_v8a").unwrap();
        assert_eq!(
            (android.os, android.machines, android.libc),
            (Os::Android, vec![Machine::Aarch64], Some(Libc::Bionic))
        );
        let ios = parse_wheel_platform("ios_13_0_arm64_iphonesimulator").unwrap();
        assert_eq!(
            (ios.os, ios.machines, ios.floor),
            (Os::Ios, vec![Machine::Aarch64], Some(Version::new(13, 0)))
        );
        for unchecked in [
            "any",
            "macosx_10_4_fat",
            "android_21_mips",
            "linux_aarch64_x86_64",
            "ios_13_0_arm64_appletvos",
            "manylinux_x_17_x86_64",
            "linux_sparc",
        ] {
            assert_eq!(parse_wheel_platform(unchecked), None, "{unchecked}");
        }
    }

    #[test]
    fn suffix_platforms_are_multiarch_triplets_or_windows_tags() {
        let linux = parse_suffix_platform("x86_64-linux-gnu").unwrap();
        assert_eq!((linux.os, linux.libc), (Os::Linux, Some(Libc::Glibc)));
        assert_eq!(
            parse_suffix_platform("arm-linux-gnueabihf")
                .unwrap()
                .machines,
            [Machine::Arm]
        );
        assert_eq!(
            parse_suffix_platform("aarch64-linux-musl").unwrap().libc,
            Some(Libc::Musl)
        );
        let darwin = parse_suffix_platform("darwin").unwrap();
        assert_eq!((darwin.os, darwin.machines.len()), (Os::MacOs, 0));
        let pyd = parse_suffix_platform("win_amd64").unwrap();
        assert_eq!((pyd.os, pyd.source), (Os::Windows, ClaimSource::FileName));
        let android = parse_suffix_platform("aarch64-linux-android").unwrap();
        assert_eq!(
            (android.os, android.libc),
            (Os::Android, Some(Libc::Bionic))
        );
        assert_eq!(
            parse_suffix_platform("arm64-iphonesimulator").unwrap().os,
            Os::Ios
        );
    }

    #[test]
    fn target_triples_as_cargo_and_maturin_name_them() {
        let zig = parse_target_triple("x86_64-unknown-linux-gnu.2.17").unwrap();
        assert_eq!(
            (zig.libc, zig.floor),
            (Some(Libc::Glibc), Some(Version::new(2, 17)))
        );
        assert_eq!(
            parse_target_triple("armv7-unknown-linux-gnueabihf")
                .unwrap()
                .machines,
            [Machine::Arm]
        );
        assert_eq!(
            parse_target_triple("riscv64gc-unknown-linux-gnu")
                .unwrap()
                .machines,
            [Machine::Riscv64]
        );
        assert_eq!(
            parse_target_triple("aarch64-unknown-linux-musl")
                .unwrap()
                .libc,
            Some(Libc::Musl)
        );
        assert_eq!(
            parse_target_triple("universal2-apple-darwin")
                .unwrap()
                .machines,
            [Machine::X86_64, Machine::Aarch64]
        );
        assert_eq!(
            parse_target_triple("aarch64-pc-windows-msvc").unwrap().os,
            Os::Windows
        );
        assert_eq!(
            parse_target_triple("i686-pc-windows-gnu").unwrap().machines,
            [Machine::X86]
        );
        for unchecked in [
            "my-board.json",
            "wasm32-unknown-unknown",
            "aarch64-linux-android",
            "x86_64-apple-darwin.2.17",
        ] {
            assert_eq!(parse_target_triple(unchecked), None, "{unchecked}");
        }
    }
}
