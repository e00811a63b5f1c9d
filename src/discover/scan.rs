//! Directory scans: every wheel at any depth, every module an import root reaches, and a
//! reason for each module-like file that is not checked — nothing is passed over in silence.
//!
//! Directory links are followed (a virtualenv's `lib64 -> lib`), each directory walked once;
//! a link back to an ancestor is reported as a loop. Special files (FIFOs, sockets) and
//! dangling links named like modules are inputs that cannot be checked: reported, never
//! opened (opening a FIFO would block the run).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Arc;

use super::importable::{Classification, classify, classify_in, is_shared_library_name, reach};
use super::wheel::is_wheel;
use super::{DiscoverError, FileKey, Sink};
use crate::model::{Neighbourhood, Origin, Unchecked, UncheckedReason};

/// Walks `root`, sending what it finds to `sink`. Returns how many modules and wheels it
/// found, so an empty directory can be told apart.
pub fn scan_directory(root: &Path, sink: &mut Sink<'_>) -> usize {
    let root_name = fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let first = sink.found.len();
    let mut walk = Walk {
        sink,
        walked: HashSet::new(),
        found: 0,
        neighbourhood: Neighbourhood::default(),
        delvewheel_dirs: Vec::new(),
    };
    let mut dirs = vec![root_name];
    let mut ancestors = Vec::new();
    let key = FileKey::of(root).ok();
    walk.directory(root, key, &mut dirs, &mut ancestors);
    let found = walk.found;
    let mut neighbourhood = walk.neighbourhood;
    // An installed delvewheel-repaired distribution: its `.libs` folders beside it are on
    // the DLL search path (its patched `__init__.py` adds them).
    for dir in &walk.delvewheel_dirs {
        let folders: Vec<String> = neighbourhood
            .files
            .iter()
            .filter_map(|file| file.rsplit_once('/').map(|(folder, _)| folder))
            .filter(|folder| {
                folder.ends_with(".libs")
                    && folder.rsplit_once('/').map_or("", |(parent, _)| parent) == dir.as_str()
            })
            .map(str::to_owned)
            .collect();
        neighbourhood.dll_directories.extend(folders);
    }
    neighbourhood.dll_directories.sort();
    neighbourhood.dll_directories.dedup();
    let neighbourhood = Arc::new(neighbourhood);
    walk.sink.place_found_since(first, root, &neighbourhood);
    found
}

/// What cargo keeps beside the outputs it uplifts into a profile directory.
const CARGO_INTERMEDIATE_DIRS: &[&str] =
    &["deps", "build", "incremental", ".fingerprint", "examples"];

/// Deeper than this, a chain of directory links is taken for a loop even where the platform
/// gives no file identity to recognise one.
const MAX_DEPTH: usize = 256;

struct Walk<'s, 'a> {
    sink: &'s mut Sink<'a>,
    /// Directories already walked, by device and inode.
    walked: HashSet<FileKey>,
    found: usize,
    /// The shared libraries of the tree, for resolving what each artifact needs.
    neighbourhood: Neighbourhood,
    /// Directories (relative) holding a `*.dist-info/DELVEWHEEL` record.
    delvewheel_dirs: Vec<String>,
}

