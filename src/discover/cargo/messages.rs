//! Reading `cargo build --message-format=json` output: the cdylibs a build produced, with the
//! paths cargo itself reports, so nothing about the layout has to be guessed.
//!
//! The stream is taken as CI logs deliver it: lines that are not JSON (cargo's human output
//! when stderr was merged in, tool banners) and messages other than `compiler-artifact` are
//! passed over.

use std::collections::HashSet;
use std::io::BufRead;
use std::path::PathBuf;

use serde::Deserialize;

use super::CargoError;
use super::layout::is_shared_library;
use super::metadata::Target;

/// One cdylib a build reported.
#[derive(Debug, Clone)]
pub(super) struct BuiltCdylib {
    pub path: PathBuf,
    pub package_id: String,
    pub manifest_path: PathBuf,
}

#[derive(Deserialize)]
struct Reason {
    reason: String,
}

#[derive(Deserialize)]
struct ArtifactMessage {
    package_id: String,
    manifest_path: PathBuf,
    target: Target,
    filenames: Vec<PathBuf>,
}

/// Collects the cdylibs from a message stream; `source_name` names it in errors.
pub(crate) fn read_build_messages(
    mut reader: impl BufRead,
    source_name: &str,
) -> Result<Vec<BuiltCdylib>, CargoError> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut buffer = Vec::new();
    let mut line_number: u64 = 0;
    loop {
        buffer.clear();
        let read = reader.read_until(b'\n', &mut buffer).map_err(|source| {
            CargoError::MessagesUnreadable {
                source_name: source_name.to_owned(),
                source,
            }
        })?;
        if read == 0 {
            break;
        }
        line_number += 1;
        // Bytes that are not UTF-8 cannot be one of cargo's JSON messages: skip, don't fail.
        let Ok(line) = std::str::from_utf8(&buffer) else {
            continue;
        };
        let line = line.trim();
        if !line.starts_with('{') {
            continue;
        }
        match serde_json::from_str::<Reason>(line) {
            Ok(message) if message.reason == "compiler-artifact" => {}
            _ => continue,
        }
        let artifact: ArtifactMessage =
            serde_json::from_str(line).map_err(|error| CargoError::MalformedMessage {
                source_name: source_name.to_owned(),
                line: line_number,
                message: error.to_string(),
            })?;
        if !artifact.target.is_cdylib() {
            continue;
        }
        for path in artifact.filenames {
            // The same file is reported again by later builds in one log (a second
            // `cargo build`, or `fresh` re-reports); it is one artifact.
            if is_shared_library(&path) && seen.insert(path.clone()) {
                found.push(BuiltCdylib {
                    path,
                    package_id: artifact.package_id.clone(),
                    manifest_path: artifact.manifest_path.clone(),
                });
            }
        }
    }
    Ok(found)
}

/// The package name in a cargo package id. Current cargo writes
/// `path+file:///dir/my-pkg#0.1.0` (the name left out when it matches the directory) or
/// `path+file:///dir#my-pkg@0.1.0`; cargo before 1.77 wrote `my-pkg 0.1.0 (path+file:///dir)`.
pub(super) fn package_name_from_id(id: &str) -> &str {
    let Some((url, fragment)) = id.split_once('#') else {
        return id.split_whitespace().next().unwrap_or(id);
    };
    match fragment.split_once('@') {
        Some((name, _version)) => name,
        None => url.rsplit('/').next().unwrap_or(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_ids_of_every_format_give_the_name() {
        for (id, name) in [
            (
                "path+file:///w/tiny_cdylib#tiny-cdylib@0.1.0",
                "tiny-cdylib",
            ),
            ("path+file:///w/my-ext#0.2.0", "my-ext"),
            ("my-ext 0.2.0 (path+file:///w/my-ext)", "my-ext"),
            (
                "registry+https://github.com/rust-lang/crates.io-index#syn@2.0.1",
                "syn",
            ),
        ] {
            assert_eq!(package_name_from_id(id), name, "{id}");
        }
    }

    fn artifact_line(kind: &str, filenames: &[&str]) -> String {
        serde_json::json!({
            "reason": "compiler-artifact",
            "package_id": "path+file:///w/m#0.1.0",
            "manifest_path": "/w/m/Cargo.toml",
            "target": {"kind": [kind], "crate_types": [kind], "name": "m", "src_path": "/w/m/src/lib.rs"},
            "filenames": filenames,
            "fresh": false
        })
        .to_string()
    }

    #[test]
    fn only_cdylib_libraries_are_taken() {
        let log = [
            "   Compiling m v0.1.0 (/w/m)".to_owned(),
            "not json {".to_owned(),
            r#"{"reason":"build-script-executed","package_id":"x"}"#.to_owned(),
            artifact_line("lib", &["/w/t/debug/deps/libdep.rlib"]),
            artifact_line(
                "cdylib",
                &[
                    "/w/t/debug/m.dll",
                    "/w/t/debug/m.dll.lib",
                    "/w/t/debug/m.pdb",
                ],
            ),
            artifact_line("cdylib", &["/w/t/debug/m.dll"]),
            r#"{"reason":"build-finished","success":true}"#.to_owned(),
        ]
        .join("\n");
        let found = read_build_messages(log.as_bytes(), "log").unwrap();
        let paths: Vec<_> = found.iter().map(|c| c.path.clone()).collect();
        assert_eq!(paths, [PathBuf::from("/w/t/debug/m.dll")]);
        assert_eq!(found[0].manifest_path, PathBuf::from("/w/m/Cargo.toml"));
    }

    #[test]
    fn a_broken_artifact_message_names_its_line() {
        let log = "{\"reason\":\"build-finished\",\"success\":true}\n\
                   {\"reason\":\"compiler-artifact\",\"target\":{}}\n";
        let err = read_build_messages(log.as_bytes(), "build.json").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("build.json:2: malformed compiler-artifact message: "),
            "{err}"
        );
    }
}
