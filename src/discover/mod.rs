//! Discover: turn what the user named into the inputs of the run, each resolved completely —
//! where its bytes are and which module it must be — before anything is checked.
//!
//! Every input yields something: an artifact to check, an input that cannot be checked (and
//! why), or a note that it holds nothing to check. Module-like files that are not checked are
//! listed with their reason. One file is one artifact however many ways it is named.

pub mod cargo;
mod error;
mod file_name;
mod identity;
mod importable;
mod scan;
pub mod wheel;
mod wheel_tags;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::DiscoverError;
pub use file_name::{ModuleFileName, guess_module_of_unimportable, parse_module_file_name};
use identity::apply_wheel_tags;
pub use identity::{IdentityOptions, identify};
use wheel_tags::{platform_claims, wheel_tags};

use crate::model::{
    Artifact, ArtifactKind, ByteSource, CargoOutput, Neighbourhood, NothingToCheck, Origin,
    Placement, Unchecked, UncheckedReason,
};
use crate::platform::{PlatformClaim, parse_target_triple};
use cargo::{CargoPlace, CargoQuery, ProjectIndex, ProjectOutput};

/// What to discover: paths, or a cargo build.
#[derive(Debug, Clone, Default)]
pub struct DiscoverRequest {
    pub paths: Vec<PathBuf>,
    /// `--cargo-json FILE|-`: the cdylibs a cargo build reported.
    pub cargo_json: Option<PathBuf>,
    pub cargo: CargoQuery,
    pub identity: IdentityOptions,
}

/// One input of the run.
#[derive(Debug)]
pub enum Found {
    Artifact(Box<Artifact>),
    /// Cannot be checked; `path` is what the user or the scan named.
    Failed {
        path: PathBuf,
        error: DiscoverError,
    },
    NothingToCheck {
        path: PathBuf,
        reason: NothingToCheck,
    },
}

/// Everything discovered, in a stable order.
#[derive(Debug, Default)]
pub struct Discovery {
    pub found: Vec<Found>,
    pub unchecked: Vec<Unchecked>,
}

/// Discovers the run's inputs. Never fails as a whole: a bad input is a [`Found::Failed`].
pub fn discover(request: &DiscoverRequest) -> Discovery {
    let mut discovery = Discovery::default();
    let mut sink = Sink {
        found: &mut discovery.found,
        unchecked: &mut discovery.unchecked,
        seen_files: HashMap::new(),
        seen_members: HashMap::new(),
        identity: &request.identity,
        cargo_query: &request.cargo,
        projects: ProjectIndex::default(),
        places: HashMap::new(),
    };
    if let Some(messages) = &request.cargo_json {
        let result = cargo::discover_from_build_messages_file(messages, &request.cargo);
        sink.cargo(messages.clone(), result);
    } else if request.paths.is_empty() {
        let subject = request
            .cargo
            .manifest_path
            .clone()
            .unwrap_or_else(|| PathBuf::from("Cargo.toml"));
        sink.cargo(subject, cargo::discover_from_metadata(&request.cargo));
    } else {
        for path in &request.paths {
            sink.path(path);
        }
    }
    discovery
}

/// A file's identity on disk: two names with the same key are one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FileKey {
    device: u64,
    inode: u64,
}

impl FileKey {
    fn of(path: &Path) -> io::Result<FileKey> {
        let metadata = fs::metadata(path)?;
        FileKey::from_metadata(&metadata).ok_or_else(|| io::Error::other("no file identity"))
    }

