//! The ELF header and program header table: class, byte order, object type, machine, and
//! the segments the dynamic loader maps. Section headers are never read: the loader does
//! not use them, and a stripped or hostile file may not have truthful ones.

use goblin::elf::dynamic::DF_1_PIE;
use goblin::elf::header::{
    EI_CLASS, EI_DATA, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_68K, EM_386,
    EM_AARCH64, EM_ARC_COMPACT, EM_ARC_COMPACT2, EM_ARM, EM_CSKY, EM_IA_64, EM_LOONGARCH, EM_MIPS,
    EM_PARISC, EM_PPC, EM_PPC64, EM_RISCV, EM_S390, EM_SH, EM_SPARC, EM_SPARCV9, EM_X86_64,
    EM_XTENSA, ET_CORE, ET_DYN, ET_EXEC, ET_REL, SIZEOF_IDENT, header32, header64,
};
use goblin::elf::program_header::{program_header32, program_header64};

use crate::inspect::{InspectError, ObjectKind, Reader};

/// `EM_ALPHA`: not among goblin's constants (it is the unofficial number every Alpha tool uses).
pub const EM_ALPHA: u16 = 0x9026;

/// The fields of the ELF header the loader needs.
#[derive(Debug, Clone, Copy)]
pub struct ElfHeader {
    /// `EI_CLASS` is `ELFCLASS64`.
    pub is_64: bool,
    /// `EI_DATA` is `ELFDATA2MSB`.
    pub big_endian: bool,
    pub e_type: u16,
    pub e_machine: u16,
    pub e_phoff: u64,
    pub e_phentsize: u16,
    pub e_phnum: u16,
}

/// One program header (`Elf32_Phdr` / `Elf64_Phdr`), widened to 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct ProgramHeader {
    pub p_type: u32,
    pub p_offset: u64,
    pub p_vaddr: u64,
    pub p_filesz: u64,
}

impl ElfHeader {
    /// Reads `e_ident` and the fixed-size `ElfN_Ehdr` fields that follow it.
    pub fn parse(bytes: &[u8]) -> Result<ElfHeader, InspectError> {
        let ident = bytes
            .get(..SIZEOF_IDENT)
            .ok_or(InspectError::Truncated("ELF identification (e_ident)"))?;
        let is_64 = match ident.get(EI_CLASS) {
            Some(&ELFCLASS32) => false,
            Some(&ELFCLASS64) => true,
            _ => {
                return Err(InspectError::Malformed(
                    "ELF header (EI_CLASS is neither ELFCLASS32 nor ELFCLASS64)",
                ));
            }
        };
        let big_endian = match ident.get(EI_DATA) {
            Some(&ELFDATA2LSB) => false,
            Some(&ELFDATA2MSB) => true,
            _ => {
                return Err(InspectError::Malformed(
                    "ELF header (EI_DATA is neither ELFDATA2LSB nor ELFDATA2MSB)",
                ));
            }
        };
        let what = "ELF header";
        let ehdr_size = if is_64 {
            header64::SIZEOF_EHDR
        } else {
            header32::SIZEOF_EHDR
        };
        if bytes.len() < ehdr_size {
            return Err(InspectError::Truncated(what));
        }
        let r = Reader::new(bytes, big_endian);
        // Past e_entry the offsets of the two layouts differ by the width of three addresses.
        let (phoff_at, phentsize_at) = if is_64 { (32, 54) } else { (28, 42) };
        Ok(ElfHeader {
            is_64,
            big_endian,
            e_type: r.u16(16, what)?,
            e_machine: r.u16(18, what)?,
            e_phoff: r.word(phoff_at, is_64, what)?,
            e_phentsize: r.u16(phentsize_at, what)?,
            e_phnum: r.u16(phentsize_at + 2, what)?,
        })
    }

