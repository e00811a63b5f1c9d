//! The load command walk: finds where dyld's export information lives — the export trie
//! (`LC_DYLD_EXPORTS_TRIE`, else `LC_DYLD_INFO[_ONLY]`), the nlist symbol table (`LC_SYMTAB`,
//! `LC_DYSYMTAB`) — and the dependent libraries a re-export's ordinal refers to.
//!
//! Only the commands' fixed fields are read; the tables they point at are read on demand.

use goblin::mach::load_command::{
    LC_DYLD_EXPORTS_TRIE, LC_DYLD_INFO, LC_DYLD_INFO_ONLY, LC_DYSYMTAB, LC_LAZY_LOAD_DYLIB,
    LC_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB, LC_LOAD_WEAK_DYLIB, LC_REEXPORT_DYLIB, LC_SYMTAB,
};

use super::header::MachHeader;
use crate::inspect::{ApplePlatform, InspectError, MinimumOs, Reader};
use crate::platform::Version;

/// A byte range of the image (offsets are relative to the start of the thin image, also
/// inside a fat file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Extent {
    pub offset: u64,
    pub size: u64,
}

/// `symtab_command`: the nlist array and its string table.
#[derive(Debug, Clone, Copy)]
pub(super) struct Symtab {
    pub symoff: u32,
    pub nsyms: u32,
    pub stroff: u32,
    pub strsize: u32,
}

/// The part of `dysymtab_command` dyld's symbol lookup uses: the externally defined symbols,
/// a contiguous run of the nlist array that the static linker sorts by name; and the run of
/// undefined symbols after it, which is what the image imports.
#[derive(Debug, Clone, Copy)]
pub(super) struct ExternalDefined {
    pub iextdefsym: u32,
    pub nextdefsym: u32,
    pub iundefsym: u32,
    pub nundefsym: u32,
}

/// What the loader needs from the load commands.
#[derive(Debug, Default)]
pub(super) struct Linkedit {
    /// The export trie dyld searches; `LC_DYLD_EXPORTS_TRIE` wins over `LC_DYLD_INFO[_ONLY]`
    /// as in dyld's `getExportsTrie`.
    pub export_trie: Option<Extent>,
    pub symtab: Option<Symtab>,
    pub dysymtab: Option<ExternalDefined>,
    /// Dependent library commands in load order; re-export ordinal N names the N-th (from 1).
    /// Each is the whole `dylib_command`, its install name read only when a re-export asks.
    pub dylibs: Vec<Extent>,
    /// Parallel to `dylibs`: whether each is `LC_LOAD_WEAK_DYLIB` (the image loads without it).
    pub weak_dylibs: Vec<bool>,
    /// `LC_RPATH` commands: what `@rpath/` expands to, in order.
    pub rpaths: Vec<Extent>,
    /// The deployment target: `LC_BUILD_VERSION`, else an `LC_VERSION_MIN_*` command.
    pub minimum_os: Option<MinimumOs>,
}

// Fixed sizes of the commands read here (mach-o/loader.h).
const LOAD_COMMAND_HEADER: u64 = 8;
const DYLD_INFO_COMMAND: u64 = 48;
const LINKEDIT_DATA_COMMAND: u64 = 16;
const SYMTAB_COMMAND: u64 = 24;
const DYSYMTAB_COMMAND: u64 = 80;
const DYLIB_COMMAND: u64 = 24;
const BUILD_VERSION_COMMAND: u64 = 24;
const VERSION_MIN_COMMAND: u64 = 16;

// Deployment-target commands (mach-o/loader.h); goblin names only some of them.
const LC_VERSION_MIN_MACOSX: u32 = 0x24;
const LC_VERSION_MIN_IPHONEOS: u32 = 0x25;
const LC_VERSION_MIN_TVOS: u32 = 0x2f;
const LC_VERSION_MIN_WATCHOS: u32 = 0x30;
const LC_BUILD_VERSION: u32 = 0x32;
/// `LC_RPATH` (`0x1c | LC_REQ_DYLD`) and its `rpath_command`: cmd, cmdsize, path offset.
const LC_RPATH: u32 = 0x8000_001c;
const RPATH_COMMAND: u64 = 12;
/// Where [`MinimumOs`] was read when `LC_BUILD_VERSION` stated it: no `LC_VERSION_MIN_*`
/// replaces that.
const BUILD_VERSION_MINOS: &str = "LC_BUILD_VERSION minos";
/// `PLATFORM_MACOS` in `LC_BUILD_VERSION`.
const PLATFORM_MACOS: u32 = 1;

