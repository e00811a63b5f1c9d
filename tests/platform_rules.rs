//! The platform rules (PYI012–PYI019) on the crafted modules of `tests/fixtures/platform/`
//! (see its README for how each was built and what the real loader says of it): each defect
//! gives exactly its finding, named by the rule and with the offending fact in the message,
//! and each control gives none. Wheels are written around the fixtures so that a tag, not
//! only a file name, makes the promise.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{fixture, run, write_wheel};

/// `(rule id, message)` of every finding for `args`, every artifact.
fn findings(args: &[&str]) -> Vec<(String, String)> {
    let mut full = vec!["--format", "json", "--no-progress"];
    full.extend_from_slice(args);
    let output = run(&full);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON report for {args:?}: {e}: {}",
            support::stderr(&output)
        )
    });
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|artifact| artifact["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ids(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(id, _)| id.as_str()).collect()
}

fn platform(name: &str) -> String {
    fixture(&format!("platform/{name}"))
        .to_string_lossy()
        .into_owned()
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("platform/{name}"))).unwrap()
}

/// A wheel named `wheel_name` holding `member` (with the bytes of fixture `source`) and a
/// WHEEL file listing `tags` (the file name's own tags when `None`).
fn wheel(
    dir: &Path,
    wheel_name: &str,
    member: &str,
    source: &str,
    tags: Option<&[&str]>,
) -> String {
    let stem = wheel_name.strip_suffix(".whl").unwrap();
    let parts: Vec<&str> = stem.split('-').collect();
    let (python, abi, plat) = (parts[2], parts[3], parts[4]);
    let mut listed = Vec::new();
    for p in python.split('.') {
        for a in abi.split('.') {
            for t in plat.split('.') {
                listed.push(format!("{p}-{a}-{t}"));
            }
        }
    }
    let listed = match tags {
        Some(tags) => tags.iter().map(|t| t.to_string()).collect(),
        None => listed,
    };
    let mut metadata = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n".to_string();
    for tag in &listed {
        metadata.push_str(&format!("Tag: {tag}\n"));
    }
    let path = dir.join(wheel_name);
    write_wheel(
        &path,
        &[
            (member, bytes(source)),
            ("pkg-1.0.dist-info/WHEEL", metadata.into_bytes()),
        ],
    );
    path.to_string_lossy().into_owned()
}

