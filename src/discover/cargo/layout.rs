//! Where cargo puts a cdylib: its file name on the target platform and the directory layout
//! `<target-dir>/[<triple>/]<profile-dir>/`, where cargo uplifts the final library from
//! `deps/` (docs/loader-rules.md §4).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How the target platform names a dynamic library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LibraryNaming {
    /// `lib<name>.so`: Linux, the BSDs and the rest of the ELF world.
    Elf,
    /// `lib<name>.dylib`: every Apple platform.
    Apple,
    /// `<name>.dll`.
    Windows,
}

impl LibraryNaming {
    /// The platform this binary runs on, which is cargo's host: what it builds for when no
    /// `--target` is given.
    pub fn host() -> Self {
        if cfg!(windows) {
            LibraryNaming::Windows
        } else if cfg!(target_vendor = "apple") {
            LibraryNaming::Apple
        } else {
            LibraryNaming::Elf
        }
    }

    pub fn for_triple(triple: &str) -> Self {
        if triple.contains("apple") {
            LibraryNaming::Apple
        } else if triple.contains("windows") {
            LibraryNaming::Windows
        } else {
            LibraryNaming::Elf
        }
    }

    /// The uplifted file name of the cdylib target `target_name`. Cargo turns `-` into `_`
    /// for file names, so `[lib] name` and a package name with dashes end up alike.
    pub fn file_name(self, target_name: &str) -> String {
        let stem = target_name.replace('-', "_");
        match self {
            LibraryNaming::Elf => format!("lib{stem}.so"),
            LibraryNaming::Apple => format!("lib{stem}.dylib"),
            LibraryNaming::Windows => format!("{stem}.dll"),
        }
    }
}

/// The directory under the target dir that `--target` adds: the triple itself, or the file
/// stem of a custom target specification (`--target my-board.json`).
pub(super) fn triple_dir_name(target: &str) -> &str {
    match target.strip_suffix(".json") {
        Some(spec) => Path::new(spec)
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or(spec),
        None => target,
    }
}

/// The directory cargo builds a profile into: `dev` and `test` share `debug`, `release` and
/// `bench` share `release`, and a custom profile gets its own name.
pub(super) fn profile_dir_name(profile: &str) -> &str {
    match profile {
        "dev" | "test" => "debug",
        "release" | "bench" => "release",
        custom => custom,
    }
}

/// Whether a file cargo listed for a cdylib is the library itself and not a companion
/// (`.dll.lib`/`.dll.a` import libraries, `.pdb` debug info, `.d` dep-info, rlibs).
pub(super) fn is_shared_library(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("so" | "dylib" | "dll")
    )
}

/// Whether cargo has built in `profile_dir`: it creates `.cargo-lock` there and holds it for
/// as long as a build runs.
pub(super) fn has_build_lock(profile_dir: &Path) -> bool {
    profile_dir.join(".cargo-lock").is_file()
}

/// Whether `path` can be declared "not built" without cargo's lock. In a directory cargo builds
/// in, the file is briefly missing while a build relinks it, so its absence is decided later,
/// under the lock, by staging.
pub(super) fn missing_outside_a_build(path: &Path) -> bool {
    !path.is_file() && !path.parent().is_some_and(has_build_lock)
}

/// The profile directories under `base` (the target dir, or its triple directory) that hold
/// `file_name`, newest artifact first.
///
/// A profile directory is one cargo has built in: it holds the `.cargo-lock` cargo creates
/// there (`debug` and `release` are accepted without it). That leaves out other tools' folders
/// that can hold a copy of the same file, such as maturin's `target/maturin/`. A build that
/// is relinking a directory's file right now leaves it out; when that empties the list, the
/// caller names `debug`, whose absence staging then confirms under cargo's lock.
pub(super) fn built_profile_dirs(base: &Path, file_name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut found: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let dir = entry.path();
            let is_profile = has_build_lock(&dir)
                || matches!(entry.file_name().to_str(), Some("debug" | "release"));
            let metadata = std::fs::metadata(dir.join(file_name)).ok()?;
            (is_profile && metadata.is_file()).then(|| {
                let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                (modified, dir)
            })
        })
        .collect();
    // Newest first; the name breaks ties so the order never depends on the directory listing.
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    found.into_iter().map(|(_, dir)| dir).collect()
}

/// The target dir and profile dir of a file cargo reported building.
///
/// The profile dir is the file's parent. The target dir is the profile dir's parent, or one
/// level higher when that parent is a `--target` triple directory. The triple directory is
/// recognised by the `--target` the user gave or, failing that, by cargo's own marker: cargo
/// writes a `CACHEDIR.TAG` into the target dir and into each triple directory, so a tagged
/// parent with a tagged grandparent is a triple directory.
pub(super) fn dirs_of_output(
    file: &Path,
    target_dir_hint: Option<&Path>,
    target: Option<&str>,
) -> (PathBuf, PathBuf) {
    dirs_of_profile(
        file.parent().unwrap_or(Path::new(".")),
        target_dir_hint,
        target,
    )
}

