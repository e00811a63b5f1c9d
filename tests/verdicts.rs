//! The verdict and the rules that fire, per fixture, through the real binary: one row per
//! behaviour the loaders define (docs/loader-rules.md §1–2).

mod support;

use serde_json::Value;
use support::{code, fixture, run, stdout};

/// `(fixture, extra args, exit code, rule ids in order)`.
const CASES: &[(&str, &[&str], i32, &[&str])] = &[
    // ELF
    ("elf/gnuhash.so", &[], 0, &[]),
    ("elf/sysvhash.so", &[], 0, &[]),
    ("elf/bothhash.so", &[], 0, &[]),
    ("elf/protected.so", &[], 0, &[]),
    ("elf/weak.so", &[], 0, &[]),
    ("elf/aarch64.so", &[], 0, &[]),
    ("elf/armv7.so", &[], 0, &[]),
    ("elf/ppc64.so", &[], 0, &[]),
    ("elf/hidden.so", &["--python", "3.12"], 1, &["PYI001"]),
    ("elf/local.so", &["--python", "3.12"], 1, &["PYI001"]),
    (
        "elf/undefinedsysv.so",
        &["--python", "3.12"],
        1,
        &["PYI001"],
    ),
    ("elf/nohash.so", &[], 1, &["PYI001"]),
    ("elf/foo.so", &[], 1, &["PYI001"]),
    ("elf/relocatable.so", &[], 1, &["PYI003"]),
    // An untagged name exporting no hook at all is a plain library (cffi, ctypes): a note.
    // Naming its Python (above) or its module claims it is an extension module.
    ("elf/hidden.so", &[], 0, &[]),
    (
        "elf/hidden.so",
        &["--module-name", "other"],
        1,
        &["PYI001", "PYI009"],
    ),
    ("elf/pie.so", &[], 1, &["PYI003"]),
    ("elf/lančmít.so", &[], 0, &[]),
    // PEP 793: PyModExport_ only.
    (
        "elf/modexport.cpython-312-x86_64-linux-gnu.so",
        &[],
        1,
        &["PYI001"],
    ),
    ("elf/modexport.cpython-315-x86_64-linux-gnu.so", &[], 0, &[]),
    ("elf/modexport.so", &[], 0, &["PYI002"]),
    ("elf/modexport.so", &["--python", "3.15"], 0, &[]),
    ("elf/modexport.so", &["--python", "3.12"], 1, &["PYI001"]),
    (
        "elf/modexport.so",
        &["--python", "3.12", "--python", "3.15t"],
        0,
        &["PYI002"],
    ),
    ("elf/both.so", &["--python", "3.12"], 0, &[]),
    // Mach-O
    ("macho/thin_x86_64.so", &[], 0, &[]),
    ("macho/thin_arm64.so", &[], 0, &[]),
    ("macho/universal2.so", &[], 0, &[]),
    ("macho/fat64.so", &[], 0, &[]),
    ("macho/universal2_arm64_wrong.so", &[], 1, &["PYI001"]),
    ("macho/hidden.so", &["--python", "3.12"], 1, &["PYI001"]),
    ("macho/notrie.so", &[], 0, &[]),
    (
        "macho/objfile.o",
        &["--module-name", "objfile"],
        1,
        &["PYI003", "PYI005"],
    ),
    // PE
    ("pe/good_x64.pyd", &[], 0, &[]),
    ("pe/good_x86.pyd", &[], 0, &[]),
    ("pe/good_arm64.pyd", &[], 0, &[]),
    ("pe/forward.pyd", &[], 0, &["PYI006"]),
    // Its only hook is ordinal-only and it imports nothing of CPython's: no trace of a
    // module, so a library loaded by path; naming its Python claims it is one.
    ("pe/noname.pyd", &[], 0, &[]),
    ("pe/noname.pyd", &["--python", "3.12"], 1, &["PYI001"]),
    ("pe/unsorted.pyd", &[], 1, &["PYI001"]),
    ("pe/prog.exe", &[], 1, &["PYI003", "PYI005"]),
    // Naming
    // The file name decides the module CPython imports; a contradicting flag is reported.
    (
        "elf/gnuhash.so",
        &["--module-name", "my-mod"],
        1,
        &["PYI009"],
    ),
    (
        "elf/gnuhash.so",
        &["--module-name", "string_sum"],
        1,
        &["PYI009"],
    ),
    // A name that carries no module takes the flag, and the flag's name must be valid.
    (
        "macho/objfile.o",
        &["--module-name", "my-mod"],
        1,
        &["PYI003", "PYI004", "PYI005"],
    ),
    (
        "elf/gnuhash.so",
        &["--module-name", "pkg.sub.gnuhash"],
        0,
        &[],
    ),
];

#[test]
fn every_fixture_gets_its_verdict_and_rules() {
    for (file, extra, expected_code, expected_rules) in CASES {
        let path = fixture(file);
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        args.push(path.to_str().unwrap());
        let output = run(&args);
        let report: Value =
            serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let rules: Vec<&str> = report["artifacts"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap())
            .collect();
        assert_eq!(code(&output), *expected_code, "{file} {extra:?}: {rules:?}");
        assert_eq!(rules, *expected_rules, "{file} {extra:?}");
    }
}

#[test]
fn a_universal2_failure_names_the_slice() {
    let output = run(&[
        "--format",
        "json",
        fixture("macho/universal2_arm64_wrong.so").to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let finding = &report["artifacts"][0]["findings"][0];
    assert_eq!(finding["slice"], "arm64");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("arm64 slice: ")
    );
    let text = stdout(&run(&[fixture("macho/universal2_arm64_wrong.so")
        .to_str()
        .unwrap()]));
    assert!(
        text.contains("x86_64   ok") && text.contains("arm64    FAIL"),
        "{text}"
    );
}

#[test]
fn a_mismatch_names_what_the_file_exports_instead() {
    let text = stdout(&run(&[fixture("elf/foo.so").to_str().unwrap()]));
    assert!(text.contains("It exports `PyInit_bar` instead"), "{text}");
    assert!(
        text.contains("The #[pymodule] is probably named `bar`"),
        "{text}"
    );
}
