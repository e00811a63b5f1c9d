//! Wheels: the extension modules inside a `.whl`, read straight from the archive.
//!
//! A wheel is a zip file laid out as it will be installed, so a member is a module exactly
//! when the same path on disk would be (valid package directories, a module file name).
//! Nothing is extracted into the user's tree: each member is inflated, bounded, into a
//! temporary file and handed to the same inspection as a mapped file. Wheels come from anywhere, so every limit is enforced against
//! what the data really holds, not what its headers claim.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use super::file_name::ModuleFileName;
use super::importable::{Classification, classify, is_shared_library_name};
use crate::model::{Neighbourhood, UncheckedReason};

/// The most a single member may inflate to. Real extension modules are megabytes; a debug
/// build may be a few hundred.
pub const MAX_MEMBER_BYTES: u64 = 2 << 30;
/// The most members a wheel may list.
pub const MAX_MEMBERS: usize = 200_000;

#[derive(Debug, Error)]
pub enum WheelError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: not a valid wheel (zip archive): {reason}")]
    NotZip { path: PathBuf, reason: String },
    #[error("{path}: wheel lists {count} members, more than the {MAX_MEMBERS} allowed")]
    TooManyMembers { path: PathBuf, count: usize },
    #[error("{path}: member {member} inflates past {MAX_MEMBER_BYTES} bytes")]
    MemberTooLarge { path: PathBuf, member: String },
    #[error("{path}: member {member}: {reason}")]
    BadMember {
        path: PathBuf,
        member: String,
        reason: String,
    },
}

/// One extension module inside a wheel.
#[derive(Debug, Clone)]
pub struct WheelModule {
    /// The member's path inside the archive (`pkg/_core.abi3.so`).
    pub member: String,
    pub file_name: ModuleFileName,
}

/// Whether `path` names a wheel.
pub fn is_wheel(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("whl"))
}

/// A wheel's members: the modules to check and the module-like members that are not.
#[derive(Debug, Clone, Default)]
pub struct WheelListing {
    pub modules: Vec<WheelModule>,
    /// Shared libraries that are no modules: vendored ones, and those beside the modules.
    pub libraries: Vec<String>,
    /// What a loader could find in the installed wheel, for resolving what each needs.
    pub neighbourhood: Neighbourhood,
    pub not_checked: Vec<(String, UncheckedReason)>,
    /// The `Tag:` lines of the wheel's `<name>.dist-info/WHEEL`, with that file's path; `None`
    /// when the wheel has no (readable) `WHEEL` file.
    pub metadata_tags: Option<(String, Vec<String>)>,
}

/// The most of a `WHEEL` file read: real ones are a few hundred bytes.
const MAX_WHEEL_METADATA: u64 = 64 << 10;