/// [`dirs_of_output`] for a file in `profile_dir`.
pub(super) fn dirs_of_profile(
    profile_dir: &Path,
    target_dir_hint: Option<&Path>,
    target: Option<&str>,
) -> (PathBuf, PathBuf) {
    let profile_dir = profile_dir.to_path_buf();
    let parent = profile_dir.parent().unwrap_or(Path::new("."));
    if let Some(hint) = target_dir_hint
        && profile_dir.starts_with(hint)
    {
        return (hint.to_path_buf(), profile_dir);
    }
    let named_triple = target
        .is_some_and(|t| parent.file_name().and_then(|n| n.to_str()) == Some(triple_dir_name(t)));
    let tagged = |dir: &Path| dir.join("CACHEDIR.TAG").is_file();
    let target_dir = match parent.parent() {
        Some(grandparent) if named_triple || (tagged(parent) && tagged(grandparent)) => {
            grandparent.to_path_buf()
        }
        _ => parent.to_path_buf(),
    };
    (target_dir, profile_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_the_target_platform() {
        let cases = [
            ("x86_64-unknown-linux-gnu", "libmy_ext.so"),
            ("aarch64-apple-darwin", "libmy_ext.dylib"),
            ("x86_64-apple-ios", "libmy_ext.dylib"),
            ("x86_64-pc-windows-msvc", "my_ext.dll"),
            ("x86_64-pc-windows-gnu", "my_ext.dll"),
            ("wasm32-wasip1", "libmy_ext.so"),
        ];
        for (triple, expected) in cases {
            assert_eq!(
                LibraryNaming::for_triple(triple).file_name("my-ext"),
                expected,
                "{triple}"
            );
        }
    }

    #[test]
    fn profiles_map_to_their_directories() {
        assert_eq!(profile_dir_name("dev"), "debug");
        assert_eq!(profile_dir_name("test"), "debug");
        assert_eq!(profile_dir_name("release"), "release");
        assert_eq!(profile_dir_name("bench"), "release");
        assert_eq!(profile_dir_name("dist"), "dist");
        assert_eq!(triple_dir_name("specs/my-board.json"), "my-board");
        assert_eq!(
            triple_dir_name("aarch64-apple-darwin"),
            "aarch64-apple-darwin"
        );
    }

    #[test]
    fn only_the_library_of_a_cdylib_output_is_taken() {
        for (name, wanted) in [
            ("t/debug/libm.so", true),
            ("t/debug/libm.dylib", true),
            ("t/debug/m.dll", true),
            ("t/debug/m.dll.lib", false),
            ("t/debug/libm.dll.a", false),
            ("t/debug/m.pdb", false),
            ("t/debug/m.d", false),
            ("t/debug/libm.rlib", false),
        ] {
            assert_eq!(is_shared_library(Path::new(name)), wanted, "{name}");
        }
    }

    #[test]
    fn profile_dirs_are_found_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        let new = old + std::time::Duration::from_secs(60);
        for (profile, lock, mtime) in [
            ("debug", false, old),
            ("release", true, new),
            ("dist", true, old),
            ("maturin", false, new),
        ] {
            let profile_dir = base.join(profile);
            std::fs::create_dir(&profile_dir).unwrap();
            if lock {
                std::fs::write(profile_dir.join(".cargo-lock"), b"").unwrap();
            }
            let file = std::fs::File::create(profile_dir.join("libm.so")).unwrap();
            file.set_modified(mtime).unwrap();
        }
        let found = built_profile_dirs(base, "libm.so");
        let names: Vec<_> = found
            .iter()
            .map(|d| d.strip_prefix(base).unwrap())
            .collect();
        assert_eq!(
            names,
            [Path::new("release"), Path::new("debug"), Path::new("dist")]
        );
        assert!(built_profile_dirs(&base.join("missing"), "libm.so").is_empty());
    }

    #[test]
    fn the_triple_directory_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        let triple = target.join("aarch64-unknown-linux-gnu");
        std::fs::create_dir_all(triple.join("release")).unwrap();
        std::fs::create_dir_all(target.join("debug")).unwrap();
        std::fs::write(target.join("CACHEDIR.TAG"), b"").unwrap();
        std::fs::write(triple.join("CACHEDIR.TAG"), b"").unwrap();

        let host = target.join("debug/libm.so");
        assert_eq!(
            dirs_of_output(&host, None, None),
            (target.clone(), target.join("debug"))
        );
        let cross = triple.join("release/libm.so");
        let expected = (target.clone(), triple.join("release"));
        assert_eq!(dirs_of_output(&cross, None, None), expected);
        // Without the markers, the --target the user gave decides.
        std::fs::remove_file(triple.join("CACHEDIR.TAG")).unwrap();
        assert_eq!(dirs_of_output(&cross, None, None).0, triple);
        assert_eq!(
            dirs_of_output(&cross, None, Some("aarch64-unknown-linux-gnu")),
            expected
        );
        assert_eq!(dirs_of_output(&cross, Some(&target), None), expected);
    }
}