    pub fn reader<'a>(&self, bytes: &'a [u8]) -> Reader<'a> {
        Reader::new(bytes, self.big_endian)
    }

    /// The program header table. glibc refuses an `e_phentsize` other than the size of its
    /// own `ElfW(Phdr)`, so anything else is malformed rather than a stride to follow.
    pub fn program_headers(&self, r: &Reader<'_>) -> Result<Vec<ProgramHeader>, InspectError> {
        let what = "ELF program header table";
        if self.e_phnum == 0 {
            return Ok(Vec::new());
        }
        let entry_size = if self.is_64 {
            program_header64::SIZEOF_PHDR
        } else {
            program_header32::SIZEOF_PHDR
        };
        if usize::from(self.e_phentsize) != entry_size {
            return Err(InspectError::Malformed(
                "ELF program header table (e_phentsize is not the size of ElfN_Phdr)",
            ));
        }
        // Check the whole table once so a truncated file fails before the loop.
        r.slice(
            self.e_phoff,
            u64::from(self.e_phnum) * entry_size as u64,
            what,
        )?;
        (0..u64::from(self.e_phnum))
            .map(|i| {
                let at = self.e_phoff + i * entry_size as u64;
                if self.is_64 {
                    Ok(ProgramHeader {
                        p_type: r.u32(at, what)?,
                        p_offset: r.u64(at + 8, what)?,
                        p_vaddr: r.u64(at + 16, what)?,
                        p_filesz: r.u64(at + 32, what)?,
                    })
                } else {
                    Ok(ProgramHeader {
                        p_type: r.u32(at, what)?,
                        p_offset: r.u32(at + 4, what)?.into(),
                        p_vaddr: r.u32(at + 8, what)?.into(),
                        p_filesz: r.u32(at + 16, what)?.into(),
                    })
                }
            })
            .collect()
    }

    /// The machine as `uname -m` and the platform tags spell it.
    pub fn arch(&self) -> String {
        let (is_64, be) = (self.is_64, self.big_endian);
        let name = match self.e_machine {
            EM_X86_64 => "x86_64",
            EM_386 => "i386",
            EM_AARCH64 if be => "aarch64_be",
            EM_AARCH64 => "aarch64",
            EM_ARM if be => "armeb",
            EM_ARM => "arm",
            // One machine number, two ABIs told apart by byte order: ppc64 (ELFv1, big-endian)
            // and ppc64le (ELFv2, little-endian) wheels are not interchangeable.
            EM_PPC64 if be => "ppc64",
            EM_PPC64 => "ppc64le",
            EM_PPC if be => "ppc",
            EM_PPC => "ppcle",
            EM_S390 if is_64 => "s390x",
            EM_S390 => "s390",
            EM_RISCV if is_64 => "riscv64",
            EM_RISCV => "riscv32",
            EM_LOONGARCH if is_64 => "loongarch64",
            EM_LOONGARCH => "loongarch32",
            EM_MIPS => match (is_64, be) {
                (true, true) => "mips64",
                (true, false) => "mips64el",
                (false, true) => "mips",
                (false, false) => "mipsel",
            },
            EM_SPARCV9 => "sparc64",
            EM_SPARC => "sparc",
            EM_IA_64 => "ia64",
            EM_ALPHA => "alpha",
            EM_PARISC => "hppa",
            EM_68K => "m68k",
            EM_SH if be => "sheb",
            EM_SH => "sh",
            EM_ARC_COMPACT | EM_ARC_COMPACT2 => "arc",
            EM_CSKY => "csky",
            EM_XTENSA => "xtensa",
            other => return format!("ELF machine {other:#x}"),
        };
        name.to_string()
    }

    /// Width of one entry of the SysV `DT_HASH` table. glibc's `Elf_Symndx` is 64-bit on
    /// 64-bit s390, Alpha and IA-64; everywhere else it is 32-bit.
    pub fn sysv_hash_entry_size(&self) -> u64 {
        match self.e_machine {
            EM_S390 | EM_IA_64 if self.is_64 => 8,
            EM_ALPHA => 8,
            _ => 4,
        }
    }
}

/// What the header and `DT_FLAGS_1` say the object is.
///
/// An `ET_DYN` object is a PIE executable when `DT_FLAGS_1` has `DF_1_PIE`. That is the test
/// glibc's `dlopen` applies ("cannot dynamically load position-independent executable"), so
/// it is the one that decides whether CPython can load the file. `PT_INTERP` is not: shared
/// libraries may carry one (libc.so.6 does, to be runnable) and still load fine, while a PIE
/// linked before `DF_1_PIE` existed is, to glibc, a shared library.
pub fn object_kind(e_type: u16, dt_flags_1: u64) -> ObjectKind {
    match e_type {
        ET_REL => ObjectKind::Relocatable,
        ET_EXEC => ObjectKind::Executable,
        ET_DYN if dt_flags_1 & DF_1_PIE != 0 => ObjectKind::Executable,
        ET_DYN => ObjectKind::SharedLibrary,
        ET_CORE => ObjectKind::Other("core dump".into()),
        other => ObjectKind::Other(format!("ELF object of type {other:#x}")),
    }
}
