//! Wheels as input: members are checked straight from the archive, and a hostile wheel is a
//! clear exit-2 error, never a panic or an unbounded allocation.

mod support;

use std::fs;

use serde_json::Value;
use support::{code, fixture, run, stderr, stdout, write_wheel};

#[test]
fn members_are_checked_from_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = dir.path().join("pkg-1.0-cp312-cp312-win_amd64.whl");
    write_wheel(
        &wheel,
        &[
            ("pkg/__init__.py", Vec::new()),
            (
                "pkg/good_x64.pyd",
                fs::read(fixture("pe/good_x64.pyd")).unwrap(),
            ),
            (
                "pkg/foo.cp312-win_amd64.pyd",
                fs::read(fixture("pe/foo.pyd")).unwrap(),
            ),
            ("pkg.libs/foo.pyd", fs::read(fixture("pe/foo.pyd")).unwrap()),
        ],
    );
    let output = run(&["--format", "json", wheel.to_str().unwrap()]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let artifacts = report["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 3, "{report}");
    let verdicts: Vec<(&str, &str, &str)> = artifacts
        .iter()
        .map(|a| {
            (
                a["member"].as_str().unwrap(),
                a["kind"].as_str().unwrap(),
                a["status"].as_str().unwrap(),
            )
        })
        .collect();
    // The vendored copy is no module: it is checked as the library it is.
    assert_eq!(
        verdicts,
        [
            ("pkg/foo.cp312-win_amd64.pyd", "module", "fail"),
            ("pkg/good_x64.pyd", "module", "pass"),
            ("pkg.libs/foo.pyd", "library", "pass"),
        ]
    );
    assert_eq!(artifacts[0]["wheel"], wheel.to_str().unwrap());
    assert_eq!(artifacts[0]["member"], "pkg/foo.cp312-win_amd64.pyd");
    assert!(report["unchecked"].as_array().unwrap().is_empty());
    assert_eq!(artifacts[0]["python"]["versions"][0], "3.12");
}

#[test]
fn hostile_wheels_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();

    let text = dir.path().join("text-1.0-py3-none-any.whl");
    fs::write(&text, b"this is not a zip archive").unwrap();

    let empty = dir.path().join("empty-1.0-py3-none-any.whl");
    fs::write(&empty, b"").unwrap();

    let pure = dir.path().join("pure-1.0-py3-none-any.whl");
    write_wheel(&pure, &[("pure/__init__.py", b"x = 1\n".to_vec())]);

    // Declares a member far larger than it is (a zip bomb's header): refused before reading.
    let bomb = dir.path().join("bomb-1.0-cp312-cp312-linux_x86_64.whl");
    write_wheel(
        &bomb,
        &[(
            "bomb/_core.so",
            fs::read(fixture("elf/gnuhash.so")).unwrap(),
        )],
    );
    let mut bytes = fs::read(&bomb).unwrap();
    let central = bytes
        .windows(4)
        .rposition(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    fs::write(&bomb, &bytes).unwrap();

    // Cut in half: the central directory is gone.
    let truncated = dir.path().join("cut-1.0-cp312-cp312-linux_x86_64.whl");
    write_wheel(
        &truncated,
        &[("cut/_core.so", fs::read(fixture("elf/gnuhash.so")).unwrap())],
    );
    let half = fs::read(&truncated).unwrap();
    fs::write(&truncated, &half[..half.len() / 2]).unwrap();

    for (path, problem) in [
        (&text, "not a valid wheel"),
        (&empty, "not a valid wheel"),
        (&bomb, "inflates past"),
        (&truncated, "not a valid wheel"),
    ] {
        let output = run(&[path.to_str().unwrap()]);
        let err = stderr(&output);
        assert_eq!(code(&output), 2, "{}: {err}", path.display());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(path.to_str().unwrap()) && err.contains(problem),
            "{err}"
        );
    }
    // A wheel without extension modules is a note, never a failure.
    let output = run(&["--format", "json", pure.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["artifacts"][0]["status"], "nothing-to-check");
    assert!(
        report["artifacts"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("no extension modules in this wheel")
    );
}