/// Walks the `ncmds` load commands, all of which must lie within `sizeofcmds` after the header.
pub(super) fn read(image: &Reader<'_>, header: &MachHeader) -> Result<Linkedit, InspectError> {
    let start = header.size();
    let end = start + u64::from(header.sizeofcmds);
    image.slice(start, u64::from(header.sizeofcmds), "load commands")?;

    let mut linkedit = Linkedit::default();
    let mut dyld_info: Option<Extent> = None;
    let mut exports_trie: Option<Extent> = None;
    let mut at = start;
    // Every command is at least 8 bytes inside `sizeofcmds`, which bounds this loop by the file
    // size whatever `ncmds` claims.
    for _ in 0..header.ncmds {
        if end - at < LOAD_COMMAND_HEADER {
            return Err(InspectError::Malformed(
                "load commands: ncmds runs past sizeofcmds",
            ));
        }
        let cmd = image.u32(at, "load command")?;
        let cmdsize = u64::from(image.u32(at + 4, "load command")?);
        if cmdsize < LOAD_COMMAND_HEADER {
            return Err(InspectError::Malformed(
                "load command: cmdsize smaller than its header",
            ));
        }
        if cmdsize > end - at {
            return Err(InspectError::Malformed(
                "load command: cmdsize runs past sizeofcmds",
            ));
        }
        let command = Extent {
            offset: at,
            size: cmdsize,
        };
        match cmd {
            LC_DYLD_INFO | LC_DYLD_INFO_ONLY => {
                fits(
                    command,
                    DYLD_INFO_COMMAND,
                    "LC_DYLD_INFO: cmdsize too small",
                )?;
                if dyld_info.is_some() {
                    return Err(InspectError::Malformed(
                        "load commands: more than one LC_DYLD_INFO",
                    ));
                }
                // export_off / export_size follow the rebase, bind, weak_bind and lazy_bind pairs.
                dyld_info = Some(Extent {
                    offset: u64::from(image.u32(at + 40, "LC_DYLD_INFO")?),
                    size: u64::from(image.u32(at + 44, "LC_DYLD_INFO")?),
                });
            }
            LC_DYLD_EXPORTS_TRIE => {
                fits(
                    command,
                    LINKEDIT_DATA_COMMAND,
                    "LC_DYLD_EXPORTS_TRIE: cmdsize too small",
                )?;
                if exports_trie.is_some() {
                    return Err(InspectError::Malformed(
                        "load commands: more than one LC_DYLD_EXPORTS_TRIE",
                    ));
                }
                exports_trie = Some(Extent {
                    offset: u64::from(image.u32(at + 8, "LC_DYLD_EXPORTS_TRIE")?),
                    size: u64::from(image.u32(at + 12, "LC_DYLD_EXPORTS_TRIE")?),
                });
            }
            LC_SYMTAB => {
                fits(command, SYMTAB_COMMAND, "LC_SYMTAB: cmdsize too small")?;
                if linkedit.symtab.is_some() {
                    return Err(InspectError::Malformed(
                        "load commands: more than one LC_SYMTAB",
                    ));
                }
                linkedit.symtab = Some(Symtab {
                    symoff: image.u32(at + 8, "LC_SYMTAB")?,
                    nsyms: image.u32(at + 12, "LC_SYMTAB")?,
                    stroff: image.u32(at + 16, "LC_SYMTAB")?,
                    strsize: image.u32(at + 20, "LC_SYMTAB")?,
                });
            }
            LC_DYSYMTAB => {
                fits(command, DYSYMTAB_COMMAND, "LC_DYSYMTAB: cmdsize too small")?;
                if linkedit.dysymtab.is_some() {
                    return Err(InspectError::Malformed(
                        "load commands: more than one LC_DYSYMTAB",
                    ));
                }
                // ilocalsym, nlocalsym come first.
                linkedit.dysymtab = Some(ExternalDefined {
                    iextdefsym: image.u32(at + 16, "LC_DYSYMTAB")?,
                    nextdefsym: image.u32(at + 20, "LC_DYSYMTAB")?,
                    iundefsym: image.u32(at + 24, "LC_DYSYMTAB")?,
                    nundefsym: image.u32(at + 28, "LC_DYSYMTAB")?,
                });
            }
            LC_LOAD_DYLIB | LC_LOAD_WEAK_DYLIB | LC_REEXPORT_DYLIB | LC_LOAD_UPWARD_DYLIB
            | LC_LAZY_LOAD_DYLIB => {
                fits(
                    command,
                    DYLIB_COMMAND,
                    "dylib load command: cmdsize too small",
                )?;
                linkedit.dylibs.push(command);
                linkedit.weak_dylibs.push(cmd == LC_LOAD_WEAK_DYLIB);
            }
            LC_RPATH => {
                fits(command, RPATH_COMMAND, "LC_RPATH: cmdsize too small")?;
                linkedit.rpaths.push(command);
            }
            // ld64 writes one of these; when an image has both kinds, dyld goes by
            // LC_BUILD_VERSION, so a VERSION_MIN never replaces it.
            LC_BUILD_VERSION => {
                fits(
                    command,
                    BUILD_VERSION_COMMAND,
                    "LC_BUILD_VERSION: cmdsize too small",
                )?;
                let platform = image.u32(at + 8, "LC_BUILD_VERSION")?;
                linkedit.minimum_os = Some(MinimumOs {
                    platform: ApplePlatform::from_build_version(platform),
                    version: decode_version(image.u32(at + 12, "LC_BUILD_VERSION")?),
                    command: BUILD_VERSION_MINOS,
                });
            }
            LC_VERSION_MIN_MACOSX
            | LC_VERSION_MIN_IPHONEOS
            | LC_VERSION_MIN_TVOS
            | LC_VERSION_MIN_WATCHOS => {
                fits(
                    command,
                    VERSION_MIN_COMMAND,
                    "LC_VERSION_MIN: cmdsize too small",
                )?;
                if linkedit
                    .minimum_os
                    .is_none_or(|min| min.command != BUILD_VERSION_MINOS)
                {
                    let (platform, name) = match cmd {
                        LC_VERSION_MIN_MACOSX => {
                            (ApplePlatform::MacOs, "LC_VERSION_MIN_MACOSX version")
                        }
                        LC_VERSION_MIN_IPHONEOS => {
                            (ApplePlatform::Other(2), "LC_VERSION_MIN_IPHONEOS version")
                        }
                        LC_VERSION_MIN_TVOS => {
                            (ApplePlatform::Other(3), "LC_VERSION_MIN_TVOS version")
                        }
                        _ => (ApplePlatform::Other(4), "LC_VERSION_MIN_WATCHOS version"),
                    };
                    linkedit.minimum_os = Some(MinimumOs {
                        platform,
                        version: decode_version(image.u32(at + 8, "LC_VERSION_MIN")?),
                        command: name,
                    });
                }
            }
            _ => {}
        }
        at += cmdsize;
    }
    linkedit.export_trie = exports_trie.or(dyld_info);
    Ok(linkedit)
}

