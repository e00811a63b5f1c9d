//! The Mach-O header (`mach_header` / `mach_header_64`): word size and byte order from the
//! magic number, and the architecture and file type as Apple's tools name them.

use goblin::mach::constants::cputype::{
    CPU_SUBTYPE_ARM_V4T, CPU_SUBTYPE_ARM_V5TEJ, CPU_SUBTYPE_ARM_V6, CPU_SUBTYPE_ARM_V6M,
    CPU_SUBTYPE_ARM_V7, CPU_SUBTYPE_ARM_V7EM, CPU_SUBTYPE_ARM_V7F, CPU_SUBTYPE_ARM_V7K,
    CPU_SUBTYPE_ARM_V7M, CPU_SUBTYPE_ARM_V7S, CPU_SUBTYPE_ARM_V8, CPU_SUBTYPE_ARM_XSCALE,
    CPU_SUBTYPE_ARM64_E, CPU_SUBTYPE_MASK, CPU_SUBTYPE_POWERPC_970, CPU_SUBTYPE_X86_64_H,
    CPU_TYPE_ARM, CPU_TYPE_ARM64, CPU_TYPE_ARM64_32, CPU_TYPE_HPPA, CPU_TYPE_I386, CPU_TYPE_I860,
    CPU_TYPE_MC680X0, CPU_TYPE_MC88000, CPU_TYPE_POWERPC, CPU_TYPE_POWERPC64, CPU_TYPE_SPARC,
    CPU_TYPE_X86_64,
};
use goblin::mach::header::{
    MH_BUNDLE, MH_CIGAM, MH_CIGAM_64, MH_CORE, MH_DSYM, MH_DYLIB, MH_DYLIB_STUB, MH_DYLINKER,
    MH_EXECUTE, MH_FILESET, MH_FVMLIB, MH_KEXT_BUNDLE, MH_MAGIC, MH_MAGIC_64, MH_OBJECT,
    MH_PRELOAD, SIZEOF_HEADER_32, SIZEOF_HEADER_64,
};

use crate::inspect::{InspectError, ObjectKind, Reader};

/// The fields of `mach_header[_64]` that lookups need; `reserved` and `flags` are not.
#[derive(Debug, Clone, Copy)]
pub(super) struct MachHeader {
    pub is_64: bool,
    pub big_endian: bool,
    pub cputype: u32,
    /// With the capability bits (`CPU_SUBTYPE_MASK`, e.g. `CPU_SUBTYPE_LIB64`) removed.
    pub cpusubtype: u32,
    pub filetype: u32,
    pub ncmds: u32,
    pub sizeofcmds: u32,
}

impl MachHeader {
    /// Reads the header at the start of a thin image.
    pub fn parse(bytes: &[u8]) -> Result<Self, InspectError> {
        // The magic is written in the file's own byte order, so reading it big-endian tells
        // the order: MH_MAGIC as read means big-endian, MH_CIGAM (byte-swapped) little-endian.
        let magic = Reader::new(bytes, true).u32(0, "Mach-O header")?;
        let (is_64, big_endian) = match magic {
            MH_MAGIC => (false, true),
            MH_CIGAM => (false, false),
            MH_MAGIC_64 => (true, true),
            MH_CIGAM_64 => (true, false),
            _ => return Err(InspectError::UnknownFormat),
        };
        let r = Reader::new(bytes, big_endian);
        let size = if is_64 {
            SIZEOF_HEADER_64
        } else {
            SIZEOF_HEADER_32
        };
        r.slice(0, size as u64, "Mach-O header")?;
        Ok(MachHeader {
            is_64,
            big_endian,
            cputype: r.u32(4, "Mach-O header")?,
            cpusubtype: r.u32(8, "Mach-O header")? & !CPU_SUBTYPE_MASK,
            filetype: r.u32(12, "Mach-O header")?,
            ncmds: r.u32(16, "Mach-O header")?,
            sizeofcmds: r.u32(20, "Mach-O header")?,
        })
    }