#[test]
fn controls_give_no_platform_finding() {
    for name in [
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        "muslmod.cpython-312-x86_64-linux-musl.so",
        "mac13.cpython-312-darwin.so",
        "macuni2.cpython-312-darwin.so",
        "ver312good.cp312-win_amd64.pyd",
        "ftgood.cp313t-win_amd64.pyd",
        "abi3good.pyd",
    ] {
        assert_eq!(findings(&[&platform(name)]), [], "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    for (wheel_name, member, source) in [
        (
            "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "pkg/goodx86.cpython-312-x86_64-linux-gnu.so",
            "goodx86.cpython-312-x86_64-linux-gnu.so",
        ),
        (
            "pkg-1.0-cp312-cp312-manylinux_2_34_x86_64.whl",
            "pkg/newglibc.cpython-312-x86_64-linux-gnu.so",
            "newglibc.cpython-312-x86_64-linux-gnu.so",
        ),
        (
            "pkg-1.0-cp312-cp312-musllinux_1_2_x86_64.whl",
            "pkg/muslmod.cpython-312-x86_64-linux-musl.so",
            "muslmod.cpython-312-x86_64-linux-musl.so",
        ),
        (
            "pkg-1.0-cp312-cp312-macosx_10_12_universal2.whl",
            "pkg/macuni2.cpython-312-darwin.so",
            "macuni2.cpython-312-darwin.so",
        ),
        (
            "pkg-1.0-cp312-cp312-macosx_13_0_arm64.whl",
            "pkg/mac13.cpython-312-darwin.so",
            "mac13.cpython-312-darwin.so",
        ),
        (
            "pkg-1.0-cp38-abi3-win_amd64.whl",
            "pkg/abi3good.pyd",
            "abi3good.pyd",
        ),
        (
            "pkg-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
            "pkg/ftabi3.abi3.so",
            "ftabi3.abi3.so",
        ),
    ] {
        let path = wheel(dir.path(), wheel_name, member, source, None);
        assert_eq!(findings(&[&path]), [], "{wheel_name}");
    }
}

#[test]
fn an_architecture_or_format_the_name_does_not_promise_is_pyi012() {
    let arm = findings(&[&platform("armmod.cpython-312-x86_64-linux-gnu.so")]);
    assert_eq!(ids(&arm), ["PYI012"]);
    assert!(
        arm[0].1.contains(
            "is aarch64 code, but the file name's suffix `x86_64-linux-gnu` promises x86_64"
        ),
        "{}",
        arm[0].1
    );
    let pe = findings(&[&platform("armpe.cp312-win_amd64.pyd")]);
    assert_eq!(ids(&pe), ["PYI012"]);
    assert!(
        pe[0].1.contains("is arm64 code") && pe[0].1.contains("`win_amd64`"),
        "{}",
        pe[0].1
    );

    let dir = tempfile::tempdir().unwrap();
    // A universal2 wheel whose module has only the x86_64 slice: the arm64 half is missing.
    let uni = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-macosx_10_12_universal2.whl",
        "pkg/macx86only.cpython-312-darwin.so",
        "macx86only.cpython-312-darwin.so",
        None,
    );
    let found = findings(&[&uni]);
    assert_eq!(ids(&found), ["PYI012"]);
    assert!(
        found[0].1.contains("promises arm64/aarch64"),
        "{}",
        found[0].1
    );
    // An ELF file in a Windows wheel: the format names the wrong system.
    let elf_in_win = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-win_amd64.whl",
        "pkg/goodx86.pyd",
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&elf_in_win]);
    assert_eq!(ids(&found), ["PYI012"]);
    assert!(found[0].1.contains("is an ELF file, but the wheel's platform tag `win_amd64` promises Windows, whose loader reads only PE files"), "{}", found[0].1);
    // A platform-independent wheel is installed everywhere; a binary loads on one system.
    let any = wheel(
        dir.path(),
        "pkg-1.0-py3-none-any.whl",
        "pkg/goodx86.cpython-312-x86_64-linux-gnu.so",
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&any]);
    assert_eq!(ids(&found), ["PYI012"]);
    assert!(found[0].1.contains("is an ELF file, but the wheel's platform tag `any` promises every platform: installers put it on macOS and Windows too"), "{}", found[0].1);
    // Two tags making the same promise give one finding that names both.
    let twice = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
        "pkg/goodx86.cpython-312-aarch64-linux-gnu.so",
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&twice]);
    assert_eq!(ids(&found), ["PYI012"]);
    assert!(found[0].1.contains("`aarch64-linux-gnu` and the wheel's platform tags `manylinux_2_17_aarch64` and `manylinux2014_aarch64` promise"), "{}", found[0].1);
}

#[test]
fn linking_libpython_is_pyi013_in_elf_and_mach_o() {
    for (name, linked) in [
        (
            "withlibpython.cpython-312-x86_64-linux-gnu.so",
            "`libpython3.12.so.1.0` (DT_NEEDED)",
        ),
        (
            "macframework.cpython-312-darwin.so",
            "`/Library/Frameworks/Python.framework/Versions/3.12/Python` (LC_LOAD_DYLIB)",
        ),
        (
            "macrpath.cpython-312-darwin.so",
            "`@rpath/libpython3.12.dylib` (LC_LOAD_DYLIB)",
        ),
    ] {
        let found = findings(&[&platform(name)]);
        assert_eq!(ids(&found), ["PYI013"], "{name}");
        assert!(found[0].1.contains(linked), "{}", found[0].1);
    }
}

#[test]
fn a_python_dll_the_interpreters_do_not_ship_is_pyi014() {
    let other = findings(&[&platform("ver312other.cp312-win_amd64.pyd")]);
    assert_eq!(ids(&other), ["PYI014"]);
    assert!(
        other[0].1.contains(
            "is for CPython 3.12 (from the file name) but imports CPython from `python311.dll`"
        ),
        "{}",
        other[0].1
    );
    let ft = findings(&[&platform("ftbad.cp313t-win_amd64.pyd")]);
    assert_eq!(ids(&ft), ["PYI014"]);
    assert!(ft[0].1.contains("`python313.dll`"), "{}", ft[0].1);
    let dir = tempfile::tempdir().unwrap();
    let abi3 = wheel(
        dir.path(),
        "pkg-1.0-cp38-abi3-win_amd64.whl",
        "pkg/abi3bad.pyd",
        "abi3bad.pyd",
        None,
    );
    let found = findings(&[&abi3]);
    assert_eq!(ids(&found), ["PYI014"]);
    assert!(found[0].1.contains("abi3 module `abi3bad` imports CPython from `python312.dll`, which only CPython 3.12 has"), "{}", found[0].1);
}