/// Lists the members CPython could import once the wheel is installed.
pub fn wheel_modules(path: &Path) -> Result<WheelListing, WheelError> {
    let file = File::open(path).map_err(|source| WheelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    wheel_modules_in(file, path)
}

/// [`wheel_modules`] of an archive already open; `path` names it in errors.
pub fn wheel_modules_in(reader: impl Read + Seek, path: &Path) -> Result<WheelListing, WheelError> {
    let mut archive = open(reader, path)?;
    if archive.len() > MAX_MEMBERS {
        return Err(WheelError::TooManyMembers {
            path: path.to_path_buf(),
            count: archive.len(),
        });
    }
    let mut listing = WheelListing::default();
    let mut metadata = None;
    let mut delvewheel = false;
    for member in archive.file_names() {
        let member = member.map_err(|e| WheelError::NotZip {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if is_wheel_metadata(&member) && metadata.is_none() {
            metadata = Some(member.to_string());
        }
        if is_shared_library_name(&member) {
            listing
                .neighbourhood
                .files
                .insert(installed_path(&member).to_string());
        }
        if is_delvewheel_record(&member) {
            delvewheel = true;
        }
        match classify_member(&member) {
            Classification::Module(file_name) => listing.modules.push(WheelModule {
                member: member.into_owned(),
                file_name,
            }),
            Classification::Library => listing.libraries.push(member.into_owned()),
            Classification::NotChecked(reason) => {
                listing.not_checked.push((member.into_owned(), reason));
            }
            Classification::Ignored => {}
        }
    }
    listing.modules.sort_by(|a, b| a.member.cmp(&b.member));
    listing.modules.dedup_by(|a, b| a.member == b.member);
    listing.libraries.sort();
    listing.libraries.dedup();
    if delvewheel {
        // delvewheel's patch of the package's `__init__.py` calls `os.add_dll_directory` on
        // the top-level `<dist>.libs` folder it vendored the DLLs into.
        let folders = listing
            .neighbourhood
            .files
            .iter()
            .filter_map(|file| file.split_once('/').map(|(dir, _)| dir))
            .filter(|dir| dir.ends_with(".libs"))
            .map(str::to_owned);
        listing.neighbourhood.dll_directories = folders.collect();
        listing.neighbourhood.dll_directories.dedup();
    }
    listing.not_checked.sort_by(|a, b| a.0.cmp(&b.0));
    listing.not_checked.dedup_by(|a, b| a.0 == b.0);
    listing.metadata_tags = metadata.and_then(|member| {
        let tags = metadata_tags(&mut archive, &member)?;
        Some((member, tags))
    });
    Ok(listing)
}

/// Where a member lands in site-packages: `<name>.data/platlib/` and `purelib/` are merged
/// into it by the installer; everything else is where the archive has it.
pub fn installed_path(member: &str) -> &str {
    let mut parts = member.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(data), Some("platlib" | "purelib"), Some(rest)) if data.ends_with(".data") => rest,
        _ => member,
    }
}

/// `<name>-<version>.dist-info/DELVEWHEEL`: delvewheel repaired the wheel and patched its
/// package to add the `.libs` folder to the DLL search path.
fn is_delvewheel_record(member: &str) -> bool {
    member
        .strip_suffix("/DELVEWHEEL")
        .is_some_and(|dir| dir.ends_with(".dist-info") && !dir.contains('/'))
}

/// `<name>-<version>.dist-info/WHEEL` at the archive's top level.
fn is_wheel_metadata(member: &str) -> bool {
    member
        .strip_suffix("/WHEEL")
        .is_some_and(|dir| dir.ends_with(".dist-info") && !dir.contains('/'))
}

/// The `Tag:` lines of the `WHEEL` file `member`; `None` when it cannot be read as text or
/// lists no tag (nothing to compare). Its tags only inform a warning, so an unreadable one is
/// no reason to refuse the wheel.
fn metadata_tags<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    member: &str,
) -> Option<Vec<String>> {
    let entry = archive.by_name(member).ok()?;
    let mut text = String::new();
    entry
        .take(MAX_WHEEL_METADATA)
        .read_to_string(&mut text)
        .ok()?;
    let tags: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("Tag:"))
        .map(|tag| tag.trim().to_string())
        .filter(|tag| !tag.is_empty())
        .collect();
    (!tags.is_empty()).then_some(tags)
}

/// An archive opened once for all its members: the central directory is read and checked
/// one time, however many modules the wheel holds.
pub struct OpenWheel<R> {
    archive: zip::ZipArchive<R>,
    path: PathBuf,
}

impl OpenWheel<File> {
    /// Opens the wheel at `path`.
    pub fn open(path: &Path) -> Result<Self, WheelError> {
        let file = File::open(path).map_err(|source| WheelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        OpenWheel::new(file, path)
    }
}

impl<R: Read + Seek> OpenWheel<R> {
    /// Reads the archive's directory from `reader`; `path` names it in errors.
    pub fn new(reader: R, path: &Path) -> Result<Self, WheelError> {
        Ok(OpenWheel {
            archive: open(reader, path)?,
            path: path.to_path_buf(),
        })
    }

    /// Inflates one member into `out` (the pipeline gives a temporary file: memory stays
    /// bounded whatever the member's size), refusing to go past [`MAX_MEMBER_BYTES`] whatever
    /// its header declares.
    pub fn inflate(&mut self, member: &str, out: &mut impl Write) -> Result<u64, WheelError> {
        self.start(member)?.rest(out)
    }

    /// Starts inflating one member, for a caller that reads its first bytes before deciding
    /// whether the rest is worth inflating.
    pub fn start<'a>(&'a mut self, member: &'a str) -> Result<Inflating<'a, R>, WheelError> {
        let path = &self.path;
        let entry = self
            .archive
            .by_name(member)
            .map_err(|e| bad_member(path, member, e.to_string()))?;
        if entry.size() > MAX_MEMBER_BYTES {
            return Err(too_large(path, member));
        }
        Ok(Inflating {
            size: entry.size(),
            reader: entry.take(MAX_MEMBER_BYTES + 1),
            read: 0,
            path,
            member,
        })
    }
}

/// A member being inflated, bounded by [`MAX_MEMBER_BYTES`].
pub struct Inflating<'a, R: Read> {
    /// The size the archive declares (at most [`MAX_MEMBER_BYTES`]); the inflated stream
    /// is cut off there.
    size: u64,
    reader: io::Take<zip::read::ZipFile<'a, R>>,
    /// How many bytes were inflated so far.
    read: u64,
    path: &'a Path,
    member: &'a str,
}