/// `xxxx.yy.zz` in nibbles: 0x000d0100 is 13.1.0.
fn decode_version(encoded: u32) -> Version {
    Version {
        major: (encoded >> 16) as u16,
        minor: ((encoded >> 8) & 0xff) as u16,
        patch: (encoded & 0xff) as u16,
    }
}

impl ApplePlatform {
    fn from_build_version(platform: u32) -> ApplePlatform {
        if platform == PLATFORM_MACOS {
            ApplePlatform::MacOs
        } else {
            ApplePlatform::Other(platform)
        }
    }
}

fn fits(command: Extent, needed: u64, what: &'static str) -> Result<(), InspectError> {
    if command.size < needed {
        Err(InspectError::Malformed(what))
    } else {
        Ok(())
    }
}

/// The install name of a `dylib_command` (its `lc_str` offset is relative to the command).
pub(super) fn dylib_name<'a>(
    image: &Reader<'a>,
    command: Extent,
) -> Result<&'a [u8], InspectError> {
    let name_offset = u64::from(image.u32(command.offset + 8, "dylib load command")?);
    if name_offset >= command.size {
        return Err(InspectError::Malformed(
            "dylib load command: name offset outside the command",
        ));
    }
    image.c_str(
        command.offset + name_offset,
        command.offset + command.size,
        "dylib load command name",
    )
}