    /// A real subdirectory's identity from the listing of `parent` (no syscall): its inode
    /// there, on its parent's device. For a mount point the listing shows the directory
    /// beneath the mount, so such a directory may be walked twice; never endlessly, since a
    /// link is always `stat`ed and a second walk keys everything below it truly.
    #[cfg(unix)]
    fn of_entry(entry: &fs::DirEntry, parent: FileKey) -> Option<FileKey> {
        use std::os::unix::fs::DirEntryExt;
        Some(FileKey {
            device: parent.device,
            inode: entry.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of_entry(_: &fs::DirEntry, _: FileKey) -> Option<FileKey> {
        None
    }

    #[cfg(unix)]
    fn from_metadata(metadata: &fs::Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    /// Without a stable file identity in std, names that differ count as different files.
    #[cfg(not(unix))]
    fn from_metadata(_: &fs::Metadata) -> Option<FileKey> {
        None
    }
}

/// Collects inputs in order, dropping later names of a file already taken.
pub(crate) struct Sink<'a> {
    found: &'a mut Vec<Found>,
    pub(crate) unchecked: &'a mut Vec<Unchecked>,
    /// File → the path it was first taken as.
    seen_files: HashMap<FileKey, PathBuf>,
    /// Wheel member → the path it was first taken as.
    seen_members: HashMap<(FileKey, String), PathBuf>,
    identity: &'a IdentityOptions,
    cargo_query: &'a CargoQuery,
    /// The cargo projects of target directories met so far.
    projects: ProjectIndex,
    /// Where in a cargo layout each directory met so far is (files share their parent's).
    places: HashMap<PathBuf, Option<CargoPlace>>,
}

impl Sink<'_> {
    fn path(&mut self, path: &Path) {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(source) if source.kind() == io::ErrorKind::NotFound => {
                let error = if fs::symlink_metadata(path).is_ok() {
                    DiscoverError::DanglingLink {
                        path: path.to_path_buf(),
                    }
                } else {
                    DiscoverError::NotFound {
                        path: path.to_path_buf(),
                    }
                };
                return self.failed(path.to_path_buf(), error);
            }
            Err(source) => {
                let path = path.to_path_buf();
                return self.failed(path.clone(), DiscoverError::Unreadable { path, source });
            }
        };
        if metadata.is_dir() {
            if scan::scan_directory(path, self) == 0 {
                let path = path.to_path_buf();
                self.failed(path.clone(), DiscoverError::NothingInDirectory { path });
            }
        } else if metadata.is_file() && wheel::is_wheel(path) {
            self.wheel(path, &metadata, Origin::Path);
        } else if metadata.is_file() {
            let parsed = path
                .file_name()
                .and_then(|name| parse_module_file_name(&name.to_string_lossy()));
            self.file(path, &metadata, Origin::Path, parsed);
        } else {
            let path = path.to_path_buf();
            self.failed(path.clone(), DiscoverError::NotAFile { path });
        }
    }

    pub(crate) fn failed(&mut self, path: PathBuf, error: DiscoverError) {
        self.found.push(Found::Failed { path, error });
    }

    /// Whether `path` (or its member) is new; records it as taken.
    fn first_time(&mut self, path: &Path, key: Option<FileKey>, member: Option<&str>) -> bool {
        let Some(key) = key else {
            return true;
        };
        let first = match member {
            None => self.seen_files.get(&key),
            Some(member) => self.seen_members.get(&(key, member.to_owned())),
        };
        if let Some(first) = first {
            let shown = match member {
                Some(member) => path.join(member),
                None => path.to_path_buf(),
            };
            self.unchecked.push(Unchecked {
                path: shown,
                reason: UncheckedReason::Duplicate { of: first.clone() },
            });
            return false;
        }
        match member {
            None => self.seen_files.insert(key, path.to_path_buf()),
            Some(member) => self
                .seen_members
                .insert((key, member.to_owned()), path.join(member)),
        };
        true
    }

    pub(crate) fn file(
        &mut self,
        path: &Path,
        metadata: &fs::Metadata,
        origin: Origin,
        parsed: Option<ModuleFileName>,
    ) {
        if !self.first_time(path, FileKey::from_metadata(metadata), None) {
            return;
        }
        let place = self.place_of(path);
        if let Some(place) = &place
            && self.project_output(path, place, origin)
        {
            return;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A file named in cargo's output layout is staged like a discovered one, even when no
        // project is found for it.
        let bytes = match place {
            Some(CargoPlace::Uplifted {
                target_dir,
                profile_dir,
            }) if origin == Origin::Path => ByteSource::Cargo(CargoOutput {
                path: path.to_path_buf(),
                target_dir,
                profile_dir,
            }),
            _ => ByteSource::File(path.to_path_buf()),
        };
        self.found.push(Found::Artifact(Box::new(Artifact {
            path: path.to_path_buf(),
            origin,
            bytes,
            identity: identify(&file_name, parsed, None, self.identity),
            crate_context: None,
            kind: ArtifactKind::Module,
            placement: None,
        })));
    }

    /// A shared library found by a scan: checked as what modules and packages load.
    pub(crate) fn library(&mut self, path: &Path, metadata: &fs::Metadata) {
        if !self.first_time(path, FileKey::from_metadata(metadata), None) {
            return;
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.found.push(Found::Artifact(Box::new(Artifact {
            path: path.to_path_buf(),
            origin: Origin::DirectoryScan,
            bytes: ByteSource::File(path.to_path_buf()),
            identity: identify(&file_name, None, None, self.identity),
            crate_context: None,
            kind: ArtifactKind::Library,
            placement: None,
        })));
    }

    /// Places the files a scan of `root` found since `first` among its shared libraries.
    pub(crate) fn place_found_since(
        &mut self,
        first: usize,
        root: &Path,
        neighbourhood: &Arc<Neighbourhood>,
    ) {
        for found in &mut self.found[first..] {
            let Found::Artifact(artifact) = found else {
                continue;
            };
            if artifact.placement.is_some() || !matches!(artifact.bytes, ByteSource::File(_)) {
                continue;
            }
            let Ok(relative) = artifact.path.strip_prefix(root) else {
                continue;
            };
            let at: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            artifact.placement = Some(Placement {
                at: at.join("/"),
                neighbourhood: Arc::clone(neighbourhood),
            });
        }
    }

    fn place_of(&mut self, file: &Path) -> Option<CargoPlace> {
        let parent = file.parent()?;
        self.places
            .entry(parent.to_path_buf())
            .or_insert_with(|| CargoPlace::of_dir(parent))
            .clone()
    }

    /// Takes a file in a cargo target directory as its project's output; false when no
    /// project builds a library of that name there.
    fn project_output(&mut self, path: &Path, place: &CargoPlace, origin: Origin) -> bool {
        let Some(output) = self.projects.output(path, place, self.cargo_query) else {
            return false;
        };
        let artifact = match output {
            ProjectOutput::NotExtension(package) => {
                self.not_an_extension(path.to_path_buf(), package);
                return true;
            }
            ProjectOutput::Extension(artifact) => *artifact,
        };
        if origin == Origin::DirectoryScan
            && let CargoPlace::MaturinStaging { target_dir } = place
            && let Some(uplifted) = uplifted_copy(target_dir, path)
        {
            // The library cargo's own path holds is the one a scan checks.
            self.unchecked.push(Unchecked {
                path: path.to_path_buf(),
                reason: UncheckedReason::MaturinCopy { of: uplifted },
            });
            return true;
        }
        // cargo's intermediate copy is read where it is; only uplifted files are staged.
        let staged = !matches!(place, CargoPlace::Intermediate { .. });
        self.cargo_output(artifact, origin, staged);
        true
    }

    fn not_an_extension(&mut self, path: PathBuf, package: cargo::NotAnExtension) {
        self.found.push(Found::NothingToCheck {
            path,
            reason: NothingToCheck::NotAnExtension {
                package: package.package,
                bindings: package.bindings,
                source: package.source,
            },
        });
    }

    pub(crate) fn wheel(&mut self, path: &Path, metadata: &fs::Metadata, origin: Origin) {
        let key = FileKey::from_metadata(metadata);
        if !self.first_time(path, key, None) {
            return;
        }
        let listing = match wheel::wheel_modules(path) {
            Ok(listing) => listing,
            Err(error) => return self.failed(path.to_path_buf(), error.into()),
        };
        for (member, reason) in listing.not_checked {
            self.unchecked.push(Unchecked {
                path: path.join(member),
                reason,
            });
        }
        if listing.modules.is_empty() && listing.libraries.is_empty() {
            self.found.push(Found::NothingToCheck {
                path: path.to_path_buf(),
                reason: NothingToCheck::NoModulesInWheel,
            });
        }
        let tags = wheel_tags(path);
        let claims = tags
            .as_ref()
            .map(|tags| platform_claims(tags, listing.metadata_tags.as_ref()));
        let neighbourhood = Arc::new(listing.neighbourhood);
        let members = listing
            .modules
            .into_iter()
            .map(|module| (module.member, Some(module.file_name)))
            .chain(listing.libraries.into_iter().map(|member| (member, None)));
        for (member, module) in members {
            if !self.first_time(path, key, Some(&member)) {
                continue;
            }
            let file_name = member.rsplit('/').next().unwrap_or(&member);
            let kind = match module {
                Some(_) => ArtifactKind::Module,
                None => ArtifactKind::Library,
            };
            let member_targets = module.as_ref().map(|m| m.python.clone());
            let mut identity = identify(file_name, module, None, self.identity);
            if let (Some(tags), Some(wheel)) = (&tags, &claims) {
                if let Some(member_targets) = &member_targets {
                    apply_wheel_tags(&mut identity, member_targets, tags);
                }
                identity
                    .platform
                    .claims
                    .extend(wheel.claims.iter().cloned());
                identity.platform.any_platform = wheel.any_platform;
                identity.platform.tag_disagreement = wheel.tag_disagreement.clone();
                identity.platform.unreadable = wheel.unreadable.clone();
            }
            self.found.push(Found::Artifact(Box::new(Artifact {
                path: path.join(&member),
                origin,
                identity,
                placement: Some(Placement {
                    at: wheel::installed_path(&member).to_string(),
                    neighbourhood: Arc::clone(&neighbourhood),
                }),
                bytes: ByteSource::WheelMember {
                    wheel: path.to_path_buf(),
                    member,
                },
                crate_context: None,
                kind,
            })));
        }
    }

    fn cargo(&mut self, subject: PathBuf, result: Result<cargo::CargoFindings, cargo::CargoError>) {
        let findings = match result {
            Ok(findings) => findings,
            Err(error) => return self.failed(subject, error.into()),
        };
        for (manifest, package) in findings.skipped {
            self.unchecked.push(Unchecked {
                path: manifest,
                reason: UncheckedReason::NoPythonTarget { package },
            });
        }
        for package in findings.not_extensions {
            self.not_an_extension(package.manifest_path.clone(), package);
        }
        for output in findings.artifacts {
            self.cargo_output(output, Origin::Cargo, true);
        }
    }

    /// A cargo output with its project's identity.
    fn cargo_output(&mut self, output: cargo::CargoArtifact, origin: Origin, staged: bool) {
        let file_name = output
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let configured = Some(identity::Configured {
            name: output.module.clone(),
            source: output.module_source.clone(),
            python: output.python.as_ref().map(|p| p.targets.clone()),
            abi3_floor: output.python.as_ref().and_then(|p| p.abi3_floor),
        });
        let mut identity = identify(
            &file_name,
            parse_module_file_name(&file_name),
            configured,
            self.identity,
        );
        if self.identity.target.is_none() {
            identity
                .platform
                .claims
                .extend(built_for(&output.target_dir, &output.profile_dir));
        }
        self.found.push(Found::Artifact(Box::new(Artifact {
            path: output.path.clone(),
            origin,
            identity,
            crate_context: Some(output.crate_context()),
            kind: ArtifactKind::Module,
            placement: None,
            bytes: if !staged {
                ByteSource::File(output.path)
            } else {
                ByteSource::Cargo(CargoOutput {
                    path: output.path,
                    target_dir: output.target_dir,
                    profile_dir: output.profile_dir,
                })
            },
        })));
    }
}

/// The target a cargo output was built for, when cargo put it under a triple directory
/// (`target/aarch64-unknown-linux-gnu/release/`): the profile directory's parent is then not
/// the target directory itself.
fn built_for(target_dir: &Path, profile_dir: &Path) -> Option<PlatformClaim> {
    let triple_dir = profile_dir.parent().filter(|dir| *dir != target_dir)?;
    parse_target_triple(triple_dir.file_name()?.to_str()?)
}

/// The file of the same name in one of the target directory's profile directories.
fn uplifted_copy(target_dir: &Path, staged: &Path) -> Option<PathBuf> {
    let name = staged.file_name()?;
    let staging_dir = staged.parent()?;
    fs::read_dir(target_dir)
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|dir| dir != staging_dir)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests;
