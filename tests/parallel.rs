//! Checking on several threads changes nothing but the time: every output format is byte for
//! byte what one job prints, on a house of a few hundred artifacts — loose modules of every
//! format, wheels with several modules each, and inputs that cannot be checked. And the human
//! report is streamed: an entry is out before the inputs after it are done.

mod support;

use std::fs;
use std::io::Write;
use std::path::Path;

use support::{code, command, fixture};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write_wheel(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, data) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

/// Five copies of the ELF, PE and Mach-O fixtures and of the example site-packages, twelve
/// wheels of four to six modules (passing, failing, not binaries), a wheel that is not a zip,
/// a pure wheel.
fn wheelhouse(root: &Path) {
    for copy in 0..5 {
        for dir in ["elf", "pe", "macho", "example"] {
            copy_dir(&fixture(dir), &root.join(format!("c{copy}/{dir}")));
        }
    }
    let elf = |name: &str| fs::read(fixture(&format!("elf/{name}"))).unwrap();
    let pe = |name: &str| fs::read(fixture(&format!("pe/{name}"))).unwrap();
    for wheel in 0..12 {
        let name = format!("pkg{wheel}");
        let mut members = vec![
            (format!("{name}/__init__.py"), Vec::new()),
            (
                format!("{name}/foo.cpython-312-x86_64-linux-gnu.so"),
                elf("foo.so"),
            ),
            (
                format!("{name}/gnuhash.cpython-312-x86_64-linux-gnu.so"),
                elf("gnuhash.so"),
            ),
            (format!("{name}/_missing.abi3.so"), elf("foo.so")),
            (
                format!("{name}/notes.cpython-312-x86_64-linux-gnu.so"),
                b"not a binary".to_vec(),
            ),
            (format!("{name}.libs/libvendored.so"), elf("foo.so")),
        ];
        if wheel % 3 == 0 {
            members.push((format!("{name}/sub/foo.pyd"), pe("foo.pyd")));
            members.push((format!("{name}/sub/good_x64.pyd"), pe("good_x64.pyd")));
        }
        write_wheel(
            &root.join(format!(
                "w/{name}-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
            )),
            &members,
        );
    }
    fs::write(root.join("w/broken-1.0-py3-none-any.whl"), b"not a zip").unwrap();
    write_wheel(
        &root.join("w/pure-1.0-py3-none-any.whl"),
        &[("pure/__init__.py".to_string(), b"x = 1\n".to_vec())],
    );
}

#[test]
fn every_output_is_the_same_on_any_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("w")).unwrap();
    wheelhouse(dir.path());
    let house = dir.path().to_str().unwrap();
    let missing = dir.path().join("missing.so");
    let missing = missing.to_str().unwrap();
    let formats: [&[&str]; 7] = [
        &[],
        &["-v"],
        &["-q"],
        &["--color", "always"],
        &["--format", "json"],
        &["--format", "sarif"],
        &["--format", "github"],
    ];
    for format in formats {
        let run = |jobs: &str| {
            let mut args = vec!["--jobs", jobs];
            args.extend_from_slice(format);
            args.extend([house, missing]);
            command(&args).output().unwrap()
        };
        let one = run("1");
        assert_eq!(code(&one), 2, "{format:?}: the broken inputs make it 2");
        if format.is_empty() {
            let text = String::from_utf8_lossy(&one.stdout);
            let checked = text.lines().last().unwrap_or_default();
            let total: usize = checked
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            assert!(total > 300, "a house worth running in parallel: {checked}");
            assert!(text.contains("pkg11/foo.cpython-312-x86_64-linux-gnu.so"));
        }
        for jobs in ["2", "3", "8"] {
            let many = run(jobs);
            assert_eq!(code(&many), code(&one), "{format:?} --jobs {jobs}");
            assert!(
                many.stdout == one.stdout,
                "{format:?} --jobs {jobs}: stdout differs from --jobs 1"
            );
            assert!(
                many.stderr == one.stderr,
                "{format:?} --jobs {jobs}: stderr differs from --jobs 1"
            );
        }
    }
}

#[test]
fn report_files_are_the_same_on_any_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("w")).unwrap();
    wheelhouse(dir.path());
    let house = dir.path().to_str().unwrap();
    let reports = |jobs: &str| {
        let (json, sarif) = (
            dir.path().join(format!("report-{jobs}.json")),
            dir.path().join(format!("report-{jobs}.sarif")),
        );
        let output = command(&[
            "-q",
            "--jobs",
            jobs,
            "--json",
            json.to_str().unwrap(),
            "--sarif",
            sarif.to_str().unwrap(),
            &format!("{house}/w"),
            &format!("{house}/c0"),
        ])
        .output()
        .unwrap();
        assert_eq!(code(&output), 2);
        (fs::read(json).unwrap(), fs::read(sarif).unwrap())
    };
    let one = reports("1");
    assert!(one == reports("4"), "reports written with --jobs 4 differ");
}

#[test]
fn jobs_must_be_at_least_one() {
    let output = command(&["--jobs", "0", "tests/fixtures/elf/foo.so"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(support::stderr(&output).contains("--jobs"));
}

/// The human report is streamed: an entry is on stdout while a later input still waits (here
/// for a cargo build lock the test holds), not only when the run ends.
#[cfg(unix)]
#[test]
fn an_entry_is_printed_while_later_inputs_still_wait() {
    use fs4::FileExt;
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("target/debug");
    fs::create_dir_all(&profile).unwrap();
    let lock = profile.join(".cargo-lock");
    fs::write(&lock, b"").unwrap();
    let built = profile.join("libgnuhash.so");
    fs::copy(fixture("elf/gnuhash.so"), &built).unwrap();
    let held = fs::File::open(&lock).unwrap();
    FileExt::lock(&held).unwrap();

    let first = fixture("elf/gnuhash.so");
    let mut child = command(&[
        "--lock-timeout",
        "60",
        first.to_str().unwrap(),
        built.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let line = received
        .recv_timeout(Duration::from_secs(30))
        .expect("the first entry arrives while the second waits for the lock");
    assert!(line.contains("gnuhash.so"), "{line}");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run is still waiting for the build lock"
    );
    drop(held);
    let status = child.wait().unwrap();
    assert!(status.code().is_some(), "exited normally");
    let rest: Vec<String> = received.iter().collect();
    assert!(
        rest.iter().any(|l| l.contains("2 artifacts checked")),
        "{rest:?}"
    );
}
