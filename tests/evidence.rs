//! A file's role decided by what it holds (docs/loader-rules.md §9), and platform promises
//! judged as installers select them (§10): each case of the precision issue, through the real
//! binary. Fixtures: `tests/fixtures/evidence/` (`build-evidence.sh`, with CPython's verdicts).

mod support;

use std::path::Path;

use serde_json::Value;
use support::{code, fixture, run, stdout, write_wheel};

fn evidence(name: &str) -> String {
    fixture(&format!("evidence/{name}")).display().to_string()
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = run(&all);
    let value = serde_json::from_str(&stdout(&output)).expect("JSON report");
    (code(&output), value)
}

/// `(status, rule ids of the error and warning findings, rule ids of the notes)` per artifact.
fn verdicts(report: &Value) -> Vec<(String, Vec<String>, Vec<String>)> {
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|artifact| {
            let findings = artifact["findings"].as_array().cloned().unwrap_or_default();
            let of = |severities: &[&str]| {
                findings
                    .iter()
                    .filter(|f| severities.contains(&f["severity"].as_str().unwrap()))
                    .map(|f| f["rule_id"].as_str().unwrap().to_string())
                    .collect()
            };
            (
                artifact["status"].as_str().unwrap().to_string(),
                of(&["error", "warning"]),
                of(&["note"]),
            )
        })
        .collect()
}

