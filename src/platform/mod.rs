//! Where a module is promised to load: the operating system, machine and C library (with its
//! version floor) that a name makes a promise about — a wheel's platform tag
//! (`manylinux_2_17_x86_64`), an extension suffix (`x86_64-linux-gnu`), or a cargo target
//! triple (`aarch64-apple-darwin`). Rules compare these promises with the binary's own facts
//! (docs/loader-rules.md §10).
//!
//! Like [`crate::python`], this is vocabulary: it depends on nothing else in the crate.

mod machine;
mod tag;

use std::fmt;

pub use machine::Machine;
pub use tag::{parse_suffix_platform, parse_target_triple, parse_wheel_platform};

/// The operating system a binary format belongs to, and a platform promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
    /// PEP 738: ELF modules on bionic, which link libpython by design.
    Android,
    /// PEP 730: Mach-O modules in an app's frameworks, which link Python.framework.
    Ios,
}

impl Os {
    /// The binary format this system's loader reads.
    pub fn format_name(self) -> &'static str {
        match self {
            Os::Linux | Os::Android => "ELF",
            Os::MacOs | Os::Ios => "Mach-O",
            Os::Windows => "PE",
        }
    }

    /// Whether its modules link CPython's own library by design (the embedding app ships
    /// it; there is no interpreter executable to take the symbols from).
    pub fn links_libpython(self) -> bool {
        matches!(self, Os::Android | Os::Ios)
    }
}

impl fmt::Display for Os {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Os::Linux => "Linux",
            Os::MacOs => "macOS",
            Os::Windows => "Windows",
            Os::Android => "Android",
            Os::Ios => "iOS",
        })
    }
}

/// A `major.minor` version: of glibc (`2.17`) or of macOS (`11.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u16,
    pub minor: u16,
    pub patch: u16,
}

impl Version {
    pub const fn new(major: u16, minor: u16) -> Version {
        Version {
            major,
            minor,
            patch: 0,
        }
    }

    /// `2.34`, `2.3.4`: the part of a `GLIBC_2.34` version name after the prefix.
    pub fn parse_dotted(text: &str) -> Option<Version> {
        let mut parts = text.split('.').map(|part| part.parse::<u16>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next().unwrap_or(Some(0))?;
        parts.next().is_none().then_some(Version {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(f, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// The C library a Linux binary is linked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Libc {
    Glibc,
    Musl,
    /// Android's C library; its soname is `libc.so`, as musl's is.
    Bionic,
}

impl fmt::Display for Libc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::Bionic => "bionic",
        })
    }
}

/// Where a promise was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimSource {
    /// The extension suffix of the file's own name (`.cpython-312-x86_64-linux-gnu.so`).
    FileName,
    /// A platform tag of the wheel's file name.
    WheelTag,
    /// The cargo target triple the artifact was built for (its `target/<triple>/` directory).
    Target,
    /// `--target`: the platform the user says every artifact is for.
    CommandLine,
}

impl ClaimSource {
    /// Every source, in the order messages name them.
    pub const ALL: [ClaimSource; 4] = [
        ClaimSource::FileName,
        ClaimSource::WheelTag,
        ClaimSource::Target,
        ClaimSource::CommandLine,
    ];

    /// What a message calls promises from here: "the wheel's platform tags" for several.
    pub fn noun(self, several: bool) -> &'static str {
        match (self, several) {
            (ClaimSource::FileName, _) => "the file name's suffix",
            (ClaimSource::WheelTag, false) => "the wheel's platform tag",
            (ClaimSource::WheelTag, true) => "the wheel's platform tags",
            (ClaimSource::Target, _) => "the cargo target",
            (ClaimSource::CommandLine, _) => "--target",
        }
    }
}

impl fmt::Display for ClaimSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.noun(false))
    }
}

/// One promise about where a module loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformClaim {
    pub source: ClaimSource,
    /// The promise as written (`manylinux_2_17_x86_64`, `x86_64-linux-gnu`).
    pub text: String,
    pub os: Os,
    /// Machines the file must run on, every one of them (`universal2`: x86_64 and arm64).
    /// Empty when the promise names none (`darwin`).
    pub machines: Vec<Machine>,
    /// Linux: the C library promised, when the promise names one.
    pub libc: Option<Libc>,
    /// The oldest OS release promised: glibc for `manylinux_X_Y`, macOS for `macosx_X_Y`.
    pub floor: Option<Version>,
}

/// What an artifact's names promise about the platforms it loads on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformClaims {
    pub claims: Vec<PlatformClaim>,
    /// A wheel tagged only `any`: installed on every platform, which no binary loads on.
    pub any_platform: bool,
    /// A wheel whose `WHEEL` metadata lists other tags than its file name.
    pub tag_disagreement: Option<TagDisagreement>,
    /// Platform tags this tool cannot read (`linux_mips64`, `linux_aarch64_x86_64`): nothing
    /// about the platform was checked against them.
    pub unreadable: Vec<String>,
}

impl PlatformClaims {
    /// The promises about one operating system.
    pub fn for_os(&self, os: Os) -> impl Iterator<Item = &PlatformClaim> {
        self.claims.iter().filter(move |claim| claim.os == os)
    }
}

/// The tags a wheel's file name and its `WHEEL` file's `Tag:` lines disagree on: installers
/// go by the file name, so the metadata misleads every tool that reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagDisagreement {
    /// In the file name only (expanded: `cp312-cp312-manylinux_2_17_x86_64`).
    pub only_in_name: Vec<String>,
    /// In `WHEEL` only.
    pub only_in_metadata: Vec<String>,
    /// The `WHEEL` file's path inside the archive.
    pub metadata_path: String,
    /// `Tag:` lines holding a compressed tag set (`cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64`,
    /// as maturin 1.8–1.9 wrote), which PEP 427 wants expanded, one tag a line.
    pub compressed: Vec<String>,
}