#[test]
fn glibc_versions_above_the_manylinux_tag_are_pyi015() {
    let dir = tempfile::tempdir().unwrap();
    let old_tag = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "pkg/newglibc.cpython-312-x86_64-linux-gnu.so",
        "newglibc.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&old_tag]);
    assert_eq!(ids(&found), ["PYI015"]);
    assert!(found[0].1.contains("needs glibc 2.34: `GLIBC_2.34` (for `dlopen`), but the wheel's platform tags `manylinux_2_17_x86_64` and `manylinux2014_x86_64` promise glibc 2.17"), "{}", found[0].1);
    // The legacy alias alone: manylinux1 is glibc 2.5.
    let legacy = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux1_x86_64.whl",
        "pkg/newerglibc.cpython-312-x86_64-linux-gnu.so",
        "newerglibc.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&legacy]);
    assert_eq!(ids(&found), ["PYI015"]);
    assert!(
        found[0].1.contains("`GLIBC_2.36` (for `arc4random`)")
            && found[0].1.contains("promises glibc 2.5"),
        "{}",
        found[0].1
    );
    // The same module under the tag it needs passes (controls_give_no_platform_finding).
}

#[test]
fn the_other_libc_is_pyi016() {
    let glibc_as_musl = findings(&[&platform("goodx86.cpython-312-x86_64-linux-musl.so")]);
    assert_eq!(ids(&glibc_as_musl), ["PYI016"]);
    assert!(
        glibc_as_musl[0].1.contains("linked against glibc"),
        "{}",
        glibc_as_musl[0].1
    );
    let dir = tempfile::tempdir().unwrap();
    let musl_in_manylinux = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
        "pkg/muslmod.cpython-312-x86_64-linux-musl.so",
        "muslmod.cpython-312-x86_64-linux-musl.so",
        None,
    );
    let found = findings(&[&musl_in_manylinux]);
    assert_eq!(ids(&found), ["PYI016"]);
    assert!(found[0].1.contains("linked against musl (`libc.musl-*.so.1`), but the wheel's platform tag `manylinux_2_17_x86_64` promises glibc"), "{}", found[0].1);
    // Before 3.11 CPython on musl named its suffixes `-linux-gnu` too (numpy's cp310
    // musllinux wheels do): that suffix promises no libc, the musllinux tag is kept.
    let cp310 = wheel(
        dir.path(),
        "pkg-1.0-cp310-cp310-musllinux_1_2_x86_64.whl",
        "pkg/muslmod.cpython-310-x86_64-linux-gnu.so",
        "muslmod.cpython-310-x86_64-linux-gnu.so"
            .replace("310", "312")
            .as_str(),
        None,
    );
    assert_eq!(findings(&[&cp310]), []);
    let cp312 = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-musllinux_1_2_x86_64.whl",
        "pkg/muslmod.cpython-312-x86_64-linux-gnu.so",
        "muslmod.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let found = findings(&[&cp312]);
    assert_eq!(ids(&found), ["PYI016"]);
    assert!(
        found[0]
            .1
            .contains("the file name's suffix `x86_64-linux-gnu` promises glibc"),
        "{}",
        found[0].1
    );
}

#[test]
fn a_macos_minimum_above_the_tag_is_pyi017() {
    let dir = tempfile::tempdir().unwrap();
    let arm = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-macosx_11_0_arm64.whl",
        "pkg/mac13.cpython-312-darwin.so",
        "mac13.cpython-312-darwin.so",
        None,
    );
    let found = findings(&[&arm]);
    assert_eq!(ids(&found), ["PYI017"]);
    assert!(found[0].1.contains("is built for macOS 13.0 (LC_BUILD_VERSION minos), but the wheel's platform tag `macosx_11_0_arm64` promises macOS 11.0"), "{}", found[0].1);
    // The old load command is read too; the x86_64 slice of a universal2 file is held to the
    // tag, the arm64 slice to 11.0 at least (arm64 Macs start there).
    let uni = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-macosx_10_9_universal2.whl",
        "pkg/macuni2.cpython-312-darwin.so",
        "macuni2.cpython-312-darwin.so",
        None,
    );
    let found = findings(&[&uni]);
    assert_eq!(ids(&found), ["PYI017"]);
    assert!(
        found[0].1.starts_with("x86_64 slice: ")
            && found[0]
                .1
                .contains("macOS 10.12 (LC_VERSION_MIN_MACOSX version)"),
        "{}",
        found[0].1
    );
}

