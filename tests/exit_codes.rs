//! The exit-code contract: 0 pass, 1 a check failed, 2 could not run — never a panic.

mod support;

use std::fs;

use support::{code, fixture, run, stderr, stdout};

#[test]
fn passing_failing_and_unusable_inputs() {
    assert_eq!(
        code(&run(&[fixture("pe/good_x64.pyd").to_str().unwrap()])),
        0
    );
    assert_eq!(code(&run(&[fixture("pe/foo.pyd").to_str().unwrap()])), 1);
    assert_eq!(
        code(&run(&[fixture("pe/prog.exe").to_str().unwrap()])),
        1,
        "an executable is a failed check"
    );
}

#[test]
fn bad_inputs_get_one_line_naming_the_path_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.so");
    fs::write(&empty, b"").unwrap();
    let text = dir.path().join("text.so");
    fs::write(&text, b"this is not a shared library\n").unwrap();
    let truncated = dir.path().join("truncated.pyd");
    let good = fs::read(fixture("pe/good_x64.pyd")).unwrap();
    fs::write(&truncated, &good[..300]).unwrap();
    let missing = dir.path().join("missing.so");
    let cases = [
        (&empty, "file is empty"),
        (&text, "unknown file format"),
        (&truncated, "truncated"),
        (&missing, "no such file or directory"),
    ];
    for (path, problem) in cases {
        let output = run(&[path.to_str().unwrap()]);
        let err = stderr(&output);
        assert_eq!(code(&output), 2, "{}: {err}", path.display());
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(path.to_str().unwrap()) && err.contains(problem),
            "{err}"
        );
    }
}

#[cfg(unix)] // ENOTDIR: Windows reports a path through a file as not found
#[test]
fn unreadable_paths_and_empty_directories_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.so");
    fs::write(&file, b"x").unwrap();
    // A path through a file: the operating system refuses it (ENOTDIR).
    let through_file = file.join("child.so");
    let output = run(&[through_file.to_str().unwrap()]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );
    // A directory holding no extension module.
    let empty_dir = dir.path().join("pkg");
    fs::create_dir(&empty_dir).unwrap();
    fs::write(empty_dir.join("notes.txt"), b"").unwrap();
    let output = run(&[empty_dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("no Python extension modules or wheels found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_are_exit_2() {
    // No paths and no cargo project here.
    let nowhere = tempfile::tempdir().unwrap();
    let output = support::command(&[])
        .current_dir(nowhere.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(code(&run(&["--python", "2.7", "x.so"])), 2);
    assert_eq!(code(&run(&["--no-such-flag"])), 2);
    assert_eq!(code(&run(&["--explain", "PYI999"])), 2);
    assert_eq!(code(&run(&["--help"])), 0);
}

#[test]
fn a_module_file_found_by_a_scan_that_is_no_binary_is_exit_2_and_the_rest_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(fixture("pe/good_x64.pyd"), dir.path().join("good_x64.pyd")).unwrap();
    let junk = dir.path().join("junk.so");
    fs::write(&junk, b"not a binary").unwrap();
    let output = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(
        code(&output),
        2,
        "an input that cannot be checked is no pass"
    );
    let out = stdout(&output);
    assert!(
        out.contains("ok   ") && out.contains("good_x64.pyd"),
        "{out}"
    );
    assert!(out.contains("ERR  "), "{out}");
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("{}: not a shared library", junk.display())),
        "{err}"
    );
}

#[test]
fn fail_on_policy_sets_the_exit_code() {
    // modexport.pyd exports only PyModExport_: a warning for an unknown Python version.
    let warning = fixture("pe/modexport.pyd");
    let error = fixture("pe/foo.pyd");
    for (path, fail_on, expected) in [
        (&warning, "error", 0),
        (&warning, "warning", 1),
        (&warning, "never", 0),
        (&error, "error", 1),
        (&error, "warning", 1),
        (&error, "never", 0),
    ] {
        let output = run(&[path.to_str().unwrap(), "--fail-on", fail_on]);
        assert_eq!(
            code(&output),
            expected,
            "{} --fail-on {fail_on}",
            path.display()
        );
    }
}

#[test]
fn explain_prints_the_rule_help() {
    let output = run(&["--explain", "missing-module-hook"]);
    assert_eq!(code(&output), 0);
    let text = support::stdout(&output);
    assert!(
        text.starts_with("PYI001 missing-module-hook (error)"),
        "{text}"
    );
    assert!(text.contains("#[pymodule]"));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..1500 {
        let package = dir.path().join(format!("p{i}"));
        fs::create_dir(&package).unwrap();
        fs::copy(fixture("pe/good_x64.pyd"), package.join("good_x64.pyd")).unwrap();
    }
    let mut child = support::command(&[dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_report_that_cannot_be_written_names_its_destination_and_the_rest_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let destination = dir.path().join("missing-dir").join("out.json");
    let output = run(&[
        fixture("pe/good_x64.pyd").to_str().unwrap(),
        "--json",
        destination.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "{}: cannot write the JSON report",
            destination.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains(".out.json."),
        "the temporary file is no concern of the user: {err}"
    );
    assert!(
        stdout(&output).contains("1 passed"),
        "the check is still reported"
    );
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 0, "nothing half-written is left behind");
}
