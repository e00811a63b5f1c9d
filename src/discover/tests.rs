use super::*;
use crate::model::ArtifactKind;

fn tree(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for rel in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"x").unwrap();
    }
    dir
}

fn paths(request_paths: &[PathBuf]) -> Discovery {
    discover(&DiscoverRequest {
        paths: request_paths.to_vec(),
        ..DiscoverRequest::default()
    })
}

fn artifact_paths(discovery: &Discovery, root: &Path) -> Vec<PathBuf> {
    discovery
        .found
        .iter()
        .filter_map(|found| match found {
            Found::Artifact(artifact) => {
                Some(artifact.path.strip_prefix(root).unwrap().to_path_buf())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn directory_scan_checks_modules_and_every_library_beside_them() {
    let dir = tree(&[
        "pkg/_core.cpython-312-x86_64-linux-gnu.so",
        "pkg/sub/fast.abi3.so",
        "pkg/__init__.py",
        "numpy.libs/libopenblas-1a2b.so",
        "pkg/.dylibs/libz.so",
        "pkg/libfoo.so.5",
        "pkg/notes.txt",
    ]);
    let root = dir.path();
    let found = paths(&[root.to_path_buf()]);
    assert_eq!(
        artifact_paths(&found, root),
        [
            PathBuf::from("numpy.libs/libopenblas-1a2b.so"),
            PathBuf::from("pkg/.dylibs/libz.so"),
            PathBuf::from("pkg/_core.cpython-312-x86_64-linux-gnu.so"),
            PathBuf::from("pkg/libfoo.so.5"),
            PathBuf::from("pkg/sub/fast.abi3.so"),
        ]
    );
    let kinds: Vec<(String, ArtifactKind, String)> = found
        .found
        .iter()
        .filter_map(|found| match found {
            Found::Artifact(a) => Some((
                a.path.file_name()?.to_string_lossy().into_owned(),
                a.kind,
                a.placement.as_ref()?.at.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds[0],
        (
            "libopenblas-1a2b.so".into(),
            ArtifactKind::Library,
            "numpy.libs/libopenblas-1a2b.so".into()
        )
    );
    assert_eq!(kinds[2].1, ArtifactKind::Module);
    assert_eq!(kinds[3].1, ArtifactKind::Library);
    assert!(found.unchecked.is_empty(), "{:?}", found.unchecked);
}

#[test]
fn every_import_root_in_a_tree_is_scanned() {
    let dir = tree(&[
        "artifacts/wheels-linux/pkg/_a.abi3.so",
        "venv/lib/python3.12/site-packages/pkg/_b.abi3.so",
        "build/lib.linux-x86_64-cpython-312/pkg/_c.abi3.so",
        "unpacked/pkg-1.0.data/platlib/pkg/_d.abi3.so",
    ]);
    let root = dir.path();
    let found = paths(&[root.to_path_buf()]);
    let names: Vec<String> = artifact_paths(&found, root)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["_c.abi3.so", "_d.abi3.so", "_b.abi3.so"]);
    assert_eq!(found.unchecked.len(), 1, "{:?}", found.unchecked);
    assert_eq!(
        found.unchecked[0].reason,
        UncheckedReason::NotImportable {
            folder: "wheels-linux".into()
        }
    );
}

#[test]
fn one_file_is_one_artifact_however_it_is_named() {
    let dir = tree(&["pkg/_core.abi3.so"]);
    let file = dir.path().join("pkg/_core.abi3.so");
    let link = dir.path().join("pkg/_hard.abi3.so");
    std::fs::hard_link(&file, &link).unwrap();
    let found = paths(&[file.clone(), file.clone(), dir.path().to_path_buf()]);
    let artifacts = artifact_paths(&found, dir.path());
    #[cfg(unix)]
    assert_eq!(artifacts, [PathBuf::from("pkg/_core.abi3.so")]);
    #[cfg(unix)]
    assert!(
        found
            .unchecked
            .iter()
            .all(|u| matches!(u.reason, UncheckedReason::Duplicate { .. })),
        "{:?}",
        found.unchecked
    );
    #[cfg(not(unix))]
    let _ = (artifacts, link);
}

#[test]
fn bad_inputs_fail_alone_and_the_rest_is_found() {
    let dir = tree(&["pkg/_core.abi3.so", "empty/README"]);
    let missing = dir.path().join("nope.so");
    let found = paths(&[
        missing.clone(),
        dir.path().join("empty"),
        dir.path().join("pkg/_core.abi3.so"),
    ]);
    let messages: Vec<String> = found
        .found
        .iter()
        .filter_map(|f| match f {
            Found::Failed { error, .. } => Some(error.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages[0],
        format!("{}: no such file or directory", missing.display())
    );
    assert!(
        messages[1].contains("no Python extension modules"),
        "{messages:?}"
    );
    assert_eq!(found.found.len(), 3);
}

#[cfg(unix)]
#[test]
fn links_loops_and_special_files_are_reported() {
    let dir = tree(&["site/pkg/_core.abi3.so"]);
    let root = dir.path();
    std::os::unix::fs::symlink(root.join("site"), root.join("site/pkg/back")).unwrap();
    std::os::unix::fs::symlink(root.join("gone"), root.join("site/dangling.so")).unwrap();
    std::os::unix::fs::symlink(root.join("site"), root.join("alias")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("site/fifo.so"))
        .status();
    let found = paths(&[root.to_path_buf()]);
    let failed: Vec<String> = found
        .found
        .iter()
        .filter_map(|f| match f {
            Found::Failed { path, .. } => {
                Some(path.file_name().unwrap().to_string_lossy().into_owned())
            }
            _ => None,
        })
        .collect();
    let mut expected = vec!["dangling.so"];
    if status.is_ok_and(|s| s.success()) {
        expected.push("fifo.so");
    } else {
        // mkfifo is coreutils: a machine without it may skip this part, CI may not.
        crate::skip_test("the FIFO case needs mkfifo, which is not available");
    }
    assert_eq!(failed, expected);
    assert_eq!(
        artifact_paths(&found, root).len(),
        1,
        "alias/ is walked once"
    );
    assert!(
        found
            .unchecked
            .iter()
            .any(|u| u.reason == UncheckedReason::SymlinkLoop),
        "{:?}",
        found.unchecked
    );
}