#[test]
fn an_abi3_file_for_a_free_threaded_interpreter_is_pyi018() {
    let dir = tempfile::tempdir().unwrap();
    let ft = wheel(
        dir.path(),
        "pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl",
        "pkg/ftabi3.abi3.so",
        "ftabi3.abi3.so",
        None,
    );
    let found = findings(&[&ft]);
    assert_eq!(ids(&found), ["PYI018"]);
    assert!(
        found[0]
            .1
            .contains("is meant for free-threaded CPython 3.13t (from the wheel tag)")
            && found[0].1.contains("gh-120901"),
        "{}",
        found[0].1
    );
    let later = findings(&["--python", "3.15t", &platform("ftabi3.abi3.so")]);
    assert_eq!(ids(&later), ["PYI018"]);
    assert!(
        later[0]
            .1
            .contains("CPython 3.15t no longer imports `.abi3.so` files"),
        "{}",
        later[0].1
    );
}

#[test]
fn wheel_metadata_tags_that_contradict_the_name_are_pyi019() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
        "pkg/goodx86.cpython-312-x86_64-linux-gnu.so",
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        Some(&["cp312-cp312-linux_x86_64"]),
    );
    let found = findings(&[&renamed]);
    assert_eq!(ids(&found), ["PYI019"]);
    assert!(found[0].1.contains("the file name has `cp312-cp312-manylinux_2_17_x86_64` that `pkg-1.0.dist-info/WHEEL` does not list; `pkg-1.0.dist-info/WHEEL` lists `cp312-cp312-linux_x86_64` that the file name does not have"), "{}", found[0].1);
}

#[test]
fn target_names_the_platform_of_named_files() {
    let other = findings(&[
        "--target",
        "aarch64-unknown-linux-gnu",
        &platform("goodx86.cpython-312-x86_64-linux-gnu.so"),
    ]);
    assert_eq!(ids(&other), ["PYI012"]);
    assert!(
        other[0]
            .1
            .contains("but --target `aarch64-unknown-linux-gnu` promises arm64/aarch64"),
        "{}",
        other[0].1
    );
    // cargo-zigbuild's glibc suffix is a floor.
    let zig = findings(&[
        "--target",
        "x86_64-unknown-linux-gnu.2.17",
        &platform("newglibc.cpython-312-x86_64-linux-gnu.so"),
    ]);
    assert_eq!(ids(&zig), ["PYI015"]);
    assert!(
        zig[0]
            .1
            .contains("--target `x86_64-unknown-linux-gnu.2.17` promises glibc 2.17"),
        "{}",
        zig[0].1
    );
    assert_eq!(
        findings(&[
            "--target",
            "x86_64-unknown-linux-gnu",
            &platform("goodx86.cpython-312-x86_64-linux-gnu.so")
        ]),
        []
    );
}

#[test]
fn the_json_report_lists_each_promise_with_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "pkg/goodx86.cpython-312-x86_64-linux-gnu.so",
        "goodx86.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let output = run(&["--format", "json", &path]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let platforms = &report["artifacts"][0]["platforms"];
    let summary: Vec<(String, String, Value, Value)> = platforms
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["source"].as_str().unwrap().into(),
                p["tag"].as_str().unwrap().into(),
                p["libc"].clone(),
                p["floor"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "file-name".into(),
                "x86_64-linux-gnu".into(),
                "glibc".into(),
                Value::Null
            ),
            (
                "wheel-tag".into(),
                "manylinux_2_17_x86_64".into(),
                "glibc".into(),
                "2.17".into()
            ),
            (
                "wheel-tag".into(),
                "manylinux2014_x86_64".into(),
                "glibc".into(),
                "2.17".into()
            ),
        ]
    );
    assert_eq!(platforms[0]["machines"], serde_json::json!(["x86_64"]));
}

/// The README quotes PYI015's message: it must be what the tool prints.
#[test]
fn the_readme_quotes_pyi015_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = wheel(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "pkg/newglibc.cpython-312-x86_64-linux-gnu.so",
        "newglibc.cpython-312-x86_64-linux-gnu.so",
        None,
    );
    let output = run(&["--color", "never", "--no-progress", &path]);
    let printed = support::stdout(&output);
    let line = printed
        .lines()
        .find(|line| line.starts_with("error[PYI015"))
        .unwrap_or_else(|| panic!("no PYI015 in:\n{printed}"));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains(line), "README does not quote:\n{line}");
}