fn messages(report: &Value) -> Vec<String> {
    report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

fn wheel_of(dir: &Path, name: &str, members: &[(&str, &str)], tags: &[&str]) -> String {
    let dist = name.split('-').next().unwrap();
    let mut metadata = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n".to_string();
    for tag in tags {
        metadata.push_str(&format!("Tag: {tag}\n"));
    }
    let wheel_file = format!("{dist}-1.0.dist-info/WHEEL");
    let mut entries: Vec<(&str, Vec<u8>)> = members
        .iter()
        .map(|(member, source)| (*member, std::fs::read(fixture(source)).unwrap()))
        .collect();
    entries.push((&wheel_file, metadata.into_bytes()));
    let path = dir.join(name);
    write_wheel(&path, &entries);
    path.display().to_string()
}

#[test]
fn a_library_with_no_trace_of_a_module_is_loaded_by_path_whatever_its_name() {
    // pycryptodome's ctypes libraries: a Python-tagged name, no hook, nothing of CPython's.
    for name in [
        "_raw_aes.abi3.so",
        "_raw_aes.cpython-312-x86_64-linux-gnu.so",
    ] {
        let (exit, report) = json(&[&evidence(name)]);
        assert_eq!(exit, 0, "{name}");
        assert_eq!(
            report["artifacts"][0]["status"], "nothing-to-check",
            "{name}"
        );
        assert!(
            report["artifacts"][0]["problem"]
                .as_str()
                .unwrap()
                .contains("loaded by path"),
            "{report}"
        );
    }
    // Naming its Python claims it is a module: then the missing hook fails.
    let (exit, report) = json(&["--python", "3.12", &evidence("_raw_aes.abi3.so")]);
    assert_eq!(
        (exit, verdicts(&report)[0].1.clone()),
        (1, vec!["PYI001".to_string()])
    );
}

#[test]
fn libraries_loaded_by_path_are_one_line_per_wheel_and_each_listed_with_v() {
    let dir = tempfile::tempdir().unwrap();
    let members: Vec<(String, &str)> = (0..5)
        .map(|i| {
            (
                format!("Crypto/Cipher/_raw_{i}.abi3.so"),
                "evidence/_raw_aes.abi3.so",
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = members.iter().map(|(m, s)| (m.as_str(), *s)).collect();
    let wheel = wheel_of(
        dir.path(),
        "pycryptodome-1.0-cp37-abi3-manylinux_2_17_x86_64.whl",
        &borrowed,
        &["cp37-abi3-manylinux_2_17_x86_64"],
    );
    let output = run(&[&wheel]);
    let text = stdout(&output);
    assert_eq!(code(&output), 0, "{text}");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("loaded by path"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with("note: 5 libraries in "), "{text}");
    let verbose = stdout(&run(&["-v", &wheel]));
    assert_eq!(verbose.matches("_raw_").count(), 5, "{verbose}");
}

#[test]
fn a_hook_in_any_form_makes_a_module_whose_missing_hook_fails() {
    // Hidden (ld makes it local, out of .dynsym), local, only referenced, Mach-O private
    // extern: CPython raises ImportError for each (fixtures' README), so each is PYI001.
    for name in ["hidden.so", "local.so", "referenced.so", "private.so"] {
        let (exit, report) = json(&[&evidence(name)]);
        assert_eq!(
            (exit, verdicts(&report)[0].1.clone()),
            (1, vec!["PYI001".to_string()]),
            "{name}: {report}"
        );
    }
}

#[test]
fn the_same_hook_evidence_counts_inside_a_wheel_past_the_cut_extent() {
    // A wheel member is inflated only up to what the loader reads; `.symtab` lies past it.
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel_of(
        dir.path(),
        "pkg-1.0-cp312-cp312-linux_x86_64.whl",
        &[("pkg/hidden.so", "evidence/hidden.so")],
        &["cp312-cp312-linux_x86_64"],
    );
    let (exit, report) = json(&[&wheel]);
    assert_eq!(
        (exit, verdicts(&report)[0].1.clone()),
        (1, vec!["PYI001".to_string()]),
        "{report}"
    );
}

#[test]
fn a_mypyc_group_library_is_checked_as_cpython_derives_its_hook() {
    let name = "6ec57f84c680d3a3778b__mypyc.cpython-312-x86_64-linux-gnu.so";
    let (exit, report) = json(&[&evidence(name)]);
    let (status, failing, notes) = verdicts(&report).remove(0);
    assert_eq!((exit, status.as_str()), (0, "pass"), "{report}");
    assert!(failing.is_empty(), "{report}");
    assert_eq!(notes, ["PYI004"]);
    assert!(messages(&report)[0].contains("importlib"), "{report}");
    // In a directory scan it is found, not skipped as unimportable.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(evidence(name), dir.path().join(name)).unwrap();
    let (exit, report) = json(&[&dir.path().display().to_string()]);
    assert_eq!(
        (exit, report["artifacts"].as_array().unwrap().len()),
        (0, 1)
    );
}

#[test]
fn a_truncated_elf_is_a_damaged_input_never_a_missing_hook() {
    let whole = std::fs::read(fixture("elf/gnuhash.so")).unwrap();
    // Past the segments lie only section headers and `.symtab`, which no loader reads.
    let extent = pyinit_check::inspect::read_extent(&whole).unwrap() as usize;
    assert!(extent < whole.len());
    let dir = tempfile::tempdir().unwrap();
    let mut cuts = 0;
    // Cuts after the ELF header, in steps that land in every segment.
    for cut in (64..extent).step_by(97) {
        let place = dir.path().join(cut.to_string());
        std::fs::create_dir(&place).unwrap();
        let path = place.join("gnuhash.cpython-312-x86_64-linux-gnu.so");
        std::fs::write(&path, &whole[..cut]).unwrap();
        let (exit, report) = json(&[&path.display().to_string()]);
        assert_eq!(exit, 2, "cut at {cut}: {report}");
        assert_eq!(report["artifacts"][0]["status"], "error", "cut at {cut}");
        assert!(
            report["artifacts"][0]["problem"]
                .as_str()
                .unwrap()
                .contains("truncated"),
            "cut at {cut}: {report}"
        );
        cuts += 1;
    }
    assert!(cuts > 20, "{cuts} cuts");
    // Cut only past the segments, the same file still loads and passes.
    let path = dir.path().join("gnuhash.cpython-312-x86_64-linux-gnu.so");
    std::fs::write(&path, &whole[..extent]).unwrap();
    assert_eq!(json(&[&path.display().to_string()]).0, 0);
}

#[test]
fn from_macos_11_a_minor_above_the_tag_is_a_note_and_no_help_names_a_minor_tag() {
    let dir = tempfile::tempdir().unwrap();
    let scipy_like = wheel_of(
        dir.path(),
        "pkg-1.0-cp312-cp312-macosx_12_0_arm64.whl",
        &[
            ("a/minos.cpython-312-darwin.so", "evidence/minos-12.3.so"),
            ("b/minos.cpython-312-darwin.so", "evidence/minos-12.3.so"),
            ("c/minos.cpython-312-darwin.so", "evidence/minos-12.3.so"),
        ],
        &["cp312-cp312-macosx_12_0_arm64"],
    );
    let (exit, report) = json(&[&scipy_like]);
    assert_eq!(exit, 0, "{report}");
    for (status, failing, notes) in verdicts(&report) {
        assert_eq!((status.as_str(), failing.len()), ("pass", 0), "{report}");
        assert_eq!(notes, ["PYI017"]);
    }
    let text = report.to_string();
    assert!(!text.contains("macosx_12_3"), "{text}");
    // A major above the tag stays an error, and its help names a tag an installer selects.
    let newer = wheel_of(
        dir.path(),
        "new-1.0-cp312-cp312-macosx_12_0_arm64.whl",
        &[("new/minos.cpython-312-darwin.so", "evidence/minos-13.0.so")],
        &["cp312-cp312-macosx_12_0_arm64"],
    );
    let (exit, report) = json(&[&newer]);
    assert_eq!(
        (exit, verdicts(&report)[0].1.clone()),
        (1, vec!["PYI017".to_string()])
    );
    assert!(
        report.to_string().contains("tag the wheel macosx_13_0"),
        "{report}"
    );
}

#[test]
fn a_cause_of_the_wheel_is_shown_once_in_the_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel_of(
        dir.path(),
        "pkg-1.0-cp312-cp312-macosx_12_0_arm64.whl",
        &[
            ("a/minos.cpython-312-darwin.so", "evidence/minos-13.0.so"),
            ("b/minos.cpython-312-darwin.so", "evidence/minos-13.0.so"),
            ("c/minos.cpython-312-darwin.so", "evidence/minos-13.0.so"),
        ],
        &["cp312-cp312-macosx_12_0_arm64"],
    );
    let output = run(&[&wheel]);
    let text = stdout(&output);
    assert_eq!(text.matches("error[PYI017").count(), 1, "{text}");
    assert!(
        text.contains("the same for 2 more modules of this wheel"),
        "{text}"
    );
    assert!(text.contains("(3 errors, 0 warnings)"), "{text}");
    // So does the step summary.
    let summary = dir.path().join("summary.md");
    let output = support::command(&[&wheel])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(markdown.matches("error PYI017").count(), 1, "{markdown}");
    assert!(
        markdown.contains("the same for 2 more module(s) of this wheel"),
        "{markdown}"
    );
    // SARIF keeps a result per file.
    let sarif = stdout(&run(&["--format", "sarif", &wheel]));
    assert_eq!(
        sarif.matches("\"ruleId\": \"PYI017\"").count(),
        3,
        "{sarif}"
    );
}

#[test]
fn a_compressed_wheel_tag_line_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel_of(
        dir.path(),
        "pkg-1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        &[("pkg/gnuhash.abi3.so", "elf/gnuhash.so")],
        &["cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64"],
    );
    let (_, report) = json(&[&wheel]);
    let found = messages(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert!(
        found[0].contains("one compressed `Tag:` line"),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains("expanded, it is the file name's set"),
        "{}",
        found[0]
    );
    assert!(!found[0].contains("two things"), "{}", found[0]);
}

#[test]
fn a_musl_suffix_in_a_manylinux_wheel_contradicts_even_without_versioned_needs() {
    // The module needs no libc at all (like auditwheel's testsimple): the names alone disagree.
    let dir = tempfile::tempdir().unwrap();
    let wheel = wheel_of(
        dir.path(),
        "pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
        &[(
            "pkg/_raw_aes.cpython-312-x86_64-linux-musl.so",
            "evidence/_raw_aes.cpython-312-x86_64-linux-gnu.so",
        )],
        &["cp312-cp312-manylinux_2_17_x86_64"],
    );
    let (exit, report) = json(&["--python", "3.12", &wheel]);
    let (_, failing, _) = verdicts(&report).remove(0);
    assert!(failing.contains(&"PYI016".to_string()), "{report}");
    assert_eq!(exit, 1);
}

#[test]
fn a_newer_cpp_runtime_than_the_policy_allows_is_pyi022() {
    let dir = tempfile::tempdir().unwrap();
    let module = "cxx.cpython-312-x86_64-linux-gnu.so";
    let old = wheel_of(
        dir.path(),
        "cxx-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        &[(module, &format!("evidence/{module}"))],
        &[
            "cp312-cp312-manylinux_2_17_x86_64",
            "cp312-cp312-manylinux2014_x86_64",
        ],
    );
    let (exit, report) = json(&[&old]);
    assert_eq!(
        (exit, verdicts(&report)[0].1.clone()),
        (1, vec!["PYI022".to_string()]),
        "{report}"
    );
    assert!(
        messages(&report)[0].contains("`GLIBCXX_3.4.21` (libstdc++.so.6)"),
        "{report}"
    );
    // manylinux_2_28 (AlmaLinux 8, GCC 8's runtime) has it.
    let new = wheel_of(
        dir.path(),
        "cxx-1.0-cp312-cp312-manylinux_2_28_x86_64.whl",
        &[(module, &format!("evidence/{module}"))],
        &["cp312-cp312-manylinux_2_28_x86_64"],
    );
    assert_eq!(json(&[&new]).0, 0);
}
