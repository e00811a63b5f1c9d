//! The peers' own test artifacts — auditwheel, delocate and delvewheel — checked against what
//! each peer's test suite says of them, translated into pyinit-check's rules. The files are
//! byte-for-byte copies from the peers' repositories (`tests/fixtures/peers/PROVENANCE.md` names
//! the repository, commit, path and sha256 of each). Where the peer's test renames a wheel or
//! adds a library to it before running its tool, the case does the same in a temporary directory
//! (`Input::Renamed`, `Input::WithMembers`), so every committed file stays the peer's own.
//!
//! A case states the exact set of rule ids of the error and warning findings of every module
//! (or "nothing to check") and the exit code. What the peers check that pyinit-check does not
//! check yet (vendored libraries a wheel still needs, see PROVENANCE.md "for issue 19") is not
//! asserted: such a case asserts only today's rules.
//!
//! Each test runs its whole table and reports every case that disagrees, not only the first.

mod support;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{fixture, run, write_wheel};

/// What is checked: the committed peer file, or a wheel derived from it as the peer's test does.
enum Input {
    /// The peer's file as committed.
    Pristine,
    /// The peer's file under another name (the peer's test renames or symlinks it so).
    Renamed(&'static str),
    /// The peer's wheel rewritten under another name with extra members `(member, fixture)`,
    /// as the peer's test does with `zip2dir` / copy / `dir2zip`.
    WithMembers(&'static str, &'static [(&'static str, &'static str)]),
}

/// What pyinit-check should say.
enum Verdict {
    /// Every checked module (wheel member), each with the exact, sorted set of rule ids of its
    /// error and warning findings.
    Modules(&'static [(&'static str, &'static [&'static str])]),
    /// A wheel with no module CPython imports: a note, "nothing to check".
    NothingToCheck,
}

struct Case {
    /// Path under `tests/fixtures/peers/`.
    fixture: &'static str,
    input: Input,
    verdict: Verdict,
    /// Expected exit code (default policy: errors fail, warnings do not).
    exit: i32,
    /// A platform tag pyinit-check cannot read: its PYI020 finding must name it.
    unknown_tag: Option<&'static str>,
    /// Where the peer states its expectation (file:line in the peer's repository).
    peer: &'static str,
}

const NONE: &[&str] = &[];

fn materialize(case: &Case, dir: &Path) -> PathBuf {
    let source = fixture(&format!("peers/{}", case.fixture));
    match case.input {
        Input::Pristine => source,
        Input::Renamed(name) => {
            let path = dir.join(name);
            std::fs::copy(&source, &path).unwrap();
            path
        }
        Input::WithMembers(name, extra) => {
            let mut archive = zip::ZipArchive::new(std::fs::File::open(&source).unwrap()).unwrap();
            let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
            for i in 0..archive.len() {
                let mut member = archive.by_index(i).unwrap();
                if member.is_dir() {
                    continue;
                }
                let mut data = Vec::new();
                member.read_to_end(&mut data).unwrap();
                entries.push((member.name().unwrap().to_string(), data));
            }
            for (member, file) in extra {
                let data = std::fs::read(fixture(&format!("peers/{file}"))).unwrap();
                entries.push((member.to_string(), data));
            }
            let borrowed: Vec<(&str, Vec<u8>)> = entries
                .iter()
                .map(|(name, data)| (name.as_str(), data.clone()))
                .collect();
            let path = dir.join(name);
            write_wheel(&path, &borrowed);
            path
        }
    }
}

