//! The peers' own test artifacts — auditwheel, delocate and delvewheel — checked against what
//! each peer's test suite says of them, translated into pyinit-check's rules. The files are
//! byte-for-byte copies from the peers' repositories (`tests/fixtures/peers/PROVENANCE.md` names
//! the repository, commit, path and sha256 of each). Where the peer's test renames a wheel or
//! adds a library to it before running its tool, the case does the same in a temporary directory
//! (`Input::Renamed`, `Input::WithMembers`), so every committed file stays the peer's own.
//!
//! A case states every artifact the input gives — modules and libraries (vendored ones, and
//! shared libraries that are no modules), each with the exact set of rule ids of its error and
//! warning findings — or "nothing to check", and the exit code. Where a peer says a library the
//! wheel does not carry must be vendored (its repair copies it in) or is external, the module
//! gets PYI021 library-not-found, and the case also states exactly which libraries its PYI021
//! findings name, citing the peer's file:line that says so.
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
    /// Every checked artifact of the input — its modules and its libraries (vendored ones, and
    /// shared libraries that are no modules) — none more, none fewer.
    Artifacts(Vec<Expect>),
    /// A wheel with no module CPython imports: a note, "nothing to check".
    NothingToCheck,
}

/// What an artifact is checked as: JSON `"kind"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Module,
    Library,
}

impl Kind {
    fn json(self) -> &'static str {
        match self {
            Kind::Module => "module",
            Kind::Library => "library",
        }
    }
}

/// One artifact's expected verdict.
struct Expect {
    /// Its path in the wheel.
    member: &'static str,
    kind: Kind,
    /// The exact, sorted set of rule ids of its error and warning findings. None at all means
    /// status `pass`.
    ids: &'static [&'static str],
    /// The exact set of libraries its PYI021 findings name (the backticked name after
    /// "needs `"), and where the peer says each is external or vendored by its repair.
    needs: &'static [&'static str],
    needs_peer: Option<&'static str>,
}