impl<R: Read> Inflating<'_, R> {
    /// Fills `buf` from the member as far as it goes; returns how many bytes it holds.
    pub fn head(&mut self, buf: &mut [u8]) -> Result<usize, WheelError> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(bad_member(self.path, self.member, error.to_string())),
            }
        }
        self.read += filled as u64;
        Ok(filled)
    }

    /// The member's size as the archive declares it.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Inflates into `out` until `end` bytes of the member are out (or it ends); returns how
    /// many that is. What follows is never inflated, so its checksum is never verified.
    pub fn until(&mut self, end: u64, out: &mut impl Write) -> Result<u64, WheelError> {
        let wanted = end.saturating_sub(self.read);
        let written = io::copy(&mut (&mut self.reader).take(wanted), out)
            .map_err(|e| bad_member(self.path, self.member, e.to_string()))?;
        self.read += written;
        Ok(self.read)
    }

    /// Inflates the rest into `out`; returns the member's whole inflated size.
    pub fn rest(&mut self, out: &mut impl Write) -> Result<u64, WheelError> {
        let written = io::copy(&mut self.reader, out)
            .map_err(|e| bad_member(self.path, self.member, e.to_string()))?;
        let total = self.read + written;
        if total > MAX_MEMBER_BYTES {
            return Err(too_large(self.path, self.member));
        }
        Ok(total)
    }
}

fn bad_member(path: &Path, member: &str, reason: String) -> WheelError {
    WheelError::BadMember {
        path: path.to_path_buf(),
        member: member.to_string(),
        reason,
    }
}

fn too_large(path: &Path, member: &str) -> WheelError {
    WheelError::MemberTooLarge {
        path: path.to_path_buf(),
        member: member.to_string(),
    }
}

/// Inflates one member of the wheel at `path` into `out` (see [`OpenWheel::inflate`]).
pub fn inflate_member(path: &Path, member: &str, out: &mut impl Write) -> Result<u64, WheelError> {
    OpenWheel::open(path)?.inflate(member, out)
}

/// Inflates one member into memory (for the fuzz target, which has no file to spill to).
pub fn read_member_in(
    reader: impl Read + Seek,
    path: &Path,
    member: &str,
) -> Result<Vec<u8>, WheelError> {
    let mut bytes = Vec::new();
    OpenWheel::new(reader, path)?.inflate(member, &mut bytes)?;
    Ok(bytes)
}

fn open<R: Read + Seek>(reader: R, path: &Path) -> Result<zip::ZipArchive<R>, WheelError> {
    zip::ZipArchive::new(reader).map_err(|e| WheelError::NotZip {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// A member as the install would place it. The archive root is an import root, with an
/// empty name; `..`, absolute paths and `numpy.libs/` are never package directories.
fn classify_member(member: &str) -> Classification {
    let mut dirs: Vec<&str> = std::iter::once("").chain(member.split('/')).collect();
    let Some(name) = dirs.pop() else {
        return Classification::Ignored;
    };
    classify(&dirs, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn wheel(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::Builder::new().suffix(".whl").tempfile().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        for (name, data) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        file
    }

    #[test]
    fn lists_only_members_that_install_as_modules() {
        let w = wheel(&[
            ("pkg/__init__.py", b""),
            ("pkg/_core.cpython-312-x86_64-linux-gnu.so", b"x"),
            ("pkg.libs/libblas-1a2b.so", b"x"),
            ("../../escape.so", b"x"),
            ("/abs/evil.so", b"x"),
            ("pkg-1.0.dist-info/RECORD", b""),
            ("pkg-1.0.data/scripts/tool", b""),
        ]);
        let listing = wheel_modules(w.path()).unwrap();
        let names: Vec<&str> = listing.modules.iter().map(|m| m.member.as_str()).collect();
        assert_eq!(names, ["pkg/_core.cpython-312-x86_64-linux-gnu.so"]);
        let skipped: Vec<&str> = listing
            .not_checked
            .iter()
            .map(|(m, _)| m.as_str())
            .collect();
        assert_eq!(skipped, ["../../escape.so", "/abs/evil.so"]);
        assert_eq!(listing.libraries, ["pkg.libs/libblas-1a2b.so"]);
        assert!(
            listing
                .neighbourhood
                .files
                .contains("pkg.libs/libblas-1a2b.so")
        );
        let mut bytes = Vec::new();
        inflate_member(w.path(), names[0], &mut bytes).unwrap();
        assert_eq!(bytes, b"x");
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_a_clear_error() {
        let file = tempfile::Builder::new().suffix(".whl").tempfile().unwrap();
        std::fs::write(file.path(), b"not a zip at all").unwrap();
        let error = wheel_modules(file.path()).unwrap_err().to_string();
        assert!(error.contains("not a valid wheel (zip archive)"), "{error}");
    }
}