/// Runs the case; `Err` says how the result differs from the expectation.
fn check(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = materialize(case, dir.path());
    let path = path.to_string_lossy().into_owned();
    let output = run(&["--format", "json", "--no-progress", &path]);
    let report: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("no JSON report ({e}): {}", support::stderr(&output)))?;
    let artifacts = report["artifacts"].as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();

    match case.verdict {
        Verdict::NothingToCheck => {
            let statuses: Vec<&str> = artifacts
                .iter()
                .map(|a| a["status"].as_str().unwrap_or("?"))
                .collect();
            if statuses != ["nothing-to-check"] {
                problems.push(format!(
                    "expected nothing to check, got statuses {statuses:?}"
                ));
            }
        }
        Verdict::Modules(expected) => {
            let expected: BTreeMap<String, Vec<String>> = expected
                .iter()
                .map(|(member, ids)| {
                    (
                        member.to_string(),
                        ids.iter().map(|id| id.to_string()).collect(),
                    )
                })
                .collect();
            let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for artifact in &artifacts {
                let key = artifact["member"]
                    .as_str()
                    .or(artifact["path"].as_str())
                    .unwrap_or("?")
                    .to_string();
                let mut ids: Vec<String> = artifact["findings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter(|f| matches!(f["severity"].as_str(), Some("error" | "warning")))
                    .map(|f| f["rule_id"].as_str().unwrap_or("?").to_string())
                    .collect();
                ids.sort();
                ids.dedup();
                if let Some(problem) = artifact["problem"].as_str() {
                    ids.push(format!("<{} {problem}>", artifact["status"]));
                }
                found.insert(key, ids);
            }
            if found != expected {
                problems.push(format!("expected {expected:?}, got {found:?}"));
            }
        }
    }

    if let Some(tag) = case.unknown_tag {
        let pyi020: Vec<&str> = artifacts
            .iter()
            .flat_map(|a| a["findings"].as_array().into_iter().flatten())
            .filter(|f| f["rule_id"] == "PYI020")
            .filter_map(|f| f["message"].as_str())
            .collect();
        if !pyi020.is_empty() && !pyi020.iter().all(|m| m.contains(tag)) {
            problems.push(format!("PYI020 does not name the tag `{tag}`: {pyi020:?}"));
        }
    }

    let exit = support::code(&output);
    if exit != case.exit {
        problems.push(format!("expected exit {}, got {exit}", case.exit));
    }
    if report["summary"]["exit_code"].as_i64() != Some(i64::from(exit)) {
        problems.push(format!(
            "summary.exit_code {} is not the exit code {exit}",
            report["summary"]["exit_code"]
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_all(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case).err().map(|why| {
                let name = match case.input {
                    Input::Pristine => case.fixture.to_string(),
                    Input::Renamed(n) | Input::WithMembers(n, _) => {
                        format!("{n} (from {})", case.fixture)
                    }
                };
                format!("- {name} [peer: {}]: {why}", case.peer)
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A case on the committed file itself.
const fn pristine(fixture: &'static str, verdict: Verdict, exit: i32, peer: &'static str) -> Case {
    Case {
        fixture,
        input: Input::Pristine,
        verdict,
        exit,
        unknown_tag: None,
        peer,
    }
}

// ---------------------------------------------------------------------------------------------
// auditwheel (pypa/auditwheel), tests/bundled-wheels/
// ---------------------------------------------------------------------------------------------

const TS313_AARCH64: &str = "testsimple.cpython-313-aarch64-linux-gnu.so";
const TS313_X86_64: &str = "testsimple.cpython-313-x86_64-linux-gnu.so";
const TS312_MUSL_X86_64: &str = "testsimple.cpython-312-x86_64-linux-musl.so";

#[test]
fn auditwheel_bundled_wheels() {
    check_all(&[
        // glibc builds for their own arch: auditwheel repairs each to manylinux
        // (tests/integration/test_manylinux.py:1037-1083, test_cross_repair, GLIBC): no finding.
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_aarch64.whl",
            Verdict::Modules(&[(TS313_AARCH64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv7l.whl",
            Verdict::Modules(&[("testsimple.cpython-313-arm-linux-gnueabihf.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_i686.whl",
            Verdict::Modules(&[("testsimple.cpython-313-i386-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_ppc64le.whl",
            Verdict::Modules(&[("testsimple.cpython-313-powerpc64le-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_riscv64.whl",
            Verdict::Modules(&[("testsimple.cpython-313-riscv64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_s390x.whl",
            Verdict::Modules(&[("testsimple.cpython-313-s390x-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            Verdict::Modules(&[(TS313_X86_64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        // armv5l and mips64 are no architecture auditwheel knows ("unknown architecture",
        // tests/integration/test_nonplatform_wheel.py:89-109): an unreadable tag is PYI020.
        Case {
            unknown_tag: Some("linux_armv5l"),
            ..pristine(
                "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv5l.whl",
                Verdict::Modules(&[("testsimple.cpython-313-arm-linux-gnueabi.so", &["PYI020"])]),
                0,
                "tests/integration/test_nonplatform_wheel.py:89-109",
            )
        },
        // The mips64 wheel was renamed by hand: its WHEEL says cp311 (PYI019) and it holds a
        // cp311 module.
        Case {
            unknown_tag: Some("linux_mips64"),
            ..pristine(
                "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_mips64.whl",
                Verdict::Modules(&[(
                    "testsimple.cpython-311-mips64el-linux-gnuabi64.so",
                    &["PYI019", "PYI020"],
                )]),
                0,
                "tests/integration/test_nonplatform_wheel.py:89-109",
            )
        },
        // musl builds for their own arch: auditwheel repairs each to musllinux_1_2_<arch>
        // (tests/integration/test_manylinux.py:1037-1083, test_cross_repair, MUSL).
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_aarch64.whl",
            Verdict::Modules(&[("testsimple.cpython-312-aarch64-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_armv7l.whl",
            Verdict::Modules(&[("testsimple.cpython-312-arm-linux-musleabihf.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_i686.whl",
            Verdict::Modules(&[("testsimple.cpython-312-i386-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_ppc64le.whl",
            Verdict::Modules(&[("testsimple.cpython-312-powerpc64le-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_riscv64.whl",
            Verdict::Modules(&[("testsimple.cpython-312-riscv64-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_s390x.whl",
            Verdict::Modules(&[("testsimple.cpython-312-s390x-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_x86_64.whl",
            Verdict::Modules(&[(TS312_MUSL_X86_64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        // A CPython 3.10 musl build: `-linux-gnu` suffix and no DT_NEEDED at all, so its libc
        // cannot be told (tests/unit/test_lddtree.py:132-146 asserts libc is None).
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp310-cp310-linux_x86_64.whl",
            Verdict::Modules(&[("testsimple.cpython-310-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/unit/test_lddtree.py:132-146",
        ),
        // Android: auditwheel gives policy android_24_arm64_v8a and leaves the libpython
        // dependency alone (tests/integration/test_android.py:94-111, :85-86). Bionic is its own
        // libc, and linking libpython is expected there: no PYI013, no PYI016, no PYI020.
        // (libc++_shared.so must be grafted: for issue 19.)
        pristine(
            "auditwheel/android/spam-0.1.0-cp313-cp313-android_24_arm64_v8a.whl",
            Verdict::Modules(&[("spam.cpython-313-aarch64-linux-android.so", NONE)]),
            0,
            "tests/integration/test_android.py:85-86,94-111",
        ),
        // PyFPE_jbuf keeps it at policy linux_x86_64 (tests/integration/test_bundled_wheels.py:
        // 121-134); its tag is linux_x86_64, so no tag is broken.
        pristine(
            "auditwheel/fpewheel-0.0.0-cp35-cp35m-linux_x86_64.whl",
            Verdict::Modules(&[("fpewheel.cpython-35m-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_bundled_wheels.py:121-134",
        ),
        // Black-listed zlib symbols keep it at linux_x86_64 and `repair` refuses
        // (tests/integration/test_bundled_wheels.py:308-346); tag linux_x86_64 promises nothing
        // more. (The symbol black-list concerns external libraries: for issue 19.)
        pristine(
            "auditwheel/testzlib-0.0.1-cp310-cp310-linux_x86_64.whl",
            Verdict::Modules(&[("testzlib.cpython-310-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_bundled_wheels.py:308-346",
        ),
        // A PyPy cffi module (`.pypy-41.so`): no CPython imports it, so nothing to check.
        // auditwheel finds libsnappy.so.1 external (test_bundled_wheels.py:84-89; issue 19).
        pristine(
            "auditwheel/python_snappy-0.5.2-pp260-pypy_41-linux_x86_64.whl",
            Verdict::NothingToCheck,
            0,
            "tests/integration/test_bundled_wheels.py:84-89",
        ),
        // Pure Python: auditwheel exits 1 "This does not look like a platform wheel"
        // (tests/integration/test_nonplatform_wheel.py:15-26); for us a note, exit 0.
        pristine(
            "auditwheel/plumbum-1.6.8-py2.py3-none-any.whl",
            Verdict::NothingToCheck,
            0,
            "tests/integration/test_nonplatform_wheel.py:15-26",
        ),
    ]);
}

/// The wheels auditwheel's tests rename (by symlink) before running it, named as they name
/// them on an x86_64 host, and the tags of its libc/arch mismatch test.
#[test]
fn auditwheel_renamed_wheels() {
    // `{stem}_{host_arch}.whl` (tests/integration/test_nonplatform_wheel.py:122-125): auditwheel
    // exits 1, "Invalid binary wheel: no ELF executable or ... {arch} architecture" (:135-137).
    // The tag `linux_<arch>_x86_64` is no tag pyinit-check can read: PYI020 naming it; the WHEEL
    // file still lists the old tag: PYI019.
    const BAD_ARCH: &str = "tests/integration/test_nonplatform_wheel.py:112-138";
    const UNKNOWN_ARCH: &str = "tests/integration/test_nonplatform_wheel.py:89-109";
    /// `fixture` renamed `name`, whose tag `tag` is unreadable: `member` gives PYI019 + PYI020.
    fn renamed(
        fixture: &'static str,
        name: &'static str,
        tag: &'static str,
        member: &'static str,
        peer: &'static str,
    ) -> Case {
        const IDS: &[&str] = &["PYI019", "PYI020"];
        Case {
            fixture,
            input: Input::Renamed(name),
            verdict: Verdict::Modules(Box::leak(Box::new([(member, IDS)]))),
            exit: 0,
            unknown_tag: Some(tag),
            peer,
        }
    }
    let mut cases = vec![
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_aarch64.whl",
            "testsimple-0.0.1-cp313-cp313-linux_aarch64_x86_64.whl",
            "linux_aarch64_x86_64",
            TS313_AARCH64,
            BAD_ARCH,
        ),
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv7l.whl",
            "testsimple-0.0.1-cp313-cp313-linux_armv7l_x86_64.whl",
            "linux_armv7l_x86_64",
            "testsimple.cpython-313-arm-linux-gnueabihf.so",
            BAD_ARCH,
        ),
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_i686.whl",
            "testsimple-0.0.1-cp313-cp313-linux_i686_x86_64.whl",
            "linux_i686_x86_64",
            "testsimple.cpython-313-i386-linux-gnu.so",
            BAD_ARCH,
        ),
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_ppc64le.whl",
            "testsimple-0.0.1-cp313-cp313-linux_ppc64le_x86_64.whl",
            "linux_ppc64le_x86_64",
            "testsimple.cpython-313-powerpc64le-linux-gnu.so",
            BAD_ARCH,
        ),
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_s390x.whl",
            "testsimple-0.0.1-cp313-cp313-linux_s390x_x86_64.whl",
            "linux_s390x_x86_64",
            "testsimple.cpython-313-s390x-linux-gnu.so",
            BAD_ARCH,
        ),
        // `{stem}_x86_64.whl` (test_nonplatform_wheel.py:94-96): "unknown architecture" (:108).
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv5l.whl",
            "testsimple-0.0.1-cp313-cp313-linux_armv5l_x86_64.whl",
            "linux_armv5l_x86_64",
            "testsimple.cpython-313-arm-linux-gnueabi.so",
            UNKNOWN_ARCH,
        ),
        renamed(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_mips64.whl",
            "testsimple-0.0.1-cp313-cp313-linux_mips64_x86_64.whl",
            "linux_mips64_x86_64",
            "testsimple.cpython-311-mips64el-linux-gnuabi64.so",
            UNKNOWN_ARCH,
        ),
    ];
    cases.extend([
        // "can't repair wheel foo-1.0-py3-none-manylinux1_x86_64.whl with GLIBC libc to a wheel
        // targeting MUSL", and the converse (tests/unit/test_main.py:52-63, asserted at :91):
        // a musl build (`-linux-musl`) in a manylinux wheel, a glibc build (`-linux-gnu`,
        // CPython 3.13) in a musllinux wheel: PYI016 (+ PYI019, WHEEL not rewritten).
        Case {
            fixture: "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp312-cp312-manylinux1_x86_64.whl"),
            verdict: Verdict::Modules(&[(TS312_MUSL_X86_64, &["PYI016", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/unit/test_main.py:58-63,91",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp313-cp313-musllinux_1_1_x86_64.whl"),
            verdict: Verdict::Modules(&[(TS313_X86_64, &["PYI016", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/unit/test_main.py:52-57,91",
        },
        // "with aarch64 architecture to a wheel targeting x86_64" (tests/unit/test_main.py:47-51;
        // analyze_wheel_abi raises NonPlatformWheelError, test_bundled_wheels.py:147-156): an
        // aarch64 module under a manylinux x86_64 tag is PYI012.
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_aarch64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp313-cp313-manylinux1_x86_64.whl"),
            verdict: Verdict::Modules(&[(TS313_AARCH64, &["PYI012", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/unit/test_main.py:47-51,91",
        },
        // The tags `auditwheel repair` gives these builds (tests/integration/test_manylinux.py:
        // 1056-1068): the libc and arch agree, only the un-rewritten WHEEL differs (PYI019).
        Case {
            fixture: "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp312-cp312-musllinux_1_2_x86_64.whl"),
            verdict: Verdict::Modules(&[(TS312_MUSL_X86_64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1056-1059,1079-1083",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            input: Input::Renamed(
                "testsimple-0.0.1-cp313-cp313-manylinux1_x86_64.manylinux_2_5_x86_64.whl",
            ),
            verdict: Verdict::Modules(&[(TS313_X86_64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1060-1065,1079-1083",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_aarch64.whl",
            input: Input::Renamed(
                "testsimple-0.0.1-cp313-cp313-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",
            ),
            verdict: Verdict::Modules(&[(TS313_AARCH64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1060-1063,1079-1083",
        },
        // The cp310 musl build under musllinux: its libc cannot be told from the binary
        // (tests/unit/test_lddtree.py:132-146), so no PYI016.
        Case {
            fixture: "auditwheel/musllinux_1_2/testsimple-0.0.1-cp310-cp310-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp310-cp310-musllinux_1_2_x86_64.whl"),
            verdict: Verdict::Modules(&[(
                "testsimple.cpython-310-x86_64-linux-gnu.so",
                &["PYI019"],
            )]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/unit/test_lddtree.py:132-146",
        },
    ]);
    check_all(&cases);
}

// ---------------------------------------------------------------------------------------------
// delocate (matthew-brett/delocate), delocate/tests/data/
// ---------------------------------------------------------------------------------------------

const FAKEPKG1: &str = "delocate/fakepkg1-1.0-cp36-abi3-macosx_10_9_universal2.whl";
const MODULE2: &str = "fakepkg1/subpkg/module2.abi3.so";

#[test]
fn delocate_test_data() {
    check_all(&[
        // module2.abi3.so: x86_64 slice minos 10.9, arm64 slice minos 11.0; delocate-wheel
        // accepts it with --require-archs=universal2 (delocate/tests/test_scripts.py:387-393).
        // arm64 is held to 11.0, so a 10_9 universal2 tag is fine.
        pristine(
            FAKEPKG1,
            Verdict::Modules(&[(MODULE2, NONE)]),
            0,
            "delocate/tests/test_scripts.py:387-393",
        ),
        // Pure Python: delocate_wheel changes nothing (delocate/tests/test_wheelies.py:76-86).
        pristine(
            "delocate/fakepkg2-1.0-py3-none-any.whl",
            Verdict::NothingToCheck,
            0,
            "delocate/tests/test_wheelies.py:76-86",
        ),
        // Tagged universal2 but the module is x86_64 only: delocate's own tests name the output
        // `...macosx_10_9_x86_64.whl` (test_wheelies.py:392-394, 457-460, 483-485), and a module
        // missing an arch fails require_archs="universal2" (test_wheelies.py:316-325): PYI012.
        pristine(
            "delocate/fakepkg_rpath-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Modules(&[("fakepkg/subpkg/module2.abi3.so", &["PYI012"])]),
            1,
            "delocate/tests/test_wheelies.py:316-325,392-394",
        ),
        pristine(
            "delocate/fakepkg_toplevel-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Modules(&[("module2.abi3.so", &["PYI012"])]),
            1,
            "delocate/tests/test_wheelies.py:316-325,457-460",
        ),
        pristine(
            "delocate/fakepkg_namespace-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Modules(&[("namespace/subpkg/module2.abi3.so", &["PYI012"])]),
            1,
            "delocate/tests/test_wheelies.py:316-325,483-485",
        ),
        // The `plat_wheel` fixture: fakepkg1 renamed plat-1.0-cp311-cp311-macosx_10_9_x86_64
        // (delocate/tests/conftest.py:15-30; its install-name rewrite is not reproduced).
        // delocate-wheel succeeds on it (test_scripts.py:897-909). WHEEL not rewritten: PYI019.
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat-1.0-cp311-cp311-macosx_10_9_x86_64.whl"),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "delocate/tests/conftest.py:15-30",
        },
        // Renamed macosx_10_6_x86_64: "module2.abi3.so has a minimum target of 10.9", refused
        // (delocate/tests/test_scripts.py:747-761): PYI017 (10.9 > 10.6, compared as X.Y).
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat-1.0-cp311-cp311-macosx_10_6_x86_64.whl"),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI017", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:747-761",
        },
        // Renamed macosx_10_9_intel (i386 + x86_64): "Failed to find any binary with the
        // required architecture: 'i386'" (delocate/tests/test_scripts.py:812-834): PYI012.
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat2-1.0-cp311-cp311-macosx_10_9_intel.whl"),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI012", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:812-834",
        },
        // libam1.dylib (arm64, 11.0) added under macosx_10_9_universal2: accepted
        // (delocate/tests/test_scripts.py:767-781).
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_10_9_universal2.whl",
                &[("fakepkg1/libam1.dylib", "delocate/libam1.dylib")],
            ),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:767-781",
        },
        // libam1_12.dylib (minos 12.0) added as fakepkg1/libam1.dylib under 10_9 universal2:
        // refused, "libam1.dylib has a minimum target of 12.0"
        // (delocate/tests/test_scripts.py:840-861). A vendored library's floor is not checked
        // yet (issue 19): today only the module counts.
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat2-1.0-cp311-cp311-macosx_10_9_universal2.whl",
                &[("fakepkg1/libam1.dylib", "delocate/libam1_12.dylib")],
            ),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:840-861",
        },
        // liba_12.dylib (x86_64, minos 12.0) added to the 10_9_x86_64 plat wheel: delocate-wheel
        // retags it macosx_12_0_x86_64 (delocate/tests/test_scripts.py:724-741). Issue 19.
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_10_9_x86_64.whl",
                &[("fakepkg1/liba_12.dylib", "delocate/liba_12.dylib")],
            ),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:724-741",
        },
        // liba_12_1.dylib (minos 12.1): delocate tags the wheel macosx_12_0_x86_64, "will not
        // support macOS versions older than 12.1" (delocate/tests/test_scripts.py:915-935).
        // Its output wheel, checked: from 11 on only the major counts, so 12.1 under 12_0 is
        // fine (the module itself is 10.9 / 11.0).
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_12_0_x86_64.whl",
                &[("fakepkg1/liba_12_1.dylib", "delocate/liba_12_1.dylib")],
            ),
            verdict: Verdict::Modules(&[(MODULE2, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:915-935",
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// delvewheel (adang1345/delvewheel), tests/simpleext/ and tests/iknowpy/
// ---------------------------------------------------------------------------------------------

#[test]
fn delvewheel_test_wheels() {
    check_all(&[
        // Each imports simpledll.dll (not in the wheel: `repair --add-path simpleext/x64`
        // vendors it; issue 19) and the python DLL its tag promises: no finding.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win_amd64.whl",
            Verdict::Modules(&[("simpleext.cp312-win_amd64.pyd", NONE)]),
            0,
            "tests/run_tests.py:629-637",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp39-cp39-win_amd64.whl",
            Verdict::Modules(&[("simpleext.cp39-win_amd64.pyd", NONE)]),
            0,
            "tests/run_tests.py:1470-1474",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36-cp36m-win_amd64.whl",
            Verdict::Modules(&[("simpleext.cp36-win_amd64.pyd", NONE)]),
            0,
            "tests/run_tests.py:701-703",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win32.whl",
            Verdict::Modules(&[("simpleext.cp312-win32.pyd", NONE)]),
            0,
            "tests/run_tests.py:697-699",
        ),
        // abi3 modules importing python3.dll.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36-abi3-win_amd64.whl",
            Verdict::Modules(&[("simpleext.pyd", NONE)]),
            0,
            "tests/run_tests.py:771-773",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-abi3-win_amd64.whl",
            Verdict::Modules(&[("simpleext.pyd", NONE)]),
            0,
            "tests/run_tests.py:793-795",
        ),
        // Free-threaded: imports python313t.dll.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp313-cp313t-win_amd64.whl",
            Verdict::Modules(&[("simpleext.cp313t-win_amd64.pyd", NONE)]),
            0,
            "tests/run_tests.py:1303-1305",
        ),
        // Two versions in one wheel, repaired and imported (tests/run_tests.py:709-719); its
        // WHEEL lists only cp312-cp312-win_amd64, not the name's four tags: PYI019 on each.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36.cp312-cp36m.cp312-win_amd64.whl",
            Verdict::Modules(&[
                ("simpleext.cp312-win_amd64.pyd", &["PYI019"]),
                ("simpleext.cp36-win_amd64.pyd", &["PYI019"]),
            ]),
            0,
            "tests/run_tests.py:709-719",
        ),
        // PyPy and GraalPy modules: repaired by delvewheel (tests/run_tests.py:705-707,
        // :1400-1402); no CPython imports their suffixes, so nothing to check.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-pp310-pypy310_pp73-win_amd64.whl",
            Verdict::NothingToCheck,
            0,
            "tests/run_tests.py:705-707",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-graalpy312-graalpy250_312_native-win_amd64.whl",
            Verdict::NothingToCheck,
            0,
            "tests/run_tests.py:1400-1402",
        ),
        // A .pyd under .data/data/ is ignored (tests/run_tests.py:196-199): not importable.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-0ignore-cp312-cp312-win_amd64.whl",
            Verdict::NothingToCheck,
            0,
            "tests/run_tests.py:196-199",
        ),
        // iknowpy: imports iKnowEngine.dll, MSVCP140.dll, VCRUNTIME140(_1).dll; `repair` without
        // --add-path fails, "DLL not found" (tests/run_tests.py:225-228; issue 19). The module
        // itself is fine.
        pristine(
            "delvewheel/iknowpy/iknowpy-1.5.3-cp312-cp312-win_amd64.whl",
            Verdict::Modules(&[("iknowpy/engine.cp312-win_amd64.pyd", NONE)]),
            0,
            "tests/run_tests.py:215-228",
        ),
        // Wrong bitness: delvewheel refuses a 32-bit simpledll.dll for the win_amd64 wheel
        // (tests/run_tests.py:687-690). The module-level analogue: the 32-bit wheel's .pyd under
        // a win_amd64 name is PYI012 (+ PYI019: its WHEEL says win32).
        Case {
            fixture: "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win32.whl",
            input: Input::Renamed("simpleext-0.0.1-cp312-cp312-win_amd64.whl"),
            verdict: Verdict::Modules(&[("simpleext.cp312-win32.pyd", &["PYI012", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/run_tests.py:687-690",
        },
    ]);
}