/// A module (a member CPython imports) with the rule ids of its findings.
fn module(member: &'static str, ids: &'static [&'static str]) -> Expect {
    Expect {
        member,
        kind: Kind::Module,
        ids,
        needs: &[],
        needs_peer: None,
    }
}

/// A library (no module: loaded by one, or by path) with the rule ids of its findings.
fn library(member: &'static str, ids: &'static [&'static str]) -> Expect {
    Expect {
        kind: Kind::Library,
        ..module(member, ids)
    }
}

impl Expect {
    /// The libraries its PYI021 findings name; `peer` is the peer's file:line saying so.
    fn needs(self, libraries: &'static [&'static str], peer: &'static str) -> Expect {
        Expect {
            needs: libraries,
            needs_peer: Some(peer),
            ..self
        }
    }
}

/// Every artifact is a module, in the order given.
fn modules(expected: &[(&'static str, &'static [&'static str])]) -> Verdict {
    Verdict::Artifacts(
        expected
            .iter()
            .map(|(member, ids)| module(member, ids))
            .collect(),
    )
}

/// The library a PYI021 message names: ``… needs `libfoo.so`: …``.
fn needed_library(message: &str) -> Option<&str> {
    let rest = &message[message.find("needs `")? + "needs `".len()..];
    Some(&rest[..rest.find('`')?])
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

    match &case.verdict {
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
        Verdict::Artifacts(expected) => {
            // member -> (kind, rule ids, libraries PYI021 names)
            type Seen = (String, Vec<String>, Vec<String>);
            let mut wanted: BTreeMap<String, Seen> = BTreeMap::new();
            for e in expected {
                let ids: Vec<String> = e.ids.iter().map(|id| id.to_string()).collect();
                let mut needs: Vec<String> = e.needs.iter().map(|l| l.to_string()).collect();
                needs.sort();
                needs.dedup();
                // A case that expects PYI021 says which libraries, and where the peer says so.
                if e.ids.contains(&"PYI021") == e.needs.is_empty()
                    || e.needs.is_empty() != e.needs_peer.is_none()
                {
                    problems.push(format!(
                        "case error: {} expects {:?} but names the libraries {:?} (peer {:?})",
                        e.member, e.ids, e.needs, e.needs_peer
                    ));
                }
                let previous = wanted.insert(
                    e.member.to_string(),
                    (e.kind.json().to_string(), ids, needs),
                );
                assert!(previous.is_none(), "{} listed twice", e.member);
            }
            let mut found: BTreeMap<String, Seen> = BTreeMap::new();
            for artifact in &artifacts {
                let key = artifact["member"]
                    .as_str()
                    .or(artifact["path"].as_str())
                    .unwrap_or("?")
                    .to_string();
                let findings = artifact["findings"].as_array().cloned().unwrap_or_default();
                let counted = findings
                    .iter()
                    .filter(|f| matches!(f["severity"].as_str(), Some("error" | "warning")));
                let mut ids: Vec<String> = counted
                    .clone()
                    .map(|f| f["rule_id"].as_str().unwrap_or("?").to_string())
                    .collect();
                ids.sort();
                ids.dedup();
                if let Some(problem) = artifact["problem"].as_str() {
                    ids.push(format!("<{} {problem}>", artifact["status"]));
                }
                let mut needs: Vec<String> = counted
                    .filter(|f| f["rule_id"] == "PYI021")
                    .map(|f| {
                        let message = f["message"].as_str().unwrap_or("");
                        needed_library(message)
                            .map_or_else(|| format!("<no library in {message:?}>"), str::to_owned)
                    })
                    .collect();
                needs.sort();
                needs.dedup();
                let kind = artifact["kind"].as_str().unwrap_or("?").to_string();
                if ids.is_empty() && artifact["status"] != "pass" {
                    problems.push(format!(
                        "{key}: no finding, but status {}",
                        artifact["status"]
                    ));
                }
                found.insert(key, (kind, ids, needs));
            }
            if found != wanted {
                problems.push(format!(
                    "expected (kind, rule ids, libraries PYI021 names) {wanted:?}, got {found:?}"
                ));
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
fn pristine(fixture: &'static str, verdict: Verdict, exit: i32, peer: &'static str) -> Case {
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
            modules(&[(TS313_AARCH64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv7l.whl",
            modules(&[("testsimple.cpython-313-arm-linux-gnueabihf.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_i686.whl",
            modules(&[("testsimple.cpython-313-i386-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_ppc64le.whl",
            modules(&[("testsimple.cpython-313-powerpc64le-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_riscv64.whl",
            modules(&[("testsimple.cpython-313-riscv64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_s390x.whl",
            modules(&[("testsimple.cpython-313-s390x-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            modules(&[(TS313_X86_64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        // armv5l and mips64 are no architecture auditwheel knows ("unknown architecture",
        // tests/integration/test_nonplatform_wheel.py:89-109): an unreadable tag is PYI020.
        Case {
            unknown_tag: Some("linux_armv5l"),
            ..pristine(
                "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_armv5l.whl",
                modules(&[("testsimple.cpython-313-arm-linux-gnueabi.so", &["PYI020"])]),
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
                modules(&[(
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
            modules(&[("testsimple.cpython-312-aarch64-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_armv7l.whl",
            modules(&[("testsimple.cpython-312-arm-linux-musleabihf.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_i686.whl",
            modules(&[("testsimple.cpython-312-i386-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_ppc64le.whl",
            modules(&[("testsimple.cpython-312-powerpc64le-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_riscv64.whl",
            modules(&[("testsimple.cpython-312-riscv64-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_s390x.whl",
            modules(&[("testsimple.cpython-312-s390x-linux-musl.so", NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_x86_64.whl",
            modules(&[(TS312_MUSL_X86_64, NONE)]),
            0,
            "tests/integration/test_manylinux.py:1037-1083",
        ),
        // A CPython 3.10 musl build: `-linux-gnu` suffix and no DT_NEEDED at all, so its libc
        // cannot be told (tests/unit/test_lddtree.py:132-146 asserts libc is None).
        pristine(
            "auditwheel/musllinux_1_2/testsimple-0.0.1-cp310-cp310-linux_x86_64.whl",
            modules(&[("testsimple.cpython-310-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/unit/test_lddtree.py:132-146",
        ),
        // Android: auditwheel gives policy android_24_arm64_v8a and leaves the libpython
        // dependency alone (tests/integration/test_android.py:94-111, :85-86). Bionic is its own
        // libc, and linking libpython is expected there: no PYI013, no PYI016, no PYI020. But
        // `libc++_shared.so` is no library of the android_24 policy: auditwheel lists it as the
        // wheel's external reference and `repair` grafts it into `spam.libs/`
        // (test_android.py:105-111, :73-91). Unrepaired, the module does not load: PYI021.
        pristine(
            "auditwheel/android/spam-0.1.0-cp313-cp313-android_24_arm64_v8a.whl",
            Verdict::Artifacts(vec![
                module("spam.cpython-313-aarch64-linux-android.so", &["PYI021"]).needs(
                    &["libc++_shared.so"],
                    "tests/integration/test_android.py:105-111",
                ),
            ]),
            1,
            "tests/integration/test_android.py:85-86,94-111",
        ),
        // PyFPE_jbuf keeps it at policy linux_x86_64 (tests/integration/test_bundled_wheels.py:
        // 121-134); its tag is linux_x86_64, so no tag is broken.
        pristine(
            "auditwheel/fpewheel-0.0.0-cp35-cp35m-linux_x86_64.whl",
            modules(&[("fpewheel.cpython-35m-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_bundled_wheels.py:121-134",
        ),
        // Black-listed zlib symbols keep it at linux_x86_64 and `repair` refuses
        // (tests/integration/test_bundled_wheels.py:308-346); tag linux_x86_64 promises nothing
        // more. Its `libz.so.1` is in every manylinux policy's lib_whitelist (its `-linux-gnu`
        // suffix is held to the newest), so no PYI021; the symbol black-list is not checked.
        pristine(
            "auditwheel/testzlib-0.0.1-cp310-cp310-linux_x86_64.whl",
            modules(&[("testzlib.cpython-310-x86_64-linux-gnu.so", NONE)]),
            0,
            "tests/integration/test_bundled_wheels.py:308-346",
        ),
        // A PyPy cffi module (`.pypy-41.so`): no CPython imports it, so it is checked as a
        // library. auditwheel finds libsnappy.so.1 external (test_bundled_wheels.py:84-89), but
        // the wheel's tag `linux_x86_64` promises no policy, so that need is not judged: pass.
        pristine(
            "auditwheel/python_snappy-0.5.2-pp260-pypy_41-linux_x86_64.whl",
            Verdict::Artifacts(vec![library("snappy/_snappy_cffi.pypy-41.so", NONE)]),
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
            verdict: modules(&[(member, IDS)]),
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
            verdict: modules(&[(TS312_MUSL_X86_64, &["PYI016", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/unit/test_main.py:58-63,91",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp313-cp313-musllinux_1_1_x86_64.whl"),
            verdict: modules(&[(TS313_X86_64, &["PYI016", "PYI019"])]),
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
            verdict: modules(&[(TS313_AARCH64, &["PYI012", "PYI019"])]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/unit/test_main.py:47-51,91",
        },
        // The tags `auditwheel repair` gives these builds (tests/integration/test_manylinux.py:
        // 1056-1068): the libc and arch agree, only the un-rewritten WHEEL differs (PYI019).
        Case {
            fixture: "auditwheel/musllinux_1_2/testsimple-0.0.1-cp312-cp312-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp312-cp312-musllinux_1_2_x86_64.whl"),
            verdict: modules(&[(TS312_MUSL_X86_64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1056-1059,1079-1083",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_x86_64.whl",
            input: Input::Renamed(
                "testsimple-0.0.1-cp313-cp313-manylinux1_x86_64.manylinux_2_5_x86_64.whl",
            ),
            verdict: modules(&[(TS313_X86_64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1060-1065,1079-1083",
        },
        Case {
            fixture: "auditwheel/glibc/testsimple-0.0.1-cp313-cp313-linux_aarch64.whl",
            input: Input::Renamed(
                "testsimple-0.0.1-cp313-cp313-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",
            ),
            verdict: modules(&[(TS313_AARCH64, &["PYI019"])]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/integration/test_manylinux.py:1060-1063,1079-1083",
        },
        // The cp310 musl build under musllinux: its libc cannot be told from the binary
        // (tests/unit/test_lddtree.py:132-146), so no PYI016.
        Case {
            fixture: "auditwheel/musllinux_1_2/testsimple-0.0.1-cp310-cp310-linux_x86_64.whl",
            input: Input::Renamed("testsimple-0.0.1-cp310-cp310-musllinux_1_2_x86_64.whl"),
            verdict: modules(&[("testsimple.cpython-310-x86_64-linux-gnu.so", &["PYI019"])]),
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
/// fakepkg1's module2 loads `libextfunc.dylib`, which the wheel does not carry: delocating it
/// copies that library into `fakepkg1/.dylibs/`.
const LIBEXTFUNC: &str = "delocate/tests/test_wheelies.py:114-131";

/// fakepkg1's module2 (or the `plat_wheel` made from it), with `ids` besides its PYI021 for
/// `libextfunc.dylib`.
fn module2(ids: &'static [&'static str]) -> Expect {
    module(MODULE2, ids).needs(&["libextfunc.dylib"], LIBEXTFUNC)
}

#[test]
fn delocate_test_data() {
    check_all(&[
        // module2.abi3.so: x86_64 slice minos 10.9, arm64 slice minos 11.0; delocate-wheel
        // accepts it with --require-archs=universal2 (delocate/tests/test_scripts.py:387-393),
        // after copying the stray libextfunc.dylib it needs into `.dylibs` (both slices need
        // it: one finding each, one library). arm64 is held to 11.0, so a 10_9 universal2 tag
        // is fine.
        pristine(
            FAKEPKG1,
            Verdict::Artifacts(vec![module2(&["PYI021"])]),
            1,
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
        // Each module's `@rpath/` dependency is not in the wheel (its LC_RPATH is the build
        // machine's `libs/`): delocate_wheel copies it in (test_wheelies.py:380-396, 449-463,
        // 476-487): PYI021.
        pristine(
            "delocate/fakepkg_rpath-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Artifacts(vec![
                module("fakepkg/subpkg/module2.abi3.so", &["PYI012", "PYI021"]).needs(
                    &["@rpath/libextfunc_rpath.dylib"],
                    "delocate/tests/test_wheelies.py:380-396",
                ),
            ]),
            1,
            "delocate/tests/test_wheelies.py:316-325,392-394",
        ),
        pristine(
            "delocate/fakepkg_toplevel-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Artifacts(vec![
                module("module2.abi3.so", &["PYI012", "PYI021"]).needs(
                    &["@rpath/libextfunc2_rpath.dylib"],
                    "delocate/tests/test_wheelies.py:449-463",
                ),
            ]),
            1,
            "delocate/tests/test_wheelies.py:316-325,457-460",
        ),
        pristine(
            "delocate/fakepkg_namespace-1.0-cp36-abi3-macosx_10_9_universal2.whl",
            Verdict::Artifacts(vec![
                module("namespace/subpkg/module2.abi3.so", &["PYI012", "PYI021"]).needs(
                    &["@rpath/libextfunc2_rpath.dylib"],
                    "delocate/tests/test_wheelies.py:476-487",
                ),
            ]),
            1,
            "delocate/tests/test_wheelies.py:316-325,483-485",
        ),
        // The `plat_wheel` fixture: fakepkg1 renamed plat-1.0-cp311-cp311-macosx_10_9_x86_64
        // (delocate/tests/conftest.py:15-30; its install-name rewrite, which points module2 at
        // the stray libextfunc.dylib by absolute path, is not reproduced: either way the library
        // is not in the wheel). delocate-wheel succeeds on it (test_scripts.py:897-909) by
        // copying that library in. WHEEL not rewritten: PYI019.
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat-1.0-cp311-cp311-macosx_10_9_x86_64.whl"),
            verdict: Verdict::Artifacts(vec![module2(&["PYI019", "PYI021"])]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/conftest.py:15-30",
        },
        // Renamed macosx_10_6_x86_64: "module2.abi3.so has a minimum target of 10.9", refused
        // (delocate/tests/test_scripts.py:747-761): PYI017 (10.9 > 10.6, compared as X.Y).
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat-1.0-cp311-cp311-macosx_10_6_x86_64.whl"),
            verdict: Verdict::Artifacts(vec![module2(&["PYI017", "PYI019", "PYI021"])]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:747-761",
        },
        // Renamed macosx_10_9_intel (i386 + x86_64): "Failed to find any binary with the
        // required architecture: 'i386'" (delocate/tests/test_scripts.py:812-834): PYI012.
        Case {
            fixture: FAKEPKG1,
            input: Input::Renamed("plat2-1.0-cp311-cp311-macosx_10_9_intel.whl"),
            verdict: Verdict::Artifacts(vec![module2(&["PYI012", "PYI019", "PYI021"])]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:812-834",
        },
        // libam1.dylib (arm64 only, 11.0) added under macosx_10_9_universal2: accepted
        // (delocate/tests/test_scripts.py:767-781) — delocate only asks that SOME binary of the
        // wheel has each arch of the tag (delocating.py:693-702). pyinit-check judges the
        // library as an artifact of the universal2 wheel: arm64 only is PYI012.
        // DISAGREES with the peer (reported, not settled): nothing in the wheel loads libam1,
        // but a ctypes load of it on an x86_64 Mac would fail.
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_10_9_universal2.whl",
                &[("fakepkg1/libam1.dylib", "delocate/libam1.dylib")],
            ),
            verdict: Verdict::Artifacts(vec![
                module2(&["PYI019", "PYI021"]),
                library("fakepkg1/libam1.dylib", &["PYI012"]),
            ]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:767-781",
        },
        // libam1_12.dylib (minos 12.0) added as fakepkg1/libam1.dylib under 10_9 universal2:
        // refused, "libam1.dylib has a minimum target of 12.0"
        // (delocate/tests/test_scripts.py:840-861): PYI017 on the library (and its PYI012, as
        // in the case above).
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat2-1.0-cp311-cp311-macosx_10_9_universal2.whl",
                &[("fakepkg1/libam1.dylib", "delocate/libam1_12.dylib")],
            ),
            verdict: Verdict::Artifacts(vec![
                module2(&["PYI019", "PYI021"]),
                library("fakepkg1/libam1.dylib", &["PYI012", "PYI017"]),
            ]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:840-861",
        },
        // liba_12.dylib (x86_64, minos 12.0) added to the 10_9_x86_64 plat wheel: delocate-wheel
        // retags it macosx_12_0_x86_64 (delocate/tests/test_scripts.py:724-741): under 10_9 the
        // library is PYI017.
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_10_9_x86_64.whl",
                &[("fakepkg1/liba_12.dylib", "delocate/liba_12.dylib")],
            ),
            verdict: Verdict::Artifacts(vec![
                module2(&["PYI019", "PYI021"]),
                library("fakepkg1/liba_12.dylib", &["PYI017"]),
            ]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:724-741",
        },
        // liba_12_1.dylib (minos 12.1): delocate tags the wheel macosx_12_0_x86_64, "will not
        // support macOS versions older than 12.1" (delocate/tests/test_scripts.py:915-935).
        // Its output wheel, checked: from 11 on only the major counts, so the library's 12.1
        // under 12_0 passes (the module itself is 10.9 / 11.0).
        Case {
            fixture: FAKEPKG1,
            input: Input::WithMembers(
                "plat-1.0-cp311-cp311-macosx_12_0_x86_64.whl",
                &[("fakepkg1/liba_12_1.dylib", "delocate/liba_12_1.dylib")],
            ),
            verdict: Verdict::Artifacts(vec![
                module2(&["PYI019", "PYI021"]),
                library("fakepkg1/liba_12_1.dylib", NONE),
            ]),
            exit: 1,
            unknown_tag: None,
            peer: "delocate/tests/test_scripts.py:915-935",
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// delvewheel (adang1345/delvewheel), tests/simpleext/ and tests/iknowpy/
// ---------------------------------------------------------------------------------------------

/// `delvewheel repair --add-path simpleext/x64` vendors the `simpledll.dll` every simpleext
/// module imports (and the wheels do not carry): the repaired abi3 wheel holds it.
const SIMPLEDLL: &str = "tests/run_tests.py:776-783";

/// A simpleext module with `ids` besides its PYI021 for `simpledll.dll`.
fn simpleext(member: &'static str, ids: &'static [&'static str]) -> Expect {
    module(member, ids).needs(&["simpledll.dll"], SIMPLEDLL)
}

#[test]
fn delvewheel_test_wheels() {
    check_all(&[
        // Each imports simpledll.dll, not in the wheel: `repair --add-path simpleext/x64`
        // vendors it (tests/run_tests.py:776-783): PYI021 naming it. The python DLL each imports
        // is the one its tag promises: nothing else.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win_amd64.whl",
            Verdict::Artifacts(vec![simpleext(
                "simpleext.cp312-win_amd64.pyd",
                &["PYI021"],
            )]),
            1,
            "tests/run_tests.py:629-637",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp39-cp39-win_amd64.whl",
            Verdict::Artifacts(vec![simpleext("simpleext.cp39-win_amd64.pyd", &["PYI021"])]),
            1,
            "tests/run_tests.py:1470-1474",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36-cp36m-win_amd64.whl",
            Verdict::Artifacts(vec![simpleext("simpleext.cp36-win_amd64.pyd", &["PYI021"])]),
            1,
            "tests/run_tests.py:701-703",
        ),
        // The 32-bit wheel: repaired with the x86 simpledll.dll (tests/run_tests.py:697-699).
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win32.whl",
            Verdict::Artifacts(vec![
                module("simpleext.cp312-win32.pyd", &["PYI021"])
                    .needs(&["simpledll.dll"], "tests/run_tests.py:697-699"),
            ]),
            1,
            "tests/run_tests.py:697-699",
        ),
        // abi3 modules importing python3.dll.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36-abi3-win_amd64.whl",
            Verdict::Artifacts(vec![simpleext("simpleext.pyd", &["PYI021"])]),
            1,
            "tests/run_tests.py:771-783",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp312-abi3-win_amd64.whl",
            Verdict::Artifacts(vec![
                module("simpleext.pyd", &["PYI021"])
                    .needs(&["simpledll.dll"], "tests/run_tests.py:798-805"),
            ]),
            1,
            "tests/run_tests.py:793-805",
        ),
        // Free-threaded: imports python313t.dll.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp313-cp313t-win_amd64.whl",
            Verdict::Artifacts(vec![simpleext(
                "simpleext.cp313t-win_amd64.pyd",
                &["PYI021"],
            )]),
            1,
            "tests/run_tests.py:1303-1305",
        ),
        // Two versions in one wheel, repaired and imported (tests/run_tests.py:709-719); its
        // WHEEL lists only cp312-cp312-win_amd64, not the name's four tags: PYI019 on each.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-cp36.cp312-cp36m.cp312-win_amd64.whl",
            Verdict::Artifacts(vec![
                simpleext("simpleext.cp312-win_amd64.pyd", &["PYI019", "PYI021"]),
                simpleext("simpleext.cp36-win_amd64.pyd", &["PYI019", "PYI021"]),
            ]),
            1,
            "tests/run_tests.py:709-719",
        ),
        // PyPy and GraalPy modules: no CPython imports their suffixes, so each is checked as a
        // library; delvewheel repairs them by vendoring simpledll.dll (tests/run_tests.py:
        // 705-707; for GraalPy :1400-1406 asserts it is the one DLL vendored): PYI021.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-pp310-pypy310_pp73-win_amd64.whl",
            Verdict::Artifacts(vec![
                library("simpleext.pypy310-pp73-win_amd64.pyd", &["PYI021"])
                    .needs(&["simpledll.dll"], "tests/run_tests.py:705-707"),
            ]),
            1,
            "tests/run_tests.py:705-707",
        ),
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-graalpy312-graalpy250_312_native-win_amd64.whl",
            Verdict::Artifacts(vec![
                library(
                    "simpleext.graalpy250-312-native-x86_64-win32.pyd",
                    &["PYI021"],
                )
                .needs(&["simpledll.dll"], "tests/run_tests.py:1400-1406"),
            ]),
            1,
            "tests/run_tests.py:1400-1406",
        ),
        // A .pyd under .data/data/ is ignored (tests/run_tests.py:196-199): not importable.
        pristine(
            "delvewheel/simpleext/simpleext-0.0.1-0ignore-cp312-cp312-win_amd64.whl",
            Verdict::NothingToCheck,
            0,
            "tests/run_tests.py:196-199",
        ),
        // iknowpy: imports iKnowEngine.dll, MSVCP140.dll, VCRUNTIME140(_1).dll; `repair` without
        // --add-path fails, "DLL not found" (tests/run_tests.py:225-228). Repaired, the wheel
        // carries iKnowEngine.dll and msvcp140.dll (`--no-dll iKnowEngine.dll` leaves only
        // msvcp140.dll, :437-442); VCRUNTIME140 comes with CPython.
        pristine(
            "delvewheel/iknowpy/iknowpy-1.5.3-cp312-cp312-win_amd64.whl",
            Verdict::Artifacts(vec![
                module("iknowpy/engine.cp312-win_amd64.pyd", &["PYI021"]).needs(
                    &["MSVCP140.dll", "iKnowEngine.dll"],
                    "tests/run_tests.py:225-228,437-442",
                ),
            ]),
            1,
            "tests/run_tests.py:215-228",
        ),
        // Repaired by hand as `repair --add-path simpleext/x64 --no-mangle-all` does for a
        // top-level module: simpledll.dll beside it, in `<name>.data/platlib/`
        // (tests/run_tests.py:776-783), and the wheel imports (:629-637). The module finds it
        // beside itself; the DLL is a library of the wheel, x64 as its tag: both pass.
        Case {
            fixture: "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win_amd64.whl",
            input: Input::WithMembers(
                "simpleext-0.0.1-cp312-cp312-win_amd64.whl",
                &[(
                    "simpleext-0.0.1.data/platlib/simpledll.dll",
                    "delvewheel/simpleext/x64/simpledll.dll",
                )],
            ),
            verdict: Verdict::Artifacts(vec![
                module("simpleext.cp312-win_amd64.pyd", NONE),
                library("simpleext-0.0.1.data/platlib/simpledll.dll", NONE),
            ]),
            exit: 0,
            unknown_tag: None,
            peer: "tests/run_tests.py:629-637,776-783",
        },
        // The same with the 32-bit simpledll.dll: delvewheel refuses a dependency of the wrong
        // bitness (tests/run_tests.py:687-690). The module finds a file of that name; the DLL,
        // x86 in a win_amd64 wheel, is PYI012.
        Case {
            fixture: "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win_amd64.whl",
            input: Input::WithMembers(
                "simpleext-0.0.1-cp312-cp312-win_amd64.whl",
                &[(
                    "simpleext-0.0.1.data/platlib/simpledll.dll",
                    "delvewheel/simpleext/x86/simpledll.dll",
                )],
            ),
            verdict: Verdict::Artifacts(vec![
                module("simpleext.cp312-win_amd64.pyd", NONE),
                library("simpleext-0.0.1.data/platlib/simpledll.dll", &["PYI012"]),
            ]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/run_tests.py:687-690",
        },
        // Wrong bitness: delvewheel refuses a 32-bit simpledll.dll for the win_amd64 wheel
        // (tests/run_tests.py:687-690). The module-level analogue: the 32-bit wheel's .pyd under
        // a win_amd64 name is PYI012 (+ PYI019: its WHEEL says win32; + PYI021: simpledll.dll).
        Case {
            fixture: "delvewheel/simpleext/simpleext-0.0.1-cp312-cp312-win32.whl",
            input: Input::Renamed("simpleext-0.0.1-cp312-cp312-win_amd64.whl"),
            verdict: Verdict::Artifacts(vec![simpleext(
                "simpleext.cp312-win32.pyd",
                &["PYI012", "PYI019", "PYI021"],
            )]),
            exit: 1,
            unknown_tag: None,
            peer: "tests/run_tests.py:687-690",
        },
    ]);
}