    /// Where the load commands start.
    pub fn size(&self) -> u64 {
        if self.is_64 {
            SIZEOF_HEADER_64 as u64
        } else {
            SIZEOF_HEADER_32 as u64
        }
    }

    pub fn arch_name(&self) -> String {
        arch_name(self.cputype, self.cpusubtype)
    }

    pub fn object_kind(&self) -> ObjectKind {
        object_kind(self.filetype)
    }
}

/// The architecture name `lipo`, `file` and `uname -m` use for a cputype/cpusubtype pair
/// (`cpusubtype` without capability bits).
pub(super) fn arch_name(cputype: u32, cpusubtype: u32) -> String {
    let name = match cputype {
        CPU_TYPE_X86_64 if cpusubtype == CPU_SUBTYPE_X86_64_H => "x86_64h",
        CPU_TYPE_X86_64 => "x86_64",
        CPU_TYPE_I386 => "i386",
        CPU_TYPE_ARM64 if cpusubtype == CPU_SUBTYPE_ARM64_E => "arm64e",
        CPU_TYPE_ARM64 => "arm64",
        CPU_TYPE_ARM64_32 => "arm64_32",
        CPU_TYPE_ARM => match cpusubtype {
            CPU_SUBTYPE_ARM_V4T => "armv4t",
            CPU_SUBTYPE_ARM_V5TEJ => "armv5",
            CPU_SUBTYPE_ARM_XSCALE => "xscale",
            CPU_SUBTYPE_ARM_V6 => "armv6",
            CPU_SUBTYPE_ARM_V6M => "armv6m",
            CPU_SUBTYPE_ARM_V7 => "armv7",
            CPU_SUBTYPE_ARM_V7F => "armv7f",
            CPU_SUBTYPE_ARM_V7S => "armv7s",
            CPU_SUBTYPE_ARM_V7K => "armv7k",
            CPU_SUBTYPE_ARM_V7M => "armv7m",
            CPU_SUBTYPE_ARM_V7EM => "armv7em",
            CPU_SUBTYPE_ARM_V8 => "armv8",
            _ => "arm",
        },
        CPU_TYPE_POWERPC if cpusubtype == CPU_SUBTYPE_POWERPC_970 => "ppc970",
        CPU_TYPE_POWERPC => "ppc",
        CPU_TYPE_POWERPC64 => "ppc64",
        CPU_TYPE_MC680X0 => "m68k",
        CPU_TYPE_MC88000 => "m88k",
        CPU_TYPE_HPPA => "hppa",
        CPU_TYPE_SPARC => "sparc",
        CPU_TYPE_I860 => "i860",
        _ => return format!("cputype {cputype:#x}"),
    };
    name.to_string()
}

/// Extension modules are linked as MH_BUNDLE (setuptools' `-bundle`) or MH_DYLIB (cargo's
/// cdylib); `dlopen` accepts both.
pub(super) fn object_kind(filetype: u32) -> ObjectKind {
    let other = match filetype {
        MH_DYLIB | MH_BUNDLE => return ObjectKind::SharedLibrary,
        MH_EXECUTE => return ObjectKind::Executable,
        MH_OBJECT => return ObjectKind::Relocatable,
        MH_FVMLIB => "Mach-O fixed VM shared library",
        MH_CORE => "Mach-O core file",
        MH_PRELOAD => "Mach-O preloaded executable",
        MH_DYLINKER => "Mach-O dynamic linker",
        MH_DYLIB_STUB => "Mach-O dylib stub (link-time only)",
        MH_DSYM => "Mach-O dSYM debug companion file",
        MH_KEXT_BUNDLE => "Mach-O kernel extension",
        MH_FILESET => "Mach-O file set",
        _ => return ObjectKind::Other(format!("Mach-O file type {filetype:#x}")),
    };
    ObjectKind::Other(other.to_string())
}
