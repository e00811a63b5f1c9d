//! Machines, as binaries record them and as platform tags name them.

use std::fmt;

/// A processor architecture a loader checks before it maps a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Machine {
    X86_64,
    X86,
    Aarch64,
    /// 32-bit Arm (`armv7l`, `armv6l`, Windows `arm`).
    Arm,
    Ppc64le,
    Ppc64,
    Ppc,
    S390x,
    Riscv64,
    Loongarch64,
    /// Windows ARM64EC: x64-compatible code for Arm machines, loadable only into x64
    /// processes on Windows on Arm.
    Arm64ec,
    /// Windows ARM64X: one image that loads as ARM64 and as ARM64EC.
    Arm64x,
}

impl Machine {
    /// The machine of a slice whose architecture the inspectors named `arch` (ELF's, Mach-O's
    /// or Windows' spelling); `None` for one no platform tag can name.
    pub fn from_arch_name(arch: &str) -> Option<Machine> {
        Some(match arch {
            "x86_64" | "x86_64h" | "x64" | "amd64" => Machine::X86_64,
            "i386" | "i686" | "x86" => Machine::X86,
            "aarch64" | "arm64" | "arm64e" => Machine::Aarch64,
            "arm" | "armv7" | "armv7l" | "armv6l" => Machine::Arm,
            "ppc64le" | "powerpc64le" => Machine::Ppc64le,
            "ppc64" | "powerpc64" => Machine::Ppc64,
            "ppc" | "powerpc" => Machine::Ppc,
            "s390x" => Machine::S390x,
            "riscv64" | "riscv64gc" => Machine::Riscv64,
            "loongarch64" => Machine::Loongarch64,
            "arm64ec" => Machine::Arm64ec,
            "arm64x" => Machine::Arm64x,
            _ => return None,
        })
    }

    /// Whether an image of this machine satisfies a promise of `promised`: an ARM64X image
    /// is also an ARM64 one.
    pub fn satisfies(self, promised: Machine) -> bool {
        self == promised || (self == Machine::Arm64x && promised == Machine::Aarch64)
    }
}

impl Machine {
    /// A short, stable name for tools (JSON): the Linux wheel-tag spelling where one exists.
    pub fn name(self) -> &'static str {
        match self {
            Machine::X86_64 => "x86_64",
            Machine::X86 => "x86",
            Machine::Aarch64 => "aarch64",
            Machine::Arm => "arm",
            Machine::Ppc64le => "ppc64le",
            Machine::Ppc64 => "ppc64",
            Machine::Ppc => "ppc",
            Machine::S390x => "s390x",
            Machine::Riscv64 => "riscv64",
            Machine::Loongarch64 => "loongarch64",
            Machine::Arm64ec => "arm64ec",
            Machine::Arm64x => "arm64x",
        }
    }
}

/// For messages: the names both Apple's and Linux's tools use, and the word size where a
/// short name hides it.
impl fmt::Display for Machine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Machine::X86 => "x86 (32-bit)",
            Machine::Aarch64 => "arm64/aarch64",
            Machine::Arm => "arm (32-bit)",
            other => other.name(),
        })
    }
}
