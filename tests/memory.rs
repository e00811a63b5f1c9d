//! Memory stays bounded whatever a wheel member inflates to: the binary runs under an
//! address-space limit (`prlimit --as`) and its peak RSS is measured by the kernel.
//!
//! A zip bomb (1 GiB of zeros, 1 MiB on disk) must be refused in a 64 MiB address space: its
//! first bytes carry no binary's magic, so nothing more is inflated. A real module padded to
//! 384 MiB (PE, which is inflated whole) must pass with 64 MiB of address space on top of its
//! own size: its member is inflated into a temporary file and mapped, never held on the heap
//! as well (a `Vec` would need at least as much again while it grows).

#![cfg(target_os = "linux")]

mod support;

use std::path::Path;
use std::process::Command;

use support::fixture;

/// Writes wheels whose one member is `prefix` followed by zeros up to a size, deflated once
/// per 16 MiB and repeated (each piece ends in a full flush, so repeating it is valid deflate
/// and the archive is written in a moment), then runs the binary under `prlimit --as` and
/// prints its exit code, peak RSS in KiB and stderr.
const SCRIPT: &str = r#"
import resource, struct, subprocess, sys, zlib
wheel, member, prefix_path, mib, limit = sys.argv[1:6]
command = sys.argv[6:]
piece = 16 << 20
prefix = open(prefix_path, 'rb').read() if prefix_path else b''
first = prefix + bytes(piece - len(prefix))
zeros = bytes(piece)
pieces = int(mib) // 16
deflate = lambda data: (lambda c: c.compress(data) + c.flush(zlib.Z_FULL_FLUSH))(zlib.compressobj(9, zlib.DEFLATED, -15))
rest = deflate(zeros)
data = deflate(first) + rest * (pieces - 1) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
crc = zlib.crc32(first)
for _ in range(pieces - 1):
    crc = zlib.crc32(zeros, crc)
size, name = pieces * piece, member.encode()
with open(wheel, 'wb') as f:
    f.write(struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0) + name)
    f.write(data)
    directory = f.tell()
    f.write(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0) + name)
    end = f.tell()
    f.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 1, 1, end - directory, directory, 0))
run = subprocess.run(['prlimit', '--as=' + limit] + command + [wheel], capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(f"{run.returncode} {peak}\n{run.stderr.decode(errors='replace')}")
"#;

struct Measured {
    code: i32,
    peak_kib: u64,
    stderr: String,
}

/// `None` (after checking that this is not CI) when python3 or prlimit is missing.
fn run_limited(
    dir: &Path,
    member: &str,
    prefix: Option<&Path>,
    mib: u64,
    limit_mib: u64,
) -> Option<Measured> {
    let tools = ["python3", "prlimit"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok());
    if !tools {
        support::skip("python3 or prlimit (util-linux) is missing");
        return None;
    }
    // The wheel's platform tag must fit the member's format, or PYI012 fails the run.
    let platform = if member.ends_with(".pyd") {
        "win_amd64"
    } else {
        "linux_x86_64"
    };
    let wheel = dir.join(format!("big-1.0-cp312-cp312-{platform}.whl"));
    let output = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&wheel)
        .arg(member)
        .arg(prefix.map(Path::as_os_str).unwrap_or_default())
        .arg(mib.to_string())
        .arg(format!("{}", limit_mib << 20))
        // Two workers whatever the machine: a run's threads take address space too.
        .args([env!("CARGO_BIN_EXE_pyinit-check"), "--jobs", "2"])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{text}{}",
        support::stderr(&output)
    );
    assert!(
        std::fs::metadata(&wheel).unwrap().len() < mib << 20 >> 6,
        "a bomb: small on disk"
    );
    let (first, stderr) = text.split_once('\n').unwrap_or((&text, ""));
    let (code, peak) = first.split_once(' ').expect("exit code and peak RSS");
    Some(Measured {
        code: code.parse().unwrap(),
        peak_kib: peak.parse().unwrap(),
        stderr: stderr.to_string(),
    })
}

#[test]
fn a_zip_bomb_is_refused_in_a_small_address_space() {
    let dir = tempfile::tempdir().unwrap();
    let Some(run) = run_limited(
        dir.path(),
        "bomb/_core.cpython-312-x86_64-linux-gnu.so",
        None,
        1024,
        64,
    ) else {
        return;
    };
    eprintln!("bomb: exit {}, peak RSS {} KiB", run.code, run.peak_kib);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(
        run.stderr
            .contains("_core.cpython-312-x86_64-linux-gnu.so: not a shared library"),
        "{}",
        run.stderr
    );
    assert!(run.peak_kib < 48 << 10, "peak RSS {} KiB", run.peak_kib);
}

#[test]
fn a_module_of_hundreds_of_megabytes_needs_no_heap_of_its_size() {
    let dir = tempfile::tempdir().unwrap();
    // A PE module: inflated whole (an ELF member would be cut off after its last segment,
    // before the padding), so 384 MiB really go through the temporary file.
    let Some(run) = run_limited(
        dir.path(),
        "big/good_x64.pyd",
        Some(&fixture("pe/good_x64.pyd")),
        384,
        384 + 64,
    ) else {
        return;
    };
    eprintln!(
        "384 MiB module: exit {}, peak RSS {} KiB",
        run.code, run.peak_kib
    );
    assert_eq!(run.code, 0, "the padded module passes: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.peak_kib < 48 << 10, "peak RSS {} KiB", run.peak_kib);
}