impl Walk<'_, '_> {
    /// Walks `dir`, whose identity is `key`. Syscalls are what a large tree costs, so an entry
    /// is only `stat`ed when its name makes it an input or it is a link to follow: the type
    /// comes from the directory listing, a real subdirectory's identity from its inode there.
    fn directory(
        &mut self,
        dir: &Path,
        key: Option<FileKey>,
        names: &mut Vec<String>,
        ancestors: &mut Vec<FileKey>,
    ) {
        if key.is_some_and(|key| !self.walked.insert(key)) {
            return;
        }
        let mut entries = match fs::read_dir(dir).and_then(|it| it.collect::<io::Result<Vec<_>>>())
        {
            Ok(entries) => entries,
            Err(source) => return self.unreadable(dir, source),
        };
        // The name is read once per entry, not once per comparison.
        entries.sort_by_cached_key(|entry| entry.file_name());
        ancestors.extend(key);
        // A cargo profile directory (it holds cargo's lock): its subdirectories are cargo's
        // intermediate outputs, which hold copies of what it uplifts here.
        let profile_dir = entries
            .iter()
            .any(|entry| entry.file_name() == ".cargo-lock");
        let dirs: Vec<&str> = names.iter().map(String::as_str).collect();
        let reach = reach(&dirs);
        drop(dirs);
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let file_type = entry.file_type().ok();
            if profile_dir && CARGO_INTERMEDIATE_DIRS.contains(&name.as_str()) {
                self.sink.unchecked.push(Unchecked {
                    path,
                    reason: UncheckedReason::CargoIntermediate,
                });
                continue;
            }
            if file_type.is_some_and(|t| t.is_dir()) {
                let child = key.and_then(|key| FileKey::of_entry(&entry, key));
                names.push(name);
                self.directory(&path, child, names, ancestors);
                names.pop();
                continue;
            }
            let relative = || {
                let mut parts: Vec<&str> = names[1..].iter().map(String::as_str).collect();
                parts.push(&name);
                parts.join("/")
            };
            if name == "DELVEWHEEL" && names.last().is_some_and(|d| d.ends_with(".dist-info")) {
                self.delvewheel_dirs
                    .push(names[1..names.len() - 1].join("/"));
            }
            if is_shared_library_name(&name) {
                self.neighbourhood.files.insert(relative());
            }
            let is_link = file_type.is_none_or(|t| t.is_symlink());
            let classification = if is_wheel(&path) {
                None
            } else {
                match classify_in(&reach, &name) {
                    Classification::Ignored if !is_link => continue,
                    other => Some(other),
                }
            };
            let metadata = match fs::metadata(&path) {
                Ok(metadata) => metadata,
                Err(_) if looks_like_input(&name) => {
                    self.found += 1;
                    self.sink
                        .failed(path.clone(), DiscoverError::DanglingLink { path });
                    continue;
                }
                Err(_) => continue,
            };
            if metadata.is_dir() {
                let target = FileKey::from_metadata(&metadata);
                let looped = match target {
                    Some(target) => ancestors.contains(&target),
                    None => names.len() > MAX_DEPTH,
                };
                if looped {
                    self.sink.unchecked.push(Unchecked {
                        path,
                        reason: UncheckedReason::SymlinkLoop,
                    });
                    continue;
                }
                names.push(name);
                self.directory(&path, target, names, ancestors);
                names.pop();
                continue;
            }
            match classification {
                None if metadata.is_file() => {
                    self.found += 1;
                    self.sink.wheel(&path, &metadata, Origin::DirectoryScan);
                }
                Some(Classification::Module(_)) | None if !metadata.is_file() => {
                    self.found += 1;
                    self.sink
                        .failed(path.clone(), DiscoverError::NotAFile { path });
                }
                None | Some(Classification::Ignored) => {}
                Some(Classification::NotChecked(reason)) => {
                    self.sink.unchecked.push(Unchecked { path, reason })
                }
                Some(Classification::Module(parsed)) => {
                    self.found += 1;
                    self.sink
                        .file(&path, &metadata, Origin::DirectoryScan, Some(parsed));
                }
                Some(Classification::Library) => {
                    self.found += 1;
                    self.sink.library(&path, &metadata);
                }
            }
        }
        if key.is_some() {
            ancestors.pop();
        }
    }

    fn unreadable(&mut self, dir: &Path, source: io::Error) {
        self.sink.failed(
            dir.to_path_buf(),
            DiscoverError::Unreadable {
                path: dir.to_path_buf(),
                source,
            },
        );
    }
}

/// A name that would make the file an input (a module or a wheel) if it were one.
fn looks_like_input(name: &str) -> bool {
    matches!(classify(&[""], name), Classification::Module(_)) || is_wheel(Path::new(name))
}
